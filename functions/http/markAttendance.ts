import { routes } from '#shared/api/routes';
import { staffActor } from '#shared/domain/staff';
import { markAttendance } from '#functions/app/bookings';
import { staffBooking } from '#functions/app/calendar';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeMarkAttendance = (deps: AppDeps) =>
  httpRoute(
    routes.markAttendance,
    async ({ params, body, principal }) => {
      const current = await staffBooking(deps, principal, routes.markAttendance.auth.roles, params.tenantId, params.bookingId);
      const booking = await markAttendance(deps, current, body.status, staffActor(principal));
      return { statusCode: 200, body: { booking } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeMarkAttendance);
