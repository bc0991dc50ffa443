import { intoWindow, zoneOf } from '../journeys/local-time.ts';
import { resolveMailLocale } from '../mail/locale.ts';
import type { MailBooking } from '../mail/types.ts';
import { isoInstant } from './instant.ts';
import type { OutboxMessage } from './notifications.ts';
import type { QuietHours } from './reminders.ts';
import type { Customer, TenantConfig } from './schemas.ts';
import { addDays, localDateOf, startOfLocalDate } from './slots.ts';

/**
 * The waitlist (issue 8): a customer for whom nothing fits asks to be told when a time frees up
 * for a service (with one provider, or any) between two dates. Pure rules only: which entries
 * count as the same list, when an entry is over, which waiting customers a freed slot is offered
 * to and in what order, and when each offer mail is due. The shell (functions/app/waitlist.ts)
 * reads and writes; the booking transaction alone decides who gets the slot.
 */

/** The longest date range one entry may cover: a waitlist is for "this week or next", not for "some time". */
export const MAX_WAITLIST_DAYS = 14;
/**
 * How many waiting customers one freed slot is offered to (decision 101). Everyone on a long list
 * would mostly mail people who then find the slot gone; one at a time would leave it empty while
 * the first reads their mail.
 */
export const OFFERS_PER_SLOT = 5;
/** The head start each place on the list has over the next (decision 101): list order means something. */
export const OFFER_HEAD_START_MS = 10 * 60_000;

/** A waitlist sign-up's customer: the booking form's fields without the marketing opt-in (a waitlist mail is a service mail). */
export type WaitlistCustomer = Omit<Customer, 'marketingConsent' | 'consentTextVersion'>;

export interface WaitlistEntry {
  id: string;
  tenantId: string;
  /** The customer the e-mail belongs to, or the id the projector will give it (decision 48). */
  customerId: string;
  serviceId: string;
  /** Absent: any provider who offers the service. */
  providerId?: string | undefined;
  /** Local dates (inclusive) in `timeZone`, the customer's zone. */
  from: string;
  to: string;
  timeZone: string;
  customer: WaitlistCustomer;
  /** UTC instant; the list's order. */
  requestedAt: string;
}

/** Dates as given, inclusive: [from, to] and [from', to'] share a day. */
const rangesOverlap = (a: Pick<WaitlistEntry, 'from' | 'to'>, b: Pick<WaitlistEntry, 'from' | 'to'>) => a.from <= b.to && b.from <= a.to;

/**
 * Whether a new request is already on the list as `existing`: the same service, the same provider
 * (or both "any") and overlapping dates. The customer is the same by construction (both are read
 * from the customer's own partition).
 */
export const sameList = (existing: Pick<WaitlistEntry, 'serviceId' | 'providerId' | 'from' | 'to'>, request: Pick<WaitlistEntry, 'serviceId' | 'providerId' | 'from' | 'to'>): boolean =>
  existing.serviceId === request.serviceId && (existing.providerId ?? null) === (request.providerId ?? null) && rangesOverlap(existing, request);

/** The instant an entry is over: the end of its last date in the customer's zone (the TTL; reads check it too). */
export const entryEndsAt = (entry: Pick<WaitlistEntry, 'to' | 'timeZone'>): number => startOfLocalDate(addDays(entry.to, 1), entry.timeZone);

export const isEntryOpen = (entry: Pick<WaitlistEntry, 'to' | 'timeZone'>, now: number): boolean => now < entryEndsAt(entry);

/** Whether an instant falls on one of the entry's dates, read in the customer's zone. */
export const entryCovers = (entry: Pick<WaitlistEntry, 'from' | 'to' | 'timeZone'>, instant: number): boolean => {
  const date = localDateOf(instant, entry.timeZone);
  return entry.from <= date && date <= entry.to;
};

/** The customer's "today": a range that ended before it cannot be waited for. */
export const todayIn = (zone: string, now: number): string => localDateOf(now, zone);

/** List order: who asked first; the id breaks ties so every reader sees the same order. */
export const byListOrder = (a: Pick<WaitlistEntry, 'requestedAt' | 'id'>, b: Pick<WaitlistEntry, 'requestedAt' | 'id'>): number =>
  a.requestedAt === b.requestedAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.requestedAt < b.requestedAt ? -1 : 1;

/** A slot a change left open, for one service and provider. */
export interface FreedSlot {
  serviceId: string;
  providerId: string;
  start: number;
  end: number;
}

export interface OfferAssignment<E extends WaitlistEntry = WaitlistEntry> {
  entry: E;
  slot: FreedSlot;
  /** 0 for the first customer offered this slot, 1 for the next… (their head start). */
  position: number;
  /** How many customers this slot is offered to: the head start shrinks when the slot is close. */
  offeredTo: number;
}

