import { routes } from '#shared/api/routes';
import { putException } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makePutException = (deps: AppDeps) =>
  httpRoute(
    routes.putException,
    async ({ params, body }) => {
      return { statusCode: 200, body: await putException(deps, params.tenantId, params.providerId, params.date, body.hours, body.note) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makePutException);
