import * as z from 'zod';
import { localDateSchema, openingHoursSchema, timeZoneSchema } from '../domain/schemas.ts';

import {
  bodyErrors,
  bookingEnvelope,
  cancelBodySchema,
  common,
  createBookingBodySchema,
  createdBookingSchema,
  ids,
  idempotencyHeaders,
  rescheduleBodySchema,
  type RouteContract,
} from './contract.ts';
import { journeyRoutes } from './journey-routes.ts';
import { customerExportSchema, staffRoutes } from './staff-routes.ts';
import { waitlistRoutes } from './waitlist-routes.ts';

export {
  bookingResponseSchema,
  cancelBodySchema,
  createBookingBodySchema,
  createdBookingSchema,
  rescheduleBodySchema,
  errorBodySchema, type HttpMethod, type ResponseSpec, type RouteAuth, type RouteContract } from './contract.ts';

/**
 * The one route table. The CDK stack, the local server, the OpenAPI document and the tests all
 * loop over it, so a route that exists locally exists in the cloud and is documented.
 */

export const publicServiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  durationMinutes: z.number().int(),
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  slotIntervalMinutes: z.number().int(),
  minNoticeMinutes: z.number().int(),
  horizonDays: z.number().int(),
  price: z.object({ amount: z.number(), currency: z.string() }).optional(),
  providerIds: z.array(z.string()),
});

export const publicTenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    locale: z.string(),
    policy: z.object({ selfServiceCutoffMinutes: z.number().int() }),
    openingHours: openingHoursSchema.optional(),
    /** The business's own marketing opt-in text per language and its version, and privacy notice, when it set them. */
    consent: z
      .object({ version: z.string(), marketing: z.object({ de: z.string(), en: z.string(), es: z.string() }).partial(), privacyUrl: z.string().optional() })
      .optional(),
    services: z.array(publicServiceSchema),
    providers: z.array(z.object({ id: z.string(), name: z.string(), timeZone: z.string() })),
  })
  .meta({ id: 'Tenant' });

export const availabilityQuerySchema = z.strictObject({
  serviceId: z.string().min(1),
  from: localDateSchema,
  to: localDateSchema,
  providerId: z.string().min(1).optional(),
  timeZone: timeZoneSchema.optional(),
});

export const rebookSuggestionsSchema = z
  .object({
    serviceId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    timeZone: z.string(),
    /** The habit the suggestions follow; absent when there is none yet (one booking). */
    usual: z.object({ weekday: z.string().optional(), timeOfDay: z.string().optional(), basis: z.enum(['history', 'this_booking']) }),
    slots: z.array(z.object({ start: z.iso.datetime(), end: z.iso.datetime(), matchesUsual: z.boolean() })),
    customer: z.object({ name: z.string(), email: z.string(), phone: z.string().optional(), locale: z.string().optional(), timeZone: z.string().optional() }),
  })
  .meta({ id: 'RebookSuggestions' });

export const availabilitySchema = z
  .object({
    serviceId: z.string(),
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    slots: z.array(z.object({ start: z.iso.datetime(), end: z.iso.datetime(), providerIds: z.array(z.string()) })),
  })
  .meta({ id: 'Availability' });

export const dataExportRequestedSchema = z
  .object({
    /** The customer's address, masked (`a***@example.com`): the holder of the manage link need not be the customer. */
    sentTo: z.string(),
    /** When the mailed link stops working. */
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'DataExportRequested' });

/** What the three manage routes share: the booking in the path, its manage token as Bearer. */
const manageTokenRoute = {
  auth: { kind: 'manageToken' },
  params: z.object({ bookingId: ids.bookingId }),
  headers: z.object({ authorization: z.string().optional() }),
} as const;

