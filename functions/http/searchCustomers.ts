import { routes } from '#shared/api/routes';
import { searchCustomers } from '#functions/app/customers';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeSearchCustomers = (deps: AppDeps) =>
  httpRoute(routes.searchCustomers, async ({ params, query }) => ({ statusCode: 200, body: await searchCustomers(deps, params.tenantId, query.q) }), {
    users: deps.store,
  });

export const handler = lambdaEntry(makeSearchCustomers);
