import fc from 'fast-check';
import { DateTime, IANAZone, Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import { weekdays, type DateException, type TimeRange, type WeeklyHours } from '#shared/domain/schemas';
import {
  checkRequestedStart,
  claimSpan,
  computeOpenSlots,
  localDateOf,
  UNIT_MS,
  unitsBySheet,
  unitsCovering,
  type OpenSlot,
  type ProviderCalendar,
  type SlotRules,
  type SlotWindow,
} from '#shared/domain/slots';
import { DAY, DST_DAYS, MINUTE, ZONES } from './support.ts';

/**
 * Invariants of the slot engine over random schedules, bookings and windows, in six zones, on
 * random days of 2026 with the DST change days over-represented.
 */

const RUNS = { numRuns: 150 };

const hhmm = (unit: number): string => `${String(Math.floor(unit / 12)).padStart(2, '0')}:${String((unit % 12) * 5).padStart(2, '0')}`;

/** A range boundary in 5-minute units of the day; often in the night hours where clocks change. */
const boundaryArb = fc.oneof(fc.integer({ min: 0, max: 288 }), fc.integer({ min: 12, max: 42 }));

/** 0-3 sorted, disjoint ranges on the 5-minute grid, "24:00" included. */
const dayHoursArb: fc.Arbitrary<TimeRange[]> = fc
  .uniqueArray(boundaryArb, { maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const ranges: TimeRange[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push([hhmm(sorted[i] ?? 0), hhmm(sorted[i + 1] ?? 0)]);
    return ranges;
  });

const weeklyArb: fc.Arbitrary<WeeklyHours> = fc.record({
  mon: dayHoursArb,
  tue: dayHoursArb,
  wed: dayHoursArb,
  thu: dayHoursArb,
  fri: dayHoursArb,
  sat: dayHoursArb,
  sun: dayHoursArb,
});

const dateArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...DST_DAYS),
  fc.integer({ min: 0, max: 364 }).map((d) => DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days: d }).toISODate() as string),
);

/** A zone and a day: any of the six on any day, or a zone on one of its own DST change days. */
const zoneDateArb = fc.oneof(
  fc.record({ zone: fc.constantFrom(...ZONES), date: dateArb }),
  fc.constantFrom(
    ...[
      ['Europe/Berlin', '2026-03-29'],
      ['Europe/Berlin', '2026-10-25'],
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
      ['Australia/Sydney', '2026-04-05'],
      ['Australia/Sydney', '2026-10-04'],
      ['Australia/Lord_Howe', '2026-04-05'],
      ['Australia/Lord_Howe', '2026-10-04'],
    ].map(([zone = '', date = '']) => ({ zone, date })),
  ),
);

const shiftDate = (date: string, days: number): string => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;

const rulesArb: fc.Arbitrary<SlotRules> = fc.record({
  durationMinutes: fc.integer({ min: 1, max: 36 }).map((n) => n * 5),
  bufferBeforeMinutes: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
  bufferAfterMinutes: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
  slotIntervalMinutes: fc.option(fc.integer({ min: 1, max: 24 }).map((n) => n * 5), { nil: undefined }),
  minNoticeMinutes: fc.integer({ min: 0, max: 24 * 60 }),
  horizonDays: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(400)),
  maxPerDayPerProvider: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
});

interface Scenario {
  zone: string;
  date: string;
  calendar: ProviderCalendar;
  rules: SlotRules;
  window: SlotWindow;
}

