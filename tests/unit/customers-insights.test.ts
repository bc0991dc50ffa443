import { describe, expect, it } from 'vitest';
import {
  computeInsights,
  DEFAULT_LATE_CANCEL_MINUTES,
  INSIGHT_HISTORY_DAYS,
  insightWindow,
  lateCancelMinutes,
  median,
  monthIndex,
  monthsInZone,
  REBOOK_WINDOW_DAYS,
  type InsightOptions,
  type MonthInsights,
} from '#shared/customers/insights';
import type { CustomerEvent, CustomerEventType } from '#shared/customers/types';

/**
 * Insights from hand-built event lists. Berlin is UTC+1 in winter and UTC+2 from 29 March 2026;
 * Sydney is UTC+11 until 5 April 2026 and UTC+10 after, so its April begins on 31 March 13:00 UTC.
 */

const BERLIN = 'Europe/Berlin';
const SYDNEY = 'Australia/Sydney';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Long after every month below: all of them complete. */
const LATER = Date.parse('2027-06-01T00:00:00Z');

const iso = (ms: number) => new Date(ms).toISOString();
const plusHours = (at: string, hours: number) => iso(Date.parse(at) + hours * HOUR);

function event(type: CustomerEventType, booking: string, version: number, at: string, start: string, extra: Partial<CustomerEvent> = {}): CustomerEvent {
  return { id: `${booking}.v${version}.${type}`, tenantId: 'acme', customerId: 'cus_a', type, at, bookingId: booking, bookingVersion: version, start, ...extra };
}

/** A booking made at `at` for `start`, as the projector writes it (lead time and after-hours flag). */
const booked = (booking: string, at: string, start: string, extra: Partial<CustomerEvent> = {}) =>
  event('booked', booking, 1, at, start, { leadMinutes: (Date.parse(start) - Date.parse(at)) / 60_000, afterHours: false, ...extra });
const cancelled = (booking: string, at: string, start: string, extra: Partial<CustomerEvent> = {}) =>
  event('cancelled', booking, 2, at, start, { leadMinutes: Math.round((Date.parse(start) - Date.parse(at)) / 60_000), ...extra });
const outcome = (type: 'attended' | 'no_show', booking: string, start: string, extra: Partial<CustomerEvent> = {}) =>
  event(type, booking, 2, plusHours(start, 1), start, extra);

function options(from: string, to: string, extra: Partial<InsightOptions> = {}): InsightOptions {
  return { months: monthsInZone(from, to, extra.zone ?? BERLIN), zone: BERLIN, now: LATER, lateCancelMinutes: DEFAULT_LATE_CANCEL_MINUTES, locale: 'en', ...extra };
}

const only = (rows: MonthInsights[]): MonthInsights => {
  expect(rows).toHaveLength(1);
  return rows[0]!;
};

