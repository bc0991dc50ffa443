import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { providerFeed } from '#functions/app/feeds';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

/**
 * Calendar apps poll a subscribed feed (Google every few hours, Apple and Outlook more often), so
 * it answers with a strong ETag and a short private cache lifetime; an unchanged feed is a 304.
 */
export const makeGetProviderFeed = (deps: AppDeps) =>
  httpRoute(routes.getProviderFeed, async ({ params, headers }) => {
    const { body, etag } = await providerFeed(deps, params.feedToken);
    const cache = {
      etag,
      // The URL is a secret: shared caches must not keep it, and no index should list it.
      'cache-control': 'private, max-age=300',
      'x-robots-tag': 'noindex',
    };
    const seen = headers['if-none-match']?.split(',').map((tag) => tag.trim());
    if (seen?.includes(etag) || seen?.includes('*')) return { statusCode: 304, headers: cache, raw: true, body: '' };
    return {
      statusCode: 200,
      raw: true,
      body,
      headers: { ...cache, 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'inline; filename="calendar.ics"' },
    };
  });

export const handler = lambdaEntry(makeGetProviderFeed);
