import { bookingSchema, type Booking } from '#shared/domain/schemas';
import { providerPk } from './day-sheet.ts';

/**
 * Bookings live in their own partition keyed by id: the manage routes carry only the id, and a
 * reschedule changes start and provider, which would otherwise change the primary key.
 * GSI1 lists a provider's bookings by start for calendars.
 */
export const bookingPk = (bookingId: string) => `BK#${bookingId}`;
export const BOOKING_SK = 'BOOKING';
export const bookingGsi1 = (booking: Pick<Booking, 'tenantId' | 'providerId' | 'start' | 'id'>) => ({
  GSI1PK: providerPk(booking.tenantId, booking.providerId),
  GSI1SK: `BK#${booking.start}#${booking.id}`,
});

export interface StoredBooking extends Booking {
  /** SHA-256 of the manage token, hex. The token itself is never stored. */
  manageTokenHash: string;
  /**
   * The span claimed on the sheets (appointment plus buffers, UTC). Kept so that a release frees
   * exactly what was claimed even after the service's buffers or the provider's zone change.
   */
  claimFrom: string;
  claimTo: string;
  /** The outbox reminders scheduled for the booking now, so the next change can replace them. */
  reminderIds?: string[] | undefined;
}

export const bookingItem = (booking: StoredBooking): Record<string, unknown> => ({
  PK: bookingPk(booking.id),
  SK: BOOKING_SK,
  type: 'booking',
  ...bookingGsi1(booking),
  ...booking,
});

const internalKeys = new Set(['PK', 'SK', 'type', 'GSI1PK', 'GSI1SK']);

export function bookingFromItem(item: Record<string, unknown>): StoredBooking {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!internalKeys.has(key)) out[key] = value;
  return out as unknown as StoredBooking;
}

export function publicBooking(booking: StoredBooking): Booking {
  // Parsing drops internal fields and orders keys as the schema does, whatever order storage kept.
  return bookingSchema.parse(booking);
}
