import { formatInstant, formatMessage, formatRange, formatSubjectDate, instantMs, leadValues, type MessageValues, httpUrl } from './format.ts';
import { renderInvite } from './invite.ts';
import { type MailBody, type MailDetail, renderHtml, renderText } from './layout.ts';
import { catalogues, type DetailLabel, type MailCatalogue } from './messages/index.ts';
import { type MailInput, type MailLocale, mailLocales, type RenderedMail } from './types.ts';

export { resolveMailLocale } from './locale.ts';

/**
 * The notification mails: one booking change (or reminder) for one reader, as subject, plain text,
 * HTML and, for the customer's mails about a change, an iTIP invitation.
 *
 * Pure: the same input gives the same bytes, so an outbox retry sends what the first attempt
 * would have. Every date and time is written in `input.timeZone` (the reader's) and followed by
 * that zone's IANA name, which reads the same in every language and is exactly what the booking
 * page and the API call the zone.
 */
export function renderMail(input: MailInput): RenderedMail {
  const { kind, audience, locale, timeZone, business, booking } = input;
  if (!(mailLocales as readonly string[]).includes(locale)) throw new RangeError(`no mail catalogue for locale "${locale}"`);
  const catalogue = catalogues[locale];
  if (kind === 'data_export') return renderDataExport(input, catalogue);
  const customer = audience === 'customer';

  const startMs = instantMs(booking.start, 'booking.start');
  const endMs = instantMs(booking.end, 'booking.end');
  if (endMs <= startMs) throw new RangeError(`booking.end (${booking.end}) must be after booking.start (${booking.start})`);
  const previousMs = booking.previousStart === undefined ? undefined : instantMs(booking.previousStart, 'booking.previousStart');

  const values: MessageValues = {
    name: booking.customer.name,
    customer: booking.customer.name,
    business: business.name,
    service: booking.serviceName,
    provider: booking.providerName,
    date: formatSubjectDate(startMs, locale, timeZone),
    ...(kind === 'reminder' ? { lead: reminderLead(locale, catalogue.reminderLead, input.reminderLead) } : {}),
  };
  const t = (message: string, extra: MessageValues = {}) => formatMessage(locale, message, { ...values, ...extra });
  const zoned = (time: string) => t(catalogue.zoned, { time, zone: timeZone });
  const detail = (label: DetailLabel, value: string): MailDetail => {
    const text = t(catalogue.label[label]);
    return { label: text, value, line: t(catalogue.detail, { label: text, value }) };
  };

  // When: a reschedule says where the appointment was and where it is now.
  const appointment = zoned(formatRange(startMs, endMs, locale, timeZone));
  const whenDetails =
    kind === 'booking_rescheduled' && previousMs !== undefined
      ? [detail('previously', zoned(formatInstant(previousMs, locale, timeZone))), detail('now', appointment)]
      : [detail('when', appointment)];
  const reason = kind === 'booking_cancelled' && booking.cancelReason?.trim() ? [detail('reason', booking.cancelReason)] : [];
  const notes = booking.notes?.trim() ? [detail(customer ? 'yourNotes' : 'notes', booking.notes)] : [];

  const details = customer
    ? [detail('service', booking.serviceName), detail('provider', booking.providerName), ...whenDetails, ...reason, ...notes]
    : [
        ...whenDetails,
        ...reason,
        detail('email', booking.customer.email),
        ...(booking.customer.phone?.trim() ? [detail('phone', booking.customer.phone)] : []),
        ...notes,
      ];

  // The provider's copy never carries the manage link: it is the customer's key to the booking.
  const state = kind === 'booking_cancelled' || booking.status === 'cancelled' ? 'cancelled' : 'active';
  const manage =
    customer && input.manageUrl !== undefined
      ? { text: t(catalogue.manageText, { state }), button: t(catalogue.manageButton, { state }), url: httpUrl(input.manageUrl, 'manageUrl') }
      : undefined;

  const invitationKind = customer && kind !== 'reminder' ? kind : undefined;
  const body: MailBody = {
    locale,
    subject: oneLine(t(catalogue.subject[kind][audience])),
    greeting: customer ? t(catalogue.greeting) : undefined,
    intro: t(catalogue.intro[kind][audience]),
    details,
    manage,
    notes: invitationKind ? [t(catalogue.inviteNote[invitationKind])] : [],
    closing: customer ? t(catalogue.closing[kind]) : undefined,
    signOff: customer ? t(catalogue.signOff) : undefined,
  };

  const calendar = invitationKind
    ? renderInvite({
        method: invitationKind === 'booking_cancelled' ? 'CANCEL' : 'REQUEST',
        bookingId: booking.id,
        sequence: booking.version,
        start: startMs,
        end: endMs,
        stamp: instantMs(booking.updatedAt, 'booking.updatedAt'),
        summary: t(catalogue.inviteSummary),
        description: [t(catalogue.inviteDescription), ...reason.map((line) => line.line), ...(manage ? [t(catalogue.detail, { label: manage.button, value: manage.url })] : [])].join('\n'),
        location: business.name,
        organizer: { name: business.name, email: business.email },
        attendee: { name: booking.customer.name, email: booking.customer.email },
      })
    : undefined;

  return { subject: body.subject, text: renderText(body), html: renderHtml(body), ...(calendar ? { calendar } : {}) };
}

/**
 * The customer's data-export mail (decision 68): which booking's page it was asked from, the link,
 * when it stops working, and what to do for someone who did not ask. No invitation, no manage link.
 */
function renderDataExport(input: MailInput, catalogue: MailCatalogue): RenderedMail {
  const { locale, timeZone, business, booking, dataExport } = input;
  if (input.audience !== 'customer') throw new RangeError('a data_export mail goes to the customer only');
  if (dataExport === undefined) throw new RangeError('a data_export mail needs dataExport (the link and when it expires)');
  const expiresMs = instantMs(dataExport.expiresAt, 'dataExport.expiresAt');
  const values: MessageValues = {
    name: booking.customer.name,
    business: business.name,
    service: booking.serviceName,
    date: formatSubjectDate(instantMs(booking.start, 'booking.start'), locale, timeZone),
    time: formatMessage(locale, catalogue.zoned, { time: formatInstant(expiresMs, locale, timeZone), zone: timeZone }),
  };
  const t = (message: string) => formatMessage(locale, message, values);
  const texts = catalogue.dataExport;
  const body: MailBody = {
    locale,
    subject: oneLine(t(texts.subject)),
    greeting: t(catalogue.greeting),
    intro: t(texts.intro),
    details: [],
    manage: { text: t(texts.linkText), button: t(texts.button), url: httpUrl(dataExport.url, 'dataExport.url') },
    notes: [t(texts.notYou)],
    signOff: t(catalogue.signOff),
  };
  return { subject: body.subject, text: renderText(body), html: renderHtml(body) };
}

function reminderLead(locale: MailLocale, message: string, lead: string | undefined): string {
  if (lead === undefined) throw new RangeError('a reminder needs reminderLead (an ISO-8601 duration such as "P1D")');
  return formatMessage(locale, message, leadValues(lead));
}

/**
 * A subject is one header line: a line break in a name would end the header (or be folded away by
 * the mail library in some other way), so control characters and line separators become spaces.
 */
const oneLine = (text: string): string =>
  text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