describe('months in the tenant zone', () => {
  it('start at local midnight on the 1st, so a Sydney April begins on 31 March 13:00 UTC and ends in standard time', () => {
    const [april] = monthsInZone('2026-04', '2026-04', SYDNEY);

    expect(iso(april!.startMs)).toBe('2026-03-31T13:00:00.000Z');
    expect(iso(april!.endMs)).toBe('2026-04-30T14:00:00.000Z');
  });

  it('follow each other without gaps across a year boundary', () => {
    const months = monthsInZone('2025-11', '2026-02', BERLIN);

    expect(months.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    for (let i = 1; i < months.length; i++) expect(months[i]!.startMs).toBe(months[i - 1]!.endMs);
    expect(iso(months[2]!.startMs)).toBe('2025-12-31T23:00:00.000Z');
  });

  it('refuse what is not a month', () => {
    expect(() => monthIndex('2026-13')).toThrow(RangeError);
    expect(() => monthIndex('2026-4')).toThrow(RangeError);
    expect(monthIndex('2026-01') - monthIndex('2025-12')).toBe(1);
  });
});

describe('the read window', () => {
  it('reaches a year back for lapsing and 30 days on for rebooks, over the UTC months those instants span', () => {
    const window = insightWindow('2026-04', '2026-04', SYDNEY, LATER);

    expect(iso(window.readFrom)).toBe(iso(Date.parse('2026-03-31T13:00:00Z') - INSIGHT_HISTORY_DAYS * DAY));
    expect(iso(window.readTo)).toBe(iso(Date.parse('2026-04-30T14:00:00Z') + REBOOK_WINDOW_DAYS * DAY));
    // 2025-03-31 13:00 UTC … 2026-05-30 14:00 UTC: March 2025 to May 2026.
    expect(window.utcMonths[0]).toBe('2025-03');
    expect(window.utcMonths.at(-1)).toBe('2026-05');
    expect(window.utcMonths).toHaveLength(15);
  });

  it('stops at now: nothing has happened after it', () => {
    const now = Date.parse('2026-04-10T00:00:00Z');
    const window = insightWindow('2026-03', '2026-04', BERLIN, now);

    expect(window.readTo).toBe(now);
    expect(window.utcMonths.at(-1)).toBe('2026-04');
  });
});

describe('the late-cancel threshold', () => {
  it('is the self-service cutoff, or 24 hours for a tenant without one', () => {
    expect(lateCancelMinutes({ selfServiceCutoffMinutes: 120 })).toBe(120);
    expect(lateCancelMinutes({ selfServiceCutoffMinutes: 0 })).toBe(24 * 60);
  });
});

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle values of an even one', () => {
    expect(median([60, 10, 20])).toBe(20);
    expect(median([100, 10, 30, 20])).toBe(25);
    expect(median([])).toBeNull();
  });
});

describe('computeInsights with nothing to count over', () => {
  it('answers zero counts and null rates, never NaN or 0 %', () => {
    const row = only(computeInsights([], options('2026-03', '2026-03')));

    expect(row).toMatchObject({ month: '2026-03', bookingsMade: 0, appointments: 0, cancellationsMade: 0, lapsingCustomers: 0 });
    for (const rate of ['noShowRate', 'lateCancelRate', 'rebookRate', 'afterHoursShare', 'medianHoursToRebook'] as const) expect(row[rate], rate).toBeNull();
  });

  it('gives a month with only cancelled appointments a late-cancel rate but no no-show rate', () => {
    const start = '2026-03-20T09:00:00Z';
    const row = only(computeInsights([booked('bk_1', '2026-03-01T09:00:00Z', start), cancelled('bk_1', plusHours(start, -2), start)], options('2026-03', '2026-03')));

    expect(row.noShowRate).toBeNull();
    expect(row.lateCancelRate).toBe(1);
  });

  it('says where the month lies and whether its rebook window has closed', () => {
    const now = Date.parse('2026-04-15T00:00:00Z');
    const [march, april] = computeInsights([], options('2026-03', '2026-04', { now }));

    expect(march).toMatchObject({ start: '2026-02-28T23:00:00Z', end: '2026-03-31T22:00:00Z', complete: false });
    expect(april!.complete).toBe(false);
    expect(computeInsights([], options('2026-03', '2026-03'))[0]!.complete).toBe(true);
  });
});

