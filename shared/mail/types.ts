/**
 * What the notification mails are made from. The outbox item holds a MailInput-shaped snapshot
 * taken in the transaction that changed the booking, so a mail describes the booking as it was
 * at that change, whatever happened after.
 */

export const mailLocales = ['de', 'en', 'es'] as const;
export type MailLocale = (typeof mailLocales)[number];

/** Mails about a booking's change or its coming appointment. */
export type BookingMailKind = 'booking_confirmed' | 'booking_rescheduled' | 'booking_cancelled' | 'reminder';
/** `data_export`: the link to the customer's own data, asked for from a booking's page (decision 68). */
export type MailKind = BookingMailKind | 'data_export';
export type MailAudience = 'customer' | 'provider';

export interface MailBooking {
  id: string;
  /** The booking's version after the change; the invitation's SEQUENCE. */
  version: number;
  status: 'confirmed' | 'cancelled';
  /** UTC ISO-8601 instants. */
  start: string;
  end: string;
  /**
   * UTC ISO-8601: when the change this snapshot was taken at was made (the booking's updatedAt
   * after it). The invitation's DTSTAMP, which shared/ cannot take from the clock.
   */
  updatedAt: string;
  /** For reschedule mails: where it was before. */
  previousStart?: string | undefined;
  serviceName: string;
  providerName: string;
  customer: { name: string; email: string; phone?: string | undefined };
  notes?: string | undefined;
  cancelReason?: string | undefined;
}

export interface MailBusiness {
  name: string;
  /** The sender address and the invitation's ORGANIZER. */
  email: string;
  timeZone: string;
}

export interface MailInput {
  kind: MailKind;
  audience: MailAudience;
  locale: MailLocale;
  /** The reader's zone: every date and time in the mail is written in it, and the zone named. */
  timeZone: string;
  business: MailBusiness;
  booking: MailBooking;
  /** Customer mails about an active booking: where to reschedule or cancel. */
  manageUrl?: string | undefined;
  /** Reminders: how long before the start (ISO-8601 duration, e.g. "P1D", "PT2H"). */
  reminderLead?: string | undefined;
  /** Data-export mails: the link to the export, and the instant (UTC ISO-8601) it stops working. */
  dataExport?: { url: string; expiresAt: string } | undefined;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** The invitation for customer mails of booking changes (not reminders, not provider copies). */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string; filename: string } | undefined;
}
