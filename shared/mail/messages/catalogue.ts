import type { BookingMailKind, MailAudience } from '../types.ts';

/**
 * The shape every language's catalogue fills. Each entry is one ICU MessageFormat message
 * (formatted with intl-messageformat): a whole sentence, or a whole line, with named arguments.
 * Word order, articles and plural forms stay in the message, where a translator can see them,
 * rather than in code that glues fragments together.
 *
 * Arguments the messages may use (each message names only what it needs):
 *   {name}, {customer}  the customer's name
 *   {business}          the business's name
 *   {service}           the service's name
 *   {provider}          the staff member's name
 *   {date}              the start, short, in the reader's zone (subjects only)
 *   {lead}              the reminder lead as the `reminderLead` message phrases it (reminders only)
 *   {label}, {value}    a detail line
 *   {time}, {zone}      a formatted time and the zone it is written in
 *   {state}             `active` or `cancelled` (the manage link's wording)
 *   {unit}, {count}, {hours}, {minutes}   the parts of a reminder lead
 */
export interface MailCatalogue {
  subject: Record<BookingMailKind, Record<MailAudience, string>>;
  /** Customer mails open with it. */
  greeting: string;
  /** The first paragraph: what happened, in one sentence. */
  intro: Record<BookingMailKind, Record<MailAudience, string>>;
  /** Labels of the detail lines. */
  label: Record<DetailLabel, string>;
  /** One detail line of the text part: {label} and {value}. */
  detail: string;
  /** A date-time with the zone it is written in: {time} and {zone}. */
  zoned: string;
  /** How long before the appointment a reminder goes out, as an adverbial: "tomorrow", "in 2 hours". */
  reminderLead: string;
  /** The sentence before the manage link, and the button's caption; {state}: active | cancelled. */
  manageText: string;
  manageButton: string;
  /** What the attached invitation does to the reader's calendar. */
  inviteNote: Record<InvitationKind, string>;
  /** Customer mails end with it. */
  closing: Record<BookingMailKind, string>;
  /** The sign-off, {business}; may span lines. */
  signOff: string;
  /** The invitation's SUMMARY and the first line of its DESCRIPTION. */
  inviteSummary: string;
  inviteDescription: string;
  /**
   * The customer's data-export mail (decision 68), to the address of their record: {business},
   * {service} and {date} of the booking it was asked from, {time} (with zone) when the link ends.
   */
  dataExport: {
    subject: string;
    intro: string;
    linkText: string;
    button: string;
    /** For a reader who did not ask: what to do (nothing), and why nobody else got the link. */
    notYou: string;
  };
}

export type DetailLabel = 'service' | 'provider' | 'when' | 'previously' | 'now' | 'reason' | 'yourNotes' | 'notes' | 'email' | 'phone';

/** The kinds whose customer mail carries an invitation (RFC 5546 REQUEST or CANCEL). */
export type InvitationKind = Exclude<BookingMailKind, 'reminder'>;
