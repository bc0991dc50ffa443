import * as z from 'zod';
import { customerSchema, idSchema, localDateSchema, timeZoneSchema } from '../domain/schemas.ts';
import { MAX_WAITLIST_DAYS } from '../domain/waitlist.ts';
import { bodyErrors, bookingEnvelope, common, createdBookingSchema, ids, type RouteContract } from './contract.ts';
import { base, overrideSchema, staff, staffBodyErrors, staffErrors, staffRescheduleBodySchema, tenantParams } from './staff-routes.ts';

/**
 * The waitlist (issue 8): a customer asks to be told when a time frees up; a freed slot is mailed
 * to the waiting customers in list order with a link that books it; reception sees the list per
 * day and books a waiting customer on the phone.
 */

const DAY_MS = 86_400_000;
const isDate = (value: string) => localDateSchema.safeParse(value).success;

export const waitlistEntryIdSchema = z.string().regex(/^wl_[0-9a-z]{10,40}$/, 'must be a waitlist entry id');

export const joinWaitlistBodySchema = z
  .strictObject({
    serviceId: z.string().min(1),
    /** Leave out to wait for any provider who offers the service. */
    providerId: z.string().min(1).optional(),
    /** Local dates in `timeZone`, inclusive. */
    from: localDateSchema,
    to: localDateSchema,
    /** The customer's zone: the dates are read and the offer mails written in it. */
    timeZone: timeZoneSchema,
    // A waitlist mail is a service mail the customer asked for: no marketing opt-in is taken here.
    customer: customerSchema.omit({ marketingConsent: true, consentTextVersion: true }),
  })
  // A malformed date has its own issue already; the range checks speak only about real dates.
  .refine((b) => !isDate(b.from) || !isDate(b.to) || b.to >= b.from, { message: '`to` must not be before `from`', path: ['to'] })
  .refine((b) => !isDate(b.from) || !isDate(b.to) || Date.parse(b.to) - Date.parse(b.from) < MAX_WAITLIST_DAYS * DAY_MS, {
    message: `wait for at most ${MAX_WAITLIST_DAYS} days at a time`,
    path: ['to'],
  })
  .meta({ id: 'JoinWaitlist' });

/** An entry as its customer sees it: what they wait for, not the details they typed (a second request need not be theirs). */
export const waitlistEntrySchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    serviceId: z.string(),
    providerId: z.string().optional(),
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    requestedAt: z.iso.datetime(),
  })
  .meta({ id: 'WaitlistEntry' });

export const joinedWaitlistSchema = z
  .object({
    entry: waitlistEntrySchema,
    /** true: a new entry, with the token that leaves the list (shown once; the offer mails carry the link too). */
    created: z.literal(true),
    manageToken: z.string(),
  })
  .meta({ id: 'JoinedWaitlist' });

export const alreadyWaitingSchema = z
  .object({
    entry: waitlistEntrySchema,
    /** false: the customer already waits for this (decision 100); no token is handed out again. */
    created: z.literal(false),
  })
  .meta({ id: 'AlreadyOnWaitlist' });

export const waitlistDayQuerySchema = z.strictObject({ date: localDateSchema, serviceId: idSchema.optional() });

export const staffWaitlistSchema = z
  .object({
    date: z.string(),
    entries: z.array(
      waitlistEntrySchema.extend({
        customerId: z.string(),
        customer: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }),
        /** Place among those waiting for the same service (1 = first), in request order. */
        position: z.number().int().positive(),
        /** Offer mails queued for this entry so far. */
        offers: z.number().int().nonnegative(),
      }),
    ),
  })
  .meta({ id: 'Waitlist' });

export const bookFromWaitlistBodySchema = z
  .strictObject({
    start: staffRescheduleBodySchema.shape.start,
    /** Default: the entry's provider; required when the entry waits for any. */
    providerId: z.string().min(1).optional(),
    override: overrideSchema.optional(),
  })
  .meta({ id: 'BookFromWaitlist' });

const entryParams = z.object({ entryId: waitlistEntryIdSchema });

export const waitlistRoutes = {
  joinWaitlist: {
    id: 'joinWaitlist',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/waitlist',
    summary: `Wait for a time to free up (a service, one provider or any, at most ${MAX_WAITLIST_DAYS} days): offers are mailed in list order`,
    auth: { kind: 'public' },
    params: z.object({ tenantId: ids.tenantId }),
    body: joinWaitlistBodySchema,
    responses: {
      201: { description: 'On the list; keep the manage token to leave it', schema: joinedWaitlistSchema },
      200: { description: 'Already waiting for this (same service, provider and overlapping dates): the existing entry', schema: alreadyWaitingSchema },
    },
    errors: [...bodyErrors, 'tenant_not_found', 'unknown_service', 'unknown_provider', 'provider_not_offering_service', 'invalid_date_range', 'concurrent_modification'],
  },
  leaveWaitlist: {
    id: 'leaveWaitlist',
    method: 'DELETE',
    path: '/v1/waitlist/{entryId}',
    summary: "Leave the waiting list, with the entry's manage token as Bearer; offers not yet mailed are withdrawn",
    auth: { kind: 'manageToken' },
    params: entryParams,
    headers: z.object({ authorization: z.string().optional() }),
    responses: { 204: { description: 'Off the list' } },
    errors: [...common, 'waitlist_entry_not_found'],
  },
  claimWaitlistOffer: {
    id: 'claimWaitlistOffer',
    method: 'POST',
    path: '/v1/waitlist/{entryId}/claim',
    summary: 'Book the slot an offer mail named, with its offer token as Bearer: the first to book gets it; the customer leaves the list',
    auth: { kind: 'manageToken' },
    params: entryParams,
    headers: z.object({ authorization: z.string().optional() }),
    responses: {
      201: { description: 'Booked; keep the manage token', schema: createdBookingSchema },
      200: { description: 'This offer was claimed already: the same booking again', schema: createdBookingSchema },
    },
    errors: [...common, 'waitlist_entry_not_found', 'offer_expired', 'tenant_not_found', 'unknown_service', 'unknown_provider', 'provider_not_offering_service', 'slot_taken', 'slot_unavailable'],
  },
  listWaitlist: {
    id: 'listWaitlist',
    method: 'GET',
    path: `${base}/waitlist`,
    summary: 'Who waits for a time on a date, in list order per service (entries that are over are left out)',
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams,
    query: waitlistDayQuerySchema,
    responses: { 200: { description: 'Oldest request first', schema: staffWaitlistSchema } },
    errors: [...staffErrors],
  },
  bookFromWaitlist: {
    id: 'bookFromWaitlist',
    method: 'POST',
    path: `${base}/waitlist/{entryId}/book`,
    summary: "Book a waiting customer (on the phone) for the entry's service: the entry leaves the list; `override` as for staff bookings",
    auth: staff(['admin', 'reception'], 'tenant'),
    params: tenantParams.extend({ entryId: waitlistEntryIdSchema }),
    body: bookFromWaitlistBodySchema,
    responses: { 201: { description: 'Booked; the confirmation goes to the customer', schema: bookingEnvelope } },
    errors: [...staffBodyErrors, 'waitlist_entry_not_found', 'unknown_service', 'unknown_provider', 'provider_not_offering_service', 'slot_taken', 'slot_unavailable'],
  },
} as const satisfies Record<string, RouteContract>;
