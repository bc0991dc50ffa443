import { resolveMailLocale } from '../mail/locale.ts';
import type { MailAudience, MailInput, MailKind } from '../mail/types.ts';
import { providerZone } from './booking.ts';
import { DEFAULT_REMINDER_POLICY, reminderTimes } from './reminders.ts';
import type { Booking, TenantConfig } from './schemas.ts';
import { isoInstant } from './instant.ts';
import type { ConsentPurpose } from '../customers/types.ts';
import type { JourneyTemplate } from '../journeys/rules.ts';
import type { MailBooking } from '../mail/types.ts';
import type { WaitlistMailKind } from '../mail/waitlist.ts';
import type { WaitlistOfferSpec } from './waitlist.ts';

/**
 * Which mails a booking change causes, as data: the outbox items to write in the change's own
 * transaction and the scheduled reminders it replaces. Nothing here sends anything.
 */

export type MessageStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';

/**
 * A journey's mail (shared/mail/journey.ts): the template, and whose it is. The links are made by
 * the sender, which holds the link secret; only a review page, which is the tenant's, is kept here.
 */
export interface JourneyMailSpec {
  template: JourneyTemplate;
  ruleId: string;
  customerId: string;
  purpose: ConsentPurpose;
  reviewUrl?: string | undefined;
}

/** A notification's MailInput without the manage link, or a journey mail's (kind = its template), or a waitlist offer's. */
export type OutboxMail = Omit<MailInput, 'manageUrl' | 'kind'> & { kind: MailKind | JourneyTemplate | WaitlistMailKind };

export interface OutboxMessage {
  /** Deterministic: `<booking>.v<version>.<audience>` for change mails, `<booking>.reminder.<lead>` for reminders. */
  id: string;
  tenantId: string;
  /** The booking the mail is about; for a waitlist offer, which has none yet, the waitlist entry. */
  bookingId: string;
  kind: MailKind | JourneyTemplate | WaitlistMailKind;
  audience: MailAudience;
  to: string;
  /** Journey mails: rendered by renderJourneyMail from `mail`'s locale, zone, business and booking. */
  journey?: JourneyMailSpec | undefined;
  /** Waitlist offers (shared/mail/waitlist.ts): the entry and the slot whose claim link the sender makes. */
  waitlist?: WaitlistOfferSpec | undefined;
  /** The mail as it will be rendered, except the links, which only the sender can make. */
  mail: OutboxMail;
  withManageLink: boolean;
  /** When it should go out (reminders: the reminder time; change mails: the change). */
  dueAt: string;
  /** When the next attempt may start: dueAt at first, later moved by the retry backoff. */
  nextAttemptAt: string;
  status: MessageStatus;
  attempts: number;
  leaseId?: string | undefined;
  leaseUntil?: string | undefined;
  lastError?: string | undefined;
  sentAt?: string | undefined;
  sesMessageId?: string | undefined;
  createdAt: string;
}

export interface NotificationPlan {
  put: OutboxMessage[];
  /** Reminder messages of the booking's previous schedule that no longer apply. */
  remove: string[];
  /** The reminders now scheduled (kept on the booking, so the next change can replace them). */
  reminderIds: string[];
}

export type BookingChange = 'created' | 'rescheduled' | 'cancelled';

const kindOf: Record<BookingChange, MailKind> = {
  created: 'booking_confirmed',
  rescheduled: 'booking_rescheduled',
  cancelled: 'booking_cancelled',
};


/** The real gap of a moved reminder, in whole hours (or minutes under an hour), as an ISO duration. */
function leadBetween(at: number, start: number): string {
  const minutes = Math.floor((start - at) / 60_000);
  return minutes >= 60 ? `PT${Math.floor(minutes / 60)}H` : `PT${Math.max(1, minutes)}M`;
}

/** The booking as a mail describes it: names instead of ids, the customer's contact, and where it was before a move. */
export function mailSnapshot(booking: Booking, config: TenantConfig, before?: Booking): MailBooking {
  const provider = config.providers.find((p) => p.id === booking.providerId);
  const service = config.services.find((s) => s.id === booking.serviceId);
  return {
    id: booking.id,
    version: booking.version,
    updatedAt: booking.updatedAt,
    status: booking.status,
    start: booking.start,
    end: booking.end,
    ...(before && before.start !== booking.start ? { previousStart: before.start } : {}),
    serviceName: service?.name ?? booking.serviceId,
    providerName: provider?.name ?? booking.providerId,
    customer: { name: booking.customer.name, email: booking.customer.email, ...(booking.customer.phone ? { phone: booking.customer.phone } : {}) },
    ...(booking.notes ? { notes: booking.notes } : {}),
    ...(booking.cancelReason ? { cancelReason: booking.cancelReason } : {}),
  };
}

