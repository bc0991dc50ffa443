import { describe, expect, it } from 'vitest';
import {
  checkRequestedStart,
  claimSpan,
  computeOpenSlots,
  fairProviderOrder,
  localDateOf,
  mergeAvailability,
  unitsBySheet,
  unitsCovering,
  workingRanges,
} from '#shared/domain/slots';
import { at, calendar, dayWindow, everyDay, HOUR, iso, LONG_AGO, MINUTE, noHours, only, rules, starts, takenFor } from './support.ts';

// 2026-05-04 is a Monday; Berlin is on CEST (UTC+2), so local 09:00 is 07:00Z.
const BERLIN = 'Europe/Berlin';
const MONDAY = '2026-05-04';
const mondayWindow = { ...dayWindow(BERLIN, MONDAY), now: LONG_AGO };

describe('working hours', () => {
  it('steps from the start of each working range by the duration and keeps the appointment inside the range', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00']) });

    const slots = computeOpenSlots(cal, rules({ durationMinutes: 60 }), mondayWindow);

    expect(slots).toEqual([
      { start: at('2026-05-04T07:00:00Z'), end: at('2026-05-04T08:00:00Z') },
      { start: at('2026-05-04T08:00:00Z'), end: at('2026-05-04T09:00:00Z') },
      { start: at('2026-05-04T09:00:00Z'), end: at('2026-05-04T10:00:00Z') },
    ]);
  });

  it('offers nothing during a break and restarts the grid at the start of the second range', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00'], ['12:45', '15:00']) });

    const slots = computeOpenSlots(cal, rules({ durationMinutes: 60 }), mondayWindow);

    // Local 09, 10, 11, then 12:45 and 13:45; 14:45 would end after 15:00.
    expect(starts(slots)).toEqual(['07:00', '08:00', '09:00', '10:45', '11:45'].map((t) => `2026-05-04T${t}:00Z`));
  });

  it('drops a slot that would run past the end of its range even if the next range follows after a break', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '10:30'], ['11:00', '12:00']) });

    const slots = computeOpenSlots(cal, rules({ durationMinutes: 60 }), mondayWindow);

    expect(starts(slots)).toEqual(['2026-05-04T07:00:00Z', '2026-05-04T09:00:00Z']);
  });

  it('offers nothing on a weekday without hours', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('tue', ['09:00', '17:00']) });

    expect(computeOpenSlots(cal, rules(), mondayWindow)).toEqual([]);
  });

  it('treats "24:00" as the end of the day so the last slot ends at the next local midnight', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['22:00', '24:00']) });

    const slots = computeOpenSlots(cal, rules({ durationMinutes: 60 }), mondayWindow);

    expect(slots.at(-1)).toEqual({ start: at('2026-05-04T21:00:00Z'), end: at('2026-05-04T22:00:00Z') });
    expect(slots).toHaveLength(2);
  });

  it('reads the weekday in the provider zone, not in UTC', () => {
    // Monday 00:30 in Sydney is still Sunday in UTC.
    const cal = calendar({ zone: 'Australia/Sydney', weeklyHours: only('mon', ['00:30', '01:30']) });

    const slots = computeOpenSlots(cal, rules(), { ...dayWindow('Australia/Sydney', MONDAY), now: LONG_AGO });

    expect(starts(slots)).toEqual(['2026-05-03T14:30:00Z']);
  });

  it('lists the working ranges of a local date as UTC instants', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['08:00', '12:00'], ['13:00', '17:00']) });

    expect(workingRanges(cal, MONDAY).map(([s, e]) => [iso(s), iso(e)])).toEqual([
      ['2026-05-04T06:00:00Z', '2026-05-04T10:00:00Z'],
      ['2026-05-04T11:00:00Z', '2026-05-04T15:00:00Z'],
    ]);
  });
});

