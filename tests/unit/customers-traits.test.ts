import { describe, expect, it } from 'vitest';
import { computeTraits, DEFAULT_TRAIT_OPTIONS } from '#shared/customers/traits';
import type { CustomerEvent, CustomerEventType } from '#shared/customers/types';

/**
 * Traits from hand-built timelines. Each timeline is small enough to check by hand; the comments
 * give the arithmetic. Times are UTC; Europe/Berlin is UTC+1 in winter and UTC+2 from 29 March 2026.
 */

const ZONE = 'Europe/Berlin';
const NOW = Date.parse('2026-06-01T12:00:00Z');

/** One event of booking `booking` at `version`; `at` defaults to the appointment's start. */
function event(booking: string, version: number, type: CustomerEventType, start: string, extra: Partial<CustomerEvent> = {}): CustomerEvent {
  return {
    id: `${booking}.v${version}.${type}`,
    tenantId: 'acme',
    customerId: 'cus_1',
    type,
    at: start,
    bookingId: booking,
    bookingVersion: version,
    providerId: 'anna',
    serviceId: 'cut',
    start,
    ...extra,
  };
}

/** A booking made `leadHours` before `start` and attended. */
function visit(booking: string, start: string, extra: { leadHours?: number; providerId?: string; price?: CustomerEvent['price']; afterHours?: boolean } = {}): CustomerEvent[] {
  const { leadHours = 48, providerId = 'anna', price = { amount: 60, currency: 'EUR' }, afterHours = false } = extra;
  const at = new Date(Date.parse(start) - leadHours * 3_600_000).toISOString();
  return [
    event(booking, 1, 'booked', start, { at, leadMinutes: leadHours * 60, afterHours, providerId, price }),
    event(booking, 2, 'attended', start, { providerId, price }),
  ];
}

describe('computeTraits on an empty timeline', () => {
  it('counts nothing and leaves every derived trait undefined', () => {
    const traits = computeTraits([], NOW, ZONE);

    expect(traits).toMatchObject({ visits: 0, bookings: 0, cancellations: 0, lateCancellations: 0, noShows: 0, upcomingBookings: 0, decidedBookings: 0 });
    for (const key of ['noShowRate', 'avgLeadTimeHours', 'afterHoursShare', 'usualProviderId', 'usualWeekday', 'usualTimeOfDay', 'avgIntervalDays', 'daysSinceLastVisit', 'lastVisitAt', 'nextBookingAt', 'spend'] as const) {
      expect(traits[key], key).toBeUndefined();
    }
  });

  it('ignores mail and journey events, which say nothing about visits', () => {
    const traits = computeTraits([event('bk_1', 1, 'mail_sent', '2026-05-01T08:00:00Z'), { ...event('bk_1', 1, 'journey_step', '2026-05-01T08:00:00Z'), id: 'j1' }], NOW, ZONE);

    expect(traits.bookings).toBe(0);
  });
});

describe('computeTraits and a booking’s versions', () => {
  it('uses the latest version, whatever order the events arrive in', () => {
    // Booked for 5 May, moved to 7 May, attended on 7 May: delivered newest first.
    const events = [
      event('bk_1', 3, 'attended', '2026-05-07T08:00:00Z'),
      event('bk_1', 2, 'rescheduled', '2026-05-07T08:00:00Z', { at: '2026-05-01T08:00:00Z', leadMinutes: 8640 }),
      event('bk_1', 1, 'booked', '2026-05-05T08:00:00Z', { at: '2026-04-30T08:00:00Z', leadMinutes: 7200 }),
    ];

    const traits = computeTraits(events, NOW, ZONE);

    expect(traits).toMatchObject({ visits: 1, bookings: 1, lastVisitAt: '2026-05-07T08:00:00.000Z', daysSinceLastVisit: 25 });
    // Lead time is the booking's, not the move's.
    expect(traits.avgLeadTimeHours).toBe(120);
  });

  it('keeps a cancellation when a stale, lower version arrives after it', () => {
    const events = [
      event('bk_1', 2, 'cancelled', '2026-06-10T08:00:00Z', { at: '2026-05-20T08:00:00Z', leadMinutes: 30_240 }),
      event('bk_1', 1, 'booked', '2026-06-10T08:00:00Z', { at: '2026-05-19T08:00:00Z', leadMinutes: 31_680 }),
    ];

    const traits = computeTraits(events, NOW, ZONE);

    expect(traits).toMatchObject({ bookings: 1, cancellations: 1, lateCancellations: 0, upcomingBookings: 0, nextBookingAt: undefined });
  });

  it('lets a later attendance mark overturn an earlier no-show', () => {
    const events = [event('bk_1', 2, 'no_show', '2026-05-07T08:00:00Z'), event('bk_1', 3, 'attended', '2026-05-07T08:00:00Z'), event('bk_1', 1, 'booked', '2026-05-07T08:00:00Z')];

    expect(computeTraits(events, NOW, ZONE)).toMatchObject({ visits: 1, noShows: 0 });
  });

  it('counts an outcome written with the same version as the move as the final state', () => {
    // One change can write `rescheduled` and `attended` with one version: the outcome is later in a booking's life.
    const events = [event('bk_1', 2, 'attended', '2026-05-07T08:00:00Z'), event('bk_1', 2, 'rescheduled', '2026-05-07T08:00:00Z'), event('bk_1', 1, 'booked', '2026-05-05T08:00:00Z')];

    expect(computeTraits(events, NOW, ZONE).visits).toBe(1);
  });
});

