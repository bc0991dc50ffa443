import { routes } from '#shared/api/routes';
import { updateSettings } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeUpdateSettings = (deps: AppDeps) =>
  httpRoute(
    routes.updateSettings,
    async ({ params, body }) => {
      return { statusCode: 200, body: { tenant: await updateSettings(deps, params.tenantId, body) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeUpdateSettings);