describe('date exceptions', () => {
  it('closes a day that has an exception with no hours and leaves the other days alone', () => {
    const cal = calendar({
      zone: BERLIN,
      weeklyHours: everyDay(['09:00', '10:00']),
      exceptions: [{ date: MONDAY, hours: [] }],
    });

    const slots = computeOpenSlots(cal, rules(), { ...dayWindow(BERLIN, '2026-05-03'), to: dayWindow(BERLIN, '2026-05-05').to, now: LONG_AGO });

    expect(starts(slots)).toEqual(['2026-05-03T07:00:00Z', '2026-05-05T07:00:00Z']);
  });

  it('replaces the weekly hours of that date with the exception hours', () => {
    const cal = calendar({
      zone: BERLIN,
      weeklyHours: only('mon', ['09:00', '17:00']),
      exceptions: [{ date: MONDAY, hours: [['14:00', '16:00']] }],
    });

    const slots = computeOpenSlots(cal, rules(), mondayWindow);

    expect(starts(slots)).toEqual(['2026-05-04T12:00:00Z', '2026-05-04T13:00:00Z']);
  });

  it('opens a day that is normally closed', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: noHours(), exceptions: [{ date: '2026-05-03', hours: [['10:00', '11:00']] }] });

    const slots = computeOpenSlots(cal, rules(), { ...dayWindow(BERLIN, '2026-05-03'), now: LONG_AGO });

    expect(starts(slots)).toEqual(['2026-05-03T08:00:00Z']);
  });
});

describe('slot interval', () => {
  it('steps by an interval shorter than the duration, giving overlapping starts of full length', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '11:00']) });

    const slots = computeOpenSlots(cal, rules({ durationMinutes: 60, slotIntervalMinutes: 15 }), mondayWindow);

    expect(starts(slots)).toEqual(['07:00', '07:15', '07:30', '07:45', '08:00'].map((t) => `2026-05-04T${t}:00Z`));
    expect(slots.every((s) => s.end - s.start === HOUR)).toBe(true);
  });

  it('steps by an interval longer than the duration, leaving gaps', () => {
    const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '11:00']) });

    const slots = computeOpenSlots(cal, rules({ durationMinutes: 30, slotIntervalMinutes: 45 }), mondayWindow);

    expect(starts(slots)).toEqual(['07:00', '07:45', '08:30'].map((t) => `2026-05-04T${t}:00Z`));
    expect(slots.every((s) => s.end - s.start === 30 * MINUTE)).toBe(true);
  });
});