describe('computeTraits on cancellations', () => {
  it('counts a cancellation and the booking that replaced it, with the rebooking as the next appointment', () => {
    const events = [
      event('bk_1', 1, 'booked', '2026-06-03T08:00:00Z', { at: '2026-05-20T08:00:00Z' }),
      // Cancelled 2 h before the appointment: late.
      event('bk_1', 2, 'cancelled', '2026-06-03T08:00:00Z', { at: '2026-06-03T06:00:00Z', leadMinutes: 120 }),
      event('bk_2', 1, 'booked', '2026-06-10T08:00:00Z', { at: '2026-06-03T06:05:00Z' }),
    ];

    const traits = computeTraits(events, NOW, ZONE);

    expect(traits).toMatchObject({ bookings: 2, cancellations: 1, lateCancellations: 1, upcomingBookings: 1, nextBookingAt: '2026-06-10T08:00:00.000Z', visits: 0 });
  });

  it('calls 24 hours of notice in time and 23 h 59 min late, by default', () => {
    const cancelled = (booking: string, minutes: number) => [
      event(booking, 1, 'booked', '2026-05-10T08:00:00Z', { at: '2026-05-01T08:00:00Z' }),
      event(booking, 2, 'cancelled', '2026-05-10T08:00:00Z', { at: '2026-05-09T08:00:00Z', leadMinutes: minutes }),
    ];

    expect(DEFAULT_TRAIT_OPTIONS.lateCancellationHours).toBe(24);
    expect(computeTraits(cancelled('bk_1', 24 * 60), NOW, ZONE).lateCancellations).toBe(0);
    expect(computeTraits(cancelled('bk_1', 24 * 60 - 1), NOW, ZONE).lateCancellations).toBe(1);
  });

  it('takes the late-cancellation threshold as a parameter', () => {
    const events = [event('bk_1', 1, 'booked', '2026-05-10T08:00:00Z'), event('bk_1', 2, 'cancelled', '2026-05-10T08:00:00Z', { at: '2026-05-08T08:00:00Z', leadMinutes: 2880 })];

    expect(computeTraits(events, NOW, ZONE).lateCancellations).toBe(0);
    expect(computeTraits(events, NOW, ZONE, { lateCancellationHours: 72 }).lateCancellations).toBe(1);
  });

  it('works out the notice from the times when the cancellation does not carry it', () => {
    const events = [event('bk_1', 1, 'booked', '2026-05-10T08:00:00Z'), event('bk_1', 2, 'cancelled', '2026-05-10T08:00:00Z', { at: '2026-05-10T02:00:00Z' })];

    expect(computeTraits(events, NOW, ZONE).lateCancellations).toBe(1);
  });
});

