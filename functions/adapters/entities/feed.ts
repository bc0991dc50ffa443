import { providerPk } from './day-sheet.ts';

/**
 * Calendar-feed tokens. The feed URL carries only the token; its SHA-256 is the key of an item
 * naming the tenant and provider, so a request is one GetItem and a leaked table holds no usable
 * URL. The provider's partition keeps a pointer to the current hash so rotation can delete it.
 */
export const feedPk = (tokenHash: string) => `FEED#${tokenHash}`;
export const FEED_SK = 'FEED';
export const FEED_POINTER_SK = 'FEEDTOKEN';

export interface FeedRecord {
  tenantId: string;
  providerId: string;
  createdAt: string;
}

export const feedItem = (tokenHash: string, record: FeedRecord): Record<string, unknown> => ({
  PK: feedPk(tokenHash),
  SK: FEED_SK,
  type: 'feed',
  ...record,
});

export const feedPointerKey = (tenantId: string, providerId: string) => ({ PK: providerPk(tenantId, providerId), SK: FEED_POINTER_SK });
