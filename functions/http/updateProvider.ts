import { routes } from '#shared/api/routes';
import { updateProviderProfile } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeUpdateProvider = (deps: AppDeps) =>
  httpRoute(
    routes.updateProvider,
    async ({ params, body }) => {
      return { statusCode: 200, body: await updateProviderProfile(deps, params.tenantId, params.providerId, body) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeUpdateProvider);