describe('buffers and taken units', () => {
  const cal = (taken: Map<number, string> = new Map()) => calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00']), taken });
  const buffered = rules({ durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });

  it('lets buffers reach outside working hours when nothing is taken there', () => {
    const slots = computeOpenSlots(cal(), buffered, mondayWindow);

    expect(starts(slots)).toEqual(['2026-05-04T07:00:00Z', '2026-05-04T08:00:00Z', '2026-05-04T09:00:00Z']);
  });

  it('refuses a slot whose buffer before would cover a taken unit outside working hours', () => {
    const taken = takenFor('block-1', at('2026-05-04T06:45:00Z'), at('2026-05-04T06:50:00Z'));

    const slots = computeOpenSlots(cal(taken), buffered, mondayWindow);

    expect(starts(slots)).toEqual(['2026-05-04T08:00:00Z', '2026-05-04T09:00:00Z']);
  });

  it('refuses a slot whose buffer after would cover a taken unit outside working hours', () => {
    const taken = takenFor('b-2', at('2026-05-04T10:10:00Z'), at('2026-05-04T10:15:00Z'));

    const slots = computeOpenSlots(cal(taken), buffered, mondayWindow);

    expect(starts(slots)).toEqual(['2026-05-04T07:00:00Z', '2026-05-04T08:00:00Z']);
  });

  it('allows a taken unit that starts exactly where the buffer after ends', () => {
    const taken = takenFor('b-2', at('2026-05-04T10:15:00Z'), at('2026-05-04T10:20:00Z'));

    const slots = computeOpenSlots(cal(taken), buffered, mondayWindow);

    expect(starts(slots)).toContain('2026-05-04T09:00:00Z');
  });

  it('refuses every slot whose appointment overlaps a booking and keeps the others', () => {
    const taken = takenFor('b-3', at('2026-05-04T08:30:00Z'), at('2026-05-04T08:35:00Z'));

    const slots = computeOpenSlots(cal(taken), rules({ durationMinutes: 60, slotIntervalMinutes: 30 }), mondayWindow);

    // 07:30-08:30 ends where the unit starts; 08:30 and 08:00 would cover it.
    expect(starts(slots)).toEqual(['2026-05-04T07:00:00Z', '2026-05-04T07:30:00Z', '2026-05-04T09:00:00Z']);
  });

  it('treats the units of the ignored owner as free, but not the units of anyone else', () => {
    const taken = takenFor('moving', at('2026-05-04T08:00:00Z'), at('2026-05-04T09:00:00Z'));
    takenFor('other', at('2026-05-04T09:00:00Z'), at('2026-05-04T10:00:00Z'), taken);

    const without = computeOpenSlots(cal(taken), rules(), mondayWindow);
    const ignoring = computeOpenSlots(cal(taken), rules(), { ...mondayWindow, ignoreOwner: 'moving' });
    const ignoringSomeoneElse = computeOpenSlots(cal(taken), rules(), { ...mondayWindow, ignoreOwner: 'nobody' });

    expect(starts(without)).toEqual(['2026-05-04T07:00:00Z']);
    expect(starts(ignoring)).toEqual(['2026-05-04T07:00:00Z', '2026-05-04T08:00:00Z']);
    expect(starts(ignoringSomeoneElse)).toEqual(['2026-05-04T07:00:00Z']);
  });

  it('ignores taken units and the daily maximum entirely when asked to check the schedule only', () => {
    const taken = takenFor('b-4', at('2026-05-04T07:00:00Z'), at('2026-05-04T10:00:00Z'));
    const c = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00']), taken, bookingsPerDay: new Map([[MONDAY, 9]]) });

    const slots = computeOpenSlots(c, rules({ maxPerDayPerProvider: 1 }), { ...mondayWindow, ignoreTaken: true });

    expect(slots).toHaveLength(3);
  });
});

describe('minimum notice', () => {
  const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00']) });

  it('offers a slot that starts exactly at now plus the notice', () => {
    const slots = computeOpenSlots(cal, rules({ minNoticeMinutes: 60 }), { ...mondayWindow, now: at('2026-05-04T07:00:00Z') });

    expect(starts(slots)).toEqual(['2026-05-04T08:00:00Z', '2026-05-04T09:00:00Z']);
  });

  it('refuses a slot that starts one minute short of the notice', () => {
    const slots = computeOpenSlots(cal, rules({ minNoticeMinutes: 61 }), { ...mondayWindow, now: at('2026-05-04T07:00:00Z') });

    expect(starts(slots)).toEqual(['2026-05-04T09:00:00Z']);
  });

  it('never offers a slot in the past, even without notice', () => {
    const slots = computeOpenSlots(cal, rules(), { ...mondayWindow, now: at('2026-05-04T08:00:00.001Z') });

    expect(starts(slots)).toEqual(['2026-05-04T09:00:00Z']);
  });
});