describe('bookings made', () => {
  it('count in the month the booking was made in the tenant zone, not in UTC', () => {
    // 13:30 UTC on 31 March is 00:30 on 1 April in Sydney; 12:30 UTC is still 23:30 on 31 March.
    const events = [booked('bk_1', '2026-03-31T13:30:00Z', '2026-04-20T00:00:00Z'), booked('bk_2', '2026-03-31T12:30:00Z', '2026-04-20T01:00:00Z')];

    const [march, april] = computeInsights(events, options('2026-03', '2026-04', { zone: SYDNEY }));

    expect(march!.bookingsMade).toBe(1);
    expect(april!.bookingsMade).toBe(1);
  });

  it('share the after-hours flag over the bookings whose flag is known', () => {
    const start = '2026-03-25T09:00:00Z';
    const events = [
      booked('bk_1', '2026-03-02T21:00:00Z', start, { afterHours: true }),
      booked('bk_2', '2026-03-03T10:00:00Z', start, { afterHours: false }),
      booked('bk_3', '2026-03-04T10:00:00Z', start, { afterHours: undefined }),
    ];

    const row = only(computeInsights(events, options('2026-03', '2026-03')));

    expect(row).toMatchObject({ bookingsMade: 3, afterHoursKnown: 2, afterHoursBookings: 1, afterHoursShare: 0.5 });
  });

  it('count an event read twice once', () => {
    const event = booked('bk_1', '2026-03-02T10:00:00Z', '2026-03-25T09:00:00Z');

    expect(only(computeInsights([event, { ...event }], options('2026-03', '2026-03'))).bookingsMade).toBe(1);
  });

  it('leave out mail and journey events and events without a booking', () => {
    const events = [
      event('mail_sent', 'bk_1', 1, '2026-03-02T10:00:00Z', '2026-03-25T09:00:00Z'),
      { ...booked('bk_2', '2026-03-02T10:00:00Z', '2026-03-25T09:00:00Z'), bookingId: undefined },
    ];

    expect(only(computeInsights(events, options('2026-03', '2026-03'))).bookingsMade).toBe(0);
  });
});

describe('the no-show rate', () => {
  it('is no-shows over attended plus no-shows of the appointments in the month', () => {
    const starts = ['2026-03-10T09:00:00Z', '2026-03-11T09:00:00Z', '2026-03-12T09:00:00Z', '2026-03-13T09:00:00Z'];
    const events = starts.flatMap((start, i) => [
      booked(`bk_${i}`, '2026-03-01T09:00:00Z', start),
      outcome(i === 0 ? 'attended' : 'no_show', `bk_${i}`, start),
    ]);
    // A fifth appointment is still unmarked: it counts as an appointment, not as an outcome.
    events.push(booked('bk_open', '2026-03-01T09:00:00Z', '2026-03-14T09:00:00Z'));

    const row = only(computeInsights(events, options('2026-03', '2026-03')));

    expect(row).toMatchObject({ appointments: 5, attended: 1, noShows: 3, noShowRate: 0.75 });
  });

  it('belongs to the month of the appointment even when the mark comes later, and follows a corrected mark', () => {
    const start = '2026-03-31T20:00:00Z'; // 22:00 on 31 March in Berlin
    const events = [
      booked('bk_1', '2026-03-01T09:00:00Z', start),
      event('attended', 'bk_1', 2, '2026-04-01T08:00:00Z', start),
      event('no_show', 'bk_1', 3, '2026-04-02T08:00:00Z', start),
    ];

    const [march, april] = computeInsights(events, options('2026-03', '2026-04'));

    expect(march).toMatchObject({ attended: 0, noShows: 1, noShowRate: 1 });
    expect(april).toMatchObject({ appointments: 0, noShowRate: null });
  });

  it('follows a rescheduled appointment into the month it moved to', () => {
    const events = [
      booked('bk_1', '2026-03-01T09:00:00Z', '2026-03-20T09:00:00Z'),
      event('rescheduled', 'bk_1', 2, '2026-03-05T09:00:00Z', '2026-04-20T09:00:00Z'),
      event('attended', 'bk_1', 3, '2026-04-20T10:00:00Z', '2026-04-20T09:00:00Z'),
    ];

    const [march, april] = computeInsights(events, options('2026-03', '2026-04'));

    expect(march!.appointments).toBe(0);
    expect(april).toMatchObject({ appointments: 1, attended: 1, noShowRate: 0 });
  });
});

