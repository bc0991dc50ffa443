import type { StaffMessageKey } from '../lib/staff-i18n.ts';
import { minutesOf } from '../lib/zoned.ts';

type Range = readonly [string, string];

/** Ranges must be sorted, not overlap, and be on the 5-minute grid: said before the API is asked. */
export function rangeProblem(ranges: readonly Range[]): StaffMessageKey | undefined {
  for (const [i, [start, end]] of ranges.entries()) {
    if (!/^\d\d:\d\d$/.test(start) || !/^\d\d:\d\d$/.test(end)) return 'fillTimes';
    if (minutesOf(start) % 5 !== 0 || minutesOf(end) % 5 !== 0) return 'fiveMinutes';
    if (minutesOf(end) <= minutesOf(start)) return 'endAfterStart';
    const previous = ranges[i - 1];
    if (previous && minutesOf(start) < minutesOf(previous[1])) return 'rangesOverlap';
  }
  return undefined;
}
