import * as z from 'zod';
import {
  attendanceSchema,
  dateExceptionSchema,
  dayHoursSchema,
  idSchema,
  localDateSchema,
  localeSchema,
  openingHoursSchema,
  providerProfileSchema,
  providerSchema,
  serviceSchema,
  serviceUpdateSchema,
  tenantCustomersSchema,
  tenantPolicySchema,
  UNIT_MINUTES,
  weeklyHoursSchema,
} from '../domain/schemas.ts';
import { reminderPolicySchema } from '../domain/reminders.ts';
import { roles, type Ownership, type Role } from '../domain/staff.ts';
import {
  bodyErrors,
  bookingEnvelope,
  bookingResponseSchema,
  cancelBodySchema,
  common,
  createBookingBodySchema,
  ids,
  instant,
  type RouteAuth,
  type RouteContract,
} from './contract.ts';

/**
 * The staff API: calendars, bookings on behalf of customers, schedules, blocks, users and
 * settings, all under /v1/staff/tenants/{tenantId}. Every route names the roles that may call it
 * and how far a provider reaches; the gateway verifies the JWT, the handler checks the policy.
 */

const DAY_MS = 86_400_000;
/** The longest block: a month of leave. Longer absences are a schedule exception or deactivation. */
export const MAX_BLOCK_DAYS = 31;

type StaffAuth = Extract<RouteAuth, { kind: 'staff' }>;
export const staff = (allowed: readonly Role[], ownership: Ownership): StaffAuth => ({ kind: 'staff', roles: allowed, ownership });
const everyone = staff(roles, 'ownBookings');
const adminOnly = staff(['admin'], 'tenant');
const selfOrAdmin = staff(['admin', 'provider'], 'ownProvider');

export const base = '/v1/staff/tenants/{tenantId}' as const;
export const tenantParams = z.object({ tenantId: ids.tenantId });
const bookingParams = tenantParams.extend({ bookingId: ids.bookingId });
const providerParams = tenantParams.extend({ providerId: idSchema });
const serviceParams = tenantParams.extend({ serviceId: idSchema });

/** Errors every staff route can answer after the gateway let the token through. */
export const staffErrors = [...common, 'unauthorized', 'unknown_user', 'forbidden', 'tenant_not_found'] as const;
export const staffBodyErrors = [...bodyErrors, 'unauthorized', 'unknown_user', 'forbidden', 'tenant_not_found'] as const;

export const overrideSchema = z.strictObject({
  reason: z.string().trim().min(3, 'say why the rules are overridden').max(500),
});

export const staffCreateBookingBodySchema = z
  .strictObject({ ...createBookingBodySchema.shape, override: overrideSchema.optional() })
  .meta({ id: 'StaffCreateBooking' });

export const staffRescheduleBodySchema = z
  .strictObject({ start: instant, providerId: z.string().min(1).optional(), override: overrideSchema.optional() })
  .meta({ id: 'StaffReschedule' });

export const attendanceBodySchema = z.strictObject({ status: attendanceSchema }).meta({ id: 'Attendance' });

export const calendarQuerySchema = z
  .strictObject({
    from: instant,
    to: instant,
    providerId: idSchema.optional(),
    includeCancelled: z.enum(['true', 'false']).optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: '`from` must be before `to`', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * DAY_MS, { message: 'ask for at most 62 days at a time', path: ['to'] });

const onGrid = (value: string) => Date.parse(value) % (UNIT_MINUTES * 60_000) === 0;

export const blockBodySchema = z
  .strictObject({
    start: instant.refine(onGrid, { message: `must be on a ${UNIT_MINUTES}-minute boundary` }),
    end: instant.refine(onGrid, { message: `must be on a ${UNIT_MINUTES}-minute boundary` }),
    reason: z.string().trim().max(200).optional(),
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), { message: 'end must be after start', path: ['end'] })
  .refine((b) => Date.parse(b.end) - Date.parse(b.start) <= MAX_BLOCK_DAYS * DAY_MS, {
    message: `a block may last at most ${MAX_BLOCK_DAYS} days`,
    path: ['end'],
  })
  .meta({ id: 'CreateBlock' });

const actorSchema = z.union([
  z.object({ kind: z.literal('customer') }),
  z.object({ kind: z.literal('staff'), userId: z.string(), role: z.enum(roles), email: z.string().optional() }),
  z.object({ kind: z.literal('system'), reason: z.string().optional() }),
]);

export const blockSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    providerId: z.string(),
    start: z.iso.datetime(),
    end: z.iso.datetime(),
    reason: z.string().optional(),
    createdAt: z.iso.datetime(),
    createdBy: actorSchema,
  })
  .meta({ id: 'Block' });

