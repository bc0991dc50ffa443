import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { eraseCustomer } from '#functions/app/privacy';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeEraseCustomer = (deps: AppDeps) =>
  httpRoute(
    routes.eraseCustomer,
    async ({ params, body, principal }) => ({ statusCode: 200, body: await eraseCustomer(deps, principal, params.tenantId, params.customerId, body.reason) }),
    { users: deps.store },
  );

export const handler = lambdaEntry(makeEraseCustomer);
