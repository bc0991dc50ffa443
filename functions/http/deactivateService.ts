import { routes } from '#shared/api/routes';
import { deactivateService } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeDeactivateService = (deps: AppDeps) =>
  httpRoute(
    routes.deactivateService,
    async ({ params }) => {
      return { statusCode: 200, body: { service: await deactivateService(deps, params.tenantId, params.serviceId) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeDeactivateService);
