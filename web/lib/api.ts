import type * as z from 'zod';
import type {
  availabilitySchema,
  bookingResponseSchema,
  createBookingBodySchema,
  createdBookingSchema,
  publicTenantSchema,
  rebookSuggestionsSchema,
  Routes,
} from '#shared/api/routes';
import type { preferencesSchema } from '#shared/api/journey-routes';

/**
 * The booking page's API client, typed from the route table. Only types cross over from
 * shared/ (they cost no bytes); the paths below are checked against the table by the compiler
 * (`satisfies`), so a renamed or moved route breaks the build instead of the page.
 */
export type Tenant = z.infer<typeof publicTenantSchema>;
export type Service = Tenant['services'][number];
export type Availability = z.infer<typeof availabilitySchema>;
export type Slot = Availability['slots'][number];
export type Booking = z.infer<typeof bookingResponseSchema>;
export type CreatedBooking = z.infer<typeof createdBookingSchema>;
export type CreateBookingBody = z.input<typeof createBookingBodySchema>;
export type RebookSuggestions = z.infer<typeof rebookSuggestionsSchema>;
export type MailPreferences = z.infer<typeof preferencesSchema>;

type UsedRoute =
  | 'getTenant'
  | 'getAvailability'
  | 'createBooking'
  | 'getBooking'
  | 'getRebookSuggestions'
  | 'rescheduleBooking'
  | 'cancelBooking'
  | 'getPreferences'
  | 'updatePreferences'
  | 'claimWaitlistOffer'
  | 'leaveWaitlist';

export const paths = {
  getTenant: '/v1/tenants/{tenantId}',
  getAvailability: '/v1/tenants/{tenantId}/availability',
  createBooking: '/v1/tenants/{tenantId}/bookings',
  getBooking: '/v1/bookings/{bookingId}',
  getRebookSuggestions: '/v1/bookings/{bookingId}/rebook-suggestions',
  rescheduleBooking: '/v1/bookings/{bookingId}/reschedule',
  cancelBooking: '/v1/bookings/{bookingId}/cancel',
  getPreferences: '/v1/preferences/{token}',
  updatePreferences: '/v1/preferences/{token}',
  claimWaitlistOffer: '/v1/waitlist/{entryId}/claim',
  leaveWaitlist: '/v1/waitlist/{entryId}',
} as const satisfies { [K in UsedRoute]: Routes[K]['path'] };

/** An answer other than 2xx, in the API's error shape. `status` 0 means the network failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const fill = (path: string, params: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));

/** One request to the API, its JSON answer or an {@link ApiError}; shared with the staff apps' client (staff-api.ts). */
export async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: { headers?: Record<string, string>; body?: unknown; query?: Record<string, string | undefined> } = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) query.set(name, value);
  const url = query.size ? `${path}?${query}` : path;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    throw new ApiError(0, 'network', (error as Error).message);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? response.statusText, error?.details);
  }
  return json as T;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const api = {
  tenant: (tenantId: string) => call<Tenant>('GET', fill(paths.getTenant, { tenantId })),
  availability: (tenantId: string, query: { serviceId: string; from: string; to: string; providerId?: string | undefined; timeZone: string }) =>
    call<Availability>('GET', fill(paths.getAvailability, { tenantId }), { query }),
  createBooking: (tenantId: string, body: CreateBookingBody, idempotencyKey: string) =>
    call<CreatedBooking>('POST', fill(paths.createBooking, { tenantId }), { body, headers: { 'idempotency-key': idempotencyKey } }),
  booking: (bookingId: string, token: string) => call<{ booking: Booking }>('GET', fill(paths.getBooking, { bookingId }), { headers: bearer(token) }),
  rebookSuggestions: (bookingId: string, token: string) => call<RebookSuggestions>('GET', fill(paths.getRebookSuggestions, { bookingId }), { headers: bearer(token) }),
  reschedule: (bookingId: string, token: string, body: { start: string; providerId?: string }) =>
    call<{ booking: Booking }>('POST', fill(paths.rescheduleBooking, { bookingId }), { body, headers: bearer(token) }),
  cancel: (bookingId: string, token: string, reason?: string) =>
    call<{ booking: Booking }>('POST', fill(paths.cancelBooking, { bookingId }), { body: reason ? { reason } : {}, headers: bearer(token) }),
  preferences: (token: string) => call<MailPreferences>('GET', fill(paths.getPreferences, { token })),
  updatePreferences: (token: string, body: { marketing?: boolean; reviews?: boolean }) => call<MailPreferences>('PUT', fill(paths.updatePreferences, { token }), { body }),
  /** Books the slot an offer mail named (the offer token as Bearer); 201 new, 200 the same booking again. */
  claimWaitlistOffer: (entryId: string, offerToken: string) => call<CreatedBooking>('POST', fill(paths.claimWaitlistOffer, { entryId }), { headers: bearer(offerToken) }),
  /** Takes the entry off the list (its manage token as Bearer); 204. */
  leaveWaitlist: (entryId: string, token: string) => call<undefined>('DELETE', fill(paths.leaveWaitlist, { entryId }), { headers: bearer(token) }),
};
