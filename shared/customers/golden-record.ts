import { DomainError } from '../domain/errors.ts';
import { type CountryCode, normaliseEmail, normalisePhone } from './identity.ts';
import type { ConsentChannel, ConsentPurpose, ConsentRecord, GoldenRecord, Sourced, ValueSource } from './types.ts';

/**
 * The golden record: one customer's best-known name, contacts and preferences, each value with its
 * source and time, and the consent ledger. Stream records arrive late and twice, so every function
 * here decides by the values' own times, never by arrival order, and applying the same input again
 * changes nothing.
 */

export interface BookingIdentity {
  customerId: string;
  tenantId: string;
  name: string;
  email: string;
  phone?: string | undefined;
  /** Reads a national phone number; without it only international numbers are kept. */
  country?: CountryCode | undefined;
  locale?: string | undefined;
  timeZone?: string | undefined;
  source: ValueSource;
  /** UTC ISO-8601: when the customer (or staff) entered these values. */
  at: string;
  /** True only when the customer ticked the opt-in; unticked and absent both record nothing. */
  marketingConsent?: boolean | undefined;
  consentTextVersion?: string | undefined;
}

/** What undoMerge needs: both records exactly as they were, and how long the ledger was after the merge. */
export interface MergeUndo {
  winner: GoldenRecord;
  loser: GoldenRecord;
  mergedAt: string;
  mergedConsentCount: number;
}

function instant(at: string): number {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new DomainError('invalid_request', `Not an ISO-8601 instant: ${at}`, { field: 'at' });
  return ms;
}

const latestOf = (a: string, b: string): string => (instant(b) > instant(a) ? b : a);
const earliestOf = (a: string, b: string): string => (instant(b) < instant(a) ? b : a);

// At the same instant, a value someone deliberately entered beats one the system inferred.
const sourceRank: Record<ValueSource, number> = { staff: 4, preferences: 3, online: 2, merge: 1, system: 0 };

/** The value that counts: the newer one; at the same instant the better source; otherwise the current one. */
function preferred<T>(current: Sourced<T> | undefined, incoming: Sourced<T> | undefined): Sourced<T> | undefined {
  if (incoming === undefined) return current;
  if (current === undefined) return incoming;
  const byTime = instant(incoming.at) - instant(current.at);
  if (byTime !== 0) return byTime > 0 ? incoming : current;
  return sourceRank[incoming.source] > sourceRank[current.source] ? incoming : current;
}

/** Deduplicated by value (keeping each value's newest sighting), most recent first. */
function accumulate(lists: ReadonlyArray<ReadonlyArray<Sourced<string>>>): Array<Sourced<string>> {
  const byValue = new Map<string, Sourced<string>>();
  for (const entry of lists.flat()) {
    const kept = preferred(byValue.get(entry.value), entry);
    if (kept !== undefined) byValue.set(entry.value, kept);
  }
  // Array.prototype.sort is stable, so equal times keep their first-seen order.
  return [...byValue.values()].sort((a, b) => instant(b.at) - instant(a.at));
}

function sourced<T>(value: T | undefined, source: ValueSource, at: string): Sourced<T> | undefined {
  return value === undefined ? undefined : { value, source, at };
}

const sameEntry = (a: ConsentRecord, b: ConsentRecord): boolean =>
  a.purpose === b.purpose && a.channel === b.channel && a.granted === b.granted && a.source === b.source && instant(a.at) === instant(b.at);

/** Appends an entry unless the ledger already holds it (a replayed stream record). */
function appendConsent(ledger: ConsentRecord[], entry: ConsentRecord): ConsentRecord[] {
  return ledger.some((existing) => sameEntry(existing, entry)) ? ledger : [...ledger, entry];
}

