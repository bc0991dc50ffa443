import { DateTime, Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, checkRequestedStart, computeOpenSlots, localDateOf, localMidnight, startOfLocalDate, unitsBySheet, unitsCovering, workingRanges } from '#shared/domain/slots';
import type { TimeRange } from '#shared/domain/schemas';
import { at, calendar, dayWindow, HOUR, iso, LONG_AGO, MINUTE, only, rules, starts } from './support.ts';

/**
 * DST and odd offsets, with concrete expected instants. Every DST day below is a Sunday.
 * Semantics of wall times that a DST change makes odd:
 * - a time the clock skips (spring forward) resolves to the jump: a range inside the gap is
 *   empty, and a range that starts in it starts when the clock jumps;
 * - a time the clock shows twice (fall back) resolves to its first occurrence.
 */

const sundayHours = (zone: string, ...ranges: TimeRange[]) => calendar({ zone, weeklyHours: only('sun', ...ranges) });
const slotsOn = (zone: string, date: string, ranges: TimeRange[], minutes = 60, interval?: number) =>
  computeOpenSlots(sundayHours(zone, ...ranges), rules({ durationMinutes: minutes, slotIntervalMinutes: interval }), {
    ...dayWindow(zone, date),
    now: LONG_AGO,
  });
const wall = (zone: string, instant: number) => DateTime.fromMillis(instant, { zone }).toFormat('HH:mm ZZ');

describe.each([
  { zone: 'Europe/Berlin', date: '2026-03-29', hours: 23, midnight: '2026-03-28T23:00:00Z', nextMidnight: '2026-03-29T22:00:00Z' },
  { zone: 'Europe/Berlin', date: '2026-10-25', hours: 25, midnight: '2026-10-24T22:00:00Z', nextMidnight: '2026-10-25T23:00:00Z' },
  { zone: 'America/New_York', date: '2026-03-08', hours: 23, midnight: '2026-03-08T05:00:00Z', nextMidnight: '2026-03-09T04:00:00Z' },
  { zone: 'America/New_York', date: '2026-11-01', hours: 25, midnight: '2026-11-01T04:00:00Z', nextMidnight: '2026-11-02T05:00:00Z' },
  { zone: 'Australia/Sydney', date: '2026-04-05', hours: 25, midnight: '2026-04-04T13:00:00Z', nextMidnight: '2026-04-05T14:00:00Z' },
  { zone: 'Australia/Sydney', date: '2026-10-04', hours: 23, midnight: '2026-10-03T14:00:00Z', nextMidnight: '2026-10-04T13:00:00Z' },
  { zone: 'Australia/Lord_Howe', date: '2026-04-05', hours: 24.5, midnight: '2026-04-04T13:00:00Z', nextMidnight: '2026-04-05T13:30:00Z' },
  { zone: 'Australia/Lord_Howe', date: '2026-10-04', hours: 23.5, midnight: '2026-10-03T13:30:00Z', nextMidnight: '2026-10-04T13:00:00Z' },
  { zone: 'Asia/Kolkata', date: '2026-03-29', hours: 24, midnight: '2026-03-28T18:30:00Z', nextMidnight: '2026-03-29T18:30:00Z' },
  { zone: 'UTC', date: '2026-03-29', hours: 24, midnight: '2026-03-29T00:00:00Z', nextMidnight: '2026-03-30T00:00:00Z' },
])('a whole working day in $zone on $date ($hours hours long)', ({ zone, date, hours, midnight, nextMidnight }) => {
  it('has exactly one 30-minute slot per half hour of absolute time, from midnight to midnight', () => {
    const slots = slotsOn(zone, date, [['00:00', '24:00']], 30);

    expect(slots).toHaveLength(hours * 2);
    expect(iso(slots[0]?.start ?? 0)).toBe(midnight);
    expect(iso(slots.at(-1)?.end ?? 0)).toBe(nextMidnight);
  });

  it('has back-to-back slots that are each exactly 30 minutes long', () => {
    const slots = slotsOn(zone, date, [['00:00', '24:00']], 30);

    slots.forEach((slot, i) => {
      expect(slot.end - slot.start).toBe(30 * MINUTE);
      if (i > 0) expect(slot.start).toBe(slots[i - 1]?.end);
    });
  });

  it(`has ${Math.floor(hours)} one-hour slots`, () => {
    expect(slotsOn(zone, date, [['00:00', '24:00']], 60)).toHaveLength(Math.floor(hours));
  });

  it('agrees with luxon on the length of the day', () => {
    const { from, to } = dayWindow(zone, date);

    expect((to - from) / HOUR).toBe(hours);
  });
});

