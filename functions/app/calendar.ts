import type * as z from 'zod';
import type { calendarQuerySchema } from '#shared/api/staff-routes';
import { MAX_BLOCK_DAYS } from '#shared/api/staff-routes';
import { DomainError } from '#shared/domain/errors';
import type { TenantConfig } from '#shared/domain/schemas';
import { assertMayTouchBooking, limitedToOwnProvider, type Principal, type Role } from '#shared/domain/staff';
import { publicBlock, type StoredBlock } from '#functions/adapters/entities/block';
import { publicBooking, type StoredBooking } from '#functions/adapters/entities/booking';
import type { AppDeps } from './deps.ts';
import { isoInstant } from '#shared/domain/instant';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A booking lasts at most 8 hours (service schema), so one starting earlier cannot reach `from`. */
const LONGEST_BOOKING_MS = 8 * HOUR_MS;

const overlaps = (item: { start: string; end: string }, from: number, to: number) =>
  Date.parse(item.start) < to && Date.parse(item.end) > from;

/** A provider's bookings and blocks that overlap [from, to): two GSI1 queries. */
export async function providerCalendar(deps: AppDeps, tenantId: string, providerId: string, from: number, to: number) {
  const [bookings, blocks] = await Promise.all([
    deps.store.listProviderBookings(tenantId, providerId, isoInstant(from - LONGEST_BOOKING_MS), isoInstant(to)),
    deps.store.listProviderBlocks(tenantId, providerId, isoInstant(from - MAX_BLOCK_DAYS * DAY_MS), isoInstant(to)),
  ]);
  return {
    bookings: bookings.filter((b) => overlaps(b, from, to)),
    blocks: blocks.filter((b) => overlaps(b, from, to)),
  };
}

/** Which providers a calendar request covers; a provider-only caller sees only themself. */
function calendarProviders(config: TenantConfig, principal: Principal, allowed: readonly Role[], requested: string | undefined): string[] {
  if (limitedToOwnProvider(principal, allowed)) {
    if (!principal.providerId || (requested !== undefined && requested !== principal.providerId)) {
      throw new DomainError('forbidden', 'Providers see only their own calendar.', { field: 'providerId' });
    }
    return [principal.providerId];
  }
  if (requested !== undefined) {
    if (!config.providers.some((p) => p.id === requested)) {
      throw new DomainError('unknown_provider', `No provider "${requested}" in this tenant.`, { field: 'providerId' });
    }
    return [requested];
  }
  return config.providers.map((p) => p.id);
}

export async function listCalendar(
  deps: AppDeps,
  principal: Principal,
  allowed: readonly Role[],
  tenantId: string,
  query: z.output<typeof calendarQuerySchema>,
) {
  const config = await deps.store.requireConfig(tenantId, deps.clock.now());
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  const providerIds = calendarProviders(config, principal, allowed, query.providerId);
  const perProvider = await Promise.all(providerIds.map((id) => providerCalendar(deps, tenantId, id, from, to)));
  const byStart = (a: { start: string; id: string }, b: { start: string; id: string }) =>
    a.start.localeCompare(b.start) || a.id.localeCompare(b.id);
  const bookings: StoredBooking[] = perProvider
    .flatMap((p) => p.bookings)
    .filter((b) => query.includeCancelled === 'true' || b.status !== 'cancelled')
    .sort(byStart);
  const blocks: StoredBlock[] = perProvider.flatMap((p) => p.blocks).sort(byStart);
  return { from: isoInstant(from), to: isoInstant(to), bookings: bookings.map(publicBooking), blocks: blocks.map(publicBlock) };
}

/** A booking of this tenant that the caller may see; anything else is "not found". */
export async function staffBooking(
  deps: AppDeps,
  principal: Principal,
  allowed: readonly Role[],
  tenantId: string,
  bookingId: string,
): Promise<StoredBooking> {
  const booking = await deps.store.getBooking(bookingId);
  // Another tenant's booking id must not be distinguishable from a missing one.
  if (!booking || booking.tenantId !== tenantId) throw new DomainError('booking_not_found', 'No such booking.', { field: 'bookingId' });
  assertMayTouchBooking(principal, allowed, booking);
  return booking;
}

