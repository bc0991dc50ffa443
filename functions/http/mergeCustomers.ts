import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { mergeCustomers } from '#functions/app/merges';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeMergeCustomers = (deps: AppDeps) =>
  httpRoute(
    routes.mergeCustomers,
    async ({ params, body, principal }) => ({ statusCode: 200, body: await mergeCustomers(deps, principal, params.tenantId, params.customerId, body.otherCustomerId) }),
    { users: deps.store },
  );

export const handler = lambdaEntry(makeMergeCustomers);
