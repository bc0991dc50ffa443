import { createHash } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type * as z from 'zod';
import type { bookFromWaitlistBodySchema, joinWaitlistBodySchema, waitlistDayQuerySchema } from '#shared/api/waitlist-routes';
import { customerIdSeed, newCustomerId, normaliseEmail } from '#shared/customers/identity';
import { findService, providerZone, providersFor, slotRules } from '#shared/domain/booking';
import { DomainError } from '#shared/domain/errors';
import { isoInstant } from '#shared/domain/instant';
import type { OutboxMessage } from '#shared/domain/notifications';
import { DEFAULT_REMINDER_POLICY } from '#shared/domain/reminders';
import { addDays, claimSpan, localDateOf } from '#shared/domain/slots';
import { customerActor, staffActor, type Principal } from '#shared/domain/staff';
import {
  assignOffers,
  byListOrder,
  isEntryOpen,
  MAX_WAITLIST_DAYS,
  offerDueAt,
  planWaitlistOffer,
  sameList,
  todayIn,
  type FreedSlot,
  type WaitlistCustomer,
} from '#shared/domain/waitlist';
import { CustomerStore } from '#functions/adapters/customer-store';
import { bookingFromItem, publicBooking } from '#functions/adapters/entities/booking';
import { blockFromItem } from '#functions/adapters/entities/block';
import { publicEntry, type StoredWaitlistEntry } from '#functions/adapters/entities/waitlist';
import { hashToken, newId, tokenMatches } from '#functions/adapters/ids';
import { WaitlistStore } from '#functions/adapters/waitlist-store';
import type { DynamoStore } from '#functions/adapters/store';
import { createBooking, getAvailability, type CreatedBooking } from './bookings.ts';
import type { AppDeps } from './deps.ts';

/**
 * The waitlist (issue 8; decisions 100–109). Customers join a list for a service, one provider or
 * any, and a few dates; when a change frees a slot (a cancellation, the old time of a reschedule,
 * a removed block — read from the table stream), the customers waiting for it get an offer mail in
 * list order, whose link books that slot in one step. The booking transaction decides who gets
 * it, exactly as for any booking: the others' claims answer 409 slot_taken and they stay listed.
 */

export const waitlistOf = (store: DynamoStore) => new WaitlistStore(store.db, store.tableName);

const entryNotFound = () => new DomainError('waitlist_entry_not_found', 'No such waiting-list entry (it may have been left, used or be over).');
const INSERT_ATTEMPTS = 3;

/**
 * The customer the e-mail belongs to — the identity's owner, or the id the projector will derive
 * from the e-mail (decision 48) — so the entry lives with the customer's other data: the export
 * lists it and an erasure removes it, even for someone who never booked.
 */
async function customerIdOf(store: DynamoStore, tenantId: string, email: string): Promise<string> {
  const owner = await new CustomerStore(store.db, store.tableName).getIdentity(tenantId, 'email', email);
  return owner ?? newCustomerId(customerIdSeed(tenantId, { kind: 'email', value: email }));
}

export type JoinResult =
  | { created: true; entry: ReturnType<typeof publicEntry>; manageToken: string }
  | { created: false; entry: ReturnType<typeof publicEntry> };

/**
 * Puts a customer on the list, once per list (decision 100): a second request for the same
 * service and provider with overlapping dates answers with the entry already there, without its
 * token — whoever types an address need not own it, and the token would let them take the owner
 * off the list.
 */
