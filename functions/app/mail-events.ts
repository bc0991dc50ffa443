import type { CustomerEvent } from '#shared/customers/types';
import { DEFAULT_TIMELINE_RETENTION_DAYS, type TenantConfig } from '#shared/domain/schemas';
import { CustomerStore } from '#functions/adapters/customer-store';
import { eventExpiresAt } from '#functions/adapters/entities/customer';
import type { DynamoStore } from '#functions/adapters/store';

/**
 * Mail on the customer's timeline: what was sent to them and what bounced. A booking mail does
 * not know its customer (the projector resolves customers after the booking's transaction), so
 * the address finds them through its identity item; a journey mail names its customer. An
 * address no customer owns yet (the projector has not caught up) records nothing: the timeline
 * is for reception, the outbox keeps the full record of every message.
 */
export interface MailEvent {
  tenantId: string;
  customerId?: string | undefined;
  email?: string | undefined;
  type: 'mail_sent' | 'mail_bounced';
  messageId: string;
  bookingId?: string | undefined;
  /** The mail's kind or template, or the bounce's diagnostic. */
  detail?: string | undefined;
  at: number;
}

export async function recordMailEvent(store: DynamoStore, mail: MailEvent): Promise<boolean> {
  const customers = new CustomerStore(store.db, store.tableName);
  // Identity items are keyed by the normalised address: trimmed and lower-cased (identity.ts's
  // normaliseEmail, whose validation the outbox address passed when the booking was made).
  const customerId = mail.customerId ?? (mail.email ? await customers.getIdentity(mail.tenantId, 'email', mail.email.trim().toLowerCase()) : undefined);
  if (!customerId) return false;
  const config = await store.loadConfig(mail.tenantId, mail.at);
  const event: CustomerEvent = {
    id: `mail.${mail.messageId}.${mail.type}`,
    tenantId: mail.tenantId,
    customerId,
    type: mail.type,
    at: new Date(mail.at).toISOString(),
    ...(mail.bookingId ? { bookingId: mail.bookingId } : {}),
    ...(mail.detail ? { detail: mail.detail.slice(0, 200) } : {}),
  };
  await customers.putEvents([event], config ? timelineExpiry(config) : undefined);
  return true;
}

/** When a timeline event written outside the projector expires: the tenant's retention (decision 62), like every other event. */
export const timelineExpiry = (config: TenantConfig) => (event: Pick<CustomerEvent, 'at'>) =>
  eventExpiresAt(event, config.tenant.customers?.timelineRetentionDays ?? DEFAULT_TIMELINE_RETENTION_DAYS);
