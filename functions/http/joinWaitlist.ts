import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { joinWaitlist } from '#functions/app/waitlist';
import { httpRoute } from '#functions/lib/http';

export const makeJoinWaitlist = (deps: AppDeps) =>
  httpRoute(routes.joinWaitlist, async ({ params, body }) => {
    const result = await joinWaitlist(deps, params.tenantId, body);
    return { statusCode: result.created ? 201 : 200, body: result };
  });

// Derives the entry's manage token: needs the link secret.
export const handler = lambdaEntry(makeJoinWaitlist, withLinkSecret);