export async function joinWaitlist(deps: AppDeps, tenantId: string, body: z.output<typeof joinWaitlistBodySchema>): Promise<JoinResult> {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const service = findService(config, body.serviceId);
  providersFor(config, service, body.providerId);
  if (body.to < todayIn(body.timeZone, now)) {
    throw new DomainError('invalid_date_range', `These dates are over in ${body.timeZone}: wait for today or later.`, { field: 'body.to' });
  }
  // The schema checked the address; normalising it only lower-cases and trims.
  const email = normaliseEmail(body.customer.email) ?? body.customer.email.trim().toLowerCase();
  const customerId = await customerIdOf(deps.store, tenantId, email);
  const request = { serviceId: service.id, providerId: body.providerId, from: body.from, to: body.to };
  const store = waitlistOf(deps.store);
  for (let attempt = 0; attempt < INSERT_ATTEMPTS; attempt += 1) {
    const seen = await store.customerWaitlist(tenantId, customerId);
    for (const ref of seen.refs.filter((r) => isEntryOpen(r, now) && sameList(r, request))) {
      // A reference whose entry is gone (a crash between the two deletes) does not count.
      const existing = await store.getEntry(ref.entryId);
      if (existing && isEntryOpen(existing, now)) return { created: false, entry: publicEntry(existing) };
    }
    const id = newId('wl');
    const manageToken = deps.links.manageToken(id);
    const customer: WaitlistCustomer = { ...body.customer, timeZone: body.customer.timeZone ?? body.timeZone };
    const entry: StoredWaitlistEntry = {
      id,
      tenantId,
      customerId,
      serviceId: service.id,
      ...(body.providerId !== undefined ? { providerId: body.providerId } : {}),
      from: body.from,
      to: body.to,
      timeZone: body.timeZone,
      customer,
      // Milliseconds always, so the list order is the order of the strings too.
      requestedAt: new Date(now).toISOString(),
      manageTokenHash: hashToken(manageToken),
    };
    if (await store.insertEntry(entry, seen)) return { created: true, entry: publicEntry(entry), manageToken };
  }
  throw new DomainError('concurrent_modification', 'The waiting list changed meanwhile; please try again.');
}

/** The entry for its manage token; a wrong or missing token, and an entry that is over, look exactly like none. */
async function authorizeEntry(deps: AppDeps, entryId: string, authorization: string | undefined): Promise<StoredWaitlistEntry> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const entry = await waitlistOf(deps.store).getEntry(entryId);
  // Compare even when there is no entry, so timing does not tell the two apart.
  const ok = tokenMatches(token, entry?.manageTokenHash ?? 'f'.repeat(64));
  if (!entry || !ok || !isEntryOpen(entry, deps.clock.now())) throw entryNotFound();
  return entry;
}

/** Takes an entry off the list and withdraws its offers not yet mailed (all of them: removeEntry returns the final list). */
async function closeEntry(store: WaitlistStore, entry: StoredWaitlistEntry): Promise<boolean> {
  const removed = await store.removeEntry(entry);
  await store.withdrawPending(removed?.offerIds ?? entry.offerIds ?? []);
  return removed !== undefined;
}

export async function leaveWaitlist(deps: AppDeps, entryId: string, authorization: string | undefined): Promise<void> {
  const entry = await authorizeEntry(deps, entryId, authorization);
  if (!(await closeEntry(waitlistOf(deps.store), entry))) throw entryNotFound();
}

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The booking a claim makes has an id derived from the offer (decision 104), so a claim repeated
 * after a lost answer finds its own booking instead of meeting its own slot as taken.
 */
export function claimBookingId(entryId: string, providerId: string, start: string): string {
  const digest = createHash('sha256').update(`waitlist-claim\u0000${entryId}\u0000${providerId}\u0000${start}`, 'utf8').digest();
  let id = '';
  // 256 is a multiple of 32: the low five bits of each byte are uniform.
  for (let i = 0; i < 26; i += 1) id += BASE32[digest[i]! & 31];
  return `bk_${id}`;
}

/**
 * Books the slot an offer mail named (decision 104). The token (bound to entry, provider and
 * start) is checked first; wrong or altered, it looks like no entry at all. The booking goes
 * through the ordinary transaction, whose conditions alone decide: the first claim wins, a later
 * one is 409 slot_taken and its entry stays. A successful claim takes the entry off the list and
 * withdraws the slot's offers to others that are not mailed yet.
 */