export function planNotifications(input: {
  change: BookingChange;
  booking: Booking;
  before?: Booking | undefined;
  previousReminderIds: readonly string[];
  config: TenantConfig;
  /** The address mails come from and the invitation's organizer. */
  mailFrom: string;
  now: number;
}): NotificationPlan {
  const { change, booking, config, now } = input;
  const at = isoInstant(now);
  const tenant = config.tenant;
  const provider = config.providers.find((p) => p.id === booking.providerId);
  const zone = provider ? providerZone(config, provider) : booking.timeZone;
  const snapshot = mailSnapshot(booking, config, input.before);
  const business = { name: tenant.name, email: input.mailFrom, timeZone: tenant.timeZone };
  const message = (id: string, kind: MailKind, audience: MailAudience, to: string, mail: Omit<MailInput, 'manageUrl'>, dueAt: string, withManageLink: boolean): OutboxMessage => ({
    id,
    tenantId: booking.tenantId,
    bookingId: booking.id,
    kind,
    audience,
    to,
    mail,
    withManageLink,
    dueAt,
    nextAttemptAt: dueAt,
    status: 'pending',
    attempts: 0,
    createdAt: at,
  });

  const customerMail = {
    kind: kindOf[change],
    audience: 'customer' as const,
    locale: resolveMailLocale(booking.customer.locale, tenant.locale),
    timeZone: booking.customer.timeZone ?? zone,
    business,
    booking: snapshot,
  };
  const put: OutboxMessage[] = [
    message(`${booking.id}.v${booking.version}.customer`, kindOf[change], 'customer', booking.customer.email, customerMail, at, change !== 'cancelled'),
  ];
  if (provider?.notifyOnBookingChanges && provider.email) {
    const providerMail = { ...customerMail, audience: 'provider' as const, locale: resolveMailLocale(undefined, tenant.locale), timeZone: zone };
    put.push(message(`${booking.id}.v${booking.version}.provider`, kindOf[change], 'provider', provider.email, providerMail, at, false));
  }

  const reminderIds: string[] = [];
  if (change !== 'cancelled' && booking.status === 'confirmed') {
    const policy = tenant.reminders ?? DEFAULT_REMINDER_POLICY;
    const start = Date.parse(booking.start);
    // Where each lead would fall without quiet hours: a reminder moved earlier must not say "in 2 hours".
    const unmoved = new Map(reminderTimes({ start, zone, policy: { before: policy.before }, now: Number.NEGATIVE_INFINITY }).map((r) => [r.lead, r.at]));
    for (const reminder of reminderTimes({ start, zone, policy, now })) {
      const id = `${booking.id}.reminder.${reminder.lead}`;
      const said = unmoved.get(reminder.lead) === reminder.at ? reminder.lead : leadBetween(reminder.at, start);
      reminderIds.push(id);
      put.push(message(id, 'reminder', 'customer', booking.customer.email, { ...customerMail, kind: 'reminder', reminderLead: said }, isoInstant(reminder.at), true));
    }
  }
  const kept = new Set(reminderIds);
  return { put, remove: input.previousReminderIds.filter((id) => !kept.has(id)), reminderIds };
}

/** The one data-export mail a booking can have waiting at a time (decision 69): a new request replaces it, at most hourly. */
export const dataExportMessageId = (bookingId: string) => `${bookingId}.data-export`;

/**
 * The customer's data-export mail (decision 68): to the address of their record, in their language
 * and zone, about the booking it was asked from, with the signed link the caller made (the link
 * expires long before the sent message does; see decision 69 on why it is in the snapshot).
 */
export function planDataExportMail(input: {
  booking: Booking;
  config: TenantConfig;
  to: string;
  locale?: string | undefined;
  timeZone?: string | undefined;
  link: { url: string; expiresAt: string };
  mailFrom: string;
  now: number;
}): OutboxMessage {
  const { booking, config, now } = input;
  const at = isoInstant(now);
  const tenant = config.tenant;
  return {
    id: dataExportMessageId(booking.id),
    tenantId: booking.tenantId,
    bookingId: booking.id,
    kind: 'data_export',
    audience: 'customer',
    to: input.to,
    mail: {
      kind: 'data_export',
      audience: 'customer',
      locale: resolveMailLocale(input.locale, tenant.locale),
      timeZone: input.timeZone ?? tenant.timeZone,
      business: { name: tenant.name, email: input.mailFrom, timeZone: tenant.timeZone },
      booking: mailSnapshot(booking, config),
      dataExport: input.link,
    },
    withManageLink: false,
    dueAt: at,
    nextAttemptAt: at,
    status: 'pending',
    attempts: 0,
    createdAt: at,
  };
}
