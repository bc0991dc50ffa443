import { addDays, isoWeekday, localDateOf, type LocalDate } from './time.ts';

/**
 * Wall times in a zone → instants, with the platform's Intl only (the staff apps, like the booking
 * page, carry no date library). A block "Tuesday 13:00–17:00" is typed as wall times in the
 * viewer's zone and sent as UTC instants; a calendar day is [00:00, next day's 00:00) in the
 * zone, which is 23 or 25 hours long on DST days.
 */

export type WallTime = string;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
function offsetFormat(zone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetFormats.set(zone, format);
  }
  return format;
}

/** The zone's offset from UTC at an instant, in minutes (Berlin in winter: 60). */
export function offsetMinutes(zone: string, at: number): number {
  const parts = offsetFormat(zone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall time on a local date shows in the zone. A time the clock skips (the DST gap)
 * becomes the instant of the jump; a time it shows twice, the first of them — the rule the slot
 * engine applies to working hours (shared/domain/wall-time.ts).
 */
export function instantOf(date: LocalDate, time: WallTime, zone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offsets half a day either side: equal on ordinary days, different around a DST change.
  const before = offsetMinutes(zone, wall - 43_200_000);
  const after = offsetMinutes(zone, wall + 43_200_000);
  const shows = (instant: number, offset: number) => offsetMinutes(zone, instant) === offset;
  const candidates = [wall - before * 60_000, wall - after * 60_000].filter((instant, i) => shows(instant, i === 0 ? before : after));
  let instant: number;
  if (candidates.length > 0) instant = Math.min(...candidates);
  else {
    // In the gap: the first instant on the new offset, between the two readings (at most a few hours apart).
    let lo = wall - after * 60_000;
    let hi = wall - before * 60_000;
    if (lo > hi) [lo, hi] = [hi, lo];
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (shows(mid, before)) lo = mid;
      else hi = mid;
    }
    instant = hi;
  }
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

/** "HH:mm" of an instant in the zone. */
export function wallTimeOf(instant: string | number, zone: string): WallTime {
  const at = typeof instant === 'string' ? Date.parse(instant) : instant;
  const shifted = new Date(at + offsetMinutes(zone, at) * 60_000);
  return shifted.toISOString().slice(11, 16);
}

/** [start, end) of a local date in the zone, as instants. */
export const dayRange = (date: LocalDate, zone: string) => ({ from: instantOf(date, '00:00', zone), to: instantOf(addDays(date, 1), '00:00', zone) });

/** The Monday of the week a date is in. */
export const weekStart = (date: LocalDate): LocalDate => addDays(date, -isoWeekday(date));

/** Minutes from the local date's midnight to the instant, in the zone (can exceed 1440 for an end on the next day). */
export function minutesInto(date: LocalDate, instant: string, zone: string): number {
  return Math.round((Date.parse(instant) - Date.parse(instantOf(date, '00:00', zone))) / 60_000);
}

export const today = (zone: string, now: number = Date.now()): LocalDate => localDateOf(now, zone);

/** "08:00" → 480. */
export const minutesOf = (time: WallTime) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
