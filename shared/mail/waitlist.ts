import { formatMessage, formatRange, formatSubjectDate, instantMs, type MessageValues, httpUrl } from './format.ts';
import { type MailBody, type MailDetail, renderHtml, renderText } from './layout.ts';
import type { MailBooking, MailBusiness, MailLocale, RenderedMail } from './types.ts';
import { mailLocales } from './types.ts';

/**
 * The waitlist's mail: a time the customer waited for has become free. One button books exactly
 * that time (the claim link, bound to the entry, the slot and its provider); the footer says how
 * long they stay on the list and how to leave it. A service mail — the customer asked for it — so
 * it needs no marketing consent and carries no unsubscribe headers.
 *
 * Pure, like renderMail: the sender passes in both links, so a retry sends the same bytes.
 */

export type WaitlistMailKind = 'waitlist_offer';

export interface WaitlistOfferMailInput {
  locale: MailLocale;
  /** The customer's zone, named after every time. */
  timeZone: string;
  business: MailBusiness;
  /** The slot on offer, as the booking it would become (service, provider, start, end, the customer's name). */
  slot: MailBooking;
  /** The customer's last waiting date (YYYY-MM-DD, in their zone). */
  until: string;
  /** Books the slot in one step (a page that asks first; the link's token is the credential). */
  claimUrl: string;
  /** Takes the customer off the list (a page that asks first). */
  leaveUrl: string;
}

export interface WaitlistCatalogue {
  subject: string;
  greeting: string;
  intro: string;
  service: string;
  provider: string;
  when: string;
  zoned: string;
  actionText: string;
  actionButton: string;
  /** Why a link may already be too late, and what happens then. */
  race: string;
  signOff: string;
  footer: string;
  leave: string;
}

const en: WaitlistCatalogue = {
  subject: 'A time has become free at {business}: {date}',
  greeting: 'Hello {name},',
  intro: 'You asked to be told when a time for {service} becomes free. This one is free now:',
  service: 'Service',
  provider: 'With',
  when: 'When',
  zoned: '{time} ({zone})',
  actionText: 'Others are waiting too: the first to book gets it.',
  actionButton: 'Book this time',
  race: 'If someone was quicker, nothing is booked and you stay on the waiting list.',
  signOff: 'Kind regards,\n{business}',
  footer: 'You are on the waiting list of {business} until {until}.',
  leave: 'Leave the waiting list',
};

const de: WaitlistCatalogue = {
  subject: 'Ein Termin bei {business} ist frei geworden: {date}',
  greeting: 'Hallo {name},',
  intro: 'Sie wollten Bescheid bekommen, sobald ein Termin für {service} frei wird. Dieser ist es gerade:',
  service: 'Leistung',
  provider: 'Bei',
  when: 'Wann',
  zoned: '{time} ({zone})',
  actionText: 'Auch andere warten: Wer zuerst bucht, bekommt ihn.',
  actionButton: 'Diesen Termin buchen',
  race: 'War jemand schneller, wird nichts gebucht und Sie bleiben auf der Warteliste.',
  signOff: 'Viele Grüße\n{business}',
  footer: 'Sie stehen bis {until} auf der Warteliste von {business}.',
  leave: 'Warteliste verlassen',
};

const es: WaitlistCatalogue = {
  subject: 'Se ha liberado una hora en {business}: {date}',
  greeting: 'Hola, {name}:',
  intro: 'Nos pidió que le avisáramos cuando quedara libre una hora para {service}. Esta acaba de quedar libre:',
  service: 'Servicio',
  provider: 'Con',
  when: 'Cuándo',
  zoned: '{time} ({zone})',
  actionText: 'Hay más personas esperando: quien reserve primero se la queda.',
  actionButton: 'Reservar esta hora',
  race: 'Si alguien fue más rápido, no se reserva nada y usted sigue en la lista de espera.',
  signOff: 'Saludos cordiales,\n{business}',
  footer: 'Está en la lista de espera de {business} hasta el {until}.',
  leave: 'Salir de la lista de espera',
};

export const waitlistCatalogues: Readonly<Record<MailLocale, WaitlistCatalogue>> = { en, de, es };

/** "Friday, 4 December": a local date written out (read at noon UTC, so no zone can move it to another day). */
function formatLocalDate(date: string, locale: MailLocale): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`until must be a date YYYY-MM-DD, got "${date}"`);
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.parse(`${date}T12:00:00Z`));
}

export function renderWaitlistOfferMail(input: WaitlistOfferMailInput): RenderedMail {
  const { locale, timeZone, business, slot } = input;
  if (!(mailLocales as readonly string[]).includes(locale)) throw new RangeError(`no mail catalogue for locale "${locale}"`);
  const catalogue = waitlistCatalogues[locale];
  const startMs = instantMs(slot.start, 'slot.start');
  const endMs = instantMs(slot.end, 'slot.end');
  if (endMs <= startMs) throw new RangeError(`slot.end (${slot.end}) must be after slot.start (${slot.start})`);
  const values: MessageValues = {
    name: slot.customer.name,
    business: business.name,
    service: slot.serviceName,
    date: formatSubjectDate(startMs, locale, timeZone),
    until: formatLocalDate(input.until, locale),
  };
  const t = (message: string, extra: MessageValues = {}) => formatMessage(locale, message, { ...values, ...extra });
  const detail = (label: string, value: string): MailDetail => ({ label, value, line: `${label}: ${value}` });
  const body: MailBody = {
    locale,
    subject: t(catalogue.subject).replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim(),
    greeting: t(catalogue.greeting),
    intro: t(catalogue.intro),
    details: [
      detail(t(catalogue.service), slot.serviceName),
      detail(t(catalogue.provider), slot.providerName),
      detail(t(catalogue.when), t(catalogue.zoned, { time: formatRange(startMs, endMs, locale, timeZone), zone: timeZone })),
    ],
    manage: { text: t(catalogue.actionText), button: t(catalogue.actionButton), url: httpUrl(input.claimUrl, 'claimUrl') },
    notes: [t(catalogue.race)],
    signOff: t(catalogue.signOff),
    footer: { text: t(catalogue.footer), links: [{ label: t(catalogue.leave), url: httpUrl(input.leaveUrl, 'leaveUrl') }] },
  };
  return { subject: body.subject, text: renderText(body), html: renderHtml(body) };
}
