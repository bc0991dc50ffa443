import { DateTime } from 'luxon';
import type { DateException, TimeRange, Weekday, WeeklyHours } from '#shared/domain/schemas';
import type { OpenSlot, ProviderCalendar, SlotRules } from '#shared/domain/slots';

/** Helpers for the unit tier: building calendars and reading instants. Not a test file. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The six zones every DST-sensitive test runs in. */
export const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'] as const;

/** The 2026 DST change days of those zones (all Sundays). */
export const DST_DAYS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-10-25', '2026-11-01'] as const;

export const noHours = (): WeeklyHours => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });

/** The same ranges on every day of the week. */
export const everyDay = (...ranges: TimeRange[]): WeeklyHours => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
  sat: ranges,
  sun: ranges,
});

export const only = (day: Weekday, ...ranges: TimeRange[]): WeeklyHours => ({ ...noHours(), [day]: ranges });

export function calendar(options: {
  zone: string;
  weeklyHours: WeeklyHours;
  exceptions?: DateException[];
  taken?: ReadonlyMap<number, string>;
  bookingsPerDay?: ReadonlyMap<string, number>;
  providerId?: string;
}): ProviderCalendar {
  return {
    providerId: options.providerId ?? 'p1',
    timeZone: options.zone,
    weeklyHours: options.weeklyHours,
    exceptions: options.exceptions ?? [],
    taken: options.taken ?? new Map(),
    ...(options.bookingsPerDay ? { bookingsPerDay: options.bookingsPerDay } : {}),
  };
}

export const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 730,
  ...overrides,
});

/** A UTC instant from an ISO string with an explicit offset or Z. */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
};

export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A provider-local wall time ("2026-03-29T01:00") as an instant, resolved by luxon. */
export const local = (zone: string, wall: string): number => DateTime.fromISO(wall, { zone }).toMillis();

/** [local midnight, next local midnight) of a date in a zone: a viewer's or a provider's day. */
export const dayWindow = (zone: string, date: string): { from: number; to: number } => {
  const start = DateTime.fromISO(date, { zone });
  return { from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
};

/** Long before any date the tests use: no notice or horizon gets in the way. */
export const LONG_AGO = at('2025-12-01T00:00:00Z');

export const starts = (slots: readonly OpenSlot[]): string[] => slots.map((s) => iso(s.start));

/** Taken units for [from, to) owned by `owner`. */
export function takenFor(owner: string, from: number, to: number, into = new Map<number, string>()): Map<number, string> {
  for (let unit = Math.floor(from / (5 * MINUTE)) * 5 * MINUTE; unit < to; unit += 5 * MINUTE) into.set(unit, owner);
  return into;
}