/**
 * Who is told about which freed slot. Entries in list order each take the earliest slot that fits
 * them (their service, their provider or any, on one of their dates) and is not yet offered to
 * `perSlot` others; one offer per entry per change, so a day freed by a removed block reaches as
 * many different customers as it has slots. Entries that are over are skipped.
 */
export function assignOffers<E extends WaitlistEntry>(entries: readonly E[], slots: readonly FreedSlot[], now: number, perSlot = OFFERS_PER_SLOT): Array<OfferAssignment<E>> {
  const ordered = [...slots].sort((a, b) => a.start - b.start || (a.providerId < b.providerId ? -1 : 1));
  const taken = new Map<FreedSlot, E[]>();
  for (const entry of [...entries].sort(byListOrder)) {
    if (!isEntryOpen(entry, now)) continue;
    const slot = ordered.find(
      (s) =>
        s.serviceId === entry.serviceId &&
        (entry.providerId === undefined || entry.providerId === s.providerId) &&
        entryCovers(entry, s.start) &&
        (taken.get(s)?.length ?? 0) < perSlot,
    );
    if (!slot) continue;
    taken.set(slot, [...(taken.get(slot) ?? []), entry]);
  }
  return [...taken].flatMap(([slot, offered]) => offered.map((entry, position) => ({ entry, slot, position, offeredTo: offered.length })));
}

/**
 * When an offer mail is due (decision 102). The first customer is told at once, each next one
 * OFFER_HEAD_START_MS later — less when the slot is close, so that every offer still leaves time
 * to book. Quiet hours (the tenant's reminder quiet hours, read in the customer's zone) move the
 * whole sequence to the morning; when the morning is too late to book the slot (`latest`: its
 * start minus the service's notice), the offer goes out at once, at night: the customer asked to
 * be told, and by the morning there would be nothing left to tell.
 */
export function offerDueAt(input: { now: number; latest: number; position: number; offeredTo: number; zone: string; quietHours?: Readonly<QuietHours> | undefined }): number {
  const { now, latest, position, offeredTo, quietHours } = input;
  const opening = quietHours ? (intoWindow(now, { start: quietHours.end, end: quietHours.start }, zoneOf(input.zone)) ?? now) : now;
  const begin = opening < latest ? opening : now;
  const step = Math.max(0, Math.min(OFFER_HEAD_START_MS, Math.floor((latest - begin) / Math.max(1, offeredTo))));
  return begin + position * step;
}

/** What an offer mail carries beyond the mail snapshot: the entry and the slot its links book. */
export interface WaitlistOfferSpec {
  entryId: string;
  providerId: string;
  /** The entry's service, so the offer page can name it (with the provider) from the public tenant. */
  serviceId?: string | undefined;
  /** The entry's last date: the mail says how long the customer stays on the list. */
  until: string;
}

/**
 * The offer's outbox id: one per entry and freeing change (`source`: the booking version or the
 * block that freed the slot), so a replayed stream record queues nothing twice, while a slot freed
 * again later (the winner cancels too) is offered again.
 */
export const offerMessageId = (entryId: string, source: string) => `${entryId}.offer.${source}`;

/** The offer mail, as an outbox message (the links are the sender's: it holds the secret). */
export function planWaitlistOffer(input: {
  entry: WaitlistEntry;
  slot: FreedSlot;
  source: string;
  config: TenantConfig;
  mailFrom: string;
  dueAt: number;
  now: number;
}): OutboxMessage {
  const { entry, slot, config } = input;
  const tenant = config.tenant;
  const at = isoInstant(input.now);
  const due = isoInstant(input.dueAt);
  const booking: MailBooking = {
    // The slot on offer, described as the booking it would become.
    id: entry.id,
    version: 0,
    status: 'confirmed',
    start: isoInstant(slot.start),
    end: isoInstant(slot.end),
    updatedAt: at,
    serviceName: config.services.find((s) => s.id === slot.serviceId)?.name ?? slot.serviceId,
    providerName: config.providers.find((p) => p.id === slot.providerId)?.name ?? slot.providerId,
    customer: { name: entry.customer.name, email: entry.customer.email },
  };
  return {
    id: offerMessageId(entry.id, input.source),
    tenantId: entry.tenantId,
    // No booking yet: the entry is what the mail is about.
    bookingId: entry.id,
    kind: 'waitlist_offer',
    audience: 'customer',
    to: entry.customer.email,
    waitlist: { entryId: entry.id, providerId: slot.providerId, serviceId: entry.serviceId, until: entry.to },
    mail: {
      kind: 'waitlist_offer',
      audience: 'customer',
      locale: resolveMailLocale(entry.customer.locale, tenant.locale),
      timeZone: entry.timeZone,
      business: { name: tenant.name, email: input.mailFrom, timeZone: tenant.timeZone },
      booking,
    },
    withManageLink: false,
    dueAt: due,
    nextAttemptAt: due,
    status: 'pending',
    attempts: 0,
    createdAt: at,
  };
}
