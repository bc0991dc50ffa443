import { routes } from '#shared/api/routes';
import { assertMayTouchBooking, staffActor } from '#shared/domain/staff';
import { rescheduleBooking } from '#functions/app/bookings';
import { staffBooking } from '#functions/app/calendar';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeRescheduleStaffBooking = (deps: AppDeps) =>
  httpRoute(
    routes.rescheduleStaffBooking,
    async ({ params, body, principal }) => {
      const current = await staffBooking(deps, principal, routes.rescheduleStaffBooking.auth.roles, params.tenantId, params.bookingId);
      const { override, ...target } = body;
      // A provider may move their own booking, but only within their own calendar.
      if (target.providerId !== undefined) assertMayTouchBooking(principal, routes.rescheduleStaffBooking.auth.roles, { providerId: target.providerId });
      const booking = await rescheduleBooking(deps, current, target, { enforceCutoff: false, actor: staffActor(principal), override });
      return { statusCode: 200, body: { booking } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeRescheduleStaffBooking);
