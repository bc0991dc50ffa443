import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { exportCustomer } from '#functions/app/privacy';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeExportCustomer = (deps: AppDeps) =>
  httpRoute(routes.exportCustomer, async ({ params }) => ({ statusCode: 200, body: await exportCustomer(deps, params.tenantId, params.customerId) }), {
    users: deps.store,
  });

export const handler = lambdaEntry(makeExportCustomer);
