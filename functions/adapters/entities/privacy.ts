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

/** Powertools' idempotency records of createBooking (see functions/http/createBooking.ts). */
export const IDEMPOTENCY_PK = 'IDEMPOTENCY#createBooking';
