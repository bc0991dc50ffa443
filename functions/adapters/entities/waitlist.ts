import { entryEndsAt, type WaitlistEntry } from '#shared/domain/waitlist';
import { customerPk } from './customer.ts';

/**
 * The waitlist's items (docs/data-model.md, A50–A59).
 *
 * - The entry, keyed by its id: the leave and claim links carry only the id. GSI1 lists a
 *   tenant's entries by their last date, which is what "who waits on date D" and "who waits for
 *   this freed slot" both read (an entry covers at most 14 days, so its last date lies within
 *   14 days after any date it covers).
 * - A reference in the customer's partition, so that the customer's entries are found by
 *   customer (one-entry-per-list check, export, erasure — which deletes the partition, and the
 *   references with it).
 * - A guard item in the same partition whose version every new entry bumps, so two requests of
 *   one customer racing for the same list cannot both add an entry.
 * - The offers queued for one slot (their message ids), so that the first claim can withdraw the
 *   offers to others not yet mailed.
 */

export const waitlistEntryPk = (entryId: string) => `WL#${entryId}`;
export const WAITLIST_ENTRY_SK = 'ENTRY';
export const waitlistIndexPk = (tenantId: string) => `T#${tenantId}#WAITLIST`;
export const waitlistIndexSk = (entry: Pick<WaitlistEntry, 'to' | 'requestedAt' | 'id'>) => `${entry.to}#${entry.requestedAt}#${entry.id}`;
export const WAITLIST_REF_PREFIX = 'WAIT#';
export const waitlistRefKey = (tenantId: string, customerId: string, entryId: string) => ({ PK: customerPk(tenantId, customerId), SK: `${WAITLIST_REF_PREFIX}${entryId}` });
export const waitlistGuardKey = (tenantId: string, customerId: string) => ({ PK: customerPk(tenantId, customerId), SK: 'WAITLIST' });
export const offerGroupKey = (tenantId: string, providerId: string, start: string) => ({ PK: `T#${tenantId}#WLSLOT#${providerId}#${start}`, SK: 'OFFERS' });

/** An entry as stored: the SHA-256 of its manage token (the token is derived, never kept) and the offers queued for it. */
export interface StoredWaitlistEntry extends WaitlistEntry {
  manageTokenHash: string;
  /** Outbox ids of the offer mails queued for this entry, oldest first. */
  offerIds?: string[] | undefined;
}

/** The table's TTL attribute (epoch seconds): the end of the entry's last date, in the customer's zone. */
export const entryExpiresAt = (entry: Pick<WaitlistEntry, 'to' | 'timeZone'>) => Math.ceil(entryEndsAt(entry) / 1000);

export const waitlistEntryItem = (entry: StoredWaitlistEntry): Record<string, unknown> => ({
  PK: waitlistEntryPk(entry.id),
  SK: WAITLIST_ENTRY_SK,
  type: 'waitlistEntry',
  GSI1PK: waitlistIndexPk(entry.tenantId),
  GSI1SK: waitlistIndexSk(entry),
  expiresAt: entryExpiresAt(entry),
  ...entry,
});

const internalKeys = new Set(['PK', 'SK', 'type', 'GSI1PK', 'GSI1SK', 'expiresAt']);

export function waitlistEntryFromItem(item: Record<string, unknown>): StoredWaitlistEntry {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!internalKeys.has(key)) out[key] = value;
  return out as unknown as StoredWaitlistEntry;
}

/** What the customer's partition keeps of an entry: enough to decide "already on this list" without reading the entry. */
export interface WaitlistRef {
  entryId: string;
  serviceId: string;
  providerId?: string | undefined;
  from: string;
  to: string;
  timeZone: string;
}

export const waitlistRefItem = (entry: StoredWaitlistEntry): Record<string, unknown> => ({
  ...waitlistRefKey(entry.tenantId, entry.customerId, entry.id),
  type: 'waitlistRef',
  entryId: entry.id,
  serviceId: entry.serviceId,
  ...(entry.providerId !== undefined ? { providerId: entry.providerId } : {}),
  from: entry.from,
  to: entry.to,
  timeZone: entry.timeZone,
  expiresAt: entryExpiresAt(entry),
});

export const waitlistRefFromItem = (item: Record<string, unknown>): WaitlistRef => ({
  entryId: String(item.entryId),
  serviceId: String(item.serviceId),
  ...(typeof item.providerId === 'string' ? { providerId: item.providerId } : {}),
  from: String(item.from),
  to: String(item.to),
  timeZone: String(item.timeZone),
});

/** Without a customer: what the staff list, the export and the public answer show of an entry. */
export function publicEntry(entry: StoredWaitlistEntry) {
  return {
    id: entry.id,
    tenantId: entry.tenantId,
    serviceId: entry.serviceId,
    ...(entry.providerId !== undefined ? { providerId: entry.providerId } : {}),
    from: entry.from,
    to: entry.to,
    timeZone: entry.timeZone,
    requestedAt: entry.requestedAt,
  };
}
