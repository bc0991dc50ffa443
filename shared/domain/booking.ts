import { DomainError } from './errors.ts';
import type { Booking, Provider, Service, TenantConfig } from './schemas.ts';
import { checkRequestedStart, localDateOf, workingRanges, type ProviderCalendar, type SlotRules } from './slots.ts';

const MINUTE_MS = 60_000;

export const slotRules = (service: Service): SlotRules => ({
  durationMinutes: service.durationMinutes,
  bufferBeforeMinutes: service.bufferBeforeMinutes,
  bufferAfterMinutes: service.bufferAfterMinutes,
  slotIntervalMinutes: service.slotIntervalMinutes,
  minNoticeMinutes: service.minNoticeMinutes,
  horizonDays: service.horizonDays,
  maxPerDayPerProvider: service.maxPerDayPerProvider,
});

export const providerZone = (config: TenantConfig, provider: Provider): string =>
  provider.timeZone ?? config.tenant.timeZone;

/** A calendar with no taken units: what the schedule alone allows. */
export const scheduleOnly = (config: TenantConfig, provider: Provider): ProviderCalendar => ({
  providerId: provider.id,
  timeZone: providerZone(config, provider),
  weeklyHours: provider.weeklyHours,
  exceptions: provider.exceptions,
  taken: new Map(),
});

export function findService(config: TenantConfig, serviceId: string, field = 'serviceId'): Service {
  const service = config.services.find((s) => s.id === serviceId && s.active);
  if (!service) throw new DomainError('unknown_service', `No service "${serviceId}" in this tenant.`, { field });
  return service;
}

/** The active providers that offer a service, optionally narrowed to one requested provider. */
export function providersFor(config: TenantConfig, service: Service, providerId?: string, field = 'providerId'): Provider[] {
  const offering = config.providers.filter((p) => p.active && service.providerIds.includes(p.id));
  if (providerId === undefined) return offering;
  const provider = config.providers.find((p) => p.id === providerId && p.active);
  if (!provider) throw new DomainError('unknown_provider', `No provider "${providerId}" in this tenant.`, { field });
  if (!offering.includes(provider)) {
    throw new DomainError('provider_not_offering_service', `Provider "${providerId}" does not offer "${service.id}".`, {
      field,
    });
  }
  return [provider];
}

/**
 * Throws `slot_unavailable` unless `start` is on the grid, inside working hours, past the
 * minimum notice and inside the horizon for this provider. Whether it is free is not decided
 * here: only the day-sheet transaction decides that.
 */
export function assertBookableStart(config: TenantConfig, service: Service, provider: Provider, start: number, now: number): void {
  const result = checkRequestedStart(scheduleOnly(config, provider), slotRules(service), start, now);
  if (!result.ok) {
    throw new DomainError('slot_unavailable', `That time is not an open slot (${result.reason.replaceAll('_', ' ')}).`, {
      field: 'start',
      reason: result.reason,
    });
  }
}

/** Customers may change a booking only until `selfServiceCutoffMinutes` before it starts. */
export function assertBeforeCutoff(config: TenantConfig, booking: Pick<Booking, 'start'>, now: number): void {
  const cutoff = config.tenant.policy.selfServiceCutoffMinutes;
  const deadline = Date.parse(booking.start) - cutoff * MINUTE_MS;
  if (now > deadline) {
    throw new DomainError(
      'change_cutoff_passed',
      `Changes are possible until ${cutoff} minutes before the appointment; please contact the business.`,
      { cutoffMinutes: cutoff, deadline: new Date(deadline).toISOString() },
    );
  }
}

export function assertActive(booking: Pick<Booking, 'status'>): void {
  if (booking.status === 'cancelled') {
    throw new DomainError('booking_cancelled', 'This booking was cancelled and cannot be changed.');
  }
}

export const endOf = (start: number, service: Service): number => start + service.durationMinutes * MINUTE_MS;

/** Whether an appointment lies inside one working range of its start's local date. */
export function withinWorkingHours(calendar: ProviderCalendar, booking: Pick<Booking, 'start' | 'end'>): boolean {
  const start = Date.parse(booking.start);
  const end = Date.parse(booking.end);
  return workingRanges(calendar, localDateOf(start, calendar.timeZone)).some(([from, to]) => start >= from && end <= to);
}

/**
 * The confirmed bookings a schedule change strands: inside the old hours, outside the new ones
 * (`after` undefined: the provider no longer works at all). Bookings already outside the hours,
 * such as staff overrides, were placed there on purpose and are not reported again.
 */
export function strandedBookings<B extends Pick<Booking, 'start' | 'end' | 'status'>>(
  before: ProviderCalendar,
  after: ProviderCalendar | undefined,
  bookings: readonly B[],
): B[] {
  return bookings.filter(
    (booking) => booking.status === 'confirmed' && withinWorkingHours(before, booking) && !(after && withinWorkingHours(after, booking)),
  );
}
