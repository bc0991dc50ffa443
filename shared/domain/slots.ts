import { DateTime, IANAZone } from 'luxon';
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
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

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

/** A calendar date ± days, by plain UTC arithmetic (no zone involved). */
export const addDays = (localDate: string, days: number): string =>
  new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The offset (minutes) a zone keeps for a whole local date, or undefined when it changes anywhere
 * near that date. Asking the zone for an offset is luxon's costliest step (an Intl round trip), so
 * the answers are memoised: they are facts of the time-zone database, the same for every caller.
 * Every zone's local day lies inside [UTC midnight − 14 h, UTC midnight + 36 h]; equal offsets at
 * both ends mean no transition that day, since no zone changes its offset twice within two days.
 */
const steadyOffsets = new Map<string, number | undefined>();
function steadyOffset(zone: string, dayStartUtc: number): number | undefined {
  const key = `${zone}|${dayStartUtc}`;
  if (steadyOffsets.has(key)) return steadyOffsets.get(key);
  const tz = IANAZone.create(zone);
  const before = tz.offset(dayStartUtc - 14 * HOUR_MS);
  const offset = before === tz.offset(dayStartUtc + 36 * HOUR_MS) ? before : undefined;
  if (steadyOffsets.size >= 50_000) steadyOffsets.clear();
  steadyOffsets.set(key, offset);
  return offset;
}

/** The provider-local calendar date of an instant. */
export function localDateOf(instant: number, zone: string): string {
  const offset = steadyOffset(zone, Math.floor(instant / DAY_MS) * DAY_MS);
  if (offset !== undefined) return new Date(instant + offset * MINUTE_MS).toISOString().slice(0, 10);
  return DateTime.fromMillis(instant, { zone }).toISODate() as string;
}

/**
 * The first instant of a local date, found by bisection on instants: the local date only moves
 * forward as time does, and instants (unlike wall times) are never skipped or repeated. This is
 * right where midnight falls into a DST gap (Havana springs forward 00:00 → 01:00) or repeats
 * (Havana falls back 01:00 → 00:00); luxon's wall-time constructors guess the offset from the real
 * clock there.
 */
export function localMidnight(localDate: string, zone: string): DateTime {
  const dayStartUtc = Date.parse(`${localDate}T00:00:00Z`);
  // Offsets lie within −12 h … +14 h, so local midnight lies within this range.
  let before = dayStartUtc - 15 * HOUR_MS;
  let after = dayStartUtc + 13 * HOUR_MS;
  while (after - before > MINUTE_MS) {
    const middle = before + Math.floor((after - before) / 2 / MINUTE_MS) * MINUTE_MS;
    if ((DateTime.fromMillis(middle, { zone }).toISODate() as string) < localDate) before = middle;
    else after = middle;
  }
  return DateTime.fromMillis(after, { zone });
}

/** The first instant of a local date, as epoch ms. */
export function startOfLocalDate(localDate: string, zone: string): number {
  const dayStartUtc = Date.parse(`${localDate}T00:00:00Z`);
  const offset = steadyOffset(zone, dayStartUtc);
  return offset !== undefined ? dayStartUtc - offset * MINUTE_MS : localMidnight(localDate, zone).toMillis();
}

const hoursOn = (calendar: ProviderCalendar, localDate: string, weekdayIndex: number) => {
  const exception = calendar.exceptions.find((e) => e.date === localDate);
  return exception ? exception.hours : calendar.weeklyHours[weekdays[weekdayIndex] ?? 'mon'];
};

/** The provider's working ranges on one local date, as [start, end) UTC instants. */
export function workingRanges(calendar: ProviderCalendar, localDate: string): Array<[number, number]> {
  const dayStartUtc = Date.parse(`${localDate}T00:00:00Z`);
  const offset = steadyOffset(calendar.timeZone, dayStartUtc);
  if (offset !== undefined) {
    // The common day: one offset from midnight to midnight, so wall time maps by subtraction.
    const hours = hoursOn(calendar, localDate, (new Date(dayStartUtc).getUTCDay() + 6) % 7);
    const base = dayStartUtc - offset * MINUTE_MS;
    return hours.map(([start, end]) => [base + minutesOfDay(start) * MINUTE_MS, base + minutesOfDay(end) * MINUTE_MS]);
  }
  return transitionDayRanges(calendar, localDate);
}

/** A day on which the zone changes its offset: each wall time is resolved by luxon. */
function transitionDayRanges(calendar: ProviderCalendar, localDate: string): Array<[number, number]> {
  const date = localMidnight(localDate, calendar.timeZone);
  const hours = hoursOn(calendar, localDate, date.weekday - 1);
  const ranges: Array<[number, number]> = [];
  for (const [start, end] of hours) {
    const startMs = atLocal(date, start);
    const endMs = atLocal(date, end);
    // A range that falls wholly into a DST gap collapses; skip it rather than invert it.
    if (endMs > startMs) ranges.push([startMs, endMs]);
  }
  return ranges;
}

/**
 * The instants an availability request covers: its local dates [fromDate, toDate] in the viewer's
 * zone, clipped to now (nothing earlier is bookable) and to just past the horizon, so that no
 * sheets are read for days that cannot offer anything. Empty when from ≥ to.
 */
export function availabilityWindow(fromDate: string, toDate: string, zone: string, now: number, horizonDays: number): { from: number; to: number } {
  return {
    from: Math.max(startOfLocalDate(fromDate, zone), now),
    to: Math.min(startOfLocalDate(addDays(toDate, 1), zone), now + (horizonDays + 2) * DAY_MS),
  };
}

/**
 * The provider-local day sheets that can hold units of slots starting in [from, to]: one day of
 * margin either side, because buffers reach into the neighbouring days.
 */
export function sheetDateRange(from: number, to: number, zone: string): { fromDate: string; toDate: string } {
  return { fromDate: addDays(localDateOf(from, zone), -1), toDate: addDays(localDateOf(to, zone), 1) };
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
  const slots: OpenSlot[] = [];
  if (earliest >= window.to) return slots;
  const lastDate = addDays(localDateOf(window.now, zone), rules.horizonDays);

  // A range of date d starts no earlier than d's local midnight and ends by the next midnight,
  // so the dates worth looking at run from the day before `earliest` to the date of `to`.
  const lastDay = localDateOf(window.to - 1, zone);
  for (let date = addDays(localDateOf(earliest, zone), -1); date <= lastDay && date <= lastDate; date = addDays(date, 1)) {
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
  if (localDateOf(start, zone) > addDays(localDateOf(now, zone), rules.horizonDays)) return { ok: false, reason: 'beyond_horizon' };
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