describe('booking horizon', () => {
  const cal = (zone: string) => calendar({ zone, weeklyHours: everyDay(['09:00', '10:00']) });

  it('includes the last allowed local date and excludes the day after it', () => {
    const now = at('2026-05-04T06:00:00Z'); // Monday 08:00 in Berlin

    const slots = computeOpenSlots(cal(BERLIN), rules({ horizonDays: 2 }), { from: now, to: now + 10 * 24 * HOUR, now });

    expect(starts(slots)).toEqual(['2026-05-04T07:00:00Z', '2026-05-05T07:00:00Z', '2026-05-06T07:00:00Z']);
  });

  it('counts the days in the provider zone, where it may already be tomorrow', () => {
    // 20:00Z on 10 June is 06:00 on 11 June in Sydney: "today" there is the 11th.
    const now = at('2026-06-10T20:00:00Z');

    const slots = computeOpenSlots(cal('Australia/Sydney'), rules({ horizonDays: 1 }), { from: now, to: now + 10 * 24 * HOUR, now });

    // 09:00 AEST (UTC+10) on the 11th and the 12th.
    expect(starts(slots)).toEqual(['2026-06-10T23:00:00Z', '2026-06-11T23:00:00Z']);
  });

  it('offers only today with a horizon of zero days', () => {
    const now = at('2026-05-04T06:00:00Z');

    const slots = computeOpenSlots(cal(BERLIN), rules({ horizonDays: 0 }), { from: now, to: now + 3 * 24 * HOUR, now });

    expect(starts(slots)).toEqual(['2026-05-04T07:00:00Z']);
  });
});

describe('maximum bookings per day', () => {
  const window = { from: dayWindow(BERLIN, MONDAY).from, to: dayWindow(BERLIN, '2026-05-05').to, now: LONG_AGO };
  const withCount = (count: number) =>
    calendar({ zone: BERLIN, weeklyHours: everyDay(['09:00', '11:00']), bookingsPerDay: new Map([[MONDAY, count]]) });

  it('closes a day that has reached the maximum and leaves the next day open', () => {
    const slots = computeOpenSlots(withCount(3), rules({ maxPerDayPerProvider: 3 }), window);

    expect(starts(slots)).toEqual(['2026-05-05T07:00:00Z', '2026-05-05T08:00:00Z']);
  });

  it('keeps a day open while it is below the maximum', () => {
    const slots = computeOpenSlots(withCount(2), rules({ maxPerDayPerProvider: 3 }), window);

    expect(slots).toHaveLength(4);
  });

  it('counts bookings by the provider-local date', () => {
    // Monday in Berlin starts at 22:00Z on Sunday: the count for "2026-05-04" applies to it.
    const slots = computeOpenSlots(withCount(1), rules({ maxPerDayPerProvider: 1 }), window);

    expect(slots.map((s) => localDateOf(s.start, BERLIN))).toEqual(['2026-05-05', '2026-05-05']);
  });
});

describe('window boundaries', () => {
  const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00']) });
  const nine = at('2026-05-04T07:00:00Z');
  const ten = at('2026-05-04T08:00:00Z');

  it('includes a slot that starts exactly at `from`', () => {
    expect(starts(computeOpenSlots(cal, rules(), { from: nine, to: ten, now: LONG_AGO }))).toEqual(['2026-05-04T07:00:00Z']);
  });

  it('excludes a slot that starts one millisecond before `from`', () => {
    expect(starts(computeOpenSlots(cal, rules(), { from: nine + 1, to: ten + 1, now: LONG_AGO }))).toEqual(['2026-05-04T08:00:00Z']);
  });

  it('excludes a slot that starts exactly at `to`', () => {
    expect(computeOpenSlots(cal, rules(), { from: nine + 1, to: ten, now: LONG_AGO })).toEqual([]);
  });

  it('includes a slot that starts before `to` even though it ends after it', () => {
    expect(computeOpenSlots(cal, rules(), { from: nine, to: nine + 1, now: LONG_AGO })).toEqual([{ start: nine, end: ten }]);
  });

  it('returns nothing for an empty or inverted window', () => {
    expect(computeOpenSlots(cal, rules(), { from: ten, to: ten, now: LONG_AGO })).toEqual([]);
    expect(computeOpenSlots(cal, rules(), { from: ten, to: nine, now: LONG_AGO })).toEqual([]);
  });

  it('finds the slots of a provider-local day that began on the previous UTC date', () => {
    const kolkata = calendar({ zone: 'Asia/Kolkata', weeklyHours: only('mon', ['00:00', '01:00']) });

    const slots = computeOpenSlots(kolkata, rules(), { from: at('2026-05-03T18:00:00Z'), to: at('2026-05-03T19:00:00Z'), now: LONG_AGO });

    expect(starts(slots)).toEqual(['2026-05-03T18:30:00Z']);
  });
});