describe('Europe/Berlin spring forward (2026-03-29, 02:00 CET -> 03:00 CEST at 01:00Z)', () => {
  const zone = 'Europe/Berlin';
  const date = '2026-03-29';

  it('gives 23 one-hour slots for a provider working 00:00-24:00', () => {
    const slots = slotsOn(zone, date, [['00:00', '24:00']]);

    expect(slots).toHaveLength(23);
    expect(slots.map((s) => wall(zone, s.start)).slice(0, 4)).toEqual(['00:00 +01:00', '01:00 +01:00', '03:00 +02:00', '04:00 +02:00']);
  });

  it('gives two hours of slots for 01:00-04:00 across the gap', () => {
    expect(starts(slotsOn(zone, date, [['01:00', '04:00']]))).toEqual(['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z']);
    expect(starts(slotsOn(zone, date, [['01:00', '04:00']], 60, 30))).toEqual([
      '2026-03-29T00:00:00Z',
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:00:00Z',
    ]);
  });

  it('starts a range that begins inside the gap when the clock jumps', () => {
    const slots = slotsOn(zone, date, [['02:30', '05:00']], 30);

    expect(starts(slots)).toEqual(['2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z', '2026-03-29T02:00:00Z', '2026-03-29T02:30:00Z']);
    expect(wall(zone, slots[0]?.start ?? 0)).toBe('03:00 +02:00');
  });

  it('offers nothing for a range that lies wholly inside the gap', () => {
    expect(slotsOn(zone, date, [['02:00', '02:30']], 30)).toEqual([]);
    expect(workingRanges(sundayHours(zone, ['02:00', '02:30']), date)).toEqual([]);
  });

  it('ends a range that ends inside the gap when the clock jumps, so it never overlaps the next range', () => {
    const slots = slotsOn(zone, date, [['00:00', '02:30'], ['03:00', '06:00']], 30);

    expect(new Set(slots.map((s) => s.start)).size).toBe(slots.length);
    expect(slots).toHaveLength(4 + 6);
    expect(workingRanges(sundayHours(zone, ['00:00', '02:30'], ['03:00', '06:00']), date).map(([s, e]) => [iso(s), iso(e)])).toEqual([
      ['2026-03-28T23:00:00Z', '2026-03-29T01:00:00Z'],
      ['2026-03-29T01:00:00Z', '2026-03-29T04:00:00Z'],
    ]);
  });

  it('explains a start in the hour the clock skips as outside working hours', () => {
    const cal = sundayHours(zone, ['09:00', '17:00']);

    // 02:30 local does not exist; 00:30Z is 01:30 CET, before opening.
    expect(checkRequestedStart(cal, rules(), at('2026-03-29T00:30:00Z'), LONG_AGO)).toEqual({ ok: false, reason: 'outside_working_hours' });
    expect(checkRequestedStart(cal, rules(), at('2026-03-29T07:00:00Z'), LONG_AGO)).toEqual({ ok: true });
  });
});

