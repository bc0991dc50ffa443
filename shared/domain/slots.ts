import { DateTime } from 'luxon';
import { minutesOfDay, UNIT_MINUTES, weekdays, type DateException, type WeeklyHours } from './schemas.ts';

/**
 * The slot engine: working ranges (from weekly hours and date exceptions, in the provider's
 * zone) minus taken units (from the day sheets), stepped on the service's grid.
 *
 * Everything here works on UTC instants as epoch milliseconds. Local wall-clock time is used
 * only to find where a working range starts and ends; stepping then happens in absolute time,
 * so a 23- or 25-hour day, or Lord Howe's 30-minute shift, cannot produce a slot that is
 * shorter, longer or doubled.
 */

export const UNIT_MS = UNIT_MINUTES * 60_000;
const MINUTE_MS = 60_000;

export interface ProviderCalendar {
  providerId: string;
  timeZone: string;
  weeklyHours: WeeklyHours;
  exceptions: readonly DateException[];
  /** Taken units: UTC start of each 5-minute unit (epoch ms) → owner (booking or block id). */
  taken: ReadonlyMap<number, string>;
  /** Bookings that start on each local date (yyyy-mm-dd, provider's zone). */
  bookingsPerDay?: ReadonlyMap<string, number>;
}

export interface SlotRules {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  slotIntervalMinutes?: number | undefined;
  minNoticeMinutes: number;
  horizonDays: number;
  maxPerDayPerProvider?: number | undefined;
}

export interface SlotWindow {
  /** First instant a slot may start at (inclusive, epoch ms). */
  from: number;
  /** Instant every slot must start before (exclusive, epoch ms). */
  to: number;
  /** The clock's reading, passed in: the engine never reads the clock itself. */
  now: number;
  /** Units held by this owner count as free (a booking being rescheduled). */
  ignoreOwner?: string | undefined;
  /** Validate grid, hours, notice and horizon only; the day sheet decides the rest. */
  ignoreTaken?: boolean;
}

export interface OpenSlot {
  start: number;
  end: number;
}

export interface ProviderSlots {
  providerId: string;
  slots: OpenSlot[];
}

export interface MergedSlot {
  start: number;
  end: number;
  providerIds: string[];
}

export const localDateOf = (instant: number, zone: string): string =>
  DateTime.fromMillis(instant, { zone }).toISODate() as string;

const atLocal = (date: DateTime, hhmm: string): number => {
  const minutes = minutesOfDay(hhmm);
  // "24:00" is the next day's midnight; from the next day's calendar date so DST cannot shift it.
  const day = minutes === 1440 ? date.plus({ days: 1 }) : date;
  const hour = Math.floor((minutes % 1440) / 60);
  const minute = minutes % 60;
  // set() resolves the wall time from the day's own offset (DateTime.fromObject guesses from the
  // real clock): a time the clock shows twice (DST fall back) is always its first occurrence.
  const local = day.set({ hour, minute });
  if (local.hour === hour && local.minute === minute) return local.toMillis();
  // A time the clock skips (DST gap): luxon moves it past the gap; the boundary is the jump itself,
  // so a range inside the gap is empty and ranges on either side of it stay disjoint.
  let instant = local.toMillis();
  while (local.zone.offset(instant - MINUTE_MS) === local.offset) instant -= MINUTE_MS;
  return instant;
};

/** The provider's working ranges on one local date, as [start, end) UTC instants. */
export function workingRanges(calendar: ProviderCalendar, localDate: string): Array<[number, number]> {
  // Local midnight reached from the day before, not via fromISO in the zone, which guesses the
  // offset from the real clock when midnight itself is ambiguous (Cuba falls back 01:00 -> 00:00).
  const date = DateTime.fromISO(localDate, { zone: 'UTC' })
    .minus({ days: 1 })
    .setZone(calendar.timeZone, { keepLocalTime: true })
    .plus({ days: 1 });
  const exception = calendar.exceptions.find((e) => e.date === localDate);
  const weekday = weekdays[date.weekday - 1] ?? 'mon';
  const hours = exception ? exception.hours : calendar.weeklyHours[weekday];
  const ranges: Array<[number, number]> = [];
  for (const [start, end] of hours) {
    const startMs = atLocal(date, start);
    const endMs = atLocal(date, end);
    // A range that falls wholly into a DST gap collapses; skip it rather than invert it.
    if (endMs > startMs) ranges.push([startMs, endMs]);
  }
  return ranges;
}

/** The span a booking claims on the sheet: the appointment plus its buffers. */
export function claimSpan(start: number, rules: SlotRules): [number, number] {
  return [
    start - rules.bufferBeforeMinutes * MINUTE_MS,
    start + (rules.durationMinutes + rules.bufferAfterMinutes) * MINUTE_MS,
  ];
}

/** UTC unit starts covering [from, to), aligned to the 5-minute grid. */
export function unitsCovering(from: number, to: number): number[] {
  const units: number[] = [];
  for (let unit = Math.floor(from / UNIT_MS) * UNIT_MS; unit < to; unit += UNIT_MS) units.push(unit);
  return units;
}

/** Units grouped by the provider-local date they fall on: one group per day sheet. */
export function unitsBySheet(units: readonly number[], zone: string): Map<string, number[]> {
  const sheets = new Map<string, number[]>();
  for (const unit of units) {
    const date = localDateOf(unit, zone);
    const list = sheets.get(date);
    if (list) list.push(unit);
    else sheets.set(date, [unit]);
  }
  return sheets;
}

