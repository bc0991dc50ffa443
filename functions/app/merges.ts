import { mergeRecords, undoMerge as undoRecords } from '#shared/customers/golden-record';
import { normaliseEmail } from '#shared/customers/identity';
import { assignBadges } from '#shared/customers/personas';
import { computeTraits } from '#shared/customers/traits';
import type { CustomerEvent, GoldenRecord } from '#shared/customers/types';
import { DomainError } from '#shared/domain/errors';
import { isoInstant } from '#shared/domain/instant';
import { DEFAULT_TIMELINE_RETENTION_DAYS, type TenantConfig, personaThresholdsOf } from '#shared/domain/schemas';
import { actingRole, type Principal } from '#shared/domain/staff';
import { resolveMailLocale } from '#shared/mail/locale';
import { CustomerStore, MAX_TRANSACT_ITEMS, type CustomerWrite } from '#functions/adapters/customer-store';
import { eventExpiresAt, eventSk, type StoredMerge, type StoredProfile } from '#functions/adapters/entities/customer';
import type { AppDeps } from './deps.ts';

/**
 * Staff confirm that two customer records are one person (decision 66), and may take it back.
 * The other record ("loser") is folded into the one in the path ("winner") with mergeRecords:
 * identities point at the winner from then on, the loser's timeline is copied into the winner's
 * partition under the same event ids, and the loser's profile stays behind as a pointer with the
 * state undo needs in a MERGE# item of the winner. Both are written in one transaction as far as
 * DynamoDB's 100 items allow; copies beyond that follow, and the MERGE# item says until when.
 */

export interface MergeOptions {
  /** Items per TransactWriteItems (DynamoDB allows 100; tests use fewer to exercise the overflow). */
  maxTransactItems?: number;
}

type Key = { kind: 'email' | 'phone'; value: string };

const storeOf = (deps: AppDeps) => new CustomerStore(deps.store.db, deps.store.tableName);
const notFound = (customerId: string) => new DomainError('customer_not_found', 'No customer with that id.', { customerId });
const mergedAway = (customerId: string, into: string) =>
  new DomainError('customer_merged', `Customer ${customerId} has been merged into ${into}.`, { customerId, mergedInto: into });
const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];
const bookingIdsOf = (events: readonly CustomerEvent[]) => unique(events.flatMap((e) => (e.bookingId ? [e.bookingId] : [])));
const bySk = (a: CustomerEvent, b: CustomerEvent) => eventSk(a).localeCompare(eventSk(b));

/** Traits and badges from a timeline, as the projector computes them. */
function derived(config: TenantConfig, events: readonly CustomerEvent[], now: number): Pick<StoredProfile, 'traits' | 'badges'> {
  const traits = computeTraits([...events].sort(bySk), now, config.tenant.timeZone);
  return {
    traits: traits as unknown as Record<string, unknown>,
    badges: assignBadges(traits, personaThresholdsOf(config.tenant), resolveMailLocale(undefined, config.tenant.locale)),
  };
}

/** The identity items (e-mail, phone) of a record that still point at its customer. */
async function ownedKeys(customers: CustomerStore, record: GoldenRecord): Promise<Key[]> {
  const keys: Key[] = [...record.emails.map((e) => ({ kind: 'email' as const, value: e.value })), ...record.phones.map((p) => ({ kind: 'phone' as const, value: p.value }))];
  const owners = await Promise.all(keys.map((k) => customers.getIdentity(record.tenantId, k.kind, k.value)));
  return keys.filter((_, i) => owners[i] === record.customerId);
}

/**
 * Writes `core` in one transaction together with as many of `rest` as fit, then the remainder in
 * further transactions of at most `max` items. Only the first is conditional: what follows is
 * idempotent (puts of copies, deletes), so a run that dies in between is finished by repeating it.
 */
async function writeInChunks(customers: CustomerStore, core: CustomerWrite[], rest: CustomerWrite[], max: number): Promise<{ overflow: boolean }> {
  const room = Math.max(0, max - core.length);
  await customers.transact([...core, ...rest.slice(0, room)]);
  for (let i = room; i < rest.length; i += max) await customers.transact(rest.slice(i, i + max));
  return { overflow: rest.length > room };
}

