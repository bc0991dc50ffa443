/**
 * The customer side, as data: the events a booking's life produces for its customer, the golden
 * record identity resolution builds, and what traits, personas and journeys read. Everything here
 * is derived from the table's stream by the projector; nothing is typed in by hand.
 */

export type ContactChannel = 'email' | 'phone';
export type ConsentPurpose = 'service' | 'marketing' | 'reviews';
export type ConsentChannel = 'email' | 'sms' | 'phone';
export type LegalBasis = 'contract' | 'consent' | 'legitimate_interest';
export type ValueSource = 'online' | 'staff' | 'preferences' | 'merge' | 'system';

/** One entry of the consent ledger (append-only; the latest entry per purpose and channel counts). */
export interface ConsentRecord {
  purpose: ConsentPurpose;
  channel: ConsentChannel;
  granted: boolean;
  legalBasis: LegalBasis;
  source: ValueSource;
  /** UTC ISO-8601. */
  at: string;
  /** The version of the consent text the customer saw, when there was one. */
  textVersion?: string | undefined;
}

/** A field of the golden record with where and when it came from. */
export interface Sourced<T> {
  value: T;
  source: ValueSource;
  at: string;
}

export interface GoldenRecord {
  customerId: string;
  tenantId: string;
  name?: Sourced<string> | undefined;
  /** Normalised (trimmed, lower-cased), most recent first. */
  emails: Array<Sourced<string>>;
  /** E.164, most recent first. */
  phones: Array<Sourced<string>>;
  locale?: Sourced<string> | undefined;
  timeZone?: Sourced<string> | undefined;
  preferredChannel?: Sourced<ContactChannel> | undefined;
  consents: ConsentRecord[];
  /** Customer ids merged into this one (kept so a merge can be undone). */
  mergedFrom?: string[] | undefined;
  createdAt: string;
  updatedAt: string;
}

export type CustomerEventType = 'booked' | 'rescheduled' | 'cancelled' | 'attended' | 'no_show' | 'mail_sent' | 'mail_bounced' | 'journey_step';

/** One entry of a customer's timeline. Ids are deterministic, so replaying a stream record writes the same event. */
export interface CustomerEvent {
  id: string;
  tenantId: string;
  customerId: string;
  type: CustomerEventType;
  /** When it happened (UTC ISO-8601): the change's time, not the appointment's. */
  at: string;
  bookingId?: string | undefined;
  /** The booking's version this event reflects (version guard for out-of-order records). */
  bookingVersion?: number | undefined;
  channel?: 'online' | 'staff' | undefined;
  serviceId?: string | undefined;
  providerId?: string | undefined;
  /** The appointment (UTC ISO-8601). */
  start?: string | undefined;
  end?: string | undefined;
  /** booked/rescheduled: minutes from the change to the appointment. cancelled: notice given. */
  leadMinutes?: number | undefined;
  /** Whether the booking was made outside the tenant's opening hours (booked only). */
  afterHours?: boolean | undefined;
  price?: { amount: number; currency: string } | undefined;
  detail?: string | undefined;
}
