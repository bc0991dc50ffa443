import { routes } from '#shared/api/routes';
import { staffActor } from '#shared/domain/staff';
import { cancelBooking } from '#functions/app/bookings';
import { staffBooking } from '#functions/app/calendar';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeCancelStaffBooking = (deps: AppDeps) =>
  httpRoute(
    routes.cancelStaffBooking,
    async ({ params, body, principal }) => {
      const current = await staffBooking(deps, principal, routes.cancelStaffBooking.auth.roles, params.tenantId, params.bookingId);
      const booking = await cancelBooking(deps, current, body.reason, { enforceCutoff: false, actor: staffActor(principal) });
      return { statusCode: 200, body: { booking } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeCancelStaffBooking);
