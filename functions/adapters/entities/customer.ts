import type { CustomerEvent, GoldenRecord } from '#shared/customers/types';

/**
 * Customers of a tenant, as the stream projector builds them. One partition per customer holds
 * the profile (golden record plus the traits and badges computed from the timeline) and the
 * timeline events; identity items map a normalised e-mail or phone to the customer.
 */
export const customerPk = (tenantId: string, customerId: string) => `T#${tenantId}#CUS#${customerId}`;
export const PROFILE_SK = 'PROFILE';
export const eventSk = (event: Pick<CustomerEvent, 'at' | 'id'>) => `EV#${event.at}#${event.id}`;
export const EVENT_PREFIX = 'EV#';
export const identityKey = (tenantId: string, kind: 'email' | 'phone', value: string) => ({ PK: `T#${tenantId}#ID#${kind}#${value}`, SK: 'ID' });

/**
 * The search index (GSI1, one partition per tenant): identity items and profiles carry
 * `GSI1SK = <kind>#<searchable value>#<customerId>`, so a prefix Query finds customers by the
 * beginning of an e-mail, an E.164 number or a name.
 */
export const searchPk = (tenantId: string) => `T#${tenantId}#CUSIDX`;
export const searchSk = (kind: 'email' | 'phone' | 'name', value: string, customerId: string) => `${kind}#${value}#${customerId}`;

/** Names are searched lower-cased and without accents ("García" is found by "garc"). */
export const searchableName = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

export interface StoredProfile {
  record: GoldenRecord;
  /** Computed from the timeline on every change; never edited. */
  traits?: Record<string, unknown> | undefined;
  badges?: Array<{ code: string; label: string; reason: string }> | undefined;
  /** Customers sharing a phone number but no e-mail: probably the same person, for staff to confirm. */
  probableMatches?: string[] | undefined;
  updatedAt: string;
}

export const profileItem = (profile: StoredProfile): Record<string, unknown> => ({
  PK: customerPk(profile.record.tenantId, profile.record.customerId),
  SK: PROFILE_SK,
  type: 'customerProfile',
  ...(profile.record.name
    ? { GSI1PK: searchPk(profile.record.tenantId), GSI1SK: searchSk('name', searchableName(profile.record.name.value), profile.record.customerId) }
    : {}),
  ...profile,
});

/** The event's own `type` is stored as `eventType`: `type` names the item kind table-wide (stream filters read it). */
export function eventItem(event: CustomerEvent, expiresAt?: number): Record<string, unknown> {
  const { type: eventType, ...rest } = event;
  return {
    PK: customerPk(event.tenantId, event.customerId),
    SK: eventSk(event),
    type: 'customerEvent',
    eventType,
    ...rest,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

export function eventFromItem(item: Record<string, unknown>): CustomerEvent {
  const { PK: _pk, SK: _sk, type: _type, expiresAt: _ttl, eventType, ...rest } = item;
  return { ...rest, type: eventType } as unknown as CustomerEvent;
}