const retentionOf = (config: TenantConfig) => config.tenant.customers?.timelineRetentionDays ?? DEFAULT_TIMELINE_RETENTION_DAYS;

export async function mergeCustomers(deps: AppDeps, principal: Principal, tenantId: string, winnerId: string, loserId: string, options: MergeOptions = {}) {
  if (winnerId === loserId) throw new DomainError('invalid_request', 'body.otherCustomerId: a customer cannot be merged into itself', { field: 'body.otherCustomerId' });
  const max = options.maxTransactItems ?? MAX_TRANSACT_ITEMS;
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const customers = storeOf(deps);
  const [winner, loser] = await Promise.all([customers.getProfile(tenantId, winnerId), customers.getProfile(tenantId, loserId)]);
  // Profiles are keyed by tenant, so another tenant's customer is simply not found here.
  if (!winner) throw notFound(winnerId);
  if (!loser) throw notFound(loserId);
  if (winner.mergedInto) throw mergedAway(winnerId, winner.mergedInto);
  if (loser.mergedInto) {
    const pending = loser.mergedInto === winnerId ? await customers.getMerge(tenantId, winnerId, loserId) : undefined;
    if (!pending || pending.complete || pending.undoneAt) throw mergedAway(loserId, loser.mergedInto);
    return finishCopies(config, customers, pending, max);
  }

  const [winnerEvents, loserEvents] = await Promise.all([customers.listEvents(tenantId, winnerId), customers.listEvents(tenantId, loserId)]);
  const at = isoInstant(now);
  const { merged, undo } = mergeRecords(winner.record, loser.record, at);
  const moved = await ownedKeys(customers, loser.record);
  const winnerSks = new Set(winnerEvents.map(eventSk));
  // An event both timelines hold (a booking projected to each during a race) is the winner's already.
  const copies = loserEvents.filter((e) => !winnerSks.has(eventSk(e))).map((e) => ({ ...e, customerId: winnerId }));
  const probableMatches = unique([...(winner.probableMatches ?? []), ...(loser.probableMatches ?? [])]).filter((id) => id !== winnerId && id !== loserId);
  const merge: StoredMerge = {
    tenantId,
    customerId: winnerId,
    mergedCustomerId: loserId,
    mergedAt: at,
    actor: { userId: principal.userId, role: actingRole(principal) },
    undo,
    movedIdentities: moved,
    copiedEventSks: copies.map(eventSk),
    winnerBookingIds: bookingIdsOf(winnerEvents),
    loserBookingIds: bookingIdsOf(loserEvents),
    probableMatchesBefore: { winner: winner.probableMatches ?? [], loser: loser.probableMatches ?? [] },
    complete: true,
  };
  const core: CustomerWrite[] = [
    customers.profileWrite({ record: merged, ...derived(config, [...winnerEvents, ...copies], now), ...(probableMatches.length ? { probableMatches } : {}), updatedAt: at }, winner.revision),
    customers.mergedAwayWrite(loser, winnerId, at),
    ...moved.map((key) => customers.identityMove(tenantId, key, loserId, winnerId)),
    customers.auditWrite({ tenantId, at, action: 'merge', customerId: winnerId, mergedCustomerId: loserId, actor: merge.actor, counts: { identities: moved.length, events: copies.length } }),
  ];
  const retention = retentionOf(config);
  const eventWrites = copies.map((event) => customers.eventWrite(event, eventExpiresAt(event, retention)));
  const overflow = eventWrites.length > max - core.length - 1;
  // The MERGE# item goes into the first transaction; when copies overflow it, it says so until the last.
  core.push(customers.mergeWrite({ ...merge, complete: !overflow }, 'create'));
  await writeInChunks(customers, core, eventWrites, max);
  if (overflow) await customers.transact([customers.mergeWrite(merge, 'replace')]);
  await reindexNames(customers, merged, loser.record);
  return summary(merge);
}