describe('Europe/Berlin fall back (2026-10-25, 03:00 CEST -> 02:00 CET at 01:00Z)', () => {
  const zone = 'Europe/Berlin';
  const date = '2026-10-25';

  it('gives 25 one-hour slots for a provider working 00:00-24:00, the 02:00 hour twice', () => {
    const slots = slotsOn(zone, date, [['00:00', '24:00']]);

    expect(slots).toHaveLength(25);
    expect(slots.map((s) => wall(zone, s.start)).slice(1, 5)).toEqual(['01:00 +02:00', '02:00 +02:00', '02:00 +01:00', '03:00 +01:00']);
  });

  it('gives four hours of slots for 01:00-04:00 across the repeated hour', () => {
    expect(starts(slotsOn(zone, date, [['01:00', '04:00']]))).toEqual([
      '2026-10-24T23:00:00Z',
      '2026-10-25T00:00:00Z',
      '2026-10-25T01:00:00Z',
      '2026-10-25T02:00:00Z',
    ]);
  });

  it('starts a range at the first occurrence of a repeated time', () => {
    const slots = slotsOn(zone, date, [['02:30', '04:00']], 30);

    // 02:30 CEST (00:30Z) until 04:00 CET (03:00Z): two and a half hours.
    expect(iso(slots[0]?.start ?? 0)).toBe('2026-10-25T00:30:00Z');
    expect(slots).toHaveLength(5);
  });

  it('ends a range at the first occurrence of a repeated time', () => {
    const slots = slotsOn(zone, date, [['00:00', '02:30']], 30);

    expect(iso(slots.at(-1)?.end ?? 0)).toBe('2026-10-25T00:30:00Z');
    expect(slots).toHaveLength(5);
  });

  it('keeps a 90-minute slot that spans the change exactly 90 minutes long', () => {
    const slots = slotsOn(zone, date, [['01:30', '03:00']], 90);

    // 01:30 CEST (23:30Z) to 03:00 CET (02:00Z) is 2.5 hours: one 90-minute slot fits.
    expect(slots).toEqual([{ start: at('2026-10-24T23:30:00Z'), end: at('2026-10-25T01:00:00Z') }]);
  });
});

describe('America/New_York', () => {
  const zone = 'America/New_York';

  it('gives two hours of slots for 01:00-04:00 on spring-forward day (2026-03-08)', () => {
    expect(starts(slotsOn(zone, '2026-03-08', [['01:00', '04:00']]))).toEqual(['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z']);
  });

  it('gives four hours of slots for 00:00-03:00 on fall-back day (2026-11-01)', () => {
    expect(starts(slotsOn(zone, '2026-11-01', [['00:00', '03:00']]))).toEqual([
      '2026-11-01T04:00:00Z',
      '2026-11-01T05:00:00Z',
      '2026-11-01T06:00:00Z',
      '2026-11-01T07:00:00Z',
    ]);
  });

  it('starts a range at 01:30 on fall-back day at its first occurrence (EDT)', () => {
    const slots = slotsOn(zone, '2026-11-01', [['01:30', '03:00']], 30);

    expect(starts(slots)).toEqual(['05:30', '06:00', '06:30', '07:00', '07:30'].map((t) => `2026-11-01T${t}:00Z`));
  });

  it('keeps ordinary days at 9-to-5 in both seasons', () => {
    expect(starts(slotsOn(zone, '2026-03-01', [['09:00', '10:00']]))).toEqual(['2026-03-01T14:00:00Z']);
    expect(starts(slotsOn(zone, '2026-03-15', [['09:00', '10:00']]))).toEqual(['2026-03-15T13:00:00Z']);
  });
});

describe('Australia/Sydney (southern hemisphere)', () => {
  const zone = 'Australia/Sydney';

  it('gives four hours of slots for 01:00-04:00 on fall-back day (2026-04-05, 03:00 AEDT -> 02:00 AEST)', () => {
    expect(starts(slotsOn(zone, '2026-04-05', [['01:00', '04:00']]))).toEqual([
      '2026-04-04T14:00:00Z',
      '2026-04-04T15:00:00Z',
      '2026-04-04T16:00:00Z',
      '2026-04-04T17:00:00Z',
    ]);
  });

  it('gives two hours of slots for 01:00-04:00 on spring-forward day (2026-10-04, 02:00 AEST -> 03:00 AEDT)', () => {
    expect(starts(slotsOn(zone, '2026-10-04', [['01:00', '04:00']]))).toEqual(['2026-10-03T15:00:00Z', '2026-10-03T16:00:00Z']);
  });

  it('uses the summer offset in January and the winter offset in July', () => {
    expect(starts(slotsOn(zone, '2026-01-04', [['09:00', '10:00']]))).toEqual(['2026-01-03T22:00:00Z']);
    expect(starts(slotsOn(zone, '2026-07-05', [['09:00', '10:00']]))).toEqual(['2026-07-04T23:00:00Z']);
  });
});