/** A provider, its bookings and blocks around a date, and a window of up to two days near it. */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    zoneDate: zoneDateArb,
    weeklyHours: weeklyArb,
    exceptionDays: fc.uniqueArray(fc.integer({ min: -1, max: 2 }), { maxLength: 2 }),
    exceptionHours: fc.array(dayHoursArb, { minLength: 2, maxLength: 2 }),
    rules: rulesArb,
    taken: fc.array(
      fc.record({
        offsetUnits: fc.integer({ min: -288, max: 3 * 288 }),
        lengthUnits: fc.integer({ min: 1, max: 30 }),
        owner: fc.constantFrom('booking-a', 'booking-b', 'block-1'),
      }),
      { maxLength: 8 },
    ),
    counts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
    fromMinutes: fc.integer({ min: -24 * 60, max: 24 * 60 }),
    lengthMinutes: fc.integer({ min: 1, max: 48 * 60 }),
    nowMinutes: fc.integer({ min: -3 * 24 * 60, max: 12 * 60 }),
  })
  .map(({ zoneDate: { zone, date }, ...r }) => ({ ...r, zone, date }))
  .map((r) => {
    const midnight = DateTime.fromISO(r.date, { zone: r.zone }).toMillis();
    const exceptions: DateException[] = r.exceptionDays.map((d, i) => ({ date: shiftDate(r.date, d), hours: r.exceptionHours[i] ?? [] }));
    const taken = new Map<number, string>();
    for (const t of r.taken) {
      const first = Math.floor(midnight / UNIT_MS) * UNIT_MS + t.offsetUnits * UNIT_MS;
      for (let k = 0; k < t.lengthUnits; k += 1) taken.set(first + k * UNIT_MS, t.owner);
    }
    const bookingsPerDay = new Map(r.counts.map((count, i) => [shiftDate(r.date, i - 1), count] as const));
    const from = midnight + r.fromMinutes * MINUTE;
    return {
      zone: r.zone,
      date: r.date,
      calendar: { providerId: 'p1', timeZone: r.zone, weeklyHours: r.weeklyHours, exceptions, taken, bookingsPerDay },
      rules: r.rules,
      window: { from, to: from + r.lengthMinutes * MINUTE, now: from + r.nowMinutes * MINUTE },
    };
  });

const withTaken = (calendar: ProviderCalendar, taken: ReadonlyMap<number, string>): ProviderCalendar => ({ ...calendar, taken });

/**
 * Provider-local wall readings of every 5-minute unit from two days before the window to a day
 * after it, read back with luxon, as a running maximum: during a fall-back hour the clock repeats
 * times, but a range that has begun stays begun. Wall readings are "local ms": days × DAY + time.
 */
function wallReadings(zone: string, window: SlotWindow): (instant: number) => number {
  const iana = IANAZone.create(zone);
  const first = Math.floor((window.from - 2 * DAY) / UNIT_MS) * UNIT_MS;
  const readings: number[] = [];
  let max = -Infinity;
  for (let unit = first; unit < window.to + DAY; unit += UNIT_MS) {
    max = Math.max(max, unit + iana.offset(unit) * MINUTE);
    readings.push(max);
  }
  return (instant) => {
    const reading = readings[(instant - first) / UNIT_MS];
    if (reading === undefined) throw new Error('instant outside the scanned span');
    return reading;
  };
}

/** The declared ranges of a local date (exceptions replace the weekly hours), in minutes. */
function declaredRanges(calendar: ProviderCalendar, localDay: number): Array<[number, number]> {
  const date = new Date(localDay * DAY).toISOString().slice(0, 10);
  const exception = calendar.exceptions.find((e) => e.date === date);
  const weekday = weekdays[(localDay + 3) % 7] ?? 'mon'; // 1970-01-01 was a Thursday
  const hours = exception ? exception.hours : calendar.weeklyHours[weekday];
  return hours.map(([s, e]) => {
    const [sh = 0, sm = 0] = s.split(':').map(Number);
    const [eh = 0, em = 0] = e.split(':').map(Number);
    return [sh * 60 + sm, eh * 60 + em];
  });
}

const startsOf = (slots: readonly OpenSlot[]) => slots.map((s) => s.start);

