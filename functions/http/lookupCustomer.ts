import { routes } from '#shared/api/routes';
import { lookupCustomer } from '#functions/app/customers';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeLookupCustomer = (deps: AppDeps) =>
  httpRoute(routes.lookupCustomer, async ({ params, query }) => ({ statusCode: 200, body: await lookupCustomer(deps, params.tenantId, query) }), { users: deps.store });

export const handler = lambdaEntry(makeLookupCustomer);
