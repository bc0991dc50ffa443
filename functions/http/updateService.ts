import { routes } from '#shared/api/routes';
import { updateService } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeUpdateService = (deps: AppDeps) =>
  httpRoute(
    routes.updateService,
    async ({ params, body }) => {
      return { statusCode: 200, body: { service: await updateService(deps, params.tenantId, params.serviceId, body) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeUpdateService);
