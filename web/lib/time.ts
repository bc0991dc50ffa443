/**
 * Dates and times for display, in the viewer's zone, with the platform's Intl only (no date
 * library: the booking page's budget is 60 KB). Instants come from the API in UTC; a "local
 * date" is a YYYY-MM-DD string in the viewer's zone, computed with plain calendar arithmetic in
 * UTC so no DST day can shift it.
 */

export type LocalDate = string;

const partsCache = new Map<string, Intl.DateTimeFormat>();
function isoDateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsCache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    partsCache.set(timeZone, format);
  }
  return format;
}

/** The local date of an instant in a zone. */
export function localDateOf(instant: number | string, timeZone: string): LocalDate {
  const parts = isoDateFormat(timeZone).formatToParts(typeof instant === 'string' ? Date.parse(instant) : instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const toUtc = (date: LocalDate) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};
const fromUtc = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

export const addDays = (date: LocalDate, days: number): LocalDate => fromUtc(toUtc(date) + days * 86_400_000);

/** 0 = Monday … 6 = Sunday (ISO), the grid's column. */
export const isoWeekday = (date: LocalDate): number => (new Date(toUtc(date)).getUTCDay() + 6) % 7;

export const monthOf = (date: LocalDate): string => date.slice(0, 7);
export const firstOfMonth = (month: string): LocalDate => `${month}-01`;
export function lastOfMonth(month: string): LocalDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return fromUtc(Date.UTC(y, m, 0));
}
export function addMonths(month: string, count: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return fromUtc(Date.UTC(y, m - 1 + count, 1)).slice(0, 7);
}

/** The weeks (Monday first) that show a month, each seven dates, padded with the neighbours' days. */
export function monthWeeks(month: string): LocalDate[][] {
  const first = firstOfMonth(month);
  let day = addDays(first, -isoWeekday(first));
  const last = lastOfMonth(month);
  const weeks: LocalDate[][] = [];
  while (day <= last) {
    const week: LocalDate[] = [];
    for (let i = 0; i < 7; i++, day = addDays(day, 1)) week.push(day);
    weeks.push(week);
  }
  return weeks;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formats.set(key, f);
  }
  return f;
}

/** "14:30" / "2:30 PM" in the zone. */
export const formatTime = (instant: string, locale: string, timeZone: string) => format(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(Date.parse(instant));

/** "Dienstag, 24. November 2026": a local date, read as a calendar day (no zone shift). */
export const formatDate = (date: LocalDate, locale: string, style: 'long' | 'short' = 'long') =>
  format(locale, style === 'long' ? { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(toUtc(date));

export const formatMonth = (month: string, locale: string) => format(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(toUtc(firstOfMonth(month)));

/** Short weekday names, Monday first. */
export const weekdayNames = (locale: string, width: 'short' | 'long') =>
  // 2024-01-01 was a Monday.
  Array.from({ length: 7 }, (_, i) => format(locale, { timeZone: 'UTC', weekday: width }).format(Date.UTC(2024, 0, 1 + i)));

/** "Dienstag, 24. November 2026, 09:00" in the zone. */
export const formatDateTime = (instant: string, locale: string, timeZone: string) =>
  format(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(Date.parse(instant));

/** The zone as people read it: "Europe/Berlin (MEZ)" — the id plus the short name at that instant. */
export function zoneLabel(timeZone: string, locale: string, at: number): string {
  const short = format(locale, { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return short && short !== timeZone ? `${timeZone.replace(/_/g, ' ')} (${short})` : timeZone.replace(/_/g, ' ');
}

export function viewerZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every zone the browser knows, for the zone picker. */
export function allZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes(current) ? zones : [current, ...zones];
}

/** "in 2 hours" style durations for the cutoff explanation. */
export function formatDuration(minutes: number, locale: string): string {
  const unit = minutes % 1440 === 0 ? 'day' : minutes % 60 === 0 ? 'hour' : 'minute';
  const value = unit === 'day' ? minutes / 1440 : unit === 'hour' ? minutes / 60 : minutes;
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
