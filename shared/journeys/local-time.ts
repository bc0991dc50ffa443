import { IANAZone } from 'luxon';
import { instantOfWall, wallOf } from '../domain/wall-time.ts';

export { instantOfWall, wallOf };

/**
 * Wall-clock arithmetic for journeys: durations with calendar days, "09:00 the next day", send
 * windows. Same approach and same resolution rules as shared/domain/reminders.ts (which keeps
 * its helpers private): work on the zone's offsets at UTC instants, never on luxon's
 * fromObject, which guesses an offset and may land an hour off around a DST change. A wall time
 * the clock skips (DST gap) resolves to the instant of the jump, one it shows twice to its first
 * occurrence.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A valid IANA zone, or a RangeError naming the bad one. */
export function zoneOf(zone: string): IANAZone {
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`unknown time zone "${zone}"`);
  return IANAZone.create(zone);
}

/** "HH:mm" → minutes after local midnight. */
export const minutesOfClock = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Local midnight of the instant's calendar day, as a wall reading (as if UTC). */
const wallDayStart = (instant: number, tz: IANAZone): number => Math.floor(wallOf(instant, tz) / DAY_MS) * DAY_MS;

/**
 * The instant the clock shows `hhmm` on the calendar day `days` after the instant's own local
 * date (days = 1: "tomorrow at hhmm", whatever the time of day the instant has).
 */
export function atLocalTime(instant: number, days: number, hhmm: string, tz: IANAZone): number {
  return instantOfWall(wallDayStart(instant, tz) + days * DAY_MS + minutesOfClock(hhmm) * MINUTE_MS, tz);
}

/**
 * A journey duration: "P2W", "P1D", "PT3H", "PT1H30M", "P1DT2H". Weeks and days are calendar
 * days (the local wall time is kept across a DST change); hours and minutes are exact. Months
 * and years are not accepted: their length would depend on the date, and staff read "P60D" as
 * easily as "P2M".
 */
export interface JourneyDuration {
  days: number;
  exactMs: number;
}

const DURATION_PATTERN = /^P(?!$)(?:(\d{1,3})W)?(?:(\d{1,4})D)?(?:T(?=\d)(?:(\d{1,5})H)?(?:(\d{1,6})M)?)?$/;

export function parseDuration(text: string): JourneyDuration | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const [, weeks, days, hours, minutes] = match;
  return { days: Number(weeks ?? 0) * 7 + Number(days ?? 0), exactMs: Number(hours ?? 0) * HOUR_MS + Number(minutes ?? 0) * MINUTE_MS };
}

/** For limits only: a calendar day counts as 24 hours. */
export const nominalMs = (d: JourneyDuration): number => d.days * DAY_MS + d.exactMs;

/** The instant a duration after (sign 1) or before (sign −1) another, in a zone: days first, on the wall clock, then the exact part. */
export function shiftBy(instant: number, duration: JourneyDuration, sign: 1 | -1, tz: IANAZone): number {
  const dayShifted = duration.days === 0 ? instant : instantOfWall(wallOf(instant, tz) + sign * duration.days * DAY_MS, tz);
  return dayShifted + sign * duration.exactMs;
}

/** A local window [start, end) of wall times; start > end wraps past midnight (20:00–02:00). */
export interface LocalWindow {
  start: string;
  end: string;
}

/** Whether the instant's local wall time lies in [start, end): at exactly the start it does, at exactly the end it does not. */
export function inWindow(instant: number, window: LocalWindow, tz: IANAZone): boolean {
  const ofDay = wallOf(instant, tz) - wallDayStart(instant, tz);
  const start = minutesOfClock(window.start) * MINUTE_MS;
  const end = minutesOfClock(window.end) * MINUTE_MS;
  return start < end ? ofDay >= start && ofDay < end : ofDay >= start || ofDay < end;
}

/**
 * The instant itself when it lies in the window, otherwise the next opening: the first instant
 * after it whose wall time is the window's start (the jump, if a DST gap skips the start).
 * Never earlier. A day whose whole window a DST gap removes is passed over. Undefined only for a
 * window no day in the next week opens (none exists for a window that is not inside one gap).
 */
export function intoWindow(instant: number, window: LocalWindow, tz: IANAZone): number | undefined {
  if (inWindow(instant, window, tz)) return instant;
  for (let days = 0; days <= 7; days += 1) {
    const opening = atLocalTime(instant, days, window.start, tz);
    if (opening > instant && inWindow(opening, window, tz)) return opening;
  }
  return undefined;
}
