import type { OutboxMessage } from '#shared/domain/notifications';

/**
 * Outbox messages: one item per mail, written in the same transaction as the booking change it
 * announces (or, for reminders, scheduled by it). While a message waits to be sent it carries
 * the sparse GSI2 keys (the UTC day of its next attempt, then the attempt time), which is all the
 * sweep reads. A parked (failed) or suppressed message moves to GSI1 under its tenant for the
 * admin. Sent messages expire (TTL) after a month.
 */
export const messagePk = (messageId: string) => `MSG#${messageId}`;
export const MESSAGE_SK = 'MSG';
/**
 * Every tenant's mail due on a UTC day would otherwise share one GSI2 partition, written about
 * nine times per booking (put, lease, settle of the confirmation and two reminders) with
 * time-ordered sort keys that no partition split relieves: at the scale model's peak
 * (docs/scale.md) several thousand writes a second against a partition's 1,000. A message's
 * bucket is therefore one of DUE_SHARDS per day, chosen by a hash of its id; the sweep reads
 * them all (DUE_SHARDS Queries per day and minute, each nearly free when nothing is due).
 */
export const DUE_SHARDS = 32;

/** FNV-1a of the text, modulo `shards`: stable across processes and languages, and spreads ids evenly. */
export function shardOf(text: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export const dueBucketOfShard = (day: string, shard: number) => `DUE#${day}#${shard.toString().padStart(2, '0')}`;
export const dueBucket = (iso: string, id: string) => dueBucketOfShard(iso.slice(0, 10), shardOf(id, DUE_SHARDS));
export const dueSk = (iso: string, id: string) => `${iso}#${id}`;
export const outboxGsi1Pk = (tenantId: string) => `T#${tenantId}#OUTBOX`;
export const SENT_RETENTION_SECONDS = 30 * 24 * 3600;

const internalKeys = new Set(['PK', 'SK', 'type', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'expiresAt']);

export const messageItem = (message: OutboxMessage): Record<string, unknown> => ({
  PK: messagePk(message.id),
  SK: MESSAGE_SK,
  type: 'message',
  GSI2PK: dueBucket(message.nextAttemptAt, message.id),
  GSI2SK: dueSk(message.nextAttemptAt, message.id),
  ...message,
});

export function messageFromItem(item: Record<string, unknown>): OutboxMessage {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!internalKeys.has(key)) out[key] = value;
  return out as unknown as OutboxMessage;
}

/** Suppressed addresses (hard bounces, complaints): no further mail goes there. */
export const suppressionKey = (email: string) => ({ PK: `SUPPRESS#${email.trim().toLowerCase()}`, SK: 'SUPPRESSION' });
export interface Suppression {
  email: string;
  reason: 'bounce' | 'complaint';
  detail?: string | undefined;
  at: string;
}
