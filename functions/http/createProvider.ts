import { routes } from '#shared/api/routes';
import { createProvider } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeCreateProvider = (deps: AppDeps) =>
  httpRoute(
    routes.createProvider,
    async ({ params, body }) => {
      return { statusCode: 201, body: { provider: await createProvider(deps, params.tenantId, body) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeCreateProvider);
