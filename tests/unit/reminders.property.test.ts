import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { MAX_QUIET_HOURS, quietLengthMinutes, reminderPolicySchema, reminderTimes, type QuietHours, type ReminderPolicy, type ReminderTime } from '#shared/domain/reminders';
import { DAY, DST_DAYS, HOUR, MINUTE, ZONES } from './support.ts';

/**
 * Invariants of reminderTimes over random appointments in 2026 (DST change days
 * over-represented), random policies and random clocks, in the six zones of the slot tests.
 * Local wall times are read back with luxon, independently of the code under test.
 */

const RUNS = { numRuns: 400 };

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The 2026 DST change days of each zone that has them. */
const DST_DAYS_OF: Record<string, readonly string[]> = {
  'Europe/Berlin': ['2026-03-29', '2026-10-25'],
  'America/New_York': ['2026-03-08', '2026-11-01'],
  'Australia/Sydney': ['2026-04-05', '2026-10-04'],
  'Australia/Lord_Howe': ['2026-04-05', '2026-10-04'],
};

/**
 * A zone and an appointment start: anywhere in 2026 on the 5-minute grid, or (to reach the wall
 * times a DST change skips or repeats) a local time, often in the night hours, on a day up to
 * three days after one of that zone's own change days.
 */
const zoneStartArb: fc.Arbitrary<{ zone: string; start: number }> = fc.oneof(
  fc.record({
    zone: fc.constantFrom(...ZONES),
    start: fc.oneof(
      fc.integer({ min: 0, max: 365 * 288 - 1 }).map((unit) => Date.parse('2026-01-01T00:00:00Z') + unit * 5 * MINUTE),
      fc.integer({ min: 0, max: 365 * 24 - 1 }).map((hour) => Date.parse('2026-01-01T00:00:00Z') + hour * HOUR),
      fc
        .record({ day: fc.constantFrom(...DST_DAYS), unit: fc.integer({ min: -3 * 288, max: 3 * 288 }) })
        .map(({ day, unit }) => Date.parse(`${day}T00:00:00Z`) + unit * 5 * MINUTE),
    ),
  }),
  fc
    .record({
      zone: fc.constantFrom(...Object.keys(DST_DAYS_OF)),
      which: fc.integer({ min: 0, max: 1 }),
      daysAfter: fc.integer({ min: 0, max: 3 }),
      minuteOfDay: fc.oneof(fc.integer({ min: 0, max: 287 }).map((u) => u * 5), fc.integer({ min: 12, max: 48 }).map((u) => u * 5)),
    })
    .map(({ zone, which, daysAfter, minuteOfDay }) => {
      const noon = Date.parse(`${DST_DAYS_OF[zone]?.[which] ?? ''}T12:00:00Z`) + daysAfter * DAY;
      // From the day's own offset (fromObject would guess from the real clock, so runs would differ by season);
      // a wall time the clock skips comes out after the gap, which is still a valid start.
      const local = DateTime.fromMillis(noon, { zone }).startOf('day').set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 });
      return { zone, start: local.toMillis() };
    }),
);

const leadArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((days) => `P${days}D`),
  fc.integer({ min: 1, max: 14 }).map((days) => `P${days}D`),
  fc.integer({ min: 1, max: 2 }).map((weeks) => `P${weeks}W`),
  fc.integer({ min: 1, max: 72 }).map((hours) => `PT${hours}H`),
  fc.integer({ min: 1, max: 24 * 60 }).map((minutes) => `PT${minutes}M`),
  fc.record({ hours: fc.integer({ min: 1, max: 48 }), minutes: fc.integer({ min: 1, max: 59 }) }).map(({ hours, minutes }) => `PT${hours}H${minutes}M`),
);

/** Any minute of the day, a whole hour (where reminders often land exactly), or a minute in the night hours where clocks change. */
const clockArb = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 23 }).map((h) => h * 60), fc.integer({ min: 60, max: 240 }));

const quietArb: fc.Arbitrary<QuietHours | undefined> = fc.option(
  fc
    .tuple(clockArb, clockArb)
    .filter(([start, end]) => start !== end)
    .map(([start, end]) => ({ start: hhmm(start), end: hhmm(end) }))
    // Valid policies only (quietHoursSchema): at most MAX_QUIET_HOURS long.
    .filter((q) => quietLengthMinutes(q) <= MAX_QUIET_HOURS * 60),
  { nil: undefined },
);