export async function claimWaitlistOffer(deps: AppDeps, entryId: string, authorization: string | undefined): Promise<{ status: 200 | 201; body: CreatedBooking }> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const offer = token ? deps.links.readWaitlistOfferToken(entryId, token) : undefined;
  if (!offer) throw entryNotFound();
  const store = waitlistOf(deps.store);
  const bookingId = claimBookingId(entryId, offer.providerId, offer.start);
  const replay = async (): Promise<{ status: 200; body: CreatedBooking } | undefined> => {
    const booking = await deps.store.getBooking(bookingId);
    if (!booking) return undefined;
    if (booking.status !== 'confirmed') throw new DomainError('offer_expired', 'This offer was used already.', { field: 'authorization' });
    // The first claim may have died before taking the entry off the list.
    const entry = await store.getEntry(entryId);
    if (entry) await finishClaim(store, entry, offer);
    return { status: 200, body: { booking: publicBooking(booking), manageToken: deps.links.manageToken(bookingId) } };
  };
  const before = await replay();
  if (before) return before;
  if (Date.parse(offer.start) <= deps.clock.now()) {
    throw new DomainError('offer_expired', 'This time has begun: the offer is over. You stay on the waiting list.', { field: 'authorization', start: offer.start });
  }
  const entry = await store.getEntry(entryId);
  if (!entry || !isEntryOpen(entry, deps.clock.now())) throw entryNotFound();
  const derived: AppDeps = { ...deps, ids: { ...deps.ids, bookingId: () => bookingId } };
  let created: CreatedBooking;
  try {
    created = await createBooking(
      derived,
      entry.tenantId,
      { serviceId: entry.serviceId, providerId: offer.providerId, start: offer.start, customer: entry.customer },
      { actor: customerActor },
    );
  } catch (error) {
    // Two claims of the same offer at once: the booking item's own condition refused the second.
    if (error instanceof DomainError && error.code === 'concurrent_modification') {
      const again = await replay();
      if (again) return again;
    }
    throw error;
  }
  await finishClaim(store, entry, offer);
  return { status: 201, body: created };
}

/** After a claim: the entry leaves the list, and the slot's offers not yet mailed (to anyone) are withdrawn. */
async function finishClaim(store: WaitlistStore, entry: StoredWaitlistEntry, offer: { providerId: string; start: string }): Promise<void> {
  await closeEntry(store, entry);
  await store.withdrawPending(await store.offersOfSlot(entry.tenantId, offer.providerId, offer.start));
}

/** A53: who waits on a date, for reception, in list order, each with their place per service. */
export async function listWaitlist(deps: AppDeps, tenantId: string, query: z.output<typeof waitlistDayQuerySchema>) {
  const now = deps.clock.now();
  await deps.store.requireConfig(tenantId, now);
  // An entry covering the date ends on it or at most MAX_WAITLIST_DAYS − 1 days after it.
  const candidates = await waitlistOf(deps.store).entriesEndingBetween(tenantId, query.date, addDays(query.date, MAX_WAITLIST_DAYS - 1));
  const waiting = candidates
    .filter((e) => isEntryOpen(e, now) && e.from <= query.date && query.date <= e.to && (query.serviceId === undefined || e.serviceId === query.serviceId))
    .sort(byListOrder);
  const places = new Map<string, number>();
  return {
    date: query.date,
    entries: waiting.map((entry) => {
      const position = (places.get(entry.serviceId) ?? 0) + 1;
      places.set(entry.serviceId, position);
      const { name, email, phone } = entry.customer;
      return {
        ...publicEntry(entry),
        customerId: entry.customerId,
        customer: { name, email, ...(phone !== undefined ? { phone } : {}) },
        position,
        offers: entry.offerIds?.length ?? 0,
      };
    }),
  };
}

/**
 * Reception books a waiting customer on the phone (decision 106): a staff booking with the
 * entry's customer and service, after which the entry leaves the list. Any time the rules allow
 * (or an override places), not only one that was offered.
 */