describe('the late-cancel rate', () => {
  const start = (day: number) => `2026-03-${String(day).padStart(2, '0')}T09:00:00Z`;
  const month = () => [
    booked('bk_late', '2026-03-01T09:00:00Z', start(10)),
    cancelled('bk_late', plusHours(start(10), -10), start(10)),
    booked('bk_early', '2026-03-01T09:00:00Z', start(11)),
    cancelled('bk_early', plusHours(start(11), -30), start(11)),
    booked('bk_kept', '2026-03-01T09:00:00Z', start(12)),
    outcome('attended', 'bk_kept', start(12)),
    booked('bk_open', '2026-03-01T09:00:00Z', start(13)),
  ];

  it('is the appointments of the month cancelled with less than 24 hours notice, when the tenant has no cutoff, over all of them', () => {
    const row = only(computeInsights(month(), options('2026-03', '2026-03', { lateCancelMinutes: lateCancelMinutes({ selfServiceCutoffMinutes: 0 }) })));

    expect(row).toMatchObject({ appointments: 4, lateCancellations: 1, lateCancelRate: 0.25 });
  });

  it('uses the self-service cutoff when there is one', () => {
    const cutoff2h = only(computeInsights(month(), options('2026-03', '2026-03', { lateCancelMinutes: 120 })));
    const cutoff2d = only(computeInsights(month(), options('2026-03', '2026-03', { lateCancelMinutes: 48 * 60 })));

    expect(cutoff2h.lateCancellations).toBe(0);
    expect(cutoff2d.lateCancellations).toBe(2);
  });

  it('works the notice out from the times when the event carries none', () => {
    const events = [booked('bk_1', '2026-03-01T09:00:00Z', start(10)), cancelled('bk_1', plusHours(start(10), -3), start(10), { leadMinutes: undefined })];

    expect(only(computeInsights(events, options('2026-03', '2026-03'))).lateCancellations).toBe(1);
  });

  it('belongs to the appointment month, while the cancellation itself counts where it was made', () => {
    const appointment = '2026-04-01T09:00:00Z'; // 13 hours after the cancellation
    const events = [booked('bk_1', '2026-03-01T09:00:00Z', appointment), cancelled('bk_1', '2026-03-31T20:00:00Z', appointment)];

    const [march, april] = computeInsights(events, options('2026-03', '2026-04'));

    expect(march).toMatchObject({ cancellationsMade: 1, appointments: 0, lateCancellations: 0 });
    expect(april).toMatchObject({ cancellationsMade: 0, appointments: 1, lateCancellations: 1 });
  });
});

describe('rebooking after a cancellation', () => {
  const cancelAt = '2026-03-10T12:00:00Z';
  const cancelledBooking = (booking = 'bk_c', at = cancelAt, customerId = 'cus_a') => [
    booked(booking, '2026-03-01T09:00:00Z', '2026-03-20T09:00:00Z', { customerId }),
    cancelled(booking, at, '2026-03-20T09:00:00Z', { customerId }),
  ];

  it('counts a cancellation whose customer booked again within 30 days, with the hours it took', () => {
    const events = [...cancelledBooking(), booked('bk_r', plusHours(cancelAt, 36), '2026-03-25T09:00:00Z')];

    const row = only(computeInsights(events, options('2026-03', '2026-03')));

    expect(row).toMatchObject({ cancellationsMade: 1, rebooked: 1, rebookRate: 1, medianHoursToRebook: 36 });
  });

  it('does not count a cancellation without a new booking, or with one after 30 days', () => {
    const late = [...cancelledBooking(), booked('bk_r', plusHours(cancelAt, 30 * 24 + 1), '2026-05-01T09:00:00Z')];

    expect(only(computeInsights(cancelledBooking(), options('2026-03', '2026-03')))).toMatchObject({ cancellationsMade: 1, rebooked: 0, rebookRate: 0, medianHoursToRebook: null });
    expect(only(computeInsights(late, options('2026-03', '2026-03')))).toMatchObject({ rebooked: 0 });
  });

  it('does not count a booking made before the cancellation, or another customer booking', () => {
    const events = [
      ...cancelledBooking(),
      booked('bk_before', plusHours(cancelAt, -1), '2026-03-28T09:00:00Z'),
      booked('bk_other', plusHours(cancelAt, 2), '2026-03-28T10:00:00Z', { customerId: 'cus_b' }),
    ];

    expect(only(computeInsights(events, options('2026-03', '2026-03'))).rebooked).toBe(0);
  });

  it('takes the first booking after the cancellation and looks past the month end', () => {
    const at = '2026-03-31T12:00:00Z';
    const events = [
      ...cancelledBooking('bk_c', at),
      booked('bk_r2', plusHours(at, 100), '2026-04-25T09:00:00Z'),
      booked('bk_r1', plusHours(at, 48), '2026-04-20T09:00:00Z'),
    ];

    const [march, april] = computeInsights(events, options('2026-03', '2026-04'));

    expect(march).toMatchObject({ cancellationsMade: 1, rebooked: 1, medianHoursToRebook: 48 });
    expect(april).toMatchObject({ cancellationsMade: 0, bookingsMade: 2 });
  });

  it('reports the median delay over the rebooked cancellations of the month', () => {
    const delays = [10, 20, 30, 100];
    const events = delays.flatMap((hours, i) => {
      const customerId = `cus_${i}`;
      return [...cancelledBooking(`bk_c${i}`, cancelAt, customerId), booked(`bk_r${i}`, plusHours(cancelAt, hours), '2026-03-28T09:00:00Z', { customerId })];
    });
    events.push(...cancelledBooking('bk_lost', cancelAt, 'cus_gone'));

    const row = only(computeInsights(events, options('2026-03', '2026-03')));

    expect(row).toMatchObject({ cancellationsMade: 5, rebooked: 4, rebookRate: 0.8, medianHoursToRebook: 25 });
  });
});

