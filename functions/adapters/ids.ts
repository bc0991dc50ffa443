import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/** 128 random bits as 26 base32 characters (lowercase, no i/l/o/u), prefixed with the kind. */
export function newId(prefix: string): string {
  let value = BigInt(`0x${randomBytes(16).toString('hex')}`);
  let out = '';
  for (let i = 0; i < 26; i += 1) {
    out = BASE32[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return `${prefix}_${out}`;
}

/** A manage token: 32 random bytes, base64url. Only its SHA-256 is ever stored. */
export const newManageToken = (): string => randomBytes(32).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Compares a presented token with a stored hash in constant time. */
export function tokenMatches(presented: string | undefined, storedHash: string | undefined): boolean {
  if (!presented || !storedHash) return false;
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface IdGenerator {
  bookingId(): string;
  blockId(): string;
  manageToken(): string;
  /** The secret in a provider's calendar-feed URL; like a manage token, only its hash is stored. */
  feedToken(): string;
}

export const randomIds: IdGenerator = {
  bookingId: () => newId('bk'),
  blockId: () => newId('bl'),
  manageToken: newManageToken,
  feedToken: newManageToken,
};