/** Valid policies only: the schema removes duplicate spellings ("PT60M" and "PT1H"). */
const policyArb: fc.Arbitrary<ReminderPolicy> = fc
  .record({ before: fc.uniqueArray(leadArb, { maxLength: 3 }), quietHours: quietArb })
  .map(({ before, quietHours }) => (quietHours ? { before, quietHours } : { before }))
  .filter((policy) => reminderPolicySchema.safeParse(policy).success);

interface Case {
  zone: string;
  start: number;
  policy: ReminderPolicy;
  now: number;
}

/** A clock anywhere from 15 days before the appointment to an hour after it, or long before. */
const caseArb: fc.Arbitrary<Case> = fc
  .record({ zoneStart: zoneStartArb, policy: policyArb, nowBefore: fc.oneof(fc.integer({ min: -HOUR, max: 15 * DAY }), fc.constant(30 * DAY)) })
  .map(({ zoneStart, policy, nowBefore }) => ({ ...zoneStart, policy, now: zoneStart.start - nowBefore }));

/** The same, with the clock long before any reminder could be due: nothing may be skipped as late. */
const earlyCaseArb: fc.Arbitrary<Case> = caseArb.map((c) => ({ ...c, now: c.start - 30 * DAY }));

const run = (c: Case): ReminderTime[] => reminderTimes(c);

const wall = (instant: number, zone: string) => DateTime.fromMillis(instant, { zone });
const minuteOfDay = (instant: number, zone: string): number => {
  const local = wall(instant, zone);
  return local.hour * 60 + local.minute;
};

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const isQuiet = (instant: number, zone: string, quiet: QuietHours): boolean => {
  const m = minuteOfDay(instant, zone);
  const [start, end] = [minutesOf(quiet.start), minutesOf(quiet.end)];
  return start < end ? m >= start && m < end : m >= start || m < end;
};

const dayLead = (lead: string): number | undefined => {
  const match = /^P(\d+)([DW])$/.exec(lead);
  return match ? Number(match[1]) * (match[2] === 'W' ? 7 : 1) : undefined;
};
const exactLeadMs = (lead: string): number | undefined => {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(lead);
  return match ? Number(match[1] ?? 0) * HOUR + Number(match[2] ?? 0) * MINUTE : undefined;
};

/** The clock jumps forward at this instant, skipping the wall times after the minute before it and before this one. */
const skipsTo = (instant: number, zone: string, minute: number): boolean =>
  wall(instant, zone).offset > wall(instant - MINUTE, zone).offset && minuteOfDay(instant - MINUTE, zone) < minute && minute <= minuteOfDay(instant, zone);

