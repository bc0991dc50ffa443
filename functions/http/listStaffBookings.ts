import { routes } from '#shared/api/routes';
import { listCalendar } from '#functions/app/calendar';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeListStaffBookings = (deps: AppDeps) =>
  httpRoute(
    routes.listStaffBookings,
    async ({ params, query, principal }) => {
      return { statusCode: 200, body: await listCalendar(deps, principal, routes.listStaffBookings.auth.roles, params.tenantId, query) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeListStaffBookings);
