import {
  assertActive,
  assertBeforeCutoff,
  assertBookableStart,
  endOf,
  findService,
  providersFor,
  providerZone,
  slotRules,
} from '#shared/domain/booking';
import { sheetChanges, spanClaims, type SpanClaim } from '#shared/domain/claims';
import { DomainError } from '#shared/domain/errors';
import type { Attendance, Booking, Provider, Service, TenantConfig } from '#shared/domain/schemas';
import { planNotifications } from '#shared/domain/notifications';
import { historyEntry, type Actor } from '#shared/domain/staff';
import {
  availabilityWindow,
  checkRequestedStart,
  claimSpan,
  computeOpenSlots,
  fairProviderOrder,
  localDateOf,
  mergeAvailability,
  sheetDateRange,
  UNIT_MS,
  type ProviderCalendar,
} from '#shared/domain/slots';
import type * as z from 'zod';
import type { availabilityQuerySchema, createBookingBodySchema, rescheduleBodySchema } from '#shared/api/routes';
import { publicBooking, type StoredBooking } from '#functions/adapters/entities/booking';
import type { SheetState } from '#functions/adapters/entities/day-sheet';
import { hashToken, tokenMatches } from '#functions/adapters/ids';
import type { AppDeps } from './deps.ts';
import { isoInstant } from '#shared/domain/instant';

const MAX_RANGE_DAYS = 62;
const DAY_MS = 86_400_000;

const noSheets: SheetState = { taken: new Map(), bookingsPerDay: new Map() };

/** A provider's calendar: its schedule plus what its sheets say. */
function calendarFrom(config: TenantConfig, provider: Provider, { taken, bookingsPerDay }: SheetState): ProviderCalendar {
  return {
    providerId: provider.id,
    timeZone: providerZone(config, provider),
    weeklyHours: provider.weeklyHours,
    exceptions: provider.exceptions,
    taken,
    bookingsPerDay,
  };
}

/** Reads the sheets that can hold units of slots starting in [from, to), buffers included. */
async function loadCalendar(deps: AppDeps, config: TenantConfig, provider: Provider, from: number, to: number): Promise<ProviderCalendar> {
  const { fromDate, toDate } = sheetDateRange(from, to, providerZone(config, provider));
  const state = await deps.store.readSheets(config.tenant.id, provider.id, fromDate, toDate);
  return calendarFrom(config, provider, state);
}

export async function getAvailability(deps: AppDeps, tenantId: string, query: z.output<typeof availabilityQuerySchema>) {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const service = findService(config, query.serviceId);
  const providers = providersFor(config, service, query.providerId);
  const zone = query.timeZone ?? config.tenant.timeZone;
  if (query.from > query.to) {
    throw new DomainError('invalid_date_range', '`from` must not be after `to`.', { field: 'from' });
  }
  const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new DomainError('invalid_date_range', `Ask for at most ${MAX_RANGE_DAYS} days at a time.`, { field: 'to', maxDays: MAX_RANGE_DAYS });
  }
  const rules = slotRules(service);
  const { from: windowFrom, to: windowTo } = availabilityWindow(query.from, query.to, zone, now, service.horizonDays);
  const perProvider =
    windowFrom >= windowTo
      ? []
      : await Promise.all(
          providers.map(async (provider) => {
            const calendar = await loadCalendar(deps, config, provider, windowFrom, windowTo);
            return { providerId: provider.id, slots: computeOpenSlots(calendar, rules, { from: windowFrom, to: windowTo, now }) };
          }),
        );
  return {
    serviceId: service.id,
    timeZone: zone,
    from: query.from,
    to: query.to,
    slots: mergeAvailability(perProvider).map((slot) => ({ start: isoInstant(slot.start), end: isoInstant(slot.end), providerIds: slot.providerIds })),
  };
}

/** What a stored booking holds on the sheets, as recorded when it was claimed. */
const heldBy = (booking: StoredBooking): SpanClaim[] =>
  spanClaims(booking.providerId, booking.timeZone, Date.parse(booking.start), [Date.parse(booking.claimFrom), Date.parse(booking.claimTo)]);

export interface CreatedBooking {
  booking: Booking;
  manageToken: string;
}

/** Who books and how: the customer online, or staff on their behalf (optionally overriding the rules). */
export interface BookingOptions {
  actor: Actor;
  /** Staff only: place it outside working hours, notice or horizon. Never over a booking or block. */
  override?: { reason: string } | undefined;
}