describe('slot engine invariants', () => {
  it('never offers a slot whose claim (appointment plus buffers) covers a taken unit', () => {
    fc.assert(
      fc.property(scenarioArb, ({ calendar, rules, window }) => {
        for (const slot of computeOpenSlots(calendar, rules, window)) {
          const [from, to] = claimSpan(slot.start, rules);
          for (const unit of unitsCovering(from, to)) expect(calendar.taken.has(unit)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('puts every slot inside one declared working range of its provider-local date, read back with luxon', () => {
    fc.assert(
      fc.property(scenarioArb, ({ zone, calendar, rules, window }) => {
        const slots = computeOpenSlots(calendar, rules, { ...window, ignoreTaken: true });
        const wall = wallReadings(zone, window);
        for (const slot of slots) {
          const first = wall(slot.start);
          const last = wall(slot.end - UNIT_MS);
          const localDay = Math.floor(first / DAY);
          const minuteOfStart = (first - localDay * DAY) / MINUTE;
          const minuteAfterEnd = (last - localDay * DAY) / MINUTE + 5;
          const inside = declaredRanges(calendar, localDay).some(([s, e]) => s <= minuteOfStart && minuteAfterEnd <= e);
          expect(inside, `slot ${new Date(slot.start).toISOString()} in ${zone}`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('returns sorted, distinct slots on the 5-minute grid, each exactly as long as the service', () => {
    fc.assert(
      fc.property(scenarioArb, ({ calendar, rules, window }) => {
        const slots = computeOpenSlots(calendar, rules, window);
        const earliest = Math.max(window.from, window.now + rules.minNoticeMinutes * MINUTE);
        slots.forEach((slot, i) => {
          expect(slot.end - slot.start).toBe(rules.durationMinutes * MINUTE);
          expect(slot.start % UNIT_MS).toBe(0);
          expect(slot.start).toBeGreaterThanOrEqual(earliest);
          expect(slot.start).toBeLessThan(window.to);
          if (i > 0) expect(slot.start).toBeGreaterThan(slots[i - 1]?.start ?? Infinity);
        });
      }),
      RUNS,
    );
  });

  it('gives the same slots for a window as for any split of it into two', () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ calendar, rules, window }, fraction) => {
        const mid = Math.round(window.from + (window.to - window.from) * fraction);

        const whole = computeOpenSlots(calendar, rules, window);
        const parts = [...computeOpenSlots(calendar, rules, { ...window, to: mid }), ...computeOpenSlots(calendar, rules, { ...window, from: mid })];

        expect(parts).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('gives the same slots whatever the viewer zone whose days frame the window', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(...ZONES), fc.constantFrom(...ZONES), ({ date, calendar, rules, window }, viewerA, viewerB) => {
        const a = shifted(viewerA, date, 0);
        const b = shifted(viewerB, date, 0);
        const inOverlap = (slot: OpenSlot) => slot.start >= Math.max(a.from, b.from) && slot.start < Math.min(a.to, b.to);

        const seenByA = computeOpenSlots(calendar, rules, { ...window, ...a });
        const seenByB = computeOpenSlots(calendar, rules, { ...window, ...b });
        const threeDaysOfA = [-1, 0, 1].flatMap((d) => computeOpenSlots(calendar, rules, { ...window, ...shifted(viewerA, date, d) }));
        const spanOfA = computeOpenSlots(calendar, rules, { ...window, from: shifted(viewerA, date, -1).from, to: shifted(viewerA, date, 1).to });

        expect(seenByA.filter(inOverlap)).toEqual(seenByB.filter(inOverlap));
        expect(threeDaysOfA).toEqual(spanOfA);
      }),
      RUNS,
    );
  });

  it('is back where it was after a booking and its cancellation, and does not offer the slot while booked', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ zone, calendar, rules, window }, pick) => {
        const before = computeOpenSlots(calendar, rules, window);
        fc.pre(before.length > 0);
        const slot = before[pick % before.length] as OpenSlot;
        const [from, to] = claimSpan(slot.start, rules);
        const sheets = unitsBySheet(unitsCovering(from, to), zone);

        // Book: claim the units on each day sheet and count the booking on its start's day.
        const booked = new Map(calendar.taken);
        for (const [sheetDate, units] of sheets) {
          for (const unit of units) {
            expect(localDateOf(unit, zone)).toBe(sheetDate);
            expect(booked.has(unit)).toBe(false);
            booked.set(unit, 'new-booking');
          }
        }
        const startDate = localDateOf(slot.start, zone);
        const counts = new Map(calendar.bookingsPerDay);
        counts.set(startDate, (counts.get(startDate) ?? 0) + 1);
        const whileBooked = computeOpenSlots({ ...withTaken(calendar, booked), bookingsPerDay: counts }, rules, window);

        // Cancel: release the same units and the count.
        const released = new Map(booked);
        for (const units of sheets.values()) for (const unit of units) released.delete(unit);
        const cancelledCounts = new Map(counts);
        cancelledCounts.set(startDate, (cancelledCounts.get(startDate) ?? 1) - 1);
        const after = computeOpenSlots({ ...withTaken(calendar, released), bookingsPerDay: cancelledCounts }, rules, window);

        expect(startsOf(whileBooked)).not.toContain(slot.start);
        expect(startsOf(whileBooked).every((s) => startsOf(before).includes(s))).toBe(true);
        expect(after).toEqual(before);
      }),
      RUNS,
    );
  });

  it('offers a booked slot again to its own booking when that owner is ignored (rescheduling)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ calendar, rules, window }, pick) => {
        const noLimit = { ...rules, maxPerDayPerProvider: undefined };
        const before = computeOpenSlots(calendar, noLimit, window);
        fc.pre(before.length > 0);
        const slot = before[pick % before.length] as OpenSlot;
        const [from, to] = claimSpan(slot.start, rules);
        const booked = new Map(calendar.taken);
        for (const unit of unitsCovering(from, to)) booked.set(unit, 'moving');

        const ignoring = computeOpenSlots(withTaken(calendar, booked), noLimit, { ...window, ignoreOwner: 'moving' });

        expect(ignoring).toEqual(before);
      }),
      RUNS,
    );
  });

  it('accepts a requested start exactly when the schedule alone offers it', () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ calendar, rules, window }, fraction) => {
        const schedule = computeOpenSlots(calendar, rules, { ...window, ignoreTaken: true });
        const grid = Math.floor((window.from + (window.to - window.from) * fraction) / UNIT_MS) * UNIT_MS;
        const candidates = [...startsOf(schedule).slice(0, 5), grid].filter((s) => s >= window.from && s < window.to);

        for (const start of candidates) {
          const result = checkRequestedStart(calendar, rules, start, window.now);
          expect(result.ok, new Date(start).toISOString()).toBe(startsOf(schedule).includes(start));
        }
      }),
      RUNS,
    );
  });

  it('gives the same slots whatever the real clock reads', () => {
    const original = Settings.now;
    try {
      fc.assert(
        fc.property(scenarioArb, fc.integer({ min: 0, max: 364 }), ({ calendar, rules, window }, dayOfYear) => {
          Settings.now = () => Date.UTC(2026, 0, 1) + dayOfYear * DAY;
          const one = computeOpenSlots(calendar, rules, window);
          Settings.now = () => Date.UTC(2026, 0, 1) + ((dayOfYear + 182) % 365) * DAY;
          const other = computeOpenSlots(calendar, rules, window);

          expect(other).toEqual(one);
        }),
        RUNS,
      );
    } finally {
      Settings.now = original;
    }
  });
});

/** A viewer's local day `days` after `date`. */
function shifted(zone: string, date: string, days: number): { from: number; to: number } {
  const start = DateTime.fromISO(date, { zone }).plus({ days });
  return { from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
}
