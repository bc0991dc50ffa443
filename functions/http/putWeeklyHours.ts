import { routes } from '#shared/api/routes';
import { putWeeklyHours } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makePutWeeklyHours = (deps: AppDeps) =>
  httpRoute(
    routes.putWeeklyHours,
    async ({ params, body }) => {
      return { statusCode: 200, body: await putWeeklyHours(deps, params.tenantId, params.providerId, body.weeklyHours) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makePutWeeklyHours);
