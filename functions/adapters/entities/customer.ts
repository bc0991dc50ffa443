import type { CustomerEvent, GoldenRecord } from '#shared/customers/types';
import type { MergeUndo } from '#shared/customers/golden-record';
import { auditPk } from './privacy.ts';

/**
 * Customers of a tenant, as the stream projector builds them. One partition per customer holds
 * the profile (golden record plus the traits and badges computed from the timeline) and the
 * timeline events; identity items map a normalised e-mail or phone to the customer.
 */
export const customerPk = (tenantId: string, customerId: string) => `T#${tenantId}#CUS#${customerId}`;
export const PROFILE_SK = 'PROFILE';
export const eventSk = (event: Pick<CustomerEvent, 'at' | 'id'>) => `EV#${event.at}#${event.id}`;
export const EVENT_PREFIX = 'EV#';
export const identityKey = (tenantId: string, kind: 'email' | 'phone', value: string) => ({ PK: `T#${tenantId}#ID#${kind}#${value}`, SK: 'ID' });

/**
 * The search index (GSI1, one partition per tenant): identity items and profiles carry
 * `GSI1SK = <kind>#<searchable value>#<customerId>`, so a prefix Query finds customers by the
 * beginning of an e-mail, an E.164 number or a name.
 */
export const searchPk = (tenantId: string) => `T#${tenantId}#CUSIDX`;
export const searchSk = (kind: 'email' | 'phone' | 'name', value: string, customerId: string) => `${kind}#${value}#${customerId}`;

