import { customerActor } from '#shared/domain/staff';
import { routes } from '#shared/api/routes';
import { authorizeManage, cancelBooking } from '#functions/app/bookings';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeCancelBooking = (deps: AppDeps) =>
  httpRoute(routes.cancelBooking, async ({ params, headers, body }) => {
    const current = await authorizeManage(deps, params.bookingId, headers.authorization);
    const booking = await cancelBooking(deps, current, body.reason, { enforceCutoff: true, actor: customerActor });
    return { statusCode: 200, body: { booking } };
  });

export const handler = lambdaEntry(makeCancelBooking);
