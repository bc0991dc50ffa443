import { routes } from '#shared/api/routes';
import { createService } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeCreateService = (deps: AppDeps) =>
  httpRoute(
    routes.createService,
    async ({ params, body }) => {
      return { statusCode: 201, body: { service: await createService(deps, params.tenantId, body) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeCreateService);