export async function bookFromWaitlist(deps: AppDeps, principal: Principal, tenantId: string, entryId: string, body: z.output<typeof bookFromWaitlistBodySchema>) {
  const store = waitlistOf(deps.store);
  const entry = await store.getEntry(entryId);
  if (!entry || entry.tenantId !== tenantId || !isEntryOpen(entry, deps.clock.now())) throw entryNotFound();
  const providerId = body.providerId ?? entry.providerId;
  const { booking } = await createBooking(
    deps,
    tenantId,
    { serviceId: entry.serviceId, ...(providerId !== undefined ? { providerId } : {}), start: body.start, customer: entry.customer },
    { actor: staffActor(principal), override: body.override },
  );
  await closeEntry(store, entry);
  return booking;
}

// ---------------------------------------------------------------------------------------------
// Freed slots, from the table stream

/** A span of a provider's time a change released, and which change (for the offers' ids). */
export interface FreedSpan {
  tenantId: string;
  providerId: string;
  from: number;
  to: number;
  /** `<booking>.v<version>` or the block id: one change, one set of offers, whatever the replays. */
  source: string;
}

/**
 * What a stream record frees, if anything (decision 105): a confirmed booking cancelled, or moved
 * (its old claim — the new one may overlap it; the open-slot check sorts that out), or a block
 * removed. Anything else — new bookings, attendance, an erasure's anonymising write, TTL deletions
 * of bookings, every other item type — frees nothing.
 */
export function freedSpanOf(record: DynamoDBRecord): FreedSpan | undefined {
  const read = (image: Record<string, unknown>) => unmarshall(image as Record<string, AttributeValue>);
  const oldImage = record.dynamodb?.OldImage;
  const newImage = record.dynamodb?.NewImage;
  if (record.eventName === 'REMOVE') {
    if (oldImage?.type?.S !== 'block') return undefined;
    const block = blockFromItem(read(oldImage));
    return { tenantId: block.tenantId, providerId: block.providerId, from: Date.parse(block.start), to: Date.parse(block.end), source: block.id };
  }
  if (record.eventName !== 'MODIFY' || oldImage?.type?.S !== 'booking' || newImage?.type?.S !== 'booking') return undefined;
  const before = bookingFromItem(read(oldImage));
  const after = bookingFromItem(read(newImage));
  if (before.status !== 'confirmed') return undefined;
  const moved = after.start !== before.start || after.providerId !== before.providerId;
  if (after.status !== 'cancelled' && !moved) return undefined;
  return { tenantId: before.tenantId, providerId: before.providerId, from: Date.parse(before.claimFrom), to: Date.parse(before.claimTo), source: `${after.id}.v${after.version}` };
}

export interface OfferOutcome {
  slots: number;
  queued: number;
  /** Offers of an earlier delivery of the same record (replays). */
  queuedBefore: number;
}

/**
 * Offers what a change freed to the customers waiting for it (decisions 101, 102): the open slots
 * of each waited-for service on that provider that overlap the freed span — computed like the
 * booking page's availability, against the sheets as they are now, so a slot taken again already
 * is not offered — assigned in list order, each offer queued in the outbox with its due time.
 */
