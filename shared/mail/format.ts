import { IntlMessageFormat } from 'intl-messageformat';
import { Duration } from 'luxon';
import type { MailLocale } from './types.ts';

/**
 * The formatting the mails are made of: ICU messages, dates and times in the reader's zone, and
 * the reminder lead. Everything goes through Intl (Node ships full ICU), in the mail's locale.
 */

export type MessageValues = Readonly<Record<string, string | number>>;

const compiledMessages = new Map<string, IntlMessageFormat>();

/**
 * One catalogue message, formatted. Compiled messages are kept: parsing is the expensive part and
 * the catalogues are fixed. `ignoreTag` because intl-messageformat would otherwise read `<…>` in a
 * message as a rich-text tag; HTML is made from the formatted text by escaping it whole, never by
 * markup inside messages. A missing argument throws (FormatError), so no `{placeholder}` is left
 * in a sent mail.
 */
export function formatMessage(locale: MailLocale, message: string, values: MessageValues): string {
  const key = `${locale}\u0000${message}`;
  let compiled = compiledMessages.get(key);
  if (!compiled) {
    compiled = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });
    compiledMessages.set(key, compiled);
  }
  const formatted = compiled.format(values);
  if (typeof formatted !== 'string') throw new Error(`message did not format to text: ${message}`);
  return formatted;
}

/** Accepts "…Z" and "…+01:00"; rejects an instant without an offset, which Date would read in the host's zone. */
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** An ISO-8601 instant as epoch ms, or a RangeError naming the field. */
export function instantMs(value: string, field: string): number {
  const ms = INSTANT_PATTERN.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${field} must be an ISO-8601 instant with Z or an offset, got "${value}"`);
  return ms;
}

/**
 * ICU 72 and later put U+202F (narrow no-break space) before "AM"/"PM" and U+2009 (thin space)
 * around the en dash of a time range. Some mail clients' fonts lack them, plain-text readers show
 * them as odd gaps, and whether they appear depends on the ICU version Node was built with, so
 * they become ordinary spaces.
 */
const unusualSpaces = (text: string): string => text.replace(/[\u202F\u2009]/g, ' ');

/** Weekday, day, month and year written out, with the time: the form the mail bodies use. */
const LONG: Intl.DateTimeFormatOptions = { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' };
/** The same without the year, for subject lines, which mail clients cut short. */
const SUBJECT: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' };

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: MailLocale, timeZone: string, style: 'long' | 'subject'): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${style}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    // Throws a RangeError for an unknown zone, which is what the caller should see.
    format = new Intl.DateTimeFormat(locale, { ...(style === 'long' ? LONG : SUBJECT), timeZone });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** "Dienstag, 1. Dezember 2026 um 10:00": one instant in `timeZone`. */
export function formatInstant(ms: number, locale: MailLocale, timeZone: string): string {
  return unusualSpaces(dateTimeFormat(locale, timeZone, 'long').format(ms));
}

/**
 * "Dienstag, 1. Dezember 2026, 10:00–11:00 Uhr": an appointment in `timeZone`. ICU's interval
 * format writes the date once when both ends fall on the same local day and both dates otherwise,
 * with each language's own connector and dash.
 */
export function formatRange(startMs: number, endMs: number, locale: MailLocale, timeZone: string): string {
  return unusualSpaces(dateTimeFormat(locale, timeZone, 'long').formatRange(startMs, endMs));
}

/** "Dienstag, 1. Dezember um 10:00": the start for a subject line. */
export function formatSubjectDate(ms: number, locale: MailLocale, timeZone: string): string {
  return unusualSpaces(dateTimeFormat(locale, timeZone, 'subject').format(ms));
}

/** The arguments of the `reminderLead` message. */
export type LeadValues =
  | { unit: 'week' | 'day' | 'hour' | 'minute'; count: number }
  | { unit: 'mixed'; hours: number; minutes: number };

/**
 * A reminder lead ("P1D", "P2W", "PT2H", "PT1H30M", the forms reminder policies allow) as the
 * arguments of the `reminderLead` message, in the largest unit that states it exactly: "P7D" reads
 * "in a week", "PT120M" "in 2 hours", "PT90M" "in an hour and 30 minutes". Days and weeks stay
 * calendar days: "P1D" is "tomorrow", not "in 24 hours". Anything else (months, seconds,
 * fractions, days mixed with hours) is a RangeError rather than a guess.
 */
export function leadValues(lead: string): LeadValues {
  const duration = Duration.fromISO(lead);
  const fail = (): never => {
    throw new RangeError(`reminderLead must be whole weeks, whole days, or hours and minutes ("P1D", "PT2H"), got "${lead}"`);
  };
  if (!duration.isValid) return fail();
  const { years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds } = duration.toObject();
  const parts = [years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds];
  if (parts.some((part) => part !== undefined && (!Number.isInteger(part) || part < 0))) return fail();
  if (years || quarters || months || seconds || milliseconds) return fail();

  const calendarDays = (weeks ?? 0) * 7 + (days ?? 0);
  const exactMinutes = (hours ?? 0) * 60 + (minutes ?? 0);
  if (calendarDays > 0 && exactMinutes > 0) return fail();
  if (calendarDays > 0) return calendarDays % 7 === 0 ? { unit: 'week', count: calendarDays / 7 } : { unit: 'day', count: calendarDays };
  if (exactMinutes === 0) return fail();
  if (exactMinutes % 60 === 0) return { unit: 'hour', count: exactMinutes / 60 };
  if (exactMinutes < 60) return { unit: 'minute', count: exactMinutes };
  return { unit: 'mixed', hours: Math.floor(exactMinutes / 60), minutes: exactMinutes % 60 };
}

/**
 * A link that goes into an href: only http(s) is linked, so a `javascript:` or `data:` URL that
 * reached a mail's input by mistake cannot become a clickable script. `field` names the input.
 */
export function httpUrl(url: string, field: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new RangeError(`${field} is not a URL: "${url}"`);
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw new RangeError(`${field} must be http or https, got "${protocol}"`);
  return url;
}
