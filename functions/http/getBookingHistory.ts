import { routes } from '#shared/api/routes';
import { staffBooking } from '#functions/app/calendar';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetBookingHistory = (deps: AppDeps) =>
  httpRoute(
    routes.getBookingHistory,
    async ({ params, principal }) => {
      const booking = await staffBooking(deps, principal, routes.getBookingHistory.auth.roles, params.tenantId, params.bookingId);
      return { statusCode: 200, body: { bookingId: booking.id, entries: await deps.store.listHistory(booking.id) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeGetBookingHistory);
