import { DateTime } from 'luxon';
import type { CustomerEvent, CustomerEventType } from './types.ts';
import { weekdays } from '../domain/schemas.ts';

/**
 * A customer's traits: counts, rates and habits read from the timeline alone. The projector
 * recomputes them after every event, so `computeTraits` must give the same answer whatever order
 * the events arrive in and however often one of them is replayed: each booking is reduced to its
 * latest event under a total order (version, then how final the event type is, then time, then
 * id), and every trait is computed from those per-booking summaries, never by counting raw events.
 *
 * Appointment times are read in `zone` (the tenant's) for the weekday and time of day; `now` is
 * epoch milliseconds and is only used for "since" and "upcoming".
 */

export type Weekday = (typeof weekdays)[number];
export type TimeOfDay = 'morning' | 'afternoon' | 'evening';

export interface Traits {
  /** Bookings whose final state is attended. */
  visits: number;
  /** Distinct bookings on the timeline. */
  bookings: number;
  /** Confirmed bookings that start after `now`. */
  upcomingBookings: number;
  /** Bookings whose final state is cancelled. */
  cancellations: number;
  /** Cancellations with less notice than `lateCancellationHours`. */
  lateCancellations: number;
  /** Bookings whose final state is no-show. */
  noShows: number;
  /** Bookings with a known outcome (attended or no-show): what the no-show rate is out of. */
  decidedBookings: number;
  /** Smoothed no-show rate (noShows + α) / (decidedBookings + α + β); undefined without a known outcome. */
  noShowRate: number | undefined;
  /** Whole days since the latest no-show's appointment. */
  daysSinceLastNoShow: number | undefined;
  /** Mean lead time (booking to appointment) of the bookings' `booked` events, in hours. */
  avgLeadTimeHours: number | undefined;
  /** How many bookings `avgLeadTimeHours` is the mean of. */
  leadTimeSamples: number;
  /** afterHoursBookings / afterHoursKnown. */
  afterHoursShare: number | undefined;
  /** Bookings made outside opening hours. */
  afterHoursBookings: number;
  /** Bookings whose `booked` event says whether it was after hours. */
  afterHoursKnown: number;
  /** The provider, weekday and time of day seen most often (visits; bookings not cancelled when there is no visit yet). */
  usualProviderId: string | undefined;
  usualWeekday: Weekday | undefined;
  usualTimeOfDay: TimeOfDay | undefined;
  /** Mean days between consecutive visits (needs two visits). */
  avgIntervalDays: number | undefined;
  /** Whole days from the last visit's appointment to `now`. */
  daysSinceLastVisit: number | undefined;
  /** The last visit's appointment start (UTC ISO-8601). */
  lastVisitAt: string | undefined;
  /** The earliest confirmed booking after `now` (UTC ISO-8601). */
  nextBookingAt: string | undefined;
  /** Sum of the attended visits' prices per currency, in the unit the events carry. */
  spend: Readonly<Record<string, number>> | undefined;
}

export interface TraitOptions {
  /** A cancellation with less notice than this is late. */
  lateCancellationHours?: number;
  /**
   * Beta prior of the no-show rate. The default, α = 1 and β = 9, is a 10 % base rate worth ten
   * appointments: one no-show out of one booking reads as 18 %, not 100 %, and the customer's own
   * record outweighs the prior only after about ten appointments.
   */
  noShowPrior?: { alpha: number; beta: number };
}

export const DEFAULT_TRAIT_OPTIONS: Readonly<Required<TraitOptions>> = Object.freeze({
  lateCancellationHours: 24,
  noShowPrior: Object.freeze({ alpha: 1, beta: 9 }),
});

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The event types that move a booking through its life, least final first. */
const LIFECYCLE_RANK: Partial<Record<CustomerEventType, number>> = { booked: 0, rescheduled: 1, cancelled: 2, attended: 3, no_show: 3 };

type State = 'confirmed' | 'cancelled' | 'attended' | 'no_show';

/** One booking as its events add up. */
interface BookingSummary {
  state: State;
  startMs: number | undefined;
  start: string | undefined;
  providerId: string | undefined;
  price: { amount: number; currency: string } | undefined;
  /** The booking's `booked` event (the latest, should there be more than one). */
  booked: CustomerEvent | undefined;
  /** The final event when it is a cancellation. */
  cancelled: CustomerEvent | undefined;
}