/** With an override only the unit grid still applies: the sheets can hold nothing finer. */
function assertOverridableStart(start: number): void {
  if (start % UNIT_MS !== 0) {
    throw new DomainError('slot_unavailable', `Times must be on the ${UNIT_MS / 60_000}-minute grid, even with an override.`, {
      field: 'start',
      reason: 'off_grid',
    });
  }
}

export async function createBooking(
  deps: AppDeps,
  tenantId: string,
  body: z.output<typeof createBookingBodySchema>,
  options: BookingOptions,
): Promise<CreatedBooking> {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const service = findService(config, body.serviceId);
  if (options.override && body.providerId === undefined) {
    throw new DomainError('invalid_request', 'An override needs a chosen provider (providerId).', { field: 'body.providerId' });
  }
  const candidates = providersFor(config, service, body.providerId);
  const start = Date.parse(body.start);
  if (options.override) assertOverridableStart(start);
  else if (body.providerId !== undefined) assertBookableStart(config, service, candidates[0]!, start, now);
  const order = body.providerId !== undefined ? candidates : await fairCandidates(deps, config, service, candidates, start, now);

  const id = deps.ids.bookingId();
  const manageToken = deps.links.manageToken(id);
  const at = isoInstant(now);
  let lastError: unknown;
  for (const provider of order) {
    const zone = providerZone(config, provider);
    const span = claimSpan(start, slotRules(service));
    const booking: StoredBooking = {
      id,
      tenantId,
      serviceId: service.id,
      providerId: provider.id,
      start: isoInstant(start),
      end: isoInstant(endOf(start, service)),
      timeZone: zone,
      status: 'confirmed',
      customer: body.customer,
      ...(body.notes !== undefined ? { notes: body.notes } : {}),
      version: 1,
      createdAt: at,
      updatedAt: at,
      channel: options.actor.kind === 'staff' ? 'staff' : 'online',
      ...(options.override ? { override: options.override } : {}),
      manageTokenHash: hashToken(manageToken),
      claimFrom: isoInstant(span[0]),
      claimTo: isoInstant(span[1]),
    };
    const history = historyEntry('created', options.actor, null, booking, { override: options.override });
    const outbox = planNotifications({ change: 'created', booking, previousReminderIds: [], config, mailFrom: deps.mailFrom, now });
    booking.reminderIds = outbox.reminderIds;
    try {
      await deps.store.insertBooking(booking, sheetChanges(id, service, [], spanClaims(provider.id, zone, start, span)), history, outbox);
      return { booking: publicBooking(booking), manageToken };
    } catch (error) {
      // Someone took this provider's slot meanwhile: the next free provider may still have it.
      if (!(error instanceof DomainError && error.code === 'slot_taken')) throw error;
      lastError = error;
    }
  }
  throw lastError ?? new DomainError('slot_taken', 'Someone else has just taken this time. Please choose another.', { field: 'start' });
}

/** Without a chosen provider: those whose schedule allows the start and whose sheet is free, fairly ordered. */
async function fairCandidates(
  deps: AppDeps,
  config: TenantConfig,
  service: Service,
  candidates: readonly Provider[],
  start: number,
  now: number,
): Promise<Provider[]> {
  const rules = slotRules(service);
  const scheduled = candidates.filter((p) => checkRequestedStart(calendarFrom(config, p, noSheets), rules, start, now).ok);
  if (scheduled.length === 0) {
    // Report why the first provider cannot take it; it is the same rule for all of them.
    assertBookableStart(config, service, candidates[0]!, start, now);
  }
  const calendars = await Promise.all(scheduled.map((p) => loadCalendar(deps, config, p, start, start)));
  const free = scheduled
    .map((provider, i) => ({ provider, calendar: calendars[i]! }))
    .filter(({ calendar }) => computeOpenSlots(calendar, rules, { from: start, to: start + 1, now }).length > 0);
  if (free.length === 0) {
    throw new DomainError('slot_taken', 'Someone else has just taken this time. Please choose another.', { field: 'start' });
  }
  const order = fairProviderOrder(
    free.map(({ provider, calendar }) => ({
      providerId: provider.id,
      bookingsThatDay: calendar.bookingsPerDay?.get(localDateOf(start, calendar.timeZone)) ?? 0,
    })),
    start,
  );
  return order.map((id) => free.find((f) => f.provider.id === id)!.provider);
}

/** The booking for a manage token; a wrong or missing token looks exactly like no booking. */
export async function authorizeManage(deps: AppDeps, bookingId: string, authorization: string | undefined): Promise<StoredBooking> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const booking = await deps.store.getBooking(bookingId);
  const storedHash = booking?.manageTokenHash ?? 'f'.repeat(64);
  // Compare even when there is no booking, so timing does not tell the two apart.
  const ok = tokenMatches(token, storedHash);
  if (!booking || !ok) throw new DomainError('booking_not_found', 'No such booking.');
  return booking;
}

