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
export const dueBucket = (iso: string) => `DUE#${iso.slice(0, 10)}`;
export const dueSk = (iso: string, id: string) => `${iso}#${id}`;
export const outboxGsi1Pk = (tenantId: string) => `T#${tenantId}#OUTBOX`;
export const SENT_RETENTION_SECONDS = 30 * 24 * 3600;

const internalKeys = new Set(['PK', 'SK', 'type', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'expiresAt']);

export const messageItem = (message: OutboxMessage): Record<string, unknown> => ({
  PK: messagePk(message.id),
  SK: MESSAGE_SK,
  type: 'message',
  GSI2PK: dueBucket(message.nextAttemptAt),
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
