import { sha256 } from './identity.ts';

/**
 * What an erased customer leaves behind (decision 50). Bookings keep times, service, provider and
 * status so calendars, day sheets and statistics stay right; everything that names or reaches the
 * person goes. The placeholder address uses the RFC 2606 `.invalid` TLD, which never resolves, so
 * no mail can leave for it even if something tried.
 */
export const ERASED_NAME = 'Erased customer';
const ERASED_DOMAIN = 'invalid';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 hex of a normalised e-mail: matches a returning address without storing it. */
export const emailHash = (normalisedEmail: string): string => hex(sha256(normalisedEmail));

/** The booking's address after erasure: distinct per person (a hash prefix), routable nowhere. */
export const erasedEmail = (normalisedEmail: string): string => `erased+${emailHash(normalisedEmail).slice(0, 16)}@erased.${ERASED_DOMAIN}`;

/** True for an address `erasedEmail` made: the projector must not build a customer from it. */
export const isErasedEmail = (email: string | undefined): boolean => email !== undefined && /^erased\+[0-9a-f]{16}@erased\.invalid$/.test(email.trim().toLowerCase());

/** Mail purposes that need the customer's continued consent: never sent to an erased address's hash. */
export const MARKETING_PURPOSES = ['marketing', 'reviews'] as const;

export interface ErasureCounts {
  profiles: number;
  identities: number;
  events: number;
  bookings: number;
  messages: number;
  idempotencyRecords: number;
}
