import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { bookFromWaitlist } from '#functions/app/waitlist';
import { httpRoute } from '#functions/lib/http';

export const makeBookFromWaitlist = (deps: AppDeps) =>
  httpRoute(
    routes.bookFromWaitlist,
    async ({ params, body, principal }) => {
      // The manage token goes to the customer (by e-mail), not to the desk, as for staff bookings.
      const booking = await bookFromWaitlist(deps, principal, params.tenantId, params.entryId, body);
      return { statusCode: 201, body: { booking } };
    },
    { users: deps.store },
  );

// A new booking's manage token is derived: needs the link secret.
export const handler = lambdaEntry(makeBookFromWaitlist, withLinkSecret);