describe('computeTraits on no-shows', () => {
  it('smooths the rate: one no-show out of one appointment is (1 + 1) / (1 + 1 + 9), not 100 %', () => {
    const traits = computeTraits([event('bk_1', 1, 'booked', '2026-05-10T08:00:00Z'), event('bk_1', 2, 'no_show', '2026-05-10T08:00:00Z')], NOW, ZONE);

    expect(traits.noShowRate).toBeCloseTo(2 / 11, 10);
    expect(traits).toMatchObject({ noShows: 1, decidedBookings: 1, daysSinceLastNoShow: 22 });
  });

  it('counts only appointments with a known outcome, and takes the prior as a parameter', () => {
    // 2 visits, 1 no-show, 1 cancelled and 1 upcoming: the rate is out of 3.
    const events = [
      ...visit('bk_1', '2026-03-02T08:00:00Z'),
      ...visit('bk_2', '2026-04-02T08:00:00Z'),
      event('bk_3', 1, 'booked', '2026-05-02T08:00:00Z'),
      event('bk_3', 2, 'no_show', '2026-05-02T08:00:00Z'),
      event('bk_4', 1, 'booked', '2026-05-20T08:00:00Z'),
      event('bk_4', 2, 'cancelled', '2026-05-20T08:00:00Z'),
      event('bk_5', 1, 'booked', '2026-06-20T08:00:00Z'),
    ];

    expect(computeTraits(events, NOW, ZONE).noShowRate).toBeCloseTo(2 / 13, 10);
    expect(computeTraits(events, NOW, ZONE, { noShowPrior: { alpha: 0, beta: 0 } }).noShowRate).toBeCloseTo(1 / 3, 10);
  });
});

describe('computeTraits on how a customer books', () => {
  it('averages the lead time and the after-hours share over the bookings, one booked event each', () => {
    const events = [
      ...visit('bk_1', '2026-03-02T08:00:00Z', { leadHours: 10, afterHours: true }),
      ...visit('bk_2', '2026-04-02T08:00:00Z', { leadHours: 20, afterHours: true }),
      ...visit('bk_3', '2026-05-02T08:00:00Z', { leadHours: 60, afterHours: false }),
      // Moves do not count as bookings for either trait.
      event('bk_3', 3, 'rescheduled', '2026-05-02T08:00:00Z', { id: 'move', leadMinutes: 1, afterHours: true }),
    ];

    const traits = computeTraits(events, NOW, ZONE);

    expect(traits.avgLeadTimeHours).toBe(30);
    expect(traits.afterHoursShare).toBeCloseTo(2 / 3, 10);
    expect(traits).toMatchObject({ afterHoursBookings: 2, afterHoursKnown: 3, leadTimeSamples: 3 });
  });
});