describe('lapsing customers', () => {
  // One visit on 10 January; with the default thresholds (no own cadence before three visits: 42
  // days) lapsing means more than 63 days since it and lost more than 126.
  const onlyVisit = (customerId: string) => [
    booked(`bk_${customerId}`, '2026-01-02T09:00:00Z', '2026-01-10T09:00:00Z', { customerId }),
    outcome('attended', `bk_${customerId}`, '2026-01-10T09:00:00Z', { customerId }),
  ];

  it('counts the customers with the lapsing badge at each month end: not yet, lapsing, still lapsing, lost', () => {
    const rows = computeInsights(onlyVisit('cus_a'), options('2026-02', '2026-05'));

    // Days since the visit at the month ends: 49, 80, 110, 141.
    expect(rows.map((r) => r.lapsingCustomers)).toEqual([0, 1, 1, 0]);
  });

  it('does not count a customer who had booked again by the month end, and judges each month by what was known then', () => {
    const returning = [
      ...onlyVisit('cus_b'),
      // Booked on 20 March for 15 April, and came.
      booked('bk_back', '2026-03-20T09:00:00Z', '2026-04-15T09:00:00Z', { customerId: 'cus_b' }),
      outcome('attended', 'bk_back', '2026-04-15T09:00:00Z', { customerId: 'cus_b' }),
    ];
    const beforeReturn = returning.filter((e) => e.bookingId !== 'bk_back');

    expect(computeInsights(returning, options('2026-02', '2026-05')).map((r) => r.lapsingCustomers)).toEqual([0, 0, 0, 0]);
    // Without the new booking the same customer is lapsing at the end of March.
    expect(computeInsights(beforeReturn, options('2026-03', '2026-03'))[0]!.lapsingCustomers).toBe(1);
  });

  it('judges the month under way as of now, not as of its end', () => {
    const now = Date.parse('2026-05-10T00:00:00Z');

    // 120 days on 10 May: lapsing; at the end of May (141 days) the customer would be lost.
    expect(computeInsights(onlyVisit('cus_a'), options('2026-05', '2026-05', { now }))[0]!.lapsingCustomers).toBe(1);
  });

  it('counts each lapsing customer once, whatever else they did', () => {
    const events = [...onlyVisit('cus_a'), ...onlyVisit('cus_c'), ...onlyVisit('cus_d').slice(0, 1)];

    // cus_d never came: no visit, no lapsing.
    expect(computeInsights(events, options('2026-03', '2026-03'))[0]!.lapsingCustomers).toBe(2);
  });
});