/** Creates or updates a customer's golden record from one booking's details. */
export function applyBookingIdentity(record: GoldenRecord | undefined, input: BookingIdentity): GoldenRecord {
  if (record !== undefined && (record.customerId !== input.customerId || record.tenantId !== input.tenantId)) {
    throw new DomainError('invalid_request', 'The booking belongs to another customer record.', { customerId: input.customerId });
  }
  const { source, at } = input;
  instant(at);
  const name = input.name.trim();
  const email = normaliseEmail(input.email);
  const phone = normalisePhone(input.phone, input.country);

  let consents = record?.consents ?? [];
  // Service messages (confirmation, reminders) are part of the contract the booking makes; they need
  // no opt-in, and the entry documents the basis the first time a channel is used.
  const serviceChannels: ConsentChannel[] = phone === undefined ? ['email'] : ['email', 'sms'];
  for (const channel of serviceChannels) {
    if (!consents.some((entry) => entry.purpose === 'service' && entry.channel === channel)) {
      consents = appendConsent(consents, { purpose: 'service', channel, granted: true, legalBasis: 'contract', source, at });
    }
  }
  // GDPR: consent is a clear affirmative act. Only a ticked box records a grant; an unticked box is
  // not a revocation either, since it may come from a customer who opted in earlier.
  if (input.marketingConsent === true) {
    consents = appendConsent(consents, {
      purpose: 'marketing',
      channel: 'email',
      granted: true,
      legalBasis: 'consent',
      source,
      at,
      ...(input.consentTextVersion === undefined ? {} : { textVersion: input.consentTextVersion }),
    });
  }

  const next: GoldenRecord = {
    ...record,
    customerId: input.customerId,
    tenantId: input.tenantId,
    name: preferred(record?.name, sourced(name === '' ? undefined : name, source, at)),
    emails: accumulate([record?.emails ?? [], email === undefined ? [] : [{ value: email, source, at }]]),
    phones: accumulate([record?.phones ?? [], phone === undefined ? [] : [{ value: phone, source, at }]]),
    locale: preferred(record?.locale, sourced(input.locale, source, at)),
    timeZone: preferred(record?.timeZone, sourced(input.timeZone, source, at)),
    consents,
    createdAt: record === undefined ? at : earliestOf(record.createdAt, at),
    updatedAt: record === undefined ? at : latestOf(record.updatedAt, at),
  };
  return dropUndefined(next);
}

/**
 * A consent decision the customer made themselves (the preferences page, an unsubscribe): appended
 * to the ledger, never replacing what was there, so the ledger keeps the whole story.
 */
export function recordConsent(record: GoldenRecord, entry: ConsentRecord): GoldenRecord {
  instant(entry.at);
  return { ...record, consents: appendConsent(record.consents, entry), updatedAt: latestOf(record.updatedAt, entry.at) };
}

/** The entry that decides a purpose and channel: the latest; at the same instant, a refusal. */
function decisiveEntry(ledger: readonly ConsentRecord[], purpose: ConsentPurpose, channel: ConsentChannel): ConsentRecord | undefined {
  let decisive: ConsentRecord | undefined;
  for (const entry of ledger) {
    if (entry.purpose !== purpose || entry.channel !== channel) continue;
    if (decisive === undefined) {
      decisive = entry;
      continue;
    }
    const byTime = instant(entry.at) - instant(decisive.at);
    if (byTime > 0 || (byTime === 0 && !entry.granted)) decisive = entry;
  }
  return decisive;
}

/**
 * Whether the customer may be contacted for a purpose on a channel. Without an entry, service
 * messages are allowed (they follow from the booking) and marketing and review requests are not.
 */
export function currentConsent(record: Pick<GoldenRecord, 'consents'>, purpose: ConsentPurpose, channel: ConsentChannel): boolean {
  return decisiveEntry(record.consents, purpose, channel)?.granted ?? purpose === 'service';
}

export const consentPurposes: readonly ConsentPurpose[] = ['service', 'marketing', 'reviews'];
export const consentChannels: readonly ConsentChannel[] = ['email', 'sms', 'phone'];