const publicRoutes = {
  getTenant: {
    id: 'getTenant',
    method: 'GET',
    path: '/v1/tenants/{tenantId}',
    summary: 'A business with its services and providers',
    auth: { kind: 'public' },
    params: z.object({ tenantId: ids.tenantId }),
    responses: { 200: { description: 'The tenant', schema: publicTenantSchema } },
    errors: [...common, 'tenant_not_found'],
  },
  getAvailability: {
    id: 'getAvailability',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/availability',
    summary: 'Open slots of a service between two local dates (inclusive, at most 62 days)',
    auth: { kind: 'public' },
    params: z.object({ tenantId: ids.tenantId }),
    query: availabilityQuerySchema,
    responses: { 200: { description: 'Open slots, sorted by start', schema: availabilitySchema } },
    errors: [...common, 'tenant_not_found', 'invalid_date_range', 'unknown_service', 'unknown_provider', 'provider_not_offering_service'],
  },
  createBooking: {
    id: 'createBooking',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/bookings',
    summary: 'Book an open slot',
    auth: { kind: 'public' },
    params: z.object({ tenantId: ids.tenantId }),
    headers: idempotencyHeaders,
    body: createBookingBodySchema,
    responses: { 201: { description: 'Booked; keep the manage token', schema: createdBookingSchema } },
    errors: [
      ...bodyErrors,
      'invalid_idempotency_key',
      'tenant_not_found',
      'unknown_service',
      'unknown_provider',
      'provider_not_offering_service',
      'slot_taken',
      'slot_unavailable',
      'idempotency_key_reused',
      'idempotency_in_progress',
    ],
  },
  getBooking: {
    id: 'getBooking',
    method: 'GET',
    path: '/v1/bookings/{bookingId}',
    summary: 'A booking, for the holder of its manage token',
    ...manageTokenRoute,
    responses: { 200: { description: 'The booking', schema: bookingEnvelope } },
    errors: [...common, 'booking_not_found'],
  },
  requestDataExport: {
    id: 'requestDataExport',
    method: 'POST',
    path: '/v1/bookings/{bookingId}/data-export',
    summary:
      "Ask for everything held about the booking's customer: a link valid for 24 hours is mailed to the customer's own address (one request per booking an hour)",
    ...manageTokenRoute,
    responses: { 202: { description: 'The mail is on its way', schema: dataExportRequestedSchema } },
    errors: [...common, 'booking_not_found', 'customer_not_found', 'data_export_already_requested'],
  },
  getDataExport: {
    id: 'getDataExport',
    method: 'GET',
    path: '/v1/data-exports/{token}',
    summary: "The customer's data export (right of access), opened with the link from the mail",
    auth: { kind: 'exportToken' },
    // Loose on purpose: a damaged token is 401 export_link_invalid, not a validation error.
    params: z.object({ token: z.string().regex(/^[A-Za-z0-9._-]{1,400}$/, 'must be a data-export token') }),
    responses: { 200: { description: 'The export, as a JSON file to save', schema: customerExportSchema } },
    errors: [...common, 'export_link_invalid', 'export_link_expired', 'customer_not_found'],
  },
  getRebookSuggestions: {
    id: 'getRebookSuggestions',
    method: 'GET',
    path: '/v1/bookings/{bookingId}/rebook-suggestions',
    summary: "Book again: the customer's usual provider and time of week, the next open slots that match, and their details to pre-fill",
    ...manageTokenRoute,
    responses: { 200: { description: 'Suggestions, best first', schema: rebookSuggestionsSchema } },
    errors: [...common, 'booking_not_found', 'unknown_service', 'unknown_provider'],
  },
  rescheduleBooking: {
    id: 'rescheduleBooking',
    method: 'POST',
    path: '/v1/bookings/{bookingId}/reschedule',
    summary: 'Move a booking to another open slot',
    ...manageTokenRoute,
    body: rescheduleBodySchema,
    responses: { 200: { description: 'The moved booking', schema: bookingEnvelope } },
    errors: [
      ...bodyErrors,
      'booking_not_found',
      'booking_cancelled',
      'change_cutoff_passed',
      'unknown_provider',
      'provider_not_offering_service',
      'slot_taken',
      'slot_unavailable',
      'concurrent_modification',
    ],
  },
  cancelBooking: {
    id: 'cancelBooking',
    method: 'POST',
    path: '/v1/bookings/{bookingId}/cancel',
    summary: 'Cancel a booking; cancelling again returns the same result',
    ...manageTokenRoute,
    body: cancelBodySchema,
    responses: { 200: { description: 'The cancelled booking', schema: bookingEnvelope } },
    errors: [
      ...bodyErrors,
      'booking_not_found',
      'change_cutoff_passed',
      'concurrent_modification',
    ],
  },
  getOpenApi: {
    id: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This API as OpenAPI 3.1',
    auth: { kind: 'public' },
    responses: { 200: { description: 'The OpenAPI document' } },
    errors: [...common],
  },
} as const satisfies Record<string, RouteContract>;

export const routes = { ...publicRoutes, ...staffRoutes, ...journeyRoutes, ...waitlistRoutes } as const;

export type RouteId = keyof typeof routes;
export type Routes = typeof routes;
/** Every route, each typed with its literal id. */
export const routeList: Array<Routes[RouteId]> = Object.values(routes);