describe('checkRequestedStart', () => {
  const cal = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00']) });
  const r = rules({ durationMinutes: 60, slotIntervalMinutes: 30, minNoticeMinutes: 120, horizonDays: 14 });
  const now = at('2026-05-01T06:00:00Z');

  it('accepts a start on the grid inside working hours', () => {
    expect(checkRequestedStart(cal, r, at('2026-05-04T07:30:00Z'), now)).toEqual({ ok: true });
  });

  it('accepts a start whose slot is taken: the day sheet decides that, not this check', () => {
    const busy = calendar({ zone: BERLIN, weeklyHours: only('mon', ['09:00', '12:00']), taken: takenFor('b', at('2026-05-04T07:00:00Z'), at('2026-05-04T10:00:00Z')) });

    expect(checkRequestedStart(busy, r, at('2026-05-04T07:30:00Z'), now)).toEqual({ ok: true });
  });

  it('explains a start inside hours but between grid points as off the grid', () => {
    expect(checkRequestedStart(cal, r, at('2026-05-04T07:10:00Z'), now)).toEqual({ ok: false, reason: 'off_grid' });
  });

  it('explains a start before opening as outside working hours', () => {
    expect(checkRequestedStart(cal, r, at('2026-05-04T06:30:00Z'), now)).toEqual({ ok: false, reason: 'outside_working_hours' });
  });

  it('explains a start whose appointment would run past closing as outside working hours', () => {
    expect(checkRequestedStart(cal, r, at('2026-05-04T09:30:00Z'), now)).toEqual({ ok: false, reason: 'outside_working_hours' });
  });

  it('explains a start on a closed day as outside working hours', () => {
    expect(checkRequestedStart(cal, r, at('2026-05-05T07:00:00Z'), now)).toEqual({ ok: false, reason: 'outside_working_hours' });
  });

  it('explains a start sooner than the notice as min_notice', () => {
    const monday0830 = at('2026-05-04T06:30:00Z');

    expect(checkRequestedStart(cal, r, at('2026-05-04T08:00:00Z'), monday0830)).toEqual({ ok: false, reason: 'min_notice' });
  });

  it('explains a start in the past as min_notice', () => {
    expect(checkRequestedStart(cal, r, at('2026-04-27T07:00:00Z'), now)).toEqual({ ok: false, reason: 'min_notice' });
  });

  it('explains a start after the last allowed date as beyond_horizon', () => {
    // Today is 1 May in Berlin; 14 days later is 15 May; Monday 18 May is beyond it.
    expect(checkRequestedStart(cal, r, at('2026-05-18T07:00:00Z'), now)).toEqual({ ok: false, reason: 'beyond_horizon' });
  });

  it('accepts a start on the last allowed date', () => {
    const friday = calendar({ zone: BERLIN, weeklyHours: only('fri', ['09:00', '12:00']) });

    expect(checkRequestedStart(friday, r, at('2026-05-15T07:00:00Z'), now)).toEqual({ ok: true });
  });

  it('accepts a start on the grid of a range that began the previous local day', () => {
    const night = calendar({ zone: BERLIN, weeklyHours: only('sun', ['22:00', '24:00']) });

    expect(checkRequestedStart(night, r, at('2026-05-03T21:00:00Z'), now)).toEqual({ ok: true });
  });
});

