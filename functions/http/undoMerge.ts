import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { undoCustomerMerge } from '#functions/app/merges';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeUndoMerge = (deps: AppDeps) =>
  httpRoute(
    routes.undoMerge,
    async ({ params, principal }) => ({ statusCode: 200, body: await undoCustomerMerge(deps, principal, params.tenantId, params.customerId, params.otherCustomerId) }),
    { users: deps.store },
  );

export const handler = lambdaEntry(makeUndoMerge);
