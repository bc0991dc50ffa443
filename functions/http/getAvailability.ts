import { routes } from '#shared/api/routes';
import { getAvailability } from '#functions/app/bookings';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetAvailability = (deps: AppDeps) =>
  httpRoute(routes.getAvailability, async ({ params, query }) => ({
    statusCode: 200,
    body: await getAvailability(deps, params.tenantId, query),
  }));

export const handler = lambdaEntry(makeGetAvailability);
