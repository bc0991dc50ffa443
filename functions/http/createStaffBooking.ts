import { routes } from '#shared/api/routes';
import { staffActor } from '#shared/domain/staff';
import { withLinkSecret } from '#functions/adapters/link-secret';
import { createBooking } from '#functions/app/bookings';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeCreateStaffBooking = (deps: AppDeps) =>
  httpRoute(
    routes.createStaffBooking,
    async ({ params, body, principal }) => {
      const { override, ...request } = body;
      // The manage token goes to the customer (by e-mail), not to the desk.
      const { booking } = await createBooking(deps, params.tenantId, request, { actor: staffActor(principal), override });
      return { statusCode: 201, body: { booking } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeCreateStaffBooking, withLinkSecret);
