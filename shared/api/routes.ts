import * as z from 'zod';
import type { ErrorCode } from '../domain/errors.ts';
import { bookingSchema, customerSchema, localDateSchema, timeZoneSchema } from '../domain/schemas.ts';

/**
 * The one route table. The CDK stack, the local server, the OpenAPI document and the tests all
 * loop over it, so a route that exists locally exists in the cloud and is documented.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route. Every route must say; the type leaves no default. */
export type RouteAuth =
  | { kind: 'public' }
  /** `Authorization: Bearer <manageToken>` for the booking in the path. */
  | { kind: 'manageToken' };

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteContract {
  id: string;
  method: HttpMethod;
  path: `/v1/${string}`;
  summary: string;
  auth: RouteAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  errors: readonly ErrorCode[];
}

const ids = {
  tenantId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a tenant id'),
  bookingId: z.string().regex(/^bk_[0-9a-z]{10,40}$/, 'must be a booking id'),
};

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 instant such as 2026-12-01T09:00:00Z' })
  // Date.parse drops digits past the millisecond, which would round 09:00:00.0000001 onto the grid.
  .refine((value) => !/\.\d*[1-9]/.test(value), { message: 'must be on a whole second (slots start on the minute)' });

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

export const availabilitySchema = z
  .object({
    serviceId: z.string(),
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    slots: z.array(z.object({ start: z.iso.datetime(), end: z.iso.datetime(), providerIds: z.array(z.string()) })),
  })
  .meta({ id: 'Availability' });

export const createBookingBodySchema = z
  .strictObject({
    serviceId: z.string().min(1),
    providerId: z.string().min(1).optional(),
    start: instant,
    customer: customerSchema,
    notes: z.string().max(2000).optional(),
  })
  .meta({ id: 'CreateBooking' });

export const bookingResponseSchema = bookingSchema.meta({ id: 'Booking' });

export const createdBookingSchema = z
  .object({ booking: bookingResponseSchema, manageToken: z.string() })
  .meta({ id: 'CreatedBooking' });

export const rescheduleBodySchema = z
  .strictObject({ start: instant, providerId: z.string().min(1).optional() })
  .meta({ id: 'Reschedule' });

export const cancelBodySchema = z.strictObject({ reason: z.string().max(500).optional() }).meta({ id: 'Cancel' });

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters')
    .optional(),
});

/** What the three manage routes share: the booking in the path, its manage token as Bearer. */
const manageTokenRoute = {
  auth: { kind: 'manageToken' },
  params: z.object({ bookingId: ids.bookingId }),
  headers: z.object({ authorization: z.string().optional() }),
} as const;

const bookingEnvelope = z.object({ booking: bookingResponseSchema });

const common = ['invalid_request', 'route_not_found', 'internal_error'] as const satisfies readonly ErrorCode[];
/** What any route with a JSON body can answer before its own logic runs. */
const bodyErrors = [...common, 'invalid_json', 'payload_too_large', 'unsupported_media_type'] as const satisfies readonly ErrorCode[];

export const routes = {
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

export type RouteId = keyof typeof routes;
export type Routes = typeof routes;
/** Every route, each typed with its literal id. */
export const routeList: Array<Routes[RouteId]> = Object.values(routes);

