import { localDateOf, workingRanges } from '../domain/slots.ts';
import type { Booking, WeeklyHours } from '../domain/schemas.ts';
import type { CustomerEvent, CustomerEventType } from './types.ts';

/**
 * What one booking change means for its customer's timeline. The projector calls this with the
 * stream record's old and new image; the result depends on nothing else, so replaying a record
 * gives the same events (their ids are `<booking>.v<version>.<type>`).
 */

const MINUTE_MS = 60_000;

export interface BookingEventContext {
  customerId: string;
  /** The tenant's zone and the opening hours it shows customers: "booked after hours" is read against them. */
  zone: string;
  openingHours?: WeeklyHours | undefined;
  /** The service's price, for spend. */
  price?: { amount: number; currency: string } | undefined;
}

/** Whether an instant lies outside the opening hours (no opening hours known: never after hours). */
export function outsideOpeningHours(instant: number, zone: string, openingHours: WeeklyHours | undefined): boolean {
  if (!openingHours) return false;
  const calendar = { providerId: 'opening-hours', timeZone: zone, weeklyHours: openingHours, exceptions: [], taken: new Map<number, string>() };
  return !workingRanges(calendar, localDateOf(instant, zone)).some(([from, to]) => instant >= from && instant < to);
}

export function eventsFromBookingChange(before: Booking | undefined, after: Booking, context: BookingEventContext): CustomerEvent[] {
  const base = (type: CustomerEventType, at: string): CustomerEvent => ({
    id: `${after.id}.v${after.version}.${type}`,
    tenantId: after.tenantId,
    customerId: context.customerId,
    type,
    at,
    bookingId: after.id,
    bookingVersion: after.version,
    serviceId: after.serviceId,
    providerId: after.providerId,
    start: after.start,
    end: after.end,
  });
  const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / MINUTE_MS);
  const events: CustomerEvent[] = [];

  if (!before) {
    events.push({
      ...base('booked', after.createdAt),
      channel: after.channel ?? 'online',
      leadMinutes: minutesBetween(after.createdAt, after.start),
      afterHours: outsideOpeningHours(Date.parse(after.createdAt), context.zone, context.openingHours),
      ...(context.price ? { price: context.price } : {}),
    });
    return events;
  }
  if (after.version <= before.version) return events;

  if (before.status !== 'cancelled' && after.status === 'cancelled') {
    const at = after.cancelledAt ?? after.updatedAt;
    events.push({ ...base('cancelled', at), leadMinutes: minutesBetween(at, after.start) });
  } else if (before.start !== after.start || before.providerId !== after.providerId) {
    events.push({ ...base('rescheduled', after.updatedAt), leadMinutes: minutesBetween(after.updatedAt, after.start) });
  }
  if (after.attendance && after.attendance !== before.attendance) {
    const type = after.attendance === 'attended' ? 'attended' : 'no_show';
    events.push({ ...base(type, after.attendanceMarkedAt ?? after.updatedAt), ...(type === 'attended' && context.price ? { price: context.price } : {}) });
  }
  return events;
}
