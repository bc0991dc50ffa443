import { routes } from '#shared/api/routes';
import { publicBooking } from '#functions/adapters/entities/booking';
import { staffBooking } from '#functions/app/calendar';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetStaffBooking = (deps: AppDeps) =>
  httpRoute(
    routes.getStaffBooking,
    async ({ params, principal }) => {
      const booking = await staffBooking(deps, principal, routes.getStaffBooking.auth.roles, params.tenantId, params.bookingId);
      return { statusCode: 200, body: { booking: publicBooking(booking) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeGetStaffBooking);