const isFree = (calendar: ProviderCalendar, from: number, to: number, ignoreOwner: string | undefined): boolean => {
  for (let unit = Math.floor(from / UNIT_MS) * UNIT_MS; unit < to; unit += UNIT_MS) {
    const owner = calendar.taken.get(unit);
    if (owner !== undefined && owner !== ignoreOwner) return false;
  }
  return true;
};

/**
 * Open slot starts for one provider in [window.from, window.to). A slot is open when it lies on
 * the grid of a working range (range start + k × interval), the appointment fits inside that
 * range, its buffers (which may reach outside working hours) cover no taken unit, it starts at
 * or after now + minimum notice, and its local date is at most today + horizon.
 */
export function computeOpenSlots(calendar: ProviderCalendar, rules: SlotRules, window: SlotWindow): OpenSlot[] {
  const zone = calendar.timeZone;
  const durationMs = rules.durationMinutes * MINUTE_MS;
  const stepMs = (rules.slotIntervalMinutes ?? rules.durationMinutes) * MINUTE_MS;
  const earliest = Math.max(window.from, window.now + rules.minNoticeMinutes * MINUTE_MS);
  const lastDate = DateTime.fromMillis(window.now, { zone }).startOf('day').plus({ days: rules.horizonDays }).toISODate() as string;
  const slots: OpenSlot[] = [];
  if (earliest >= window.to) return slots;

  // A range of date d starts no earlier than d's local midnight and ends by the next midnight,
  // so the dates worth looking at run from the day before `earliest` to the date of `to`.
  let day = DateTime.fromMillis(earliest, { zone }).startOf('day').minus({ days: 1 });
  const lastDay = localDateOf(window.to - 1, zone);
  for (let date = day.toISODate() as string; date <= lastDay && date <= lastDate; day = day.plus({ days: 1 }), date = day.toISODate() as string) {
    const booked = calendar.bookingsPerDay?.get(date) ?? 0;
    if (!window.ignoreTaken && rules.maxPerDayPerProvider !== undefined && booked >= rules.maxPerDayPerProvider) continue;
    for (const [rangeStart, rangeEnd] of workingRanges(calendar, date)) {
      for (let start = rangeStart; start + durationMs <= rangeEnd; start += stepMs) {
        if (start >= window.to) break;
        if (start < earliest) continue;
        const [spanStart, spanEnd] = claimSpan(start, rules);
        if (!window.ignoreTaken && !isFree(calendar, spanStart, spanEnd, window.ignoreOwner)) continue;
        slots.push({ start, end: start + durationMs });
      }
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}

export type UnavailableReason = 'min_notice' | 'beyond_horizon' | 'outside_working_hours' | 'off_grid';

/**
 * Whether `start` is an open start when taken units are ignored (the day sheet decides those,
 * in the booking transaction), and if not, why.
 */
export function checkRequestedStart(
  calendar: ProviderCalendar,
  rules: SlotRules,
  start: number,
  now: number,
): { ok: true } | { ok: false; reason: UnavailableReason } {
  const open = computeOpenSlots(calendar, rules, { from: start, to: start + 1, now, ignoreTaken: true });
  if (open.some((slot) => slot.start === start)) return { ok: true };
  if (start < now + rules.minNoticeMinutes * MINUTE_MS) return { ok: false, reason: 'min_notice' };
  const zone = calendar.timeZone;
  const lastDate = DateTime.fromMillis(now, { zone }).startOf('day').plus({ days: rules.horizonDays }).toISODate() as string;
  if (localDateOf(start, zone) > lastDate) return { ok: false, reason: 'beyond_horizon' };
  const end = start + rules.durationMinutes * MINUTE_MS;
  // A range of a date ends by the next local midnight, so only the start's own date can hold it.
  const inside = workingRanges(calendar, localDateOf(start, zone)).some(([rs, re]) => start >= rs && end <= re);
  return { ok: false, reason: inside ? 'off_grid' : 'outside_working_hours' };
}

/** Slots of several providers, merged by start: each start lists every provider free then. */
export function mergeAvailability(perProvider: readonly ProviderSlots[]): MergedSlot[] {
  const byStart = new Map<number, MergedSlot>();
  for (const { providerId, slots } of perProvider) {
    for (const slot of slots) {
      const merged = byStart.get(slot.start);
      if (merged) merged.providerIds.push(providerId);
      else byStart.set(slot.start, { start: slot.start, end: slot.end, providerIds: [providerId] });
    }
  }
  const result = [...byStart.values()].sort((a, b) => a.start - b.start);
  for (const slot of result) slot.providerIds.sort();
  return result;
}

/** A 32-bit integer hash (MurmurHash3's finaliser): neighbouring inputs give unrelated outputs. */
const mix32 = (value: number): number => {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/**
 * Fair order in which to try providers for a booking without a chosen provider: the least
 * booked that day first; ties rotate with the slot's start (hashed) so that, over a day,
 * equally loaded providers take turns instead of the alphabetically first one taking all.
 */
export function fairProviderOrder(
  candidates: ReadonlyArray<{ providerId: string; bookingsThatDay: number }>,
  start: number,
): string[] {
  const sorted = [...candidates].sort((a, b) => a.providerId.localeCompare(b.providerId));
  const n = sorted.length;
  if (n === 0) return [];
  // Hashed, not `unit % n`: slot starts step by the grid (e.g. 12 units an hour), so whenever the
  // step shares a factor with n the plain remainder never changes and one provider wins every tie.
  const offset = mix32(Math.floor(start / UNIT_MS)) % n;
  const rotated = sorted.map((c, i) => ({ ...c, turn: (i - offset + n) % n }));
  rotated.sort((a, b) => a.bookingsThatDay - b.bookingsThatDay || a.turn - b.turn);
  return rotated.map((c) => c.providerId);
}
