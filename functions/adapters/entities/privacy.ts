import { shardOf } from './message.ts';
import type { ErasureCounts } from '#shared/customers/erasure';
import { customerPk } from './customer.ts';

/**
 * Items the data-rights routes write (decision 50). None holds personal data: the erasure marker
 * is keyed by the SHA-256 of the normalised e-mail, the tombstone and the audit entry name the
 * customer only by the derived id.
 */

/** "This address asked to be forgotten": checked before any marketing or review mail. */
export const erasedAddressKey = (tenantId: string, hash: string) => ({ PK: `T#${tenantId}#ERASED#${hash}`, SK: 'ERASED' });

/** Left in the customer's partition so a second erase answers 200 instead of 404. */
export const erasureTombstoneKey = (tenantId: string, customerId: string) => ({ PK: customerPk(tenantId, customerId), SK: 'ERASED' });

export const auditPk = (tenantId: string) => `T#${tenantId}#AUDIT`;
export const erasureAuditSk = (at: string, customerId: string) => `ERASE#${at}#${customerId}`;

export interface ErasureAudit {
  tenantId: string;
  customerId: string;
  at: string;
  actor: { userId: string; role: string };
  reason: string;
  counts: ErasureCounts;
}

export const erasureAuditItem = (audit: ErasureAudit): Record<string, unknown> => ({
  PK: auditPk(audit.tenantId),
  SK: erasureAuditSk(audit.at, audit.customerId),
  type: 'erasureAudit',
  ...audit,
});

/**
 * Powertools' idempotency records of createBooking (functions/adapters/idempotency-store.ts): one
 * of IDEMPOTENCY_SHARDS partitions chosen by the record's hashed key (docs/scale.md: one
 * partition for every tenant's keyed bookings was the model's hottest key), plus the unsharded
 * partition of records written before the shards (they expire within a day).
 */
export const IDEMPOTENCY_PK = 'IDEMPOTENCY#createBooking';
export const IDEMPOTENCY_SHARDS = 32;
export const idempotencyPk = (hashedKey: string) => `${IDEMPOTENCY_PK}#${shardOf(hashedKey, IDEMPOTENCY_SHARDS).toString().padStart(2, '0')}`;
export const idempotencyPartitions = (): string[] => [
  ...Array.from({ length: IDEMPOTENCY_SHARDS }, (_, shard) => `${IDEMPOTENCY_PK}#${shard.toString().padStart(2, '0')}`),
  IDEMPOTENCY_PK,
];
