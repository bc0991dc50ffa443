import { customerActor } from '#shared/domain/staff';
import { routes } from '#shared/api/routes';
import { authorizeManage, rescheduleBooking } from '#functions/app/bookings';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeRescheduleBooking = (deps: AppDeps) =>
  httpRoute(routes.rescheduleBooking, async ({ params, headers, body }) => {
    const current = await authorizeManage(deps, params.bookingId, headers.authorization);
    const booking = await rescheduleBooking(deps, current, body, { enforceCutoff: true, actor: customerActor });
    return { statusCode: 200, body: { booking } };
  });

export const handler = lambdaEntry(makeRescheduleBooking);