describe('Australia/Lord_Howe (30-minute DST shift)', () => {
  const zone = 'Australia/Lord_Howe';

  it('has 49 half-hour slots on its 24.5-hour fall-back day (2026-04-05)', () => {
    expect(slotsOn(zone, '2026-04-05', [['00:00', '24:00']], 30)).toHaveLength(49);
  });

  it('has 47 half-hour slots and 23 one-hour slots on its 23.5-hour spring-forward day (2026-10-04)', () => {
    expect(slotsOn(zone, '2026-10-04', [['00:00', '24:00']], 30)).toHaveLength(47);
    expect(slotsOn(zone, '2026-10-04', [['00:00', '24:00']], 60)).toHaveLength(23);
  });

  it('gives two and a half hours for 01:00-03:00 on fall-back day (02:00 LHDT -> 01:30 LHST)', () => {
    const slots = slotsOn(zone, '2026-04-05', [['01:00', '03:00']], 30);

    expect(iso(slots[0]?.start ?? 0)).toBe('2026-04-04T14:00:00Z');
    expect(iso(slots.at(-1)?.end ?? 0)).toBe('2026-04-04T16:30:00Z');
    expect(slots).toHaveLength(5);
  });

  it('gives half an hour for 02:00-03:00 on spring-forward day (02:00 LHST -> 02:30 LHDT)', () => {
    const slots = slotsOn(zone, '2026-10-04', [['02:00', '03:00']], 30);

    expect(slots).toEqual([{ start: at('2026-10-03T15:30:00Z'), end: at('2026-10-03T16:00:00Z') }]);
    expect(wall(zone, slots[0]?.start ?? 0)).toBe('02:30 +11:00');
  });

  it('offers nothing for a range inside its 30-minute gap', () => {
    expect(slotsOn(zone, '2026-10-04', [['02:05', '02:25']], 5)).toEqual([]);
  });

  it('files a booking across the half-hour offset on the right day sheets', () => {
    // 23:30-00:30 local on 1-2 Jan 2026 (LHDT, UTC+11): 12:30Z-13:30Z.
    const sheets = unitsBySheet(unitsCovering(at('2026-01-01T12:30:00Z'), at('2026-01-01T13:30:00Z')), zone);

    expect(sheets.get('2026-01-01')).toHaveLength(6);
    expect(sheets.get('2026-01-02')?.[0]).toBe(at('2026-01-01T13:00:00Z'));
  });
});

describe('Asia/Kolkata (UTC+5:30, no DST)', () => {
  const zone = 'Asia/Kolkata';

  it('puts 09:00-12:00 at 03:30Z-06:30Z', () => {
    expect(starts(slotsOn(zone, '2026-03-29', [['09:00', '12:00']]))).toEqual(['2026-03-29T03:30:00Z', '2026-03-29T04:30:00Z', '2026-03-29T05:30:00Z']);
  });

  it('steps 45-minute slots from the half-hour-offset start', () => {
    expect(starts(slotsOn(zone, '2026-03-29', [['09:00', '12:00']], 45))).toEqual([
      '2026-03-29T03:30:00Z',
      '2026-03-29T04:15:00Z',
      '2026-03-29T05:00:00Z',
      '2026-03-29T05:45:00Z',
    ]);
  });

  it('files units before 18:30Z on one sheet and from 18:30Z on the next', () => {
    const sheets = unitsBySheet(unitsCovering(at('2026-03-29T18:20:00Z'), at('2026-03-29T18:40:00Z')), zone);

    expect(sheets.get('2026-03-29')?.map(iso)).toEqual(['2026-03-29T18:20:00Z', '2026-03-29T18:25:00Z']);
    expect(sheets.get('2026-03-30')?.map(iso)).toEqual(['2026-03-29T18:30:00Z', '2026-03-29T18:35:00Z']);
  });
});

