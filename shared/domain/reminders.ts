import { IANAZone } from 'luxon';
import { instantOfWall, wallOf } from './wall-time.ts';
import * as z from 'zod';

/**
 * When appointment reminders are due: a tenant's policy (leads before the start, quiet hours)
 * applied to one appointment in the provider's zone. Pure: the clock reading comes in as `now`.
 *
 * Wall times are resolved the way slots.ts resolves working hours: a time the clock skips (DST
 * gap) becomes the instant of the jump, a time the clock shows twice becomes its first
 * occurrence. The resolution works on the zone's offsets directly instead of importing slots.ts:
 * schemas.ts imports this module (for the tenant setting) and slots.ts imports schemas.ts, so an
 * import of slots.ts here would close a cycle in which slots.ts runs before schemas.ts has
 * defined UNIT_MINUTES. tests/unit/reminders.test.ts checks that both agree on gaps and repeats.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const MAX_REMINDERS = 3;
export const MAX_LEAD_DAYS = 14;

/**
 * A lead before the start. Whole days (and weeks) are calendar days: the reminder keeps the
 * appointment's local wall time. Hours and minutes are exact durations.
 */
type Lead = { kind: 'days'; days: number } | { kind: 'exact'; ms: number };

/** "P1D", "P2W", "PT2H", "PT30M", "PT1H30M": days or weeks alone, or hours and/or minutes alone. */
const LEAD_PATTERN = /^P(?:(\d{1,4})W|(\d{1,4})D|T(?=\d)(?:(\d{1,5})H)?(?:(\d{1,6})M)?)$/;

function parseLead(text: string): Lead | undefined {
  const match = LEAD_PATTERN.exec(text);
  if (!match) return undefined;
  const [, weeks, days, hours, minutes] = match;
  if (weeks !== undefined) return { kind: 'days', days: Number(weeks) * 7 };
  if (days !== undefined) return { kind: 'days', days: Number(days) };
  return { kind: 'exact', ms: Number(hours ?? 0) * HOUR_MS + Number(minutes ?? 0) * MINUTE_MS };
}

/** The nominal length of a lead, for the 14-day limit: a calendar day counts as 24 hours. */
const nominalMs = (lead: Lead): number => (lead.kind === 'days' ? lead.days * DAY_MS : lead.ms);

/** Two leads mean the same thing: "PT60M" = "PT1H", "P7D" = "P1W"; "P1D" ≠ "PT24H" across a DST change. */
const leadKey = (lead: Lead): string => (lead.kind === 'days' ? `days:${lead.days}` : `exact:${lead.ms}`);

