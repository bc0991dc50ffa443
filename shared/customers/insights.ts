import { DateTime } from 'luxon';
import { isoInstant } from '../domain/instant.ts';
import type { CustomerLocale } from './messages/index.ts';
import { assignBadges, DEFAULT_PERSONA_THRESHOLDS, type PersonaThresholds } from './personas.ts';
import { computeTraits } from './traits.ts';
import type { CustomerEvent, CustomerEventType } from './types.ts';

/**
 * Business insights per month, read from the tenant's customer timelines. Months are calendar
 * months in the tenant's zone; every figure says what it is counted over, and a rate whose
 * denominator is zero is null (a month without appointments has no no-show rate, not a 0 % one).
 *
 * What each figure is attributed to (decision 60):
 * - bookings made and the after-hours share: the month the booking was made in (`booked.at`);
 * - no-show and late-cancel rates: the month the appointment falls in (its latest known start);
 * - rebooking after a cancellation: the month the cancellation was made in, looking 30 days on;
 * - lapsing customers: as of the month's end (or now, for the month under way).
 *
 * The caller reads events from `readFrom` to `readTo` (see insightWindow): history before the
 * range for lapsing and for bookings made long before their appointment, and 30 days after it for
 * rebooks. Events outside that window are not needed, and an event the caller did not read is
 * simply not counted.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A cancellation counts as rebooked when the customer books again within this many days. */
export const REBOOK_WINDOW_DAYS = 30;
/**
 * History read before the range: the lapsing badge compares days since the last visit with the
 * customer's cadence, so a visit must be visible to be counted from; a year covers the default
 * thresholds (lapsing from 63 days, lost after 126) and any cadence up to eight months.
 */
export const INSIGHT_HISTORY_DAYS = 365;
/** The late-cancel threshold of a tenant without a self-service cutoff. */
export const DEFAULT_LATE_CANCEL_MINUTES = 24 * 60;

/** A cancellation with less notice than this is late: the tenant's self-service cutoff, or a day without one. */
export const lateCancelMinutes = (policy: { selfServiceCutoffMinutes: number }): number =>
  policy.selfServiceCutoffMinutes > 0 ? policy.selfServiceCutoffMinutes : DEFAULT_LATE_CANCEL_MINUTES;

