import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { leaveWaitlist } from '#functions/app/waitlist';
import { httpRoute } from '#functions/lib/http';

export const makeLeaveWaitlist = (deps: AppDeps) =>
  httpRoute(routes.leaveWaitlist, async ({ params, headers }) => {
    await leaveWaitlist(deps, params.entryId, headers.authorization);
    return { statusCode: 204 };
  });

// Checks the token against the entry's stored hash, like the booking manage routes: no secret needed.
export const handler = lambdaEntry(makeLeaveWaitlist);