describe('claims and day sheets', () => {
  it('claims the appointment plus its buffers', () => {
    const start = at('2026-05-04T07:00:00Z');

    expect(claimSpan(start, rules({ durationMinutes: 45, bufferBeforeMinutes: 10, bufferAfterMinutes: 15 }))).toEqual([
      at('2026-05-04T06:50:00Z'),
      at('2026-05-04T08:00:00Z'),
    ]);
  });

  it('covers a span with the 5-minute units it touches, aligned to the UTC grid', () => {
    const units = unitsCovering(at('2026-05-04T07:02:00Z'), at('2026-05-04T07:15:00Z'));

    expect(units.map(iso)).toEqual(['2026-05-04T07:00:00Z', '2026-05-04T07:05:00Z', '2026-05-04T07:10:00Z']);
  });

  it('covers an empty span with no units', () => {
    expect(unitsCovering(at('2026-05-04T07:00:00Z'), at('2026-05-04T07:00:00Z'))).toEqual([]);
  });

  it('puts the units of a booking crossing local midnight on two day sheets', () => {
    // 23:30-00:30 in Berlin (UTC+1 in January).
    const units = unitsCovering(at('2026-01-15T22:30:00Z'), at('2026-01-15T23:30:00Z'));

    const sheets = unitsBySheet(units, BERLIN);

    expect([...sheets.keys()]).toEqual(['2026-01-15', '2026-01-16']);
    expect(sheets.get('2026-01-15')?.map(iso)).toEqual(['22:30', '22:35', '22:40', '22:45', '22:50', '22:55'].map((t) => `2026-01-15T${t}:00Z`));
    expect(sheets.get('2026-01-16')).toHaveLength(6);
    expect(sheets.get('2026-01-16')?.[0]).toBe(at('2026-01-15T23:00:00Z'));
  });

  it('files the same units by the provider zone: one sheet in UTC, the next day in Sydney', () => {
    const units = unitsCovering(at('2026-01-15T22:30:00Z'), at('2026-01-15T23:30:00Z'));

    expect([...unitsBySheet(units, 'UTC').keys()]).toEqual(['2026-01-15']);
    expect([...unitsBySheet(units, 'Australia/Sydney').keys()]).toEqual(['2026-01-16']);
  });

  it('puts a buffer that reaches back over midnight on the previous day sheet', () => {
    const start = at('2026-01-15T23:00:00Z'); // 00:00 on the 16th in Berlin
    const span = claimSpan(start, rules({ durationMinutes: 30, bufferBeforeMinutes: 10 }));

    const sheets = unitsBySheet(unitsCovering(span[0], span[1]), BERLIN);

    expect(sheets.get('2026-01-15')?.map(iso)).toEqual(['2026-01-15T22:50:00Z', '2026-01-15T22:55:00Z']);
    expect(sheets.get('2026-01-16')).toHaveLength(6);
  });

  it('refuses a late slot whose buffer after would cover a taken unit on the next day sheet', () => {
    const taken = takenFor('morning', at('2026-01-15T23:10:00Z'), at('2026-01-15T23:15:00Z')); // 00:10 on the 16th
    const cal = calendar({ zone: BERLIN, weeklyHours: only('thu', ['22:00', '24:00']), taken });

    const slots = computeOpenSlots(cal, rules({ bufferAfterMinutes: 15 }), { ...dayWindow(BERLIN, '2026-01-15'), now: LONG_AGO });

    expect(starts(slots)).toEqual(['2026-01-15T21:00:00Z']);
  });
});

describe('mergeAvailability', () => {
  const slot = (hhmm: string, minutes = 30) => ({ start: at(`2026-05-04T${hhmm}:00Z`), end: at(`2026-05-04T${hhmm}:00Z`) + minutes * MINUTE });

  it('merges slots by start, listing every free provider in id order, sorted by time', () => {
    const merged = mergeAvailability([
      { providerId: 'zoe', slots: [slot('09:00'), slot('10:00')] },
      { providerId: 'adam', slots: [slot('08:00'), slot('09:00')] },
    ]);

    expect(merged).toEqual([
      { ...slot('08:00'), providerIds: ['adam'] },
      { ...slot('09:00'), providerIds: ['adam', 'zoe'] },
      { ...slot('10:00'), providerIds: ['zoe'] },
    ]);
  });

  it('returns nothing when no provider has a slot', () => {
    expect(mergeAvailability([{ providerId: 'a', slots: [] }])).toEqual([]);
    expect(mergeAvailability([])).toEqual([]);
  });
});

