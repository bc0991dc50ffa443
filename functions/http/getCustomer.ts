import { routes } from '#shared/api/routes';
import { customerCard } from '#functions/app/customers';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetCustomer = (deps: AppDeps) =>
  httpRoute(
    routes.getCustomer,
    async ({ params }) => ({ statusCode: 200, body: await customerCard(deps, params.tenantId, params.customerId, { timeline: true }) }),
    { users: deps.store },
  );

export const handler = lambdaEntry(makeGetCustomer);
