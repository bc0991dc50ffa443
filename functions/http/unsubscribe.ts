import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import type { AppDeps } from '#functions/app/deps';
import { unsubscribe } from '#functions/app/preferences';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';
import { noStore } from './getPreferences.ts';

/**
 * RFC 8058: mail providers POST `List-Unsubscribe=One-Click` (form-encoded) to the URL in the
 * List-Unsubscribe header, without cookies or redirects; the route takes no body, so whatever
 * comes is not parsed. A GET never unsubscribes: link scanners fetch URLs in mails.
 */
export const makeUnsubscribe = (deps: AppDeps) =>
  httpRoute(routes.unsubscribe, async ({ params }) => ({ statusCode: 200, body: await unsubscribe(deps, params.token), headers: noStore }));

export const handler = lambdaEntry(makeUnsubscribe, withLinkSecret);