describe('fairProviderOrder', () => {
  const nine = at('2026-05-04T07:00:00Z');

  it('puts the least booked provider first whatever its name', () => {
    const order = fairProviderOrder(
      [
        { providerId: 'anna', bookingsThatDay: 4 },
        { providerId: 'ben', bookingsThatDay: 1 },
        { providerId: 'clara', bookingsThatDay: 2 },
      ],
      nine,
    );

    expect(order).toEqual(['ben', 'clara', 'anna']);
  });

  it('lists every candidate exactly once', () => {
    const order = fairProviderOrder(
      ['e', 'd', 'c', 'b', 'a'].map((providerId) => ({ providerId, bookingsThatDay: 0 })),
      nine,
    );

    expect([...order].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('orders the same candidates the same way for the same start, whatever the input order', () => {
    const candidates = ['anna', 'ben', 'clara'].map((providerId) => ({ providerId, bookingsThatDay: 0 }));

    expect(fairProviderOrder(candidates, nine)).toEqual(fairProviderOrder([...candidates].reverse(), nine));
  });

  it('returns nothing without candidates', () => {
    expect(fairProviderOrder([], nine)).toEqual([]);
  });

  it('does not give every tie of a day to the same provider', () => {
    const candidates = ['anna', 'ben', 'clara'].map((providerId) => ({ providerId, bookingsThatDay: 0 }));
    // Hourly slots from 08:00 to 17:00 Berlin time.
    const hourly = Array.from({ length: 10 }, (_, i) => at('2026-05-04T06:00:00Z') + i * HOUR);

    const firsts = new Set(hourly.map((start) => fairProviderOrder(candidates, start)[0]));

    expect(firsts.size).toBeGreaterThan(1);
  });

  it.each([
    { providers: 2, stepMinutes: 30 },
    { providers: 2, stepMinutes: 60 },
    { providers: 3, stepMinutes: 15 },
    { providers: 3, stepMinutes: 30 },
    { providers: 3, stepMinutes: 60 },
    { providers: 4, stepMinutes: 60 },
    { providers: 3, stepMinutes: 45 },
  ])('shares ties about evenly among $providers providers over a month of $stepMinutes-minute slots', ({ providers, stepMinutes }) => {
    const ids = ['anna', 'ben', 'clara', 'dora'].slice(0, providers);
    const candidates = ids.map((providerId) => ({ providerId, bookingsThatDay: 0 }));
    const counts = new Map<string, number>();
    let total = 0;
    for (let day = 0; day < 30; day += 1) {
      // 08:00 to 18:00 Berlin time (UTC+2 in May) on the grid of the service.
      for (let minute = 0; minute < 10 * 60; minute += stepMinutes) {
        const first = fairProviderOrder(candidates, at('2026-05-01T06:00:00Z') + day * 24 * HOUR + minute * MINUTE)[0] ?? '';
        counts.set(first, (counts.get(first) ?? 0) + 1);
        total += 1;
      }
    }

    for (const id of ids) {
      expect(counts.get(id) ?? 0).toBeGreaterThan((0.5 * total) / providers);
      expect(counts.get(id) ?? 0).toBeLessThan((1.5 * total) / providers);
    }
  });

  it('still prefers the least booked provider when the rotation would pick another', () => {
    const tied = ['anna', 'ben', 'clara'].map((providerId) => ({ providerId, bookingsThatDay: 0 }));
    const first = fairProviderOrder(tied, nine)[0];
    const others = tied.map((c) => (c.providerId === first ? { ...c, bookingsThatDay: 1 } : c));

    expect(fairProviderOrder(others, nine)[0]).not.toBe(first);
    expect(fairProviderOrder(others, nine).at(-1)).toBe(first);
  });
});
