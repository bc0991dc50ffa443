import { describe, expect, it } from 'vitest';
import { eventsFromBookingChange, outsideOpeningHours } from '#shared/customers/booking-events';
import type { Booking, WeeklyHours } from '#shared/domain/schemas';

const nine18 = [['09:00', '18:00']] as Array<[string, string]>;
const openingHours: WeeklyHours = { mon: nine18, tue: nine18, wed: nine18, thu: nine18, fri: nine18, sat: [], sun: [] };
const context = { customerId: 'cus_1', zone: 'Europe/Berlin', openingHours, price: { amount: 60, currency: 'EUR' } };

const booking = (overrides: Partial<Booking> = {}): Booking => ({
  id: 'bk_1',
  tenantId: 'acme',
  serviceId: 'cut',
  providerId: 'p1',
  start: '2026-12-01T09:00:00Z',
  end: '2026-12-01T09:30:00Z',
  timeZone: 'Europe/Berlin',
  status: 'confirmed',
  customer: { name: 'Ana', email: 'ana@example.com' },
  version: 1,
  // Sunday 22:30 Berlin: outside the opening hours.
  createdAt: '2026-11-29T21:30:00Z',
  updatedAt: '2026-11-29T21:30:00Z',
  channel: 'online',
  ...overrides,
});

describe('eventsFromBookingChange', () => {
  it('turns a new booking into a booked event with lead time, channel, price and after-hours', () => {
    expect(eventsFromBookingChange(undefined, booking(), context)).toEqual([
      expect.objectContaining({
        id: 'bk_1.v1.booked',
        type: 'booked',
        at: '2026-11-29T21:30:00Z',
        customerId: 'cus_1',
        bookingVersion: 1,
        channel: 'online',
        leadMinutes: 35 * 60 + 30,
        afterHours: true,
        price: { amount: 60, currency: 'EUR' },
      }),
    ]);
  });

  it('reads after-hours in the tenant zone against the opening hours', () => {
    // 08:30 UTC on a Tuesday is 09:30 in Berlin: open.
    expect(outsideOpeningHours(Date.parse('2026-12-01T08:30:00Z'), 'Europe/Berlin', openingHours)).toBe(false);
    expect(outsideOpeningHours(Date.parse('2026-12-01T07:30:00Z'), 'Europe/Berlin', openingHours)).toBe(true);
    expect(outsideOpeningHours(Date.parse('2026-12-01T07:30:00Z'), 'Europe/Berlin', undefined)).toBe(false);
  });

  it('records a cancellation with the notice given', () => {
    const before = booking();
    const after = booking({ status: 'cancelled', version: 2, cancelledAt: '2026-12-01T07:00:00Z', updatedAt: '2026-12-01T07:00:00Z' });
    expect(eventsFromBookingChange(before, after, context)).toEqual([expect.objectContaining({ id: 'bk_1.v2.cancelled', type: 'cancelled', leadMinutes: 120 })]);
  });

  it('records a move, and attendance with the spend of an attended visit', () => {
    const moved = booking({ start: '2026-12-02T09:00:00Z', end: '2026-12-02T09:30:00Z', version: 2, updatedAt: '2026-11-30T10:00:00Z' });
    expect(eventsFromBookingChange(booking(), moved, context).map((e) => e.type)).toEqual(['rescheduled']);
    const attended = booking({ ...moved, version: 3, attendance: 'attended', attendanceMarkedAt: '2026-12-02T09:40:00Z' });
    expect(eventsFromBookingChange(moved, attended, context)).toEqual([
      expect.objectContaining({ id: 'bk_1.v3.attended', at: '2026-12-02T09:40:00Z', price: { amount: 60, currency: 'EUR' } }),
    ]);
    const corrected = booking({ ...attended, version: 4, attendance: 'no_show' });
    expect(eventsFromBookingChange(attended, corrected, context).map((e) => e.id)).toEqual(['bk_1.v4.no_show']);
  });

  it('ignores a record that does not move the version forward (replays, out of order)', () => {
    expect(eventsFromBookingChange(booking({ version: 2 }), booking({ version: 2, status: 'cancelled' }), context)).toEqual([]);
  });

  it('is the same for the same change, whatever else happened (deterministic ids)', () => {
    expect(eventsFromBookingChange(undefined, booking(), context)).toEqual(eventsFromBookingChange(undefined, booking(), context));
  });
});