/**
 * A total order on one booking's events, so "the latest" never depends on arrival order. Within a
 * version an outcome outranks a cancellation, which outranks a move, which outranks the booking
 * (one change can write two events with the same version). Identical keys fall back to the id and
 * finally to the content, so even two different events that share an id pick the same winner.
 */
function compareLifecycle(a: CustomerEvent, b: CustomerEvent): number {
  return (
    (a.bookingVersion ?? -1) - (b.bookingVersion ?? -1) ||
    (LIFECYCLE_RANK[a.type] ?? 0) - (LIFECYCLE_RANK[b.type] ?? 0) ||
    compareText(a.at, b.at) ||
    compareText(a.id, b.id) ||
    compareText(JSON.stringify(a), JSON.stringify(b))
  );
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const stateOf = (type: CustomerEventType): State =>
  type === 'cancelled' ? 'cancelled' : type === 'attended' ? 'attended' : type === 'no_show' ? 'no_show' : 'confirmed';

function parseInstant(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The booking's events, latest first, reduced to what the traits need. */
function summarise(events: CustomerEvent[]): BookingSummary {
  const ordered = [...events].sort((a, b) => compareLifecycle(b, a));
  const final = ordered[0] as CustomerEvent;
  // A later event may omit what an earlier one said (an attendance mark without the start): the
  // latest event that says it counts.
  const withStart = ordered.find((event) => parseInstant(event.start) !== undefined);
  return {
    state: stateOf(final.type),
    start: withStart?.start,
    startMs: parseInstant(withStart?.start),
    providerId: ordered.find((event) => event.providerId !== undefined)?.providerId,
    price: ordered.find((event) => event.price !== undefined)?.price,
    booked: ordered.find((event) => event.type === 'booked'),
    cancelled: final.type === 'cancelled' ? final : undefined,
  };
}

/**
 * The value seen most often; a tie goes to the value seen most recently, then to the smaller one,
 * so the answer is the same in any order.
 */
function usual<T extends string>(samples: ReadonlyArray<{ value: T | undefined; at: number }>): T | undefined {
  const tally = new Map<T, { count: number; latest: number }>();
  for (const { value, at } of samples) {
    if (value === undefined) continue;
    const entry = tally.get(value) ?? { count: 0, latest: Number.NEGATIVE_INFINITY };
    tally.set(value, { count: entry.count + 1, latest: Math.max(entry.latest, at) });
  }
  let best: [T, { count: number; latest: number }] | undefined;
  for (const candidate of tally) {
    if (!best) {
      best = candidate;
      continue;
    }
    const [value, { count, latest }] = candidate;
    const [bestValue, bestEntry] = best;
    if (count > bestEntry.count || (count === bestEntry.count && (latest > bestEntry.latest || (latest === bestEntry.latest && value < bestValue)))) best = candidate;
  }
  return best?.[0];
}

const mean = (values: readonly number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length);

/**
 * The weekday and time of day an instant falls on in `zone`, as habits are counted: the local
 * hour decides, before 12:00 morning, before 17:00 afternoon, else evening.
 */
export function habitOf(instant: number, zone: string): { weekday: Weekday; timeOfDay: TimeOfDay } {
  const local = DateTime.fromMillis(instant, { zone });
  return { weekday: weekdays[local.weekday - 1]!, timeOfDay: local.hour < 12 ? 'morning' : local.hour < 17 ? 'afternoon' : 'evening' };
}

export function computeTraits(events: readonly CustomerEvent[], now: number, zone: string, options: TraitOptions = {}): Traits {
  const { lateCancellationHours, noShowPrior } = { ...DEFAULT_TRAIT_OPTIONS, ...options };
  if (!DateTime.fromMillis(now, { zone }).isValid) throw new RangeError(`unknown time zone "${zone}"`);

  // Lifecycle events without a booking id cannot be placed in a booking's life and are left out;
  // mail and journey events say nothing about visits.
  const byBooking = new Map<string, CustomerEvent[]>();
  for (const event of events) {
    if (event.bookingId === undefined || LIFECYCLE_RANK[event.type] === undefined) continue;
    const list = byBooking.get(event.bookingId);
    if (list) list.push(event);
    else byBooking.set(event.bookingId, [event]);
  }
  const summaries = [...byBooking.values()].map(summarise);

  const visits = summaries.filter((booking) => booking.state === 'attended');
  const visitStarts = visits.flatMap((visit) => (visit.startMs === undefined ? [] : [visit.startMs])).sort((a, b) => a - b);
  const noShows = summaries.filter((booking) => booking.state === 'no_show');
  const cancellations = summaries.filter((booking) => booking.state === 'cancelled');
  const upcoming = summaries.filter((booking) => booking.state === 'confirmed' && booking.startMs !== undefined && booking.startMs > now);

  const lateCancellations = cancellations.filter(({ cancelled, startMs }) => {
    const at = parseInstant(cancelled?.at);
    // The cancellation's own notice when it carries one; otherwise worked out from its time.
    const noticeMinutes = cancelled?.leadMinutes ?? (at !== undefined && startMs !== undefined ? (startMs - at) / MINUTE_MS : undefined);
    return noticeMinutes !== undefined && noticeMinutes < lateCancellationHours * 60;
  });

  const decided = visits.length + noShows.length;
  const noShowRate = decided === 0 ? undefined : (noShows.length + noShowPrior.alpha) / (decided + noShowPrior.alpha + noShowPrior.beta);
  const lastNoShowMs = Math.max(...noShows.flatMap((booking) => (booking.startMs === undefined ? [] : [booking.startMs])));

  const leadMinutes = summaries.flatMap(({ booked }) => (booked?.leadMinutes === undefined ? [] : [booked.leadMinutes]));
  const afterHoursFlags = summaries.flatMap(({ booked }) => (booked?.afterHours === undefined ? [] : [booked.afterHours]));
  const afterHoursBookings = afterHoursFlags.filter(Boolean).length;

  // Habits come from visits; before the first visit, a booking already says something.
  const habitual = visits.length > 0 ? visits : summaries.filter((booking) => booking.state === 'confirmed');
  const habits = habitual.flatMap(({ startMs, providerId }) => {
    if (startMs === undefined) return [];
    return [{ at: startMs, providerId, ...habitOf(startMs, zone) }];
  });

  const firstVisitMs = visitStarts[0];
  const lastVisitMs = visitStarts[visitStarts.length - 1];
  const nextMs = Math.min(...upcoming.map((booking) => booking.startMs as number));

  const spend: Record<string, number> = {};
  for (const { price } of visits) {
    if (price === undefined) continue;
    // Rounded to hundredths so adding prices in another order cannot change the last bit.
    spend[price.currency] = Math.round(((spend[price.currency] ?? 0) + price.amount) * 100) / 100;
  }

  return {
    visits: visits.length,
    bookings: summaries.length,
    upcomingBookings: upcoming.length,
    cancellations: cancellations.length,
    lateCancellations: lateCancellations.length,
    noShows: noShows.length,
    decidedBookings: decided,
    noShowRate,
    daysSinceLastNoShow: Number.isFinite(lastNoShowMs) ? Math.floor((now - lastNoShowMs) / DAY_MS) : undefined,
    avgLeadTimeHours: leadMinutes.length === 0 ? undefined : (mean(leadMinutes) as number) / 60,
    leadTimeSamples: leadMinutes.length,
    afterHoursShare: afterHoursFlags.length === 0 ? undefined : afterHoursBookings / afterHoursFlags.length,
    afterHoursBookings,
    afterHoursKnown: afterHoursFlags.length,
    usualProviderId: usual(habits.map(({ providerId, at }) => ({ value: providerId, at }))),
    usualWeekday: usual(habits.map(({ weekday, at }) => ({ value: weekday, at }))),
    usualTimeOfDay: usual(habits.map(({ timeOfDay: value, at }) => ({ value, at }))),
    avgIntervalDays:
      firstVisitMs !== undefined && lastVisitMs !== undefined && visitStarts.length >= 2 ? (lastVisitMs - firstVisitMs) / (visitStarts.length - 1) / DAY_MS : undefined,
    daysSinceLastVisit: lastVisitMs === undefined ? undefined : Math.floor((now - lastVisitMs) / DAY_MS),
    lastVisitAt: lastVisitMs === undefined ? undefined : new Date(lastVisitMs).toISOString(),
    nextBookingAt: Number.isFinite(nextMs) ? new Date(nextMs).toISOString() : undefined,
    spend: Object.keys(spend).length === 0 ? undefined : Object.fromEntries(Object.entries(spend).sort(([a], [b]) => compareText(a, b))),
  };
}