/** A merge whose copies overflowed the first transaction and were not all written: write them (again) and close it. */
async function finishCopies(config: TenantConfig, customers: CustomerStore, merge: StoredMerge, max: number) {
  const wanted = new Set(merge.copiedEventSks);
  const events = (await customers.listEvents(merge.tenantId, merge.mergedCustomerId)).filter((e) => wanted.has(eventSk(e)));
  const retention = retentionOf(config);
  const writes = events.map((e) => customers.eventWrite({ ...e, customerId: merge.customerId }, eventExpiresAt(e, retention)));
  for (let i = 0; i < writes.length; i += max) await customers.transact(writes.slice(i, i + max));
  await customers.transact([customers.mergeWrite({ ...merge, complete: true }, 'replace')]);
  return summary({ ...merge, complete: true });
}

const summary = (merge: StoredMerge) => ({
  customerId: merge.customerId,
  mergedCustomerId: merge.mergedCustomerId,
  mergedAt: merge.mergedAt,
  movedIdentities: merge.movedIdentities,
  copiedEvents: merge.copiedEventSks.length,
});

/**
 * Search finds customers by name through name-index items in their partitions: the merged record's
 * name may be the loser's, and the loser must no longer be found as a customer of its own.
 */
async function reindexNames(customers: CustomerStore, winner: GoldenRecord, loser: GoldenRecord | undefined): Promise<void> {
  await customers.syncNameIndex(winner);
  if (loser) await customers.syncNameIndex({ tenantId: loser.tenantId, customerId: loser.customerId, name: undefined });
}

/**
 * Which of the winner's events go back to the loser on undo: the copies are deleted (the loser's
 * partition still holds the originals); events the projector wrote to the winner since the merge
 * move back when their booking was the loser's, or was made since with one of the loser's e-mail
 * addresses (identities pointed at the winner meanwhile). Everything else stays the winner's.
 */
async function eventsToReturn(deps: AppDeps, merge: StoredMerge, winnerEvents: readonly CustomerEvent[]) {
  const copied = new Set(merge.copiedEventSks);
  const winnerBookings = new Set(merge.winnerBookingIds);
  const loserBookings = new Set(merge.loserBookingIds);
  const winnerEmails = new Set(merge.undo.winner.emails.map((e) => e.value));
  const loserEmails = new Set(merge.undo.loser.emails.map((e) => e.value).filter((email) => !winnerEmails.has(email)));
  const copies = winnerEvents.filter((e) => copied.has(eventSk(e)));
  const later = winnerEvents.filter((e) => !copied.has(eventSk(e)) && e.bookingId !== undefined && !winnerBookings.has(e.bookingId));
  const newBookings = unique(later.flatMap((e) => (e.bookingId && !loserBookings.has(e.bookingId) ? [e.bookingId] : [])));
  const found = await Promise.all(newBookings.map((id) => deps.store.getBooking(id)));
  const madeByLoser = new Set(
    found.flatMap((booking) => (booking && booking.tenantId === merge.tenantId && loserEmails.has(normaliseEmail(booking.customer.email) ?? '') ? [booking.id] : [])),
  );
  const moves = later.filter((e) => loserBookings.has(e.bookingId!) || madeByLoser.has(e.bookingId!));
  return { copies, moves };
}

/** Probable matches after an undo: each side's own from before the merge, plus what the winner gained since that was not the loser's. */
function probableMatchesAfterUndo(merge: StoredMerge, current: readonly string[]) {
  const before = merge.probableMatchesBefore;
  const inherited = new Set(before.loser.filter((id) => !before.winner.includes(id)));
  const winner = unique([...before.winner, ...current.filter((id) => !inherited.has(id))]).filter((id) => id !== merge.customerId);
  return { winner, loser: before.loser.filter((id) => id !== merge.mergedCustomerId) };
}

