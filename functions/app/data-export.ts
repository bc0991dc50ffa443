import { isErasedEmail } from '#shared/customers/erasure';
import { customerIdSeed, newCustomerId, normaliseEmail } from '#shared/customers/identity';
import { DomainError } from '#shared/domain/errors';
import { isoInstant } from '#shared/domain/instant';
import { dataExportMessageId, planDataExportMail } from '#shared/domain/notifications';
import { CustomerStore } from '#functions/adapters/customer-store';
import { PrivacyStore } from '#functions/adapters/privacy-store';
import { authorizeManage } from './bookings.ts';
import type { AppDeps } from './deps.ts';
import { maskEmail } from './mask.ts';
import { exportForDataExportLink } from './privacy.ts';

/**
 * The customer's own export (decisions 68, 69). A manage link travels in forwarded mails and
 * calendar invitations, so holding it proves nothing about who the customer is; it may only ask
 * for the export, which is mailed — as a short-lived signed link — to the customer's own address.
 */

/** How long a mailed export link works. */
export const DATA_EXPORT_LINK_MS = 24 * 3_600_000;
/** A booking's next export mail may be asked for this long after the last. */
export const DATA_EXPORT_INTERVAL_MS = 3_600_000;

export async function requestDataExport(deps: AppDeps, bookingId: string, authorization: string | undefined) {
  const booking = await authorizeManage(deps, bookingId, authorization);
  const email = normaliseEmail(booking.customer.email);
  // An erased customer's bookings keep only a placeholder address: there is nobody to mail and nothing to send.
  if (!email || isErasedEmail(email)) throw new DomainError('customer_not_found', 'Nothing is held about the customer of this booking any more.');
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(booking.tenantId, now);
  const customers = new CustomerStore(deps.store.db, deps.store.tableName);
  // The customer the booking's e-mail belongs to; before the projector has seen it, the id it will
  // get (derived from the e-mail, decision 48), so the link keeps working once it has.
  const owner = (await customers.getIdentity(booking.tenantId, 'email', email)) ?? newCustomerId(customerIdSeed(booking.tenantId, { kind: 'email', value: email }));
  const profile = await customers.currentProfile(booking.tenantId, owner);
  const record = profile?.record;
  // The address of the customer's record (the most recent), not whatever the holder typed in the booking.
  const to = record?.emails[0]?.value ?? email;
  const expiresAt = isoInstant(Math.floor((now + DATA_EXPORT_LINK_MS) / 1000) * 1000);
  const link = { tenantId: booking.tenantId, customerId: record?.customerId ?? owner, bookingId: booking.id, expiresAt };
  const message = planDataExportMail({
    booking,
    config,
    to,
    locale: record?.locale?.value ?? booking.customer.locale,
    timeZone: record?.timeZone?.value ?? booking.customer.timeZone,
    link: { url: deps.links.dataExportUrl(link), expiresAt },
    mailFrom: deps.mailFrom,
    now,
  });
  const privacy = new PrivacyStore(deps.store.db, deps.store.tableName);
  if (!(await privacy.queueDataExportMail(message, isoInstant(now - DATA_EXPORT_INTERVAL_MS)))) {
    const last = await deps.store.getMessage(dataExportMessageId(booking.id));
    const retryAt = last ? Date.parse(last.createdAt) + DATA_EXPORT_INTERVAL_MS : now + DATA_EXPORT_INTERVAL_MS;
    throw new DomainError('data_export_already_requested', 'An export of this customer\'s data was mailed for this booking less than an hour ago; please check the inbox.', {
      retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)),
    });
  }
  return { sentTo: maskEmail(to), expiresAt };
}

/** The export a mailed link opens: 401 for a link that is not ours (or was altered), 410 once it has expired. */
export async function openDataExport(deps: AppDeps, token: string) {
  const link = deps.links.readDataExportToken(token);
  if (!link) throw new DomainError('export_link_invalid', 'This export link is not valid. Ask for a new one on your booking\'s page.');
  if (Date.parse(link.expiresAt) <= deps.clock.now()) {
    throw new DomainError('export_link_expired', 'This export link has expired. Ask for a new one on your booking\'s page.', { expiredAt: link.expiresAt });
  }
  return exportForDataExportLink(deps, link);
}