describe('computeTraits on habits, in the tenant’s zone', () => {
  it('reads weekday and time of day in Berlin across the DST change, not in UTC or at a fixed offset', () => {
    const events = [
      // Saturday 23:30 UTC is Sunday 00:30 in Berlin (CET, UTC+1): twice.
      ...visit('bk_1', '2026-03-21T23:30:00Z'),
      ...visit('bk_2', '2026-03-28T23:30:00Z'),
      // The DST day: 10:30 UTC is Sunday 12:30 CEST, afternoon (11:30 at CET would be morning).
      ...visit('bk_3', '2026-03-29T10:30:00Z'),
      // Saturday 14:30 CEST, afternoon.
      ...visit('bk_4', '2026-04-04T12:30:00Z'),
      // Sunday 12:30 CEST, afternoon.
      ...visit('bk_5', '2026-04-05T10:30:00Z'),
    ];

    const traits = computeTraits(events, NOW, ZONE);

    // Berlin: sun, sun, sun, sat, sun; morning, morning, afternoon, afternoon, afternoon.
    expect(traits.usualWeekday).toBe('sun');
    expect(traits.usualTimeOfDay).toBe('afternoon');
    // The same instants in UTC: sat, sat, sun, sat, sun; evening, evening, morning, afternoon, morning
    // (a 2–2 tie that the more recent morning wins).
    expect(computeTraits(events, NOW, 'UTC')).toMatchObject({ usualWeekday: 'sat', usualTimeOfDay: 'morning' });
  });

  it('puts 11:59 in the morning, 12:00 and 16:59 in the afternoon, 17:00 in the evening', () => {
    const at = (local: string) => computeTraits(visit('bk_1', local), NOW, ZONE).usualTimeOfDay;

    expect(at('2026-05-04T09:59:00Z')).toBe('morning');
    expect(at('2026-05-04T10:00:00Z')).toBe('afternoon');
    expect(at('2026-05-04T14:59:00Z')).toBe('afternoon');
    expect(at('2026-05-04T15:00:00Z')).toBe('evening');
  });

  it('names the provider seen most often, and on a tie the one seen most recently', () => {
    const often = [...visit('bk_1', '2026-03-02T08:00:00Z', { providerId: 'ben' }), ...visit('bk_2', '2026-04-02T08:00:00Z', { providerId: 'ben' }), ...visit('bk_3', '2026-05-02T08:00:00Z', { providerId: 'anna' })];
    const tie = [...visit('bk_1', '2026-03-02T08:00:00Z', { providerId: 'ben' }), ...visit('bk_2', '2026-04-02T08:00:00Z', { providerId: 'anna' })];

    expect(computeTraits(often, NOW, ZONE).usualProviderId).toBe('ben');
    expect(computeTraits(tie, NOW, ZONE).usualProviderId).toBe('anna');
  });

  it('falls back to confirmed bookings before the first visit', () => {
    const traits = computeTraits([event('bk_1', 1, 'booked', '2026-06-09T16:00:00Z', { providerId: 'ben' })], NOW, ZONE);

    expect(traits).toMatchObject({ usualProviderId: 'ben', usualWeekday: 'tue', usualTimeOfDay: 'evening' });
  });

  it('throws on an unknown zone', () => {
    expect(() => computeTraits([], NOW, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('computeTraits on visits and spend', () => {
  it('measures the interval between visits, the time since the last, and the next appointment', () => {
    const events = [
      ...visit('bk_1', '2026-02-01T09:00:00Z'),
      ...visit('bk_2', '2026-03-03T09:00:00Z'),
      // Booking bk_3 was missed: it is neither a visit nor part of the interval.
      event('bk_3', 1, 'booked', '2026-03-20T09:00:00Z'),
      event('bk_3', 2, 'no_show', '2026-03-20T09:00:00Z'),
      ...visit('bk_4', '2026-04-12T09:00:00Z'),
      // Past, confirmed, no outcome yet: not upcoming.
      event('bk_5', 1, 'booked', '2026-05-30T09:00:00Z'),
      event('bk_6', 1, 'booked', '2026-07-01T09:00:00Z'),
      event('bk_7', 1, 'booked', '2026-06-15T09:00:00Z'),
      // Cancelled: not the next appointment, though it is the earliest.
      event('bk_8', 1, 'booked', '2026-06-02T09:00:00Z'),
      event('bk_8', 2, 'cancelled', '2026-06-02T09:00:00Z'),
    ];

    const traits = computeTraits(events, NOW, ZONE);

    // 1 Feb → 12 Apr is 70 days over two intervals.
    expect(traits.avgIntervalDays).toBe(35);
    // 12 Apr 09:00 → 1 Jun 12:00 is 50 days and 3 hours.
    expect(traits.daysSinceLastVisit).toBe(50);
    expect(traits.lastVisitAt).toBe('2026-04-12T09:00:00.000Z');
    expect(traits.nextBookingAt).toBe('2026-06-15T09:00:00.000Z');
    expect(traits.upcomingBookings).toBe(2);
    expect(traits.bookings).toBe(8);
  });

  it('adds up the prices of attended visits per currency, and nothing else', () => {
    const events = [
      ...visit('bk_1', '2026-02-01T09:00:00Z', { price: { amount: 60.1, currency: 'EUR' } }),
      ...visit('bk_2', '2026-03-01T09:00:00Z', { price: { amount: 25.2, currency: 'EUR' } }),
      ...visit('bk_3', '2026-04-01T09:00:00Z', { price: { amount: 80, currency: 'CHF' } }),
      event('bk_4', 1, 'booked', '2026-05-01T09:00:00Z', { price: { amount: 999, currency: 'EUR' } }),
      event('bk_4', 2, 'cancelled', '2026-05-01T09:00:00Z'),
      event('bk_5', 1, 'booked', '2026-05-02T09:00:00Z', { price: { amount: 999, currency: 'EUR' } }),
      event('bk_5', 2, 'no_show', '2026-05-02T09:00:00Z'),
    ];

    expect(computeTraits(events, NOW, ZONE).spend).toEqual({ CHF: 80, EUR: 85.3 });
  });
});