export async function undoCustomerMerge(deps: AppDeps, principal: Principal, tenantId: string, winnerId: string, loserId: string, options: MergeOptions = {}) {
  const max = options.maxTransactItems ?? MAX_TRANSACT_ITEMS;
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const customers = storeOf(deps);
  const merge = await customers.getMerge(tenantId, winnerId, loserId);
  if (!merge) throw new DomainError('merge_not_found', `Customer ${loserId} has not been merged into ${winnerId}.`, { customerId: winnerId, mergedCustomerId: loserId });
  const [winner, loser, merges] = await Promise.all([customers.getProfile(tenantId, winnerId), customers.getProfile(tenantId, loserId), customers.listMerges(tenantId, winnerId)]);
  if (!winner || !loser) throw notFound(!winner ? winnerId : loserId);
  if (winner.mergedInto) throw mergedAway(winnerId, winner.mergedInto);
  // undoMerge restores the winner's record as it was before this merge: a later merge into it would be lost.
  const later = merges.find((m) => m.mergedCustomerId !== loserId && !m.undoneAt && m.mergedAt > merge.mergedAt);
  if (later) {
    throw new DomainError('later_merge_exists', `Undo the later merge of ${later.mergedCustomerId} into ${winnerId} first.`, {
      customerId: winnerId,
      mergedCustomerId: later.mergedCustomerId,
    });
  }

  const winnerEvents = await customers.listEvents(tenantId, winnerId);
  const { copies, moves } = await eventsToReturn(deps, merge, winnerEvents);
  const retention = retentionOf(config);
  const eventWrites = [
    ...copies.map((e) => customers.eventDelete(tenantId, winnerId, eventSk(e))),
    ...moves.flatMap((e) => [customers.eventWrite({ ...e, customerId: loserId }, eventExpiresAt(e, retention)), customers.eventDelete(tenantId, winnerId, eventSk(e))]),
  ];
  const at = isoInstant(now);
  if (!merge.undoneAt) {
    const gone = new Set([...copies, ...moves].map(eventSk));
    const loserEvents = [...(await customers.listEvents(tenantId, loserId)), ...moves.map((e) => ({ ...e, customerId: loserId }))];
    const restored = undoRecords(winner.record, merge.undo);
    const matches = probableMatchesAfterUndo(merge, winner.probableMatches ?? []);
    const withMatches = (list: string[]) => (list.length ? { probableMatches: list } : {});
    const actor = { userId: principal.userId, role: actingRole(principal) };
    const core: CustomerWrite[] = [
      customers.profileWrite({ record: restored.winner, ...derived(config, winnerEvents.filter((e) => !gone.has(eventSk(e))), now), ...withMatches(matches.winner), updatedAt: at }, winner.revision),
      customers.profileWrite({ record: restored.loser, ...derived(config, loserEvents, now), ...withMatches(matches.loser), updatedAt: at }, loser.revision, { replacingMerged: true }),
      ...merge.movedIdentities.map((key) => customers.identityMove(tenantId, key, winnerId, loserId)),
      customers.auditWrite({ tenantId, at, action: 'undo', customerId: winnerId, mergedCustomerId: loserId, actor, counts: { identities: merge.movedIdentities.length, events: copies.length + moves.length } }),
    ];
    // Until the last event is back, the MERGE# item stays (marked undone) so a retry can finish.
    const overflow = eventWrites.length > max - core.length - 1;
    core.push(overflow ? customers.mergeWrite({ ...merge, undoneAt: at }, 'replace') : customers.mergeDelete(tenantId, winnerId, loserId));
    await writeInChunks(customers, core, eventWrites, max);
    if (overflow) await customers.transact([customers.mergeDelete(tenantId, winnerId, loserId)]);
    await reindexNames(customers, restored.winner, undefined);
    await customers.syncNameIndex(restored.loser);
  } else {
    for (let i = 0; i < eventWrites.length; i += max) await customers.transact(eventWrites.slice(i, i + max));
    await customers.transact([customers.mergeDelete(tenantId, winnerId, loserId)]);
  }
  return {
    customerId: winnerId,
    restoredCustomerId: loserId,
    undoneAt: merge.undoneAt ?? at,
    restoredIdentities: merge.movedIdentities,
    removedEvents: copies.length,
    returnedEvents: moves.length,
  };
}

