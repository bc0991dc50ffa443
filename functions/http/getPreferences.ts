import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import type { AppDeps } from '#functions/app/deps';
import { getPreferences } from '#functions/app/preferences';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

/** The token is the key to someone's consent: no cache may keep the answer. */
export const noStore = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex' };

export const makeGetPreferences = (deps: AppDeps) =>
  httpRoute(routes.getPreferences, async ({ params }) => ({ statusCode: 200, body: await getPreferences(deps, params.token), headers: noStore }));

export const handler = lambdaEntry(makeGetPreferences, withLinkSecret);
