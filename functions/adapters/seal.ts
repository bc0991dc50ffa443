import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals a secret with a key derived from material the database never holds. Used for the
 * idempotency record of a booking: the first response is replayed to a client that retries with
 * the same Idempotency-Key, but the manage token in it must not sit in the table in clear text.
 * The key is derived from the raw Idempotency-Key, of which the table keeps only a hash.
 */
const keyFrom = (material: string) => createHash('sha256').update(`kairos-seal\u0000${material}`, 'utf8').digest();

export function seal(secret: string, material: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(material), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

export function unseal(sealed: string, material: string): string {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error('malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(material), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
