import { routes } from '#shared/api/routes';
import { publicBooking } from '#functions/adapters/entities/booking';
import { authorizeManage } from '#functions/app/bookings';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetBooking = (deps: AppDeps) =>
  httpRoute(routes.getBooking, async ({ params, headers }) => {
    const booking = await authorizeManage(deps, params.bookingId, headers.authorization);
    return { statusCode: 200, body: { booking: publicBooking(booking) } };
  });

export const handler = lambdaEntry(makeGetBooking);