describe('America/Havana (midnight itself repeats on 2026-11-01, 01:00 CDT -> 00:00 CST)', () => {
  it('starts a day at the first midnight, so the day before ends where it begins', () => {
    const zone = 'America/Havana';
    const cal = calendar({ zone, weeklyHours: { ...only('sun', ['00:00', '02:00']), sat: [['22:00', '24:00']] } });

    const [saturday, sunday] = [workingRanges(cal, '2026-10-31'), workingRanges(cal, '2026-11-01')];

    expect(saturday.map(([s, e]) => [iso(s), iso(e)])).toEqual([['2026-11-01T02:00:00Z', '2026-11-01T04:00:00Z']]);
    expect(sunday.map(([s, e]) => [iso(s), iso(e)])).toEqual([['2026-11-01T04:00:00Z', '2026-11-01T07:00:00Z']]);
  });
});

describe('UTC', () => {
  it('puts 09:00-17:00 at 09:00Z-17:00Z on a European DST day, unaffected by it', () => {
    const slots = slotsOn('UTC', '2026-03-29', [['09:00', '17:00']]);

    expect(slots).toHaveLength(8);
    expect(iso(slots[0]?.start ?? 0)).toBe('2026-03-29T09:00:00Z');
    expect(iso(slots.at(-1)?.end ?? 0)).toBe('2026-03-29T17:00:00Z');
  });
});

describe('independence from the real clock', () => {
  // luxon resolves ambiguous wall times from a guessed offset; guessing from the clock would make
  // the engine's answer depend on the season in which it runs.
  const original = Settings.now;
  afterEach(() => {
    Settings.now = original;
  });

  it.each([
    { zone: 'Europe/Berlin', date: '2026-10-25', ranges: [['02:30', '05:00']] as TimeRange[] },
    { zone: 'America/New_York', date: '2026-11-01', ranges: [['01:00', '04:00']] as TimeRange[] },
    { zone: 'Australia/Sydney', date: '2026-04-05', ranges: [['00:00', '02:30'], ['02:30', '05:00']] as TimeRange[] },
    { zone: 'Australia/Lord_Howe', date: '2026-04-05', ranges: [['01:45', '04:00']] as TimeRange[] },
    { zone: 'Europe/Berlin', date: '2026-03-29', ranges: [['02:30', '05:00']] as TimeRange[] },
    // Cuba falls back from 01:00 to 00:00, so even midnight happens twice.
    { zone: 'America/Havana', date: '2026-11-01', ranges: [['00:30', '02:00']] as TimeRange[] },
  ])('gives the same slots in $zone on $date whether the server runs in January or in July', ({ zone, date, ranges }) => {
    // One window for both runs (computed before the clock is faked), wide enough to hold the day.
    const { from, to } = dayWindow(zone, date);
    const compute = () => computeOpenSlots(sundayHours(zone, ...ranges), rules({ durationMinutes: 30 }), { from: from - 6 * HOUR, to: to + 6 * HOUR, now: LONG_AGO });

    Settings.now = () => at('2026-01-15T12:00:00Z');
    const january = compute();
    Settings.now = () => at('2026-07-15T12:00:00Z');
    const july = compute();

    expect(july).toEqual(january);
    expect(january.length).toBeGreaterThan(0);
  });
});

describe('local dates and midnights on every day of 2026', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/Havana'];
  it.each(zones)('startOfLocalDate and localDateOf agree with luxon in %s', (zone) => {
    for (let day = Date.parse('2026-01-01T00:00:00Z'); day < Date.parse('2027-01-01T00:00:00Z'); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      const midnight = startOfLocalDate(date, zone);
      expect(midnight, `${zone} ${date}`).toBe(localMidnight(date, zone).toMillis());
      expect(localDateOf(midnight, zone)).toBe(date);
      expect(localDateOf(midnight - 1, zone)).toBe(DateTime.fromMillis(midnight - 1, { zone }).toISODate());
      // Midday and the last minute of the day belong to the same date.
      expect(localDateOf(midnight + 12 * HOUR, zone)).toBe(date);
      expect(localDateOf(startOfLocalDate(addDays(date, 1), zone) - MINUTE, zone)).toBe(date);
    }
  });
});
