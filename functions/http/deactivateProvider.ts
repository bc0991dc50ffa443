import { routes } from '#shared/api/routes';
import { deactivateProvider } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeDeactivateProvider = (deps: AppDeps) =>
  httpRoute(
    routes.deactivateProvider,
    async ({ params }) => {
      return { statusCode: 200, body: await deactivateProvider(deps, params.tenantId, params.providerId) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeDeactivateProvider);