export interface InsightMonth {
  /** `YYYY-MM`. */
  month: string;
  /** The month's first instant in the zone (epoch ms). */
  startMs: number;
  /** The next month's first instant in the zone (epoch ms, exclusive). */
  endMs: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months as a running index (year × 12 + month − 1), so ranges are plain integer arithmetic. */
export function monthIndex(month: string): number {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`"${month}" is not a month (YYYY-MM)`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

const monthName = (index: number): string => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The months from `from` to `to` (both included) with their bounds in `zone`. */
export function monthsInZone(from: string, to: string, zone: string): InsightMonth[] {
  const first = monthIndex(from);
  const last = monthIndex(to);
  const startOf = (index: number) => {
    // Midnight on the 1st; where a DST change skips midnight luxon moves to the first real instant.
    const start = DateTime.fromObject({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 }, { zone });
    if (!start.isValid) throw new RangeError(`unknown time zone "${zone}"`);
    return start.toMillis();
  };
  const months: InsightMonth[] = [];
  for (let index = first; index <= last; index++) months.push({ month: monthName(index), startMs: startOf(index), endMs: startOf(index + 1) });
  return months;
}

/** The UTC month (`YYYY-MM`) of an instant: what the tenant-wide event index is partitioned by. */
export const utcMonthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

export interface InsightWindow {
  months: InsightMonth[];
  /** First instant of events to read (epoch ms). */
  readFrom: number;
  /** Last instant of events to read (epoch ms, inclusive). */
  readTo: number;
  /** The UTC months the read spans, oldest first: one index partition each. */
  utcMonths: string[];
}

/**
 * What to read for the months `from`..`to`: INSIGHT_HISTORY_DAYS before the first month's start,
 * and REBOOK_WINDOW_DAYS after the last month's end, but nothing after `now` (nothing is there).
 */
export function insightWindow(from: string, to: string, zone: string, now: number): InsightWindow {
  const months = monthsInZone(from, to, zone);
  const readFrom = months[0]!.startMs - INSIGHT_HISTORY_DAYS * DAY_MS;
  const readTo = Math.max(readFrom, Math.min(months[months.length - 1]!.endMs + REBOOK_WINDOW_DAYS * DAY_MS, now));
  const utcMonths: string[] = [];
  for (let index = monthIndex(utcMonthOf(readFrom)); index <= monthIndex(utcMonthOf(readTo)); index++) utcMonths.push(monthName(index));
  return { months, readFrom, readTo, utcMonths };
}

export interface MonthInsights {
  month: string;
  /** The month's bounds in the tenant's zone, as UTC instants (end exclusive). */
  start: string;
  end: string;
  /** The month is over and each of its cancellations has had its 30 days to be rebooked. */
  complete: boolean;
  bookingsMade: number;
  /** Bookings made in the month whose booked event says whether it was outside opening hours. */
  afterHoursKnown: number;
  afterHoursBookings: number;
  /** afterHoursBookings / afterHoursKnown. */
  afterHoursShare: number | null;
  /** Bookings whose appointment falls in the month, whatever became of them. */
  appointments: number;
  attended: number;
  noShows: number;
  /** noShows / (attended + noShows). */
  noShowRate: number | null;
  /** Appointments of the month cancelled with less notice than the late-cancel threshold. */
  lateCancellations: number;
  /** lateCancellations / appointments. */
  lateCancelRate: number | null;
  /** Cancellations made in the month. */
  cancellationsMade: number;
  /** Of those, the ones whose customer booked again within 30 days of cancelling. */
  rebooked: number;
  /** rebooked / cancellationsMade. */
  rebookRate: number | null;
  /** Median hours from a cancellation to the customer's next booking, over the rebooked ones (one decimal). */
  medianHoursToRebook: number | null;
  /** Customers wearing the lapsing badge at the month's end (now, for the month under way). */
  lapsingCustomers: number;
}

export interface InsightOptions {
  months: readonly InsightMonth[];
  zone: string;
  now: number;
  /** Notice below which a cancellation is late (lateCancelMinutes). */
  lateCancelMinutes: number;
  /** The badge catalogue's language (only the badge codes are read). */
  locale: CustomerLocale;
  thresholds?: PersonaThresholds;
}

/** Lifecycle events, least final first within one booking version (as traits.ts orders them). */
const LIFECYCLE_RANK: Partial<Record<CustomerEventType, number>> = { booked: 0, rescheduled: 1, cancelled: 2, attended: 3, no_show: 3 };

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Ascending: the last element is the booking's final event whatever order the events came in. */
const byLifecycle = (a: CustomerEvent, b: CustomerEvent): number =>
  (a.bookingVersion ?? -1) - (b.bookingVersion ?? -1) ||
  (LIFECYCLE_RANK[a.type] ?? 0) - (LIFECYCLE_RANK[b.type] ?? 0) ||
  compareText(a.at, b.at) ||
  compareText(a.id, b.id);

const instant = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

interface BookingFacts {
  customerId: string;
  final: CustomerEvent;
  /** The latest known appointment start. */
  startMs: number | undefined;
  booked: CustomerEvent | undefined;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function computeInsights(events: readonly CustomerEvent[], options: InsightOptions): MonthInsights[] {
  const { months, zone, now, locale } = options;
  const thresholds = options.thresholds ?? DEFAULT_PERSONA_THRESHOLDS;

  // The index may hold an event twice only if it was read twice (overlapping reads); ids are unique per customer.
  const unique = new Map<string, CustomerEvent>();
  for (const event of events) unique.set(`${event.customerId}\0${event.id}`, event);
  const lifecycle = [...unique.values()].filter((event) => event.bookingId !== undefined && LIFECYCLE_RANK[event.type] !== undefined && instant(event.at) !== undefined);

  const eventsByBooking = new Map<string, CustomerEvent[]>();
  for (const event of lifecycle) {
    const list = eventsByBooking.get(event.bookingId!);
    if (list) list.push(event);
    else eventsByBooking.set(event.bookingId!, [event]);
  }
  const bookings: BookingFacts[] = [...eventsByBooking.values()].map((list) => {
    const ordered = list.sort(byLifecycle);
    const final = ordered[ordered.length - 1]!;
    const withStart = ordered.findLast((event) => instant(event.start) !== undefined);
    return { customerId: final.customerId, final, startMs: instant(withStart?.start), booked: ordered.findLast((event) => event.type === 'booked') };
  });

  /** Each customer's booking times, ascending: what a cancellation's rebook is looked up in. */
  const bookedTimes = new Map<string, Array<{ at: number }>>();
  for (const { customerId, booked } of bookings) {
    if (!booked) continue;
    const list = bookedTimes.get(customerId) ?? [];
    list.push({ at: instant(booked.at)! });
    bookedTimes.set(customerId, list);
  }
  for (const list of bookedTimes.values()) list.sort((a, b) => a.at - b.at);

  const rows = months.map((m) => ({ ...m, row: emptyRow(m, now) }));
  const rebookHours = rows.map(() => [] as number[]);
  const monthOf = (ms: number): number => rows.findIndex(({ startMs, endMs }) => ms >= startMs && ms < endMs);

  for (const booking of bookings) {
    const { booked, final, startMs } = booking;
    if (booked) {
      const m = monthOf(instant(booked.at)!);
      if (m >= 0) {
        const row = rows[m]!.row;
        row.bookingsMade += 1;
        if (booked.afterHours !== undefined) {
          row.afterHoursKnown += 1;
          if (booked.afterHours) row.afterHoursBookings += 1;
        }
      }
    }
    if (startMs !== undefined) {
      const m = monthOf(startMs);
      if (m >= 0) {
        const row = rows[m]!.row;
        row.appointments += 1;
        if (final.type === 'attended') row.attended += 1;
        if (final.type === 'no_show') row.noShows += 1;
        if (final.type === 'cancelled') {
          // The cancellation's own notice when it carries one; otherwise from its time and the start.
          const notice = final.leadMinutes ?? (startMs - instant(final.at)!) / MINUTE_MS;
          if (notice < options.lateCancelMinutes) row.lateCancellations += 1;
        }
      }
    }
    if (final.type === 'cancelled') {
      const cancelledAt = instant(final.at)!;
      const m = monthOf(cancelledAt);
      if (m >= 0) {
        rows[m]!.row.cancellationsMade += 1;
        const next = bookedTimes
          .get(booking.customerId)
          ?.find((b) => b.at > cancelledAt && b.at <= cancelledAt + REBOOK_WINDOW_DAYS * DAY_MS);
        if (next) {
          rows[m]!.row.rebooked += 1;
          rebookHours[m]!.push((next.at - cancelledAt) / HOUR_MS);
        }
      }
    }
  }

  const lapsing = lapsingCounts(lifecycle, rows, now, zone, thresholds, locale);
  return rows.map(({ row }, m) => {
    const hours = median(rebookHours[m]!);
    return {
      ...row,
      afterHoursShare: ratio(row.afterHoursBookings, row.afterHoursKnown),
      noShowRate: ratio(row.noShows, row.attended + row.noShows),
      lateCancelRate: ratio(row.lateCancellations, row.appointments),
      rebookRate: ratio(row.rebooked, row.cancellationsMade),
      medianHoursToRebook: hours === null ? null : Math.round(hours * 10) / 10,
      lapsingCustomers: lapsing[m]!,
    };
  });
}

function emptyRow(month: InsightMonth, now: number): MonthInsights {
  return {
    month: month.month,
    start: isoInstant(month.startMs),
    end: isoInstant(month.endMs),
    complete: month.endMs + REBOOK_WINDOW_DAYS * DAY_MS <= now,
    bookingsMade: 0,
    afterHoursKnown: 0,
    afterHoursBookings: 0,
    afterHoursShare: null,
    appointments: 0,
    attended: 0,
    noShows: 0,
    noShowRate: null,
    lateCancellations: 0,
    lateCancelRate: null,
    cancellationsMade: 0,
    rebooked: 0,
    rebookRate: null,
    medianHoursToRebook: null,
    lapsingCustomers: 0,
  };
}

/**
 * Per month, the customers the lapsing badge would be given to at its end: traits and badges are
 * computed exactly as the caller card computes them, from the events known by then. Only a
 * customer with a visit by then can be lapsing, so the others are not computed at all.
 */
function lapsingCounts(
  lifecycle: readonly CustomerEvent[],
  months: readonly InsightMonth[],
  now: number,
  zone: string,
  thresholds: PersonaThresholds,
  locale: CustomerLocale,
): number[] {
  const byCustomer = new Map<string, CustomerEvent[]>();
  for (const event of lifecycle) {
    const list = byCustomer.get(event.customerId);
    if (list) list.push(event);
    else byCustomer.set(event.customerId, [event]);
  }
  const timelines = [...byCustomer.values()].map((list) => list.sort((a, b) => instant(a.at)! - instant(b.at)!));
  return months.map(({ endMs }) => {
    // The month under way is judged as of now: "days since the last visit" must not run ahead.
    const asOf = Math.min(endMs, now);
    let count = 0;
    for (const timeline of timelines) {
      const known = timeline.filter((event) => instant(event.at)! < asOf);
      if (!known.some((event) => event.type === 'attended')) continue;
      const traits = computeTraits(known, asOf, zone);
      if (assignBadges(traits, thresholds, locale).some((badge) => badge.code === 'lapsing')) count += 1;
    }
    return count;
  });
}
