import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { claimWaitlistOffer } from '#functions/app/waitlist';
import { httpRoute } from '#functions/lib/http';

export const makeClaimWaitlistOffer = (deps: AppDeps) =>
  httpRoute(routes.claimWaitlistOffer, async ({ params, headers }) => {
    const { status, body } = await claimWaitlistOffer(deps, params.entryId, headers.authorization);
    return { statusCode: status, body };
  });

// Verifies the offer token and derives the new booking's manage token: needs the link secret.
export const handler = lambdaEntry(makeClaimWaitlistOffer, withLinkSecret);
