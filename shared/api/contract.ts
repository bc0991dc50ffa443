import * as z from 'zod';
import type { ErrorCode } from '../domain/errors.ts';
import { bookingSchema, customerSchema } from '../domain/schemas.ts';
import type { Ownership, Role } from '../domain/staff.ts';

/** What every route contract is made of; the public and staff route tables both use it. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route. Every route must say; the type leaves no default. */
export type RouteAuth =
  | { kind: 'public' }
  /** `Authorization: Bearer <manageToken>` for the booking in the path (or the waitlist entry: its manage token, or an offer token to claim). */
  | { kind: 'manageToken' }
  /** A secret feed token in the path (calendar apps cannot send headers). */
  | { kind: 'feedToken' }
  /** A signed, expiring data-export token in the path: the link mailed to the customer (decision 68). */
  | { kind: 'exportToken' }
  /** A customer's mail-preferences token in the path (one-click unsubscribe cannot send headers either). */
  | { kind: 'preferencesToken' }
  /** A staff JWT (Cognito in the cloud, the local issuer here) with one of `roles`, in the path's tenant. */
  | { kind: 'staff'; roles: readonly Role[]; ownership: Ownership };

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

export const ids = {
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

export const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 instant such as 2026-12-01T09:00:00Z' })
  // Date.parse drops digits past the millisecond, which would round 09:00:00.0000001 onto the grid.
  .refine((value) => !/\.\d*[1-9]/.test(value), { message: 'must be on a whole second (slots start on the minute)' });

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters')
    .optional(),
});

export const common = ['invalid_request', 'route_not_found', 'internal_error'] as const satisfies readonly ErrorCode[];
/** What any route with a JSON body can answer before its own logic runs. */
export const bodyErrors = [...common, 'invalid_json', 'payload_too_large', 'unsupported_media_type'] as const satisfies readonly ErrorCode[];


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

export const bookingEnvelope = z.object({ booking: bookingResponseSchema });