/**
 * Folds `loser` into `winner`: identities united, each field by recency, both ledgers kept, and for
 * every purpose and channel the stricter answer: a merge must never revive a consent either person
 * refused. Where the joined ledger would grant what one side did not, an entry with source `merge`
 * records the refusal.
 */
export function mergeRecords(winner: GoldenRecord, loser: GoldenRecord, at: string): { merged: GoldenRecord; undo: MergeUndo } {
  if (winner.tenantId !== loser.tenantId) throw new DomainError('invalid_request', 'Customers of different tenants cannot be merged.', { customerId: loser.customerId });
  if (winner.customerId === loser.customerId) throw new DomainError('invalid_request', 'A customer cannot be merged into itself.', { customerId: loser.customerId });
  instant(at);

  const consents = [...winner.consents, ...loser.consents];
  for (const purpose of consentPurposes) {
    for (const channel of consentChannels) {
      const allowed = currentConsent(winner, purpose, channel) && currentConsent(loser, purpose, channel);
      if (allowed || !currentConsent({ consents }, purpose, channel)) continue;
      const refusal = [decisiveEntry(winner.consents, purpose, channel), decisiveEntry(loser.consents, purpose, channel)].find((entry) => entry?.granted === false);
      const latest = decisiveEntry(consents, purpose, channel);
      consents.push({
        purpose,
        channel,
        granted: false,
        legalBasis: refusal?.legalBasis ?? 'consent',
        source: 'merge',
        // Not before the entry it overrides, or the ledger's latest entry would still grant.
        at: latest === undefined ? at : latestOf(latest.at, at),
        ...(refusal?.textVersion === undefined ? {} : { textVersion: refusal.textVersion }),
      });
    }
  }

  const mergedFrom = [...new Set([...(winner.mergedFrom ?? []), loser.customerId, ...(loser.mergedFrom ?? [])])];
  const merged: GoldenRecord = dropUndefined({
    ...winner,
    name: preferred(winner.name, loser.name),
    emails: accumulate([winner.emails, loser.emails]),
    phones: accumulate([winner.phones, loser.phones]),
    locale: preferred(winner.locale, loser.locale),
    timeZone: preferred(winner.timeZone, loser.timeZone),
    preferredChannel: preferred(winner.preferredChannel, loser.preferredChannel),
    consents,
    mergedFrom,
    createdAt: earliestOf(winner.createdAt, loser.createdAt),
    updatedAt: latestOf(latestOf(winner.updatedAt, loser.updatedAt), at),
  });
  return { merged, undo: { winner: structuredClone(winner), loser: structuredClone(loser), mergedAt: at, mergedConsentCount: consents.length } };
}

/**
 * Splits a merge: both records as they were before it. Consent refusals recorded on the merged
 * record since the merge are kept on both, because nobody can tell which of the two people gave
 * them and a lost opt-out is the costly mistake; other changes since the merge are not carried over.
 */
export function undoMerge(merged: GoldenRecord, undo: MergeUndo): { winner: GoldenRecord; loser: GoldenRecord } {
  if (merged.customerId !== undo.winner.customerId || !(merged.mergedFrom ?? []).includes(undo.loser.customerId)) {
    throw new DomainError('invalid_request', 'This undo belongs to another merge.', { customerId: merged.customerId });
  }
  const refusalsSince = merged.consents.slice(undo.mergedConsentCount).filter((entry) => !entry.granted);
  const restore = (record: GoldenRecord): GoldenRecord => {
    const copy = structuredClone(record);
    if (refusalsSince.length === 0) return copy;
    return { ...copy, consents: refusalsSince.reduce(appendConsent, copy.consents), updatedAt: refusalsSince.reduce((latest, entry) => latestOf(latest, entry.at), copy.updatedAt) };
  };
  return { winner: restore(undo.winner), loser: restore(undo.loser) };
}

/** Optional fields left out rather than set to undefined, so records compare and store cleanly. */
function dropUndefined(record: GoldenRecord): GoldenRecord {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as unknown as GoldenRecord;
}