/** Names are searched lower-cased and without accents ("García" is found by "garc"). */
export const searchableName = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Name-index items (one per word of the name after the first, in the customer's partition) let a
 * search find "Ana García" by "garc": each carries the searchable name from that word on, so a
 * prefix Query finds any word's beginning and also several words ("garcia lo"). The profile's own
 * key covers the name from its first word. Words start after a space, hyphen, apostrophe or other
 * punctuation; at most MAX_NAME_INDEX_WORDS per customer, which bounds the writes a long name costs.
 */
export const NAME_INDEX_PREFIX = 'NAME#';
export const MAX_NAME_INDEX_WORDS = 8;

/** The searchable name from each word start after the first, distinct, at most MAX_NAME_INDEX_WORDS. */
export function nameIndexSuffixes(name: string): string[] {
  const searchable = searchableName(name);
  const starts = [...searchable.matchAll(/(?<=[^\p{L}\p{N}])[\p{L}\p{N}]/gu)].map((match) => match.index);
  return [...new Set(starts.map((start) => searchable.slice(start)))].slice(0, MAX_NAME_INDEX_WORDS);
}

export const nameIndexItem = (tenantId: string, customerId: string, suffix: string): Record<string, unknown> => ({
  PK: customerPk(tenantId, customerId),
  SK: `${NAME_INDEX_PREFIX}${suffix}`,
  type: 'customerNameIndex',
  GSI1PK: searchPk(tenantId),
  GSI1SK: searchSk('name', suffix, customerId),
});

export interface StoredProfile {
  record: GoldenRecord;
  /** Computed from the timeline on every change; never edited. */
  traits?: Record<string, unknown> | undefined;
  badges?: Array<{ code: string; label: string; reason: string }> | undefined;
  /** Customers sharing a phone number but no e-mail: probably the same person, for staff to confirm. */
  probableMatches?: string[] | undefined;
  updatedAt: string;
  /**
   * Set when staff merged this customer into another (decision 66): the profile then only points
   * there, keeping the record as it was for an undo; no writer may change it (A41).
   */
  mergedInto?: string | undefined;
  mergedAt?: string | undefined;
}

/**
 * A profile as read, with its revision: the number of writes it has had, which the next write
 * names as the one it expects (optimistic concurrency, decision 65). Profiles written before
 * revisions existed read as revision 0.
 */
export interface VersionedProfile extends StoredProfile {
  revision: number;
}

export const profileItem = (profile: StoredProfile): Record<string, unknown> => ({
  PK: customerPk(profile.record.tenantId, profile.record.customerId),
  SK: PROFILE_SK,
  type: 'customerProfile',
  ...(profile.record.name
    ? { GSI1PK: searchPk(profile.record.tenantId), GSI1SK: searchSk('name', searchableName(profile.record.name.value), profile.record.customerId) }
    : {}),
  ...profile,
});

/**
 * A merge staff confirmed (decision 66), in the winner's partition: what undoMerge needs (both
 * golden records as they were), the identities moved to the winner, the loser's events copied
 * into the winner's partition, whose bookings each side had, and the probable matches before.
 * It holds personal data of the same person, so erasure and export treat it as theirs.
 */
export const MERGE_PREFIX = 'MERGE#';
export const mergeSk = (mergedCustomerId: string) => `${MERGE_PREFIX}${mergedCustomerId}`;

export interface StoredMerge {
  tenantId: string;
  /** The winner: the record that stays. */
  customerId: string;
  /** The loser: merged into customerId. */
  mergedCustomerId: string;
  mergedAt: string;
  actor: { userId: string; role: string };
  undo: MergeUndo;
  movedIdentities: Array<{ kind: 'email' | 'phone'; value: string }>;
  /** Sort keys (`EV#<at>#<id>`) of the loser's events copied into the winner's partition. */
  copiedEventSks: string[];
  winnerBookingIds: string[];
  loserBookingIds: string[];
  probableMatchesBefore: { winner: string[]; loser: string[] };
  /** False while copies beyond the first transaction are still being written (a retried merge finishes them). */
  complete: boolean;
  /** Set while an undo that overflowed its first transaction is still moving events back. */
  undoneAt?: string | undefined;
}

export const mergeItem = (merge: StoredMerge): Record<string, unknown> => ({
  PK: customerPk(merge.tenantId, merge.customerId),
  SK: mergeSk(merge.mergedCustomerId),
  type: 'customerMerge',
  ...merge,
});

export function mergeFromItem(item: Record<string, unknown>): StoredMerge {
  const { PK: _pk, SK: _sk, type: _type, ...merge } = item;
  return merge as unknown as StoredMerge;
}

/** Who merged or split which customers, and when: ids and counts only, so it outlives an erasure. */
export interface MergeAudit {
  tenantId: string;
  at: string;
  action: 'merge' | 'undo';
  customerId: string;
  mergedCustomerId: string;
  actor: { userId: string; role: string };
  counts: { identities: number; events: number };
}

export const mergeAuditItem = (audit: MergeAudit): Record<string, unknown> => ({
  PK: auditPk(audit.tenantId),
  SK: `${audit.action === 'merge' ? 'MERGE' : 'UNMERGE'}#${audit.at}#${audit.customerId}#${audit.mergedCustomerId}`,
  type: 'mergeAudit',
  ...audit,
});

/**
 * The tenant-wide event index (GSI2, sparse; its other partitions are the outbox's `DUE#<day>`):
 * every timeline event is also filed under the UTC month of its `at`, so insights read a tenant's
 * events month by month without visiting each customer. UTC, not the tenant's zone: the key must
 * not change when the tenant moves zone, and a reader of zone months reads the UTC months around them.
 */
export const eventIndexPk = (tenantId: string, utcMonth: string) => `T#${tenantId}#EV#${utcMonth}`;
export const eventIndexSk = (event: Pick<CustomerEvent, 'at' | 'id'>) => `${event.at}#${event.id}`;

/** When a timeline event expires (the table's TTL, epoch seconds): its time plus the tenant's retention. */
export const eventExpiresAt = (event: Pick<CustomerEvent, 'at'>, retentionDays: number): number =>
  Math.floor(Date.parse(event.at) / 1000) + retentionDays * 86_400;

/** The event's own `type` is stored as `eventType`: `type` names the item kind table-wide (stream filters read it). */
export function eventItem(event: CustomerEvent, expiresAt?: number): Record<string, unknown> {
  const { type: eventType, ...rest } = event;
  const at = Date.parse(event.at);
  return {
    PK: customerPk(event.tenantId, event.customerId),
    SK: eventSk(event),
    type: 'customerEvent',
    ...(Number.isNaN(at)
      ? {}
      : { GSI2PK: eventIndexPk(event.tenantId, new Date(at).toISOString().slice(0, 7)), GSI2SK: eventIndexSk(event) }),
    eventType,
    ...rest,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

export function eventFromItem(item: Record<string, unknown>): CustomerEvent {
  const { PK: _pk, SK: _sk, type: _type, expiresAt: _ttl, GSI2PK: _ipk, GSI2SK: _isk, eventType, ...rest } = item;
  return { ...rest, type: eventType } as unknown as CustomerEvent;
}