const leadSchema = z.string().superRefine((text, ctx) => {
  const lead = parseLead(text);
  if (!lead) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an ISO-8601 duration of whole days or weeks ("P1D", "P1W") or of hours and minutes ("PT2H", "PT30M")',
    });
  } else if (nominalMs(lead) === 0) {
    ctx.addIssue({ code: 'custom', message: 'must be longer than zero' });
  } else if (nominalMs(lead) > MAX_LEAD_DAYS * DAY_MS) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_LEAD_DAYS} days ("P${MAX_LEAD_DAYS}D")` });
  }
});

/** A wall-clock time "HH:mm" from 00:00 to 23:59 (any minute: quiet hours need not be on the slot grid). */
const wallTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm between 00:00 and 23:59');

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Local wall times in the provider's zone; start > end wraps past midnight (21:00-08:00). */
/** Quiet hours are a night, not a day: a window this long or longer would leave almost no time to remind in. */
export const MAX_QUIET_HOURS = 16;

export const quietHoursSchema = z
  .strictObject({ start: wallTimeSchema, end: wallTimeSchema })
  .refine((q) => q.start !== q.end, { message: 'quiet hours must end at a different time than they start', path: ['end'] })
  // Only judged once both times are valid (their own messages say what is wrong otherwise).
  .refine((q) => !Number.isFinite(quietLengthMinutes(q)) || quietLengthMinutes(q) <= MAX_QUIET_HOURS * 60, {
    message: `quiet hours may last at most ${MAX_QUIET_HOURS} hours`,
    path: ['end'],
  });

/** The length of a quiet window in minutes (it may wrap past midnight). */
export function quietLengthMinutes(q: { start: string; end: string }): number {
  const minutes = (hhmm: string) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(hhmm) ? Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) : Number.NaN);
  return (minutes(q.end) - minutes(q.start) + 1440) % 1440;
}

export const reminderPolicySchema = z.strictObject({
  /** How long before the start each reminder goes out; [] sends none. */
  before: z
    .array(leadSchema)
    .max(MAX_REMINDERS, `at most ${MAX_REMINDERS} reminders`)
    .superRefine((list, ctx) => {
      const seen = new Map<string, string>();
      list.forEach((text, index) => {
        const lead = parseLead(text);
        if (!lead) return;
        const earlier = seen.get(leadKey(lead));
        if (earlier !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [index],
            message: earlier === text ? `"${text}" is listed twice` : `"${text}" is the same as "${earlier}"`,
          });
        } else {
          seen.set(leadKey(lead), text);
        }
      });
    }),
  /** No reminder goes out while these show on the provider's clock; see reminderTimes. */
  quietHours: quietHoursSchema.optional(),
});

export type QuietHours = z.infer<typeof quietHoursSchema>;
export type ReminderPolicy = z.infer<typeof reminderPolicySchema>;

/** What a tenant without a `reminders` setting gets: the day before and two hours before, not at night. */
export const DEFAULT_REMINDER_POLICY: Readonly<{ before: readonly string[]; quietHours: Readonly<QuietHours> }> = Object.freeze({
  before: Object.freeze(['P1D', 'PT2H']),
  quietHours: Object.freeze({ start: '21:00', end: '08:00' }),
});

export interface ReminderRequest {
  /** The appointment's start (epoch ms). */
  start: number;
  /** The provider's IANA zone: day leads and quiet hours are wall times there. */
  zone: string;
  policy: Readonly<{ before: readonly string[]; quietHours?: Readonly<QuietHours> | undefined }>;
  /** The clock's reading (epoch ms); reminders due at or before it are not sent late. */
  now: number;
}

export interface ReminderTime {
  /** The lead as the policy writes it ("P1D"). */
  lead: string;
  /** When to send (epoch ms). */
  at: number;
}

/**
 * The reminders to send for one appointment, sorted by time.
 *
 * - "P<n>D" / "P<n>W": the appointment's local wall time n calendar days earlier (a 10:00
 *   appointment the day after a DST change is reminded at 10:00 the day before); a wall time the
 *   clock skips that day becomes the jump, one it shows twice its first occurrence.
 * - "PT…H…M": exactly that long before the start.
 * - Quiet hours: a reminder whose local wall time lies in [start, end) (so one at exactly the
 *   start is quiet, one at exactly the end is not) moves EARLIER, to one minute before the
 *   quiet period it falls in begins: with 21:00-08:00, 06:30 becomes 20:59 the evening before.
 *   Earlier rather than later because a reminder that arrives after the night may come too late
 *   to act on (a 08:30 appointment, a 2-hour reminder); the period begins at the first instant
 *   the clock shows the quiet start on that evening's date (the jump, if a DST gap skips it).
 * - Skipped: a reminder (after any move) at or before `now`, since late reminders are not sent,
 *   and one at or after the start.
 * - Leads that land on the same instant (typically two moved to the same 20:59) become one, with
 *   the longer lead: the one planned earlier before any move; on a tie, the one listed first.
 */
export function reminderTimes({ start, zone, policy, now }: ReminderRequest): ReminderTime[] {
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`unknown time zone "${zone}"`);
  const tz = IANAZone.create(zone);
  const quiet = policy.quietHours && { start: minutesOf(policy.quietHours.start) * MINUTE_MS, end: minutesOf(policy.quietHours.end) * MINUTE_MS };

  const byInstant = new Map<number, { lead: string; at: number; planned: number }>();
  for (const text of policy.before) {
    const lead = parseLead(text);
    if (!lead) throw new RangeError(`not a reminder lead: "${text}"`);
    const planned = lead.kind === 'days' ? instantOfWall(wallOf(start, tz) - lead.days * DAY_MS, tz) : start - lead.ms;
    const at = quiet ? beforeQuietHours(planned, quiet, tz) : planned;
    if (at === undefined || at <= now || at >= start) continue;
    const kept = byInstant.get(at);
    // Listed order breaks ties: a later lead replaces a kept one only if planned strictly earlier.
    if (!kept || planned < kept.planned) byInstant.set(at, { lead: text, at, planned });
  }
  return [...byInstant.values()].sort((a, b) => a.at - b.at).map(({ lead, at }) => ({ lead, at }));
}

/**
 * The instant itself when its local wall time lies outside quiet hours; otherwise one minute
 * before the quiet period it falls in begins. Undefined only if no such time exists nearby (a
 * window of nearly a day whose start a DST gap at midnight skips), which no tested zone has.
 */
function beforeQuietHours(instant: number, quiet: { start: number; end: number }, tz: IANAZone): number | undefined {
  let at = instant;
  for (let moves = 0; moves < 3; moves += 1) {
    const wall = wallOf(at, tz);
    const dayStart = Math.floor(wall / DAY_MS) * DAY_MS;
    const ofDay = wall - dayStart;
    let periodDay: number;
    if (quiet.start < quiet.end) {
      if (ofDay < quiet.start || ofDay >= quiet.end) return at;
      periodDay = dayStart;
    } else if (ofDay >= quiet.start) {
      periodDay = dayStart;
    } else if (ofDay < quiet.end) {
      // After midnight in a window that wraps: the period began the evening before.
      periodDay = dayStart - DAY_MS;
    } else {
      return at;
    }
    at = instantOfWall(periodDay + quiet.start, tz) - MINUTE_MS;
  }
  return undefined;
}
