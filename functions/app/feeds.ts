import { createHash } from 'node:crypto';
import { providerZone } from '#shared/domain/booking';
import { renderProviderFeed } from '#shared/calendar/provider-feed';
import { DomainError } from '#shared/domain/errors';
import { hashToken } from '#functions/adapters/ids';
import { publicBooking } from '#functions/adapters/entities/booking';
import { providerCalendar } from './calendar.ts';
import type { AppDeps } from './deps.ts';
import { isoInstant } from '#shared/domain/instant';

const DAY_MS = 86_400_000;
/** What a subscribed calendar shows: the recent past (for looking back) and a year ahead. */
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 366;


/** Issues a new feed URL for a provider; the previous token stops working in the same transaction. */
export async function rotateFeedToken(deps: AppDeps, tenantId: string, providerId: string) {
  const config = await deps.store.requireConfig(tenantId, deps.clock.now());
  if (!config.providers.some((p) => p.id === providerId)) {
    throw new DomainError('provider_not_found', `No provider "${providerId}" in this tenant.`, { field: 'providerId' });
  }
  const feedToken = deps.ids.feedToken();
  await deps.store.rotateFeed({ tenantId, providerId, createdAt: isoInstant(deps.clock.now()) }, hashToken(feedToken));
  return { feedToken, feedPath: `/v1/feeds/${feedToken}/calendar.ics` };
}

/** The feed for a token, with a strong ETag over its bytes (the renderer is deterministic). */
export async function providerFeed(deps: AppDeps, feedToken: string): Promise<{ body: string; etag: string }> {
  const record = await deps.store.getFeed(hashToken(feedToken));
  if (!record) throw new DomainError('feed_not_found', 'No calendar feed at this address (it may have been replaced).');
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(record.tenantId, now);
  const provider = config.providers.find((p) => p.id === record.providerId);
  if (!provider) throw new DomainError('feed_not_found', 'No calendar feed at this address.');
  const { bookings, blocks } = await providerCalendar(deps, record.tenantId, provider.id, now - FEED_PAST_DAYS * DAY_MS, now + FEED_FUTURE_DAYS * DAY_MS);
  const body = renderProviderFeed({
    tenant: { id: config.tenant.id, name: config.tenant.name, timeZone: config.tenant.timeZone },
    provider: { id: provider.id, name: provider.name, timeZone: providerZone(config, provider) },
    services: config.services.map((s) => ({ id: s.id, name: s.name })),
    bookings: bookings.map(publicBooking),
    blocks,
    generatedAt: now,
  });
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return { body, etag };
}
