import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import * as z from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { ContactChannel } from './types.ts';

/**
 * Identity resolution: which customer a booking belongs to. The keys are a normalised e-mail
 * address and an E.164 phone number. An e-mail match is certain (the customer proved the mailbox
 * by receiving mail there); a phone match is only probable (shared family and office lines,
 * recycled numbers), so it is offered to staff and never merged automatically.
 *
 * Phones use libphonenumber-js's `min` metadata (about 80 KB, the package's default entry) and not
 * `max` (about 150 KB): both give the same E.164 for every number they accept; `max` only rejects
 * more numbers in unallocated ranges, which a lookup key does not need — a number nobody has
 * simply matches nobody.
 */

export type { CountryCode } from 'libphonenumber-js/min';

export interface IdentityKey {
  kind: ContactChannel;
  value: string;
}

/** The customer ids the store found for a booking's keys, at most one per key. */
export interface IdentityMatches {
  byEmail?: string | undefined;
  byPhone?: string | undefined;
}

export type CustomerResolution =
  /** The e-mail belongs to this customer. */
  | { kind: 'existing'; customerId: string; probableMatch?: string | undefined }
  /** Nobody owns the e-mail: create `customerId`; `probableMatch` owns the phone, for staff to confirm. */
  | { kind: 'new'; customerId: string; probableMatch?: string | undefined };

const emailSchema = z.email().max(254);

/** Trimmed and lower-cased; dots and +tags are kept, as they may name different mailboxes. */
export function normaliseEmail(raw: string | null | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const email = raw.trim().toLowerCase();
  return emailSchema.safeParse(email).success ? email : undefined;
}

// Digits and the punctuation people write phone numbers with; letters ("ext. 12", "call after 5")
// would otherwise be dropped silently and leave a plausible but wrong key.
const phoneCharacters = /^\+?[\d\s().\-/]+$/;

/**
 * E.164 (`+49301234567`), or undefined when it is not a valid number. National formats are read
 * with the tenant's country; `00` before a country code is read as `+` even without one.
 */
export function normalisePhone(raw: string | null | undefined, defaultCountry?: CountryCode): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (!phoneCharacters.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (parsed?.isValid()) return parsed.number;
  // Most of the world dials 00 for abroad; the US and Canada dial 011, so a US tenant would not
  // read "0049 ..." without this.
  if (text.startsWith('00')) {
    const international = parsePhoneNumberFromString(`+${text.slice(2)}`);
    if (international?.isValid()) return international.number;
  }
  return undefined;
}

/** The lookup keys of a customer, e-mail first (the certain one, and the seed of a new id). */
export function identityKeys(customer: { email?: string | null | undefined; phone?: string | null | undefined }, country?: CountryCode): IdentityKey[] {
  const keys: IdentityKey[] = [];
  const email = normaliseEmail(customer.email);
  if (email !== undefined) keys.push({ kind: 'email', value: email });
  const phone = normalisePhone(customer.phone, country);
  if (phone !== undefined) keys.push({ kind: 'phone', value: phone });
  return keys;
}

/**
 * Decides who a booking belongs to, given who owns its keys. `keys` are the booking's own (from
 * identityKeys); a new customer's id derives from the first, so replaying the stream creates the
 * same customer again.
 */
export function resolveCustomer(existing: IdentityMatches, tenantId: string, keys: readonly IdentityKey[]): CustomerResolution {
  const probable = existing.byPhone !== undefined && existing.byPhone !== existing.byEmail ? existing.byPhone : undefined;
  if (existing.byEmail !== undefined) {
    return probable === undefined ? { kind: 'existing', customerId: existing.byEmail } : { kind: 'existing', customerId: existing.byEmail, probableMatch: probable };
  }
  const first = keys[0];
  if (first === undefined) throw new DomainError('invalid_request', 'A customer needs a valid e-mail address or phone number.', { field: 'email' });
  const customerId = newCustomerId(customerIdSeed(tenantId, first));
  return probable === undefined ? { kind: 'new', customerId } : { kind: 'new', customerId, probableMatch: probable };
}

/** The seed of a customer's id: tenant, key kind and key value, NUL-separated so no two collide. */
export function customerIdSeed(tenantId: string, key: IdentityKey): string {
  return `${tenantId}\0${key.kind}\0${key.value}`;
}

/** `cus_` and 128 bits of the seed's SHA-256 in base32: deterministic, and collisions are out of reach. */
export function newCustomerId(seed: string): string {
  return `cus_${base32(sha256(seed).subarray(0, 16))}`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

// SHA-256 (FIPS 180-4) in plain TypeScript: node:crypto is off limits in the core, and WebCrypto's
// digest is asynchronous, which would make every id an await.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** The SHA-256 digest of a string's UTF-8 bytes. */
export function sha256(message: string): Uint8Array {
  const data = new TextEncoder().encode(message);
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bitLength = data.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x1_0000_0000));
  view.setUint32(padded.length - 4, bitLength >>> 0);

  const h = Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const word = (array: Uint32Array, i: number): number => array[i] ?? 0;
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = word(w, i - 15);
      const y = word(w, i - 2);
      w[i] = word(w, i - 16) + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + word(w, i - 7) + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10));
    }
    let [a, b, c, d, e, f, g, hh] = [word(h, 0), word(h, 1), word(h, 2), word(h, 3), word(h, 4), word(h, 5), word(h, 6), word(h, 7)];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + word(K, i) + word(w, i)) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((value, i) => {
      h[i] = word(h, i) + value;
    });
  }
  const digest = new Uint8Array(32);
  const out = new DataView(digest.buffer);
  h.forEach((value, i) => out.setUint32(i * 4, value));
  return digest;
}