export const calendarSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    bookings: z.array(bookingResponseSchema),
    blocks: z.array(blockSchema),
  })
  .meta({ id: 'Calendar' });

const snapshotSchema = z.object({
  status: z.string(),
  serviceId: z.string(),
  providerId: z.string(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  attendance: attendanceSchema.optional(),
});

export const historySchema = z
  .object({
    bookingId: z.string(),
    entries: z.array(
      z.object({
        bookingId: z.string(),
        version: z.number().int(),
        at: z.iso.datetime(),
        action: z.enum(['created', 'rescheduled', 'cancelled', 'attendance_marked']),
        actor: actorSchema,
        before: snapshotSchema.nullable(),
        after: snapshotSchema,
        reason: z.string().optional(),
        override: z.object({ reason: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'BookingHistory' });

const providerEnvelope = z.object({ provider: providerSchema });

/** A schedule change is applied; bookings it leaves outside the new hours are listed, never cancelled. */
export const scheduleChangeSchema = z
  .object({ provider: providerSchema, strandedBookings: z.array(bookingResponseSchema) })
  .meta({ id: 'ScheduleChange' });

export const staffUserSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    providerId: z.string().optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'StaffUser' });

export const inviteBodySchema = z
  .strictObject({
    email: z.email({ message: 'must be a valid e-mail address' }).max(254),
    name: z.string().trim().min(1).max(200),
    role: z.enum(roles),
    providerId: idSchema.optional(),
  })
  .refine((b) => (b.role === 'provider') === (b.providerId !== undefined), {
    message: 'providerId is required for the provider role and only for it',
    path: ['providerId'],
  })
  .meta({ id: 'InviteStaff' });

export const settingsBodySchema = z
  .strictObject({
    name: z.string().min(1).max(120).optional(),
    locale: localeSchema.optional(),
    policy: tenantPolicySchema.optional(),
    openingHours: openingHoursSchema.optional(),
    /** Replaces the whole reminder policy; `before: []` turns reminders off. */
    reminders: reminderPolicySchema.optional(),
    /** Customer settings (timeline retention); applies to timeline events written from then on. */
    customers: tenantCustomersSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one setting' })
  .meta({ id: 'TenantSettings' });

export const tenantSettingsSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  country: z.string().optional(),
  policy: z.object({ selfServiceCutoffMinutes: z.number().int() }),
  openingHours: weeklyHoursSchema.optional(),
  /** Absent: the default policy applies (DEFAULT_REMINDER_POLICY in shared/domain/reminders.ts). */
  reminders: reminderPolicySchema.optional(),
  /** Absent: timeline events are kept DEFAULT_TIMELINE_RETENTION_DAYS (shared/domain/schemas.ts). */
  customers: tenantCustomersSchema.optional(),
});

export const staffTenantSchema = z
  .object({
    tenant: tenantSettingsSchema,
    services: z.array(serviceSchema),
    providers: z.array(providerSchema),
    me: z.object({ userId: z.string(), role: z.enum(roles), providerId: z.string().optional(), email: z.string().optional() }),
  })
  .meta({ id: 'StaffTenant' });

const bookingRouteErrors = ['booking_not_found'] as const;

const badgeSchema = z.object({ code: z.string(), label: z.string(), reason: z.string() });

export const customerCardSchema = z
  .object({
    customer: z.object({
      id: z.string(),
      name: z.string().optional(),
      emails: z.array(z.string()),
      phones: z.array(z.string()),
      locale: z.string().optional(),
      timeZone: z.string().optional(),
      consent: z.object({ marketing: z.boolean(), reviews: z.boolean() }),
      /**
       * Customers sharing a phone number with this one but no e-mail: probably the same person.
       * Staff see who they are, to confirm (POST …/merge) or leave them apart.
       */
      probableMatches: z.array(
        z.object({ id: z.string(), name: z.string().optional(), emails: z.array(z.string()), phones: z.array(z.string()), bookings: z.number().int().optional() }),
      ),
      /** Customers merged into this one, newest first; each can be split off again (POST …/merges/{customerId}/undo). */
      merges: z.array(z.object({ customerId: z.string(), mergedAt: instant })),
    }),
    traits: z.record(z.string(), z.unknown()),
    badges: z.array(badgeSchema),
    upcoming: z.array(bookingResponseSchema),
    recent: z.array(bookingResponseSchema),
    nextBestAction: badgeSchema.optional(),
  })
  .meta({ id: 'CallerCard' });

const customerParams = tenantParams.extend({ customerId: z.string().regex(/^cus_[0-9a-z]{10,40}$/, 'must be a customer id') });
const customerIdSchema = z.string().regex(/^cus_[0-9a-z]{10,40}$/, 'must be a customer id');

export const mergeBodySchema = z.strictObject({ otherCustomerId: customerIdSchema }).meta({ id: 'MergeCustomers' });

const identityKeySchema = z.object({ kind: z.enum(['email', 'phone']), value: z.string() });

export const mergeResultSchema = z
  .object({
    /** The customer that stays, with the other's identities, timeline and consents. */
    customerId: z.string(),
    mergedCustomerId: z.string(),
    mergedAt: instant,
    /** The other customer's e-mails and phones, which lead to customerId from now on. */
    movedIdentities: z.array(identityKeySchema),
    copiedEvents: z.number().int().nonnegative(),
  })
  .meta({ id: 'CustomerMerge' });

export const undoMergeResultSchema = z
  .object({
    customerId: z.string(),
    restoredCustomerId: z.string(),
    undoneAt: instant,
    restoredIdentities: z.array(identityKeySchema),
    /** Copies of the other customer's events removed from customerId's timeline. */
    removedEvents: z.number().int().nonnegative(),
    /** Events written to customerId since the merge that belonged to the other customer's bookings, moved back. */
    returnedEvents: z.number().int().nonnegative(),
  })
  .meta({ id: 'CustomerMergeUndone' });

const looseItem = z.record(z.string(), z.unknown());
export const customerExportSchema = z
  .object({
    exportedAt: instant,
    tenantId: z.string(),
    /** null when there is no customer (yet): a data-export link of a booking the projector has not reached, or whose customer was erased. */
    customerId: z.string().nullable(),
    profile: looseItem.nullable(),
    identities: z.array(z.object({ kind: z.enum(['email', 'phone']), value: z.string(), customerId: z.string() })),
    timeline: z.array(looseItem),
    /** Merges into this customer (decision 66), each with both records as they were before it. */
    merges: z.array(looseItem).optional(),
    /** Journey runs (scheduled, sent, skipped), with the mails and tasks they made in `messages` and `tasks`. */
    journeyRuns: z.array(looseItem).optional(),
    tasks: z.array(looseItem).optional(),
    /** Waitlist entries and the offer mails made for them. */
    waitlist: z.array(looseItem).optional(),
    bookings: z.array(z.object({ booking: bookingResponseSchema, history: z.array(looseItem) })),
    messages: z.array(looseItem),
    suppressions: z.array(
      z.object({
        email: z.string(),
        suppressed: z.boolean(),
        reason: z.string().optional(),
        detail: z.string().optional(),
        at: z.string().optional(),
        erasedBefore: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'CustomerExport' });

const erasureCount = z.number().int().nonnegative();
export const erasureResultSchema = z
  .object({
    customerId: z.string(),
    erasedAt: instant,
    alreadyErased: z.boolean(),
    counts: z.object({ profiles: erasureCount, identities: erasureCount, events: erasureCount, bookings: erasureCount, messages: erasureCount, idempotencyRecords: erasureCount }),
  })
  .meta({ id: 'CustomerErasure' });

export const customerLookupQuerySchema = z
  .strictObject({ phone: z.string().trim().min(3).max(40).optional(), email: z.string().trim().min(3).max(254).optional() })
  .refine((q) => (q.phone === undefined) !== (q.email === undefined), { message: 'give exactly one of phone or email', path: ['phone'] });

/** The longest range of months one insights request may cover. */
export const MAX_INSIGHT_MONTHS = 24;
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');
const monthNumber = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
const isMonth = (value: string) => monthSchema.safeParse(value).success;

export const insightsQuerySchema = z
  .strictObject({ from: monthSchema, to: monthSchema })
  // A malformed month already has its own issue; the range checks only speak about real months.
  .refine((q) => !isMonth(q.from) || !isMonth(q.to) || monthNumber(q.to) >= monthNumber(q.from), { message: '`to` must not be before `from`', path: ['to'] })
  .refine((q) => !isMonth(q.from) || !isMonth(q.to) || monthNumber(q.to) - monthNumber(q.from) < MAX_INSIGHT_MONTHS, {
    message: `ask for at most ${MAX_INSIGHT_MONTHS} months at a time`,
    path: ['to'],
  });

const rate = z.number().min(0).max(1).nullable();
export const insightsSchema = z
  .object({
    tenantId: z.string(),
    timeZone: z.string(),
    generatedAt: instant,
    /** Notice below which a cancellation counts as late: the self-service cutoff, or 24 hours without one. */
    lateCancelMinutes: z.number().int(),
    months: z.array(
      z.object({
        month: z.string(),
        start: instant,
        end: instant,
        complete: z.boolean(),
        bookingsMade: z.number().int(),
        afterHoursKnown: z.number().int(),
        afterHoursBookings: z.number().int(),
        afterHoursShare: rate,
        appointments: z.number().int(),
        attended: z.number().int(),
        noShows: z.number().int(),
        noShowRate: rate,
        lateCancellations: z.number().int(),
        lateCancelRate: rate,
        cancellationsMade: z.number().int(),
        rebooked: z.number().int(),
        rebookRate: rate,
        medianHoursToRebook: z.number().nonnegative().nullable(),
        lapsingCustomers: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Insights' });

export const outboxListSchema = z
  .object({
    messages: z.array(
      z.object({
        id: z.string(),
        bookingId: z.string(),
        kind: z.string(),
        audience: z.string(),
        to: z.string(),
        status: z.string(),
        attempts: z.number().int(),
        dueAt: z.iso.datetime(),
        lastError: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Outbox' });

export const staffRoutes = {
  getStaffTenant: {
    id: 'getStaffTenant',
    method: 'GET',
    path: base,
    summary: 'The business as staff see it: settings, every service and provider (inactive too), and who you are',
    auth: everyone,
    params: tenantParams,
    responses: { 200: { description: 'The tenant', schema: staffTenantSchema } },
    errors: [...staffErrors],
  },
  updateSettings: {
    id: 'updateSettings',
    method: 'PATCH',
    path: `${base}/settings`,
    summary: 'Change tenant settings: name, locale, self-service cutoff, opening hours shown to customers, reminder policy',
    auth: adminOnly,
    params: tenantParams,
    body: settingsBodySchema,
    responses: { 200: { description: 'The settings now', schema: z.object({ tenant: tenantSettingsSchema }) } },
    errors: [...staffBodyErrors],
  },
  listStaffBookings: {
    id: 'listStaffBookings',
    method: 'GET',
    path: `${base}/bookings`,
    summary: 'Calendar: bookings and blocks overlapping [from, to); providers see only their own',
    auth: everyone,
    params: tenantParams,
    query: calendarQuerySchema,
    responses: { 200: { description: 'Bookings and blocks, sorted by start', schema: calendarSchema } },
    errors: [...staffErrors, 'unknown_provider'],
  },
  createStaffBooking: {
    id: 'createStaffBooking',
    method: 'POST',
    path: `${base}/bookings`,
    summary: 'Book on behalf of a customer; `override` places it outside working hours, notice or horizon (never over a booking or block)',
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams,
    body: staffCreateBookingBodySchema,
    responses: { 201: { description: 'Booked', schema: bookingEnvelope } },
    errors: [...staffBodyErrors, 'unknown_service', 'unknown_provider', 'provider_not_offering_service', 'slot_taken', 'slot_unavailable'],
  },
  getStaffBooking: {
    id: 'getStaffBooking',
    method: 'GET',
    path: `${base}/bookings/{bookingId}`,
    summary: 'One booking',
    auth: everyone,
    params: bookingParams,
    responses: { 200: { description: 'The booking', schema: bookingEnvelope } },
    errors: [...staffErrors, ...bookingRouteErrors],
  },
  rescheduleStaffBooking: {
    id: 'rescheduleStaffBooking',
    method: 'POST',
    path: `${base}/bookings/{bookingId}/reschedule`,
    summary: 'Move a booking; no self-service cutoff for staff',
    auth: everyone,
    params: bookingParams,
    body: staffRescheduleBodySchema,
    responses: { 200: { description: 'The moved booking', schema: bookingEnvelope } },
    errors: [
      ...staffBodyErrors,
      ...bookingRouteErrors,
      'booking_cancelled',
      'unknown_provider',
      'provider_not_offering_service',
      'slot_taken',
      'slot_unavailable',
      'concurrent_modification',
    ],
  },
  cancelStaffBooking: {
    id: 'cancelStaffBooking',
    method: 'POST',
    path: `${base}/bookings/{bookingId}/cancel`,
    summary: 'Cancel a booking; no self-service cutoff for staff',
    auth: everyone,
    params: bookingParams,
    body: cancelBodySchema,
    responses: { 200: { description: 'The cancelled booking', schema: bookingEnvelope } },
    errors: [...staffBodyErrors, ...bookingRouteErrors, 'concurrent_modification'],
  },
  markAttendance: {
    id: 'markAttendance',
    method: 'POST',
    path: `${base}/bookings/{bookingId}/attendance`,
    summary: 'Mark a booking attended or no-show, once it has started',
    auth: everyone,
    params: bookingParams,
    body: attendanceBodySchema,
    responses: { 200: { description: 'The booking', schema: bookingEnvelope } },
    errors: [...staffBodyErrors, ...bookingRouteErrors, 'booking_cancelled', 'attendance_too_early', 'concurrent_modification'],
  },
  getBookingHistory: {
    id: 'getBookingHistory',
    method: 'GET',
    path: `${base}/bookings/{bookingId}/history`,
    summary: 'Every change to a booking: who (customer, staff user and role, system), when, before and after',
    auth: everyone,
    params: bookingParams,
    responses: { 200: { description: 'Oldest first', schema: historySchema } },
    errors: [...staffErrors, ...bookingRouteErrors],
  },
  createService: {
    id: 'createService',
    method: 'POST',
    path: `${base}/services`,
    summary: 'Add a service',
    auth: adminOnly,
    params: tenantParams,
    body: serviceSchema,
    responses: { 201: { description: 'The service', schema: z.object({ service: serviceSchema }) } },
    errors: [...staffBodyErrors, 'id_taken', 'unknown_provider'],
  },
  updateService: {
    id: 'updateService',
    method: 'PUT',
    path: `${base}/services/{serviceId}`,
    summary: 'Replace a service\'s settings (existing bookings keep their times)',
    auth: adminOnly,
    params: serviceParams,
    body: serviceUpdateSchema,
    responses: { 200: { description: 'The service', schema: z.object({ service: serviceSchema }) } },
    errors: [...staffBodyErrors, 'service_not_found', 'unknown_provider', 'concurrent_modification'],
  },
  deactivateService: {
    id: 'deactivateService',
    method: 'DELETE',
    path: `${base}/services/{serviceId}`,
    summary: 'Stop offering a service; existing bookings stay',
    auth: adminOnly,
    params: serviceParams,
    responses: { 200: { description: 'The deactivated service', schema: z.object({ service: serviceSchema }) } },
    errors: [...staffErrors, 'service_not_found', 'concurrent_modification'],
  },
  createProvider: {
    id: 'createProvider',
    method: 'POST',
    path: `${base}/providers`,
    summary: 'Add a provider with weekly hours',
    auth: adminOnly,
    params: tenantParams,
    body: providerSchema,
    responses: { 201: { description: 'The provider', schema: providerEnvelope } },
    errors: [...staffBodyErrors, 'id_taken'],
  },
  updateProvider: {
    id: 'updateProvider',
    method: 'PUT',
    path: `${base}/providers/{providerId}`,
    summary: 'Change a provider\'s name, e-mail, time zone, and whether they get a copy of booking changes',
    auth: adminOnly,
    params: providerParams,
    body: providerProfileSchema,
    responses: { 200: { description: 'The provider and any bookings a zone change leaves outside hours', schema: scheduleChangeSchema } },
    errors: [...staffBodyErrors, 'provider_not_found', 'concurrent_modification'],
  },
  deactivateProvider: {
    id: 'deactivateProvider',
    method: 'DELETE',
    path: `${base}/providers/{providerId}`,
    summary: 'Deactivate a provider; their future bookings are listed, not cancelled',
    auth: adminOnly,
    params: providerParams,
    responses: { 200: { description: 'The provider and their future bookings', schema: scheduleChangeSchema } },
    errors: [...staffErrors, 'provider_not_found', 'concurrent_modification'],
  },
  putWeeklyHours: {
    id: 'putWeeklyHours',
    method: 'PUT',
    path: `${base}/providers/{providerId}/hours`,
    summary: 'Set a provider\'s weekly hours (several ranges a day for breaks)',
    auth: selfOrAdmin,
    params: providerParams,
    body: z.strictObject({ weeklyHours: weeklyHoursSchema }).meta({ id: 'WeeklyHours' }),
    responses: { 200: { description: 'Applied; bookings now outside the hours are listed', schema: scheduleChangeSchema } },
    errors: [...staffBodyErrors, 'provider_not_found', 'concurrent_modification'],
  },
  putException: {
    id: 'putException',
    method: 'PUT',
    path: `${base}/providers/{providerId}/exceptions/{date}`,
    summary: 'Set the hours of one date (empty = closed, e.g. a holiday; or one-off extra hours)',
    auth: selfOrAdmin,
    params: providerParams.extend({ date: localDateSchema }),
    body: z.strictObject({ hours: dayHoursSchema, note: dateExceptionSchema.shape.note }).meta({ id: 'DateException' }),
    responses: { 200: { description: 'Applied; bookings now outside the hours are listed', schema: scheduleChangeSchema } },
    errors: [...staffBodyErrors, 'provider_not_found', 'concurrent_modification'],
  },
  deleteException: {
    id: 'deleteException',
    method: 'DELETE',
    path: `${base}/providers/{providerId}/exceptions/{date}`,
    summary: 'Remove a date exception; the weekly hours apply again',
    auth: selfOrAdmin,
    params: providerParams.extend({ date: localDateSchema }),
    responses: { 200: { description: 'Applied; bookings now outside the hours are listed', schema: scheduleChangeSchema } },
    errors: [...staffErrors, 'provider_not_found', 'concurrent_modification'],
  },
  createBlock: {
    id: 'createBlock',
    method: 'POST',
    path: `${base}/providers/{providerId}/blocks`,
    summary: `Block time (at most ${MAX_BLOCK_DAYS} days); refused with the bookings it would cover`,
    auth: staff(['admin', 'reception', 'provider'], 'ownProvider'),
    params: providerParams,
    body: blockBodySchema,
    responses: { 201: { description: 'The block', schema: z.object({ block: blockSchema }) } },
    errors: [...staffBodyErrors, 'provider_not_found', 'blocked_by_bookings'],
  },
  deleteBlock: {
    id: 'deleteBlock',
    method: 'DELETE',
    path: `${base}/providers/{providerId}/blocks/{blockId}`,
    summary: 'Remove a block; its time becomes bookable again',
    auth: staff(['admin', 'reception', 'provider'], 'ownProvider'),
    params: providerParams.extend({ blockId: z.string().regex(/^bl_[0-9a-z]{10,40}$/, 'must be a block id') }),
    responses: { 204: { description: 'Removed' } },
    errors: [...staffErrors, 'provider_not_found', 'block_not_found'],
  },
  rotateFeedToken: {
    id: 'rotateFeedToken',
    method: 'POST',
    path: `${base}/providers/{providerId}/feed-token`,
    summary: 'Issue a new secret calendar-feed URL for a provider; the previous one stops working',
    auth: selfOrAdmin,
    params: providerParams,
    responses: {
      201: { description: 'The feed URL; shown once', schema: z.object({ feedToken: z.string(), feedPath: z.string() }).meta({ id: 'FeedToken' }) },
    },
    errors: [...staffErrors, 'provider_not_found'],
  },
  listStaffUsers: {
    id: 'listStaffUsers',
    method: 'GET',
    path: `${base}/users`,
    summary: 'Staff accounts of the business',
    auth: adminOnly,
    params: tenantParams,
    responses: { 200: { description: 'Sorted by e-mail', schema: z.object({ users: z.array(staffUserSchema) }) } },
    errors: [...staffErrors],
  },
  inviteStaffUser: {
    id: 'inviteStaffUser',
    method: 'POST',
    path: `${base}/users`,
    summary: 'Invite a staff member (admin, reception, or provider linked to a provider)',
    auth: adminOnly,
    params: tenantParams,
    body: inviteBodySchema,
    responses: {
      201: {
        description: 'Invited. The local issuer returns a temporary password; Cognito e-mails it instead.',
        schema: z.object({ user: staffUserSchema, temporaryPassword: z.string().optional() }),
      },
    },
    errors: [...staffBodyErrors, 'id_taken', 'unknown_provider'],
  },
  removeStaffUser: {
    id: 'removeStaffUser',
    method: 'DELETE',
    path: `${base}/users/{userId}`,
    summary: 'Remove a staff account; its tokens stop working at once',
    auth: adminOnly,
    params: tenantParams.extend({ userId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a user id') }),
    responses: { 204: { description: 'Removed' } },
    errors: [...staffErrors, 'user_not_found'],
  },
  lookupCustomer: {
    id: 'lookupCustomer',
    method: 'GET',
    path: `${base}/customers/lookup`,
    summary: 'The caller card: who this phone number or e-mail is — profile, badges with reasons, upcoming and recent bookings, next best action',
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams,
    query: customerLookupQuerySchema,
    responses: { 200: { description: 'The customer', schema: customerCardSchema } },
    errors: [...staffErrors, 'customer_not_found'],
  },
  searchCustomers: {
    id: 'searchCustomers',
    method: 'GET',
    path: `${base}/customers`,
    summary: 'Find customers by the beginning of a name, e-mail or phone number (any format)',
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams,
    query: z.strictObject({ q: z.string().trim().min(2, 'type at least 2 characters').max(100) }),
    responses: {
      200: {
        description: 'At most 20 matches',
        schema: z
          .object({ customers: z.array(z.object({ id: z.string(), name: z.string().optional(), emails: z.array(z.string()), phones: z.array(z.string()) })) })
          .meta({ id: 'CustomerSearch' }),
      },
    },
    errors: [...staffErrors],
  },
  getCustomer: {
    id: 'getCustomer',
    method: 'GET',
    path: `${base}/customers/{customerId}`,
    summary: 'A customer\'s card with the whole timeline',
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams.extend({ customerId: z.string().regex(/^cus_[0-9a-z]{10,40}$/, 'must be a customer id') }),
    responses: {
      200: {
        description: 'The customer and the timeline, oldest first',
        schema: customerCardSchema.extend({ timeline: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'CustomerProfile' }),
      },
    },
    errors: [...staffErrors, 'customer_not_found'],
  },
  exportCustomer: {
    id: 'exportCustomer',
    method: 'GET',
    path: `${base}/customers/{customerId}/export`,
    summary: 'Everything held about a customer (right of access): profile with sources and consent ledger, identities, timeline, bookings with history, outbox messages, suppression state',
    auth: adminOnly,
    params: customerParams,
    responses: { 200: { description: 'The export', schema: customerExportSchema } },
    errors: [...staffErrors, 'customer_not_found'],
  },
  eraseCustomer: {
    id: 'eraseCustomer',
    method: 'POST',
    path: `${base}/customers/{customerId}/erase`,
    summary: 'Erase a customer (right to erasure): profile, identities, timeline and mails deleted, bookings anonymised, the address remembered only as a hash; audited; repeatable',
    auth: adminOnly,
    params: customerParams,
    body: z.strictObject({ reason: z.string().trim().min(3, 'say why the customer is erased').max(500) }),
    responses: { 200: { description: 'Erased (or erased before)', schema: erasureResultSchema } },
    errors: [...staffBodyErrors, 'customer_not_found', 'customer_merged'],
  },
  mergeCustomers: {
    id: 'mergeCustomers',
    method: 'POST',
    path: `${base}/customers/{customerId}/merge`,
    summary:
      'Confirm that another customer is this one: merges the other into this customer (the stricter consent wins), moves its e-mails and phones here, copies its timeline; undoable',
    auth: staff(['admin', 'reception'], 'tenant'),
    params: customerParams,
    body: mergeBodySchema,
    responses: { 200: { description: 'Merged', schema: mergeResultSchema } },
    errors: [...staffBodyErrors, 'customer_not_found', 'customer_merged', 'concurrent_modification'],
  },
  undoMerge: {
    id: 'undoMerge',
    method: 'POST',
    path: `${base}/customers/{customerId}/merges/{otherCustomerId}/undo`,
    summary: 'Take a merge back: both customers as they were (consent refusals given since kept on both), identities and timelines returned',
    auth: adminOnly,
    params: customerParams.extend({ otherCustomerId: customerIdSchema }),
    responses: { 200: { description: 'Split again', schema: undoMergeResultSchema } },
    errors: [...staffErrors, 'customer_not_found', 'merge_not_found', 'customer_merged', 'later_merge_exists', 'concurrent_modification'],
  },
  getInsights: {
    id: 'getInsights',
    method: 'GET',
    path: `${base}/insights`,
    summary: `Per month in the tenant's zone (at most ${MAX_INSIGHT_MONTHS}): bookings made, no-show and late-cancel rates, rebooking within 30 days of a cancellation and its median delay, the after-hours share, lapsing customers`,
    auth: adminOnly,
    params: tenantParams,
    query: insightsQuerySchema,
    responses: { 200: { description: 'Oldest month first; a rate with nothing to count over is null', schema: insightsSchema } },
    errors: [...staffErrors],
  },
  listOutbox: {
    id: 'listOutbox',
    method: 'GET',
    path: `${base}/outbox`,
    summary: 'Mails that could not be delivered: parked after failed attempts, or to suppressed addresses (bounces, complaints)',
    auth: adminOnly,
    params: tenantParams,
    query: z.strictObject({ status: z.enum(['failed', 'suppressed']) }),
    responses: { 200: { description: 'Newest first', schema: outboxListSchema } },
    errors: [...staffErrors],
  },
  getProviderFeed: {
    id: 'getProviderFeed',
    method: 'GET',
    path: '/v1/feeds/{feedToken}/calendar.ics',
    summary: 'A provider\'s bookings and blocks as an iCalendar feed (RFC 5545) to subscribe to',
    auth: { kind: 'feedToken' },
    params: z.object({ feedToken: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be a feed token') }),
    headers: z.object({ 'if-none-match': z.string().optional() }),
    responses: {
      200: { description: 'The calendar', contentType: 'text/calendar' },
      304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    },
    errors: [...common, 'feed_not_found'],
  },
} as const satisfies Record<string, RouteContract>;

