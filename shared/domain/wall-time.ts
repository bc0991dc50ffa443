import type { IANAZone } from 'luxon';

/**
 * Wall-clock readings and the instants that show them, worked out from a zone's offsets at UTC
 * instants — never with luxon's fromObject, which guesses an offset from the current date and can
 * land an hour off around a DST change. Shared by reminders and journeys. A wall time the clock
 * skips (DST gap) resolves to the instant of the jump, one it shows twice to its first occurrence.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The wall clock an instant shows in a zone, as if that reading were UTC (epoch ms). */
export const wallOf = (instant: number, tz: IANAZone): number => instant + tz.offset(instant) * MINUTE_MS;

/**
 * The instant a zone's clock shows a wall time (given as if UTC). Offsets lie within −12 h … +14 h,
 * so the instant lies within [wall − 14 h, wall + 12 h], and no zone changes its offset twice
 * within that span: the offsets at its two ends are the only candidates.
 */
export function instantOfWall(wall: number, tz: IANAZone): number {
  const early = tz.offset(wall - 14 * HOUR_MS);
  const late = tz.offset(wall + 12 * HOUR_MS);
  const candidates = [wall - early * MINUTE_MS, wall - late * MINUTE_MS].filter((t) => wallOf(t, tz) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped (spring forward): the first instant with the later offset, found by bisection on
  // instants, which is exact where wall times are not.
  let before = Math.min(wall - early * MINUTE_MS, wall - late * MINUTE_MS);
  let after = Math.max(wall - early * MINUTE_MS, wall - late * MINUTE_MS);
  while (after - before > 1) {
    const middle = before + Math.floor((after - before) / 2);
    if (tz.offset(middle) === early) before = middle;
    else after = middle;
  }
  return after;
}