describe('reminderTimes, for any appointment, policy and clock', () => {
  it('sends every reminder after now and before the start', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        for (const r of run(c)) {
          expect(r.at).toBeGreaterThan(c.now);
          expect(r.at).toBeLessThan(c.start);
        }
      }),
      RUNS,
    );
  });

  it('sends no reminder while quiet hours show on the provider\'s clock', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const quiet = c.policy.quietHours;
        if (!quiet) return;
        for (const r of run(c)) expect(isQuiet(r.at, c.zone, quiet), `${r.lead} at ${wall(r.at, c.zone).toISO()}`).toBe(false);
      }),
      RUNS,
    );
  });

  it('returns reminders sorted by time, each instant and each lead once, every lead from the policy', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const result = run(c);
        result.forEach((r, i) => {
          if (i > 0) expect(r.at).toBeGreaterThan(result[i - 1]?.at ?? -Infinity);
          expect(c.policy.before).toContain(r.lead);
        });
        expect(new Set(result.map((r) => r.lead)).size).toBe(result.length);
      }),
      RUNS,
    );
  });

  it('keeps the local wall time for day leads, n calendar days earlier, unless the clock skips it or quiet hours moved it', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const start = wall(c.start, c.zone);
        for (const r of run(c)) {
          const days = dayLead(r.lead);
          if (days === undefined) continue;
          const reminder = wall(r.at, c.zone);
          const day = start.startOf('day').minus({ days }).toISODate();
          const sameWallTime = reminder.toISODate() === day && reminder.hour === start.hour && reminder.minute === start.minute;
          if (sameWallTime) {
            // The first occurrence of a wall time the clock shows twice: not also shown up to an hour earlier.
            for (const back of [30 * MINUTE, HOUR]) expect(wall(r.at - back, c.zone).toFormat('yyyy-MM-dd HH:mm')).not.toBe(reminder.toFormat('yyyy-MM-dd HH:mm'));
            continue;
          }
          // Moved: one minute before the quiet start, or before the jump when the clock skips the quiet start.
          const quietStart = c.policy.quietHours && minutesOf(c.policy.quietHours.start);
          const movedByQuietHours =
            quietStart !== undefined && (minuteOfDay(r.at + MINUTE, c.zone) === quietStart || skipsTo(r.at + MINUTE, c.zone, quietStart));
          // Skipped: the start's wall time does not exist that day, so the reminder is the jump.
          const skippedByClock = reminder.toISODate() === day && skipsTo(r.at, c.zone, start.hour * 60 + start.minute);
          expect(movedByQuietHours || skippedByClock, `${r.lead} for ${start.toISO()} at ${reminder.toISO()}`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('keeps exact leads exact without quiet hours, and only ever moves them earlier, by less than two days, with them', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const result = run(c);
        for (const lead of c.policy.before) {
          const ms = exactLeadMs(lead);
          if (ms === undefined) continue;
          const planned = c.start - ms;
          const mine = result.find((r) => r.lead === lead);
          if (!c.policy.quietHours) {
            // Sent at exactly that lead, unless it was due by now or collapsed into another lead at the same instant.
            if (planned > c.now) expect(result.some((r) => r.at === planned)).toBe(true);
            if (mine) expect(mine.at).toBe(planned);
          } else if (mine) {
            expect(mine.at).toBeLessThanOrEqual(planned);
            // Usually less than a day. Found by this property: quiet hours 02:01-02:00 leave one free
            // minute a day, and on Berlin's spring-forward day that minute does not exist, so a
            // reminder that evening moves back to the free minute of the day before (~44 h).
            expect(mine.at).toBeGreaterThan(planned - 2 * DAY);
          }
        }
      }),
      RUNS,
    );
  });

  it('sends every lead when the clock is early: exactly on time outside quiet hours, else one minute before they begin', () => {
    fc.assert(
      fc.property(earlyCaseArb, (c) => {
        const result = run(c);
        const quiet = c.policy.quietHours;
        for (const lead of c.policy.before) {
          const ms = exactLeadMs(lead);
          if (ms === undefined) continue;
          const planned = c.start - ms;
          if (!quiet || !isQuiet(planned, c.zone, quiet)) {
            // On time; the lead may have collapsed into another one at the same instant.
            expect(result.some((r) => r.at === planned), `${lead} at ${wall(planned, c.zone).toISO()}`).toBe(true);
          } else {
            // Moved earlier, by less than a day, to a minute whose next minute is quiet.
            const moved = result.find((r) => r.at < planned && r.at > planned - DAY && isQuiet(r.at + MINUTE, c.zone, quiet));
            expect(moved, `${lead} at ${wall(planned, c.zone).toISO()}`).toBeDefined();
          }
        }
      }),
      RUNS,
    );
  });

  it('does not send a reminder due exactly now, but sends every later one', () => {
    fc.assert(
      fc.property(earlyCaseArb, (c) => {
        const all = run(c);
        for (const [i, r] of all.entries()) expect(run({ ...c, now: r.at })).toEqual(all.slice(i + 1));
      }),
      RUNS,
    );
  });

  it('only drops reminders as the clock advances, never moves them', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 15 * DAY }), (c, advance) => {
        const later = run({ ...c, now: c.now + advance });

        expect(later).toEqual(run(c).filter((r) => r.at > c.now + advance));
      }),
      RUNS,
    );
  });

  it('sends at the same instants whatever order the policy lists its leads in', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const forward = run(c);
        const backward = run({ ...c, policy: { ...c.policy, before: [...c.policy.before].reverse() } });

        expect(backward.map((r) => r.at)).toEqual(forward.map((r) => r.at));
      }),
      RUNS,
    );
  });
});