export async function offerFreedSpan(deps: AppDeps, freed: FreedSpan): Promise<OfferOutcome> {
  const outcome: OfferOutcome = { slots: 0, queued: 0, queuedBefore: 0 };
  const now = deps.clock.now();
  const config = await deps.store.loadConfig(freed.tenantId, now);
  const provider = config?.providers.find((p) => p.id === freed.providerId && p.active);
  if (!config || !provider || freed.to <= now) return outcome;
  const store = waitlistOf(deps.store);
  // Waiting entries whose dates may hold the span in any zone: ending from the day before its
  // first UTC date to MAX_WAITLIST_DAYS after the day after its last.
  const utcDate = (ms: number) => isoInstant(ms).slice(0, 10);
  const entries = (await store.entriesEndingBetween(freed.tenantId, addDays(utcDate(freed.from), -1), addDays(utcDate(freed.to), 1 + MAX_WAITLIST_DAYS))).filter(
    (e) => isEntryOpen(e, now) && (e.providerId === undefined || e.providerId === freed.providerId),
  );
  const services = config.services.filter((s) => s.active && s.providerIds.includes(provider.id) && entries.some((e) => e.serviceId === s.id));
  if (services.length === 0) return outcome;
  const zone = providerZone(config, provider);
  const slots: FreedSlot[] = [];
  for (const service of services) {
    const open = await getAvailability(deps, freed.tenantId, {
      serviceId: service.id,
      providerId: provider.id,
      // Buffers reach at most 8 hours past a slot: a day either side holds every slot touching the span.
      from: addDays(localDateOf(freed.from, zone), -1),
      to: addDays(localDateOf(freed.to, zone), 1),
      timeZone: zone,
    });
    const rules = slotRules(service);
    for (const slot of open.slots) {
      const start = Date.parse(slot.start);
      const [spanFrom, spanTo] = claimSpan(start, rules);
      if (spanFrom < freed.to && spanTo > freed.from) slots.push({ serviceId: service.id, providerId: provider.id, start, end: Date.parse(slot.end) });
    }
  }
  outcome.slots = slots.length;
  const quietHours = (config.tenant.reminders ?? DEFAULT_REMINDER_POLICY).quietHours;
  for (const { entry, slot, position, offeredTo } of assignOffers(entries, slots, now)) {
    const service = services.find((s) => s.id === slot.serviceId)!;
    const latest = slot.start - service.minNoticeMinutes * 60_000;
    const dueAt = offerDueAt({ now, latest, position, offeredTo, zone: entry.timeZone, quietHours });
    const message = planWaitlistOffer({ entry, slot, source: freed.source, config, mailFrom: deps.mailFrom, dueAt, now });
    const result = await store.queueOffer(message, isoInstant(slot.start), slot.providerId);
    if (result === 'queued') outcome.queued += 1;
    if (result === 'queued_before') outcome.queuedBefore += 1;
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Data rights

/** A customer's entries (of the ids given: the customer and those merged into it) and their offer mails, for the export. */
export async function waitlistPartOf(store: DynamoStore, tenantId: string, customerIds: readonly string[]) {
  const waitlist = waitlistOf(store);
  const refs = (await Promise.all(customerIds.map((id) => waitlist.customerWaitlist(tenantId, id)))).flatMap((w) => w.refs);
  const entries = (await Promise.all(refs.map((ref) => waitlist.getEntry(ref.entryId)))).filter((e): e is StoredWaitlistEntry => e?.tenantId === tenantId);
  const messages = (await Promise.all(entries.flatMap((e) => (e.offerIds ?? []).map((id) => store.getMessage(id))))).filter((m): m is OutboxMessage => m !== undefined);
  return { refs, entries, messages };
}

/**
 * Erasure (decision 107): every entry of the customer and every offer mail queued for it, sent or
 * not (the snapshot names the customer). The references and the guard go with the customer's
 * partition, which the erasure deletes afterwards. Returns the entries' addresses, which the
 * erasure remembers as hashes like the others.
 */
export async function eraseWaitlist(store: DynamoStore, tenantId: string, customerIds: readonly string[]) {
  const waitlist = waitlistOf(store);
  const { entries } = await waitlistPartOf(store, tenantId, customerIds);
  let messages = 0;
  for (const entry of entries) {
    const removed = await waitlist.removeEntry(entry);
    const offers = removed?.offerIds ?? entry.offerIds ?? [];
    await waitlist.deleteMessages(offers);
    messages += offers.length;
  }
  return { entries: entries.length, messages, emails: entries.map((e) => normaliseEmail(e.customer.email) ?? e.customer.email.trim().toLowerCase()) };
}