/** How a change is made: by whom, whether the customer's cutoff applies, and any staff override. */
export interface ChangeOptions extends BookingOptions {
  enforceCutoff: boolean;
}

export async function rescheduleBooking(
  deps: AppDeps,
  current: StoredBooking,
  body: z.output<typeof rescheduleBodySchema>,
  options: ChangeOptions,
): Promise<Booking> {
  const now = deps.clock.now();
  assertActive(current);
  const config = await deps.store.requireConfig(current.tenantId, now);
  if (options.enforceCutoff) assertBeforeCutoff(config, current, now);
  const service = config.services.find((s) => s.id === current.serviceId);
  if (!service) throw new DomainError('unknown_service', 'This booking\'s service no longer exists.');
  const [provider] = providersFor(config, service, body.providerId ?? current.providerId);
  const start = Date.parse(body.start);
  if (start === Date.parse(current.start) && provider!.id === current.providerId) return publicBooking(current);
  if (options.override) assertOverridableStart(start);
  else assertBookableStart(config, service, provider!, start, now);
  const zone = providerZone(config, provider!);
  const span = claimSpan(start, slotRules(service));
  const next: StoredBooking = {
    ...current,
    providerId: provider!.id,
    start: isoInstant(start),
    end: isoInstant(endOf(start, service)),
    timeZone: zone,
    claimFrom: isoInstant(span[0]),
    claimTo: isoInstant(span[1]),
    // The override describes where the booking is now: a move back inside the rules clears it.
    override: options.override,
    version: current.version + 1,
    updatedAt: isoInstant(now),
  };
  const changes = sheetChanges(current.id, service, heldBy(current), spanClaims(provider!.id, zone, start, span));
  const history = historyEntry('rescheduled', options.actor, current, next, { override: options.override });
  const outbox = planNotifications({ change: 'rescheduled', booking: next, before: current, previousReminderIds: current.reminderIds ?? [], config, mailFrom: deps.mailFrom, now });
  next.reminderIds = outbox.reminderIds;
  await deps.store.updateBooking(next, current.version, changes, history, outbox);
  return publicBooking(next);
}

export async function cancelBooking(
  deps: AppDeps,
  current: StoredBooking,
  reason: string | undefined,
  options: ChangeOptions,
): Promise<Booking> {
  // Cancelling twice gives the same answer as the first time.
  if (current.status === 'cancelled') return publicBooking(current);
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(current.tenantId, now);
  if (options.enforceCutoff) assertBeforeCutoff(config, current, now);
  const service = config.services.find((s) => s.id === current.serviceId);
  if (!service) throw new Error(`Booking ${current.id} refers to service ${current.serviceId}, which does not exist`);
  const next: StoredBooking = {
    ...current,
    status: 'cancelled',
    cancelledAt: isoInstant(now),
    ...(reason !== undefined ? { cancelReason: reason } : {}),
    version: current.version + 1,
    updatedAt: isoInstant(now),
  };
  const changes = sheetChanges(current.id, service, heldBy(current), []);
  const history = historyEntry('cancelled', options.actor, current, next, { reason });
  const outbox = planNotifications({ change: 'cancelled', booking: next, before: current, previousReminderIds: current.reminderIds ?? [], config, mailFrom: deps.mailFrom, now });
  next.reminderIds = [];
  try {
    await deps.store.updateBooking(next, current.version, changes, history, outbox);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'concurrent_modification') {
      const latest = await deps.store.getBooking(current.id);
      if (latest?.status === 'cancelled') return publicBooking(latest);
    }
    throw error;
  }
  return publicBooking(next);
}

/**
 * Marks whether the customer came. Only once the appointment has started (marking a no-show in
 * advance would be a guess); a correction later is a new history entry.
 */
export async function markAttendance(deps: AppDeps, current: StoredBooking, status: Attendance, actor: Actor): Promise<Booking> {
  assertActive(current);
  const now = deps.clock.now();
  if (now < Date.parse(current.start)) {
    throw new DomainError('attendance_too_early', 'Attendance can be marked once the appointment has started.', {
      field: 'status',
      start: current.start,
    });
  }
  if (current.attendance === status) return publicBooking(current);
  const next: StoredBooking = {
    ...current,
    attendance: status,
    attendanceMarkedAt: isoInstant(now),
    version: current.version + 1,
    updatedAt: isoInstant(now),
  };
  await deps.store.updateBooking(next, current.version, [], historyEntry('attendance_marked', actor, current, next));
  return publicBooking(next);
}
