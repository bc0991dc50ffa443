import type { JourneyTemplate } from '../journeys/rules.ts';
import { formatMessage, formatRange, formatSubjectDate, instantMs, type MessageValues, httpUrl } from './format.ts';
import { type MailBody, type MailDetail, renderHtml, renderText } from './layout.ts';
import type { MailBooking, MailBusiness, MailLocale, RenderedMail } from './types.ts';
import { mailLocales } from './types.ts';

/**
 * The mails journeys send: a rebook invitation after a cancellation, a review request after a
 * visit, a win-back offer to a lapsing customer, and an extra reminder for customers who tend to
 * miss appointments. Each is about one booking (the cancelled one, the visit, the last visit,
 * the coming appointment), so they reuse the booking snapshot and layout of the notification
 * mails; their texts are a catalogue of their own (below), in the same ICU MessageFormat.
 *
 * Pure, like renderMail: the sender passes in every link, so a retry sends the same bytes.
 */

export interface JourneyMailInput {
  template: JourneyTemplate;
  locale: MailLocale;
  /** The reader's zone, named after every time. */
  timeZone: string;
  business: MailBusiness;
  booking: MailBooking;
  /** The mail's one button: book again (rebook, win-back), the review page, or the manage link (extra reminder). */
  actionUrl: string;
  /**
   * Marketing and review mails: where to stop them — the preferences page, and the same page set
   * to unsubscribe (a page that asks, not the one-click URL of the List-Unsubscribe header, which
   * takes a POST). Service mails (the extra reminder) have none.
   */
  unsubscribe?: { preferencesUrl: string; unsubscribeUrl: string } | undefined;
}

interface JourneyTexts {
  subject: string;
  intro: string;
  /** The sentence before the button, and its caption. */
  actionText: string;
  actionButton: string;
  closing: string;
}

export interface JourneyCatalogue {
  templates: Record<JourneyTemplate, JourneyTexts>;
  greeting: string;
  when: string;
  service: string;
  provider: string;
  zoned: string;
  signOff: string;
  /** Why a marketing mail reached the reader, and the captions of the two links under it. */
  footer: string;
  preferences: string;
  unsubscribe: string;
}

const en: JourneyCatalogue = {
  templates: {
    'rebook-invitation': {
      subject: 'Book a new time at {business}?',
      intro: 'Your appointment for {service} on {date} was cancelled. Whenever it suits you, a new time takes a minute to book.',
      actionText: 'Your details are filled in already:',
      actionButton: 'Book again',
      closing: 'We hope to see you soon.',
    },
    'review-request': {
      subject: 'How was your visit to {business}?',
      intro: 'Thank you for visiting us for {service} with {provider}. Would you tell others how it went? It helps them, and it helps us.',
      actionText: 'It takes a minute:',
      actionButton: 'Write a review',
      closing: 'Thank you for your time.',
    },
    'win-back': {
      subject: 'It has been a while, {name}',
      intro: 'Your last visit to {business} ({service} with {provider}) was on {date}. Your usual time may well be free.',
      actionText: 'See the next free times, with your details filled in:',
      actionButton: 'Book again',
      closing: 'We would be glad to see you again.',
    },
    'extra-reminder': {
      subject: 'Your appointment at {business}: {date}',
      intro: 'A short reminder of your appointment for {service} with {provider}. If you cannot come, please move or cancel it, so someone else can have the time.',
      actionText: 'To reschedule or cancel:',
      actionButton: 'Manage booking',
      closing: 'We look forward to seeing you.',
    },
  },
  greeting: 'Hello {name},',
  when: 'When',
  service: 'Service',
  provider: 'With',
  zoned: '{time} ({zone})',
  signOff: 'Kind regards,\n{business}',
  footer: 'You receive this mail because you agreed to hear from {business}. You can change that at any time.',
  preferences: 'Mail preferences',
  unsubscribe: 'Unsubscribe',
};

const de: JourneyCatalogue = {
  templates: {
    'rebook-invitation': {
      subject: 'Neuen Termin bei {business} buchen?',
      intro: 'Ihr Termin für {service} am {date} wurde abgesagt. Wann immer es Ihnen passt: Ein neuer Termin ist in einer Minute gebucht.',
      actionText: 'Ihre Angaben sind schon ausgefüllt:',
      actionButton: 'Wieder buchen',
      closing: 'Wir freuen uns, Sie bald zu sehen.',
    },
    'review-request': {
      subject: 'Wie war Ihr Besuch bei {business}?',
      intro: 'Danke, dass Sie für {service} bei {provider} bei uns waren. Möchten Sie anderen erzählen, wie es war? Das hilft ihnen – und uns.',
      actionText: 'Es dauert nur eine Minute:',
      actionButton: 'Bewertung schreiben',
      closing: 'Vielen Dank für Ihre Zeit.',
    },
    'win-back': {
      subject: 'Lange nicht gesehen, {name}',
      intro: 'Ihr letzter Besuch bei {business} ({service} bei {provider}) war am {date}. Ihre gewohnte Zeit ist vielleicht gerade frei.',
      actionText: 'Die nächsten freien Termine, mit Ihren Angaben ausgefüllt:',
      actionButton: 'Wieder buchen',
      closing: 'Wir würden uns freuen, Sie wiederzusehen.',
    },
    'extra-reminder': {
      subject: 'Ihr Termin bei {business}: {date}',
      intro: 'Eine kurze Erinnerung an Ihren Termin für {service} bei {provider}. Falls Sie nicht kommen können, verschieben oder stornieren Sie ihn bitte, damit jemand anderes die Zeit nutzen kann.',
      actionText: 'Zum Verschieben oder Stornieren:',
      actionButton: 'Buchung verwalten',
      closing: 'Wir freuen uns auf Sie.',
    },
  },
  greeting: 'Hallo {name},',
  when: 'Wann',
  service: 'Leistung',
  provider: 'Bei',
  zoned: '{time} ({zone})',
  signOff: 'Viele Grüße\n{business}',
  footer: 'Sie erhalten diese E-Mail, weil Sie zugestimmt haben, von {business} zu hören. Das können Sie jederzeit ändern.',
  preferences: 'E-Mail-Einstellungen',
  unsubscribe: 'Abmelden',
};

const es: JourneyCatalogue = {
  templates: {
    'rebook-invitation': {
      subject: '¿Reservar una nueva cita en {business}?',
      intro: 'Su cita de {service} del {date} se canceló. Cuando le venga bien, reservar otra hora le llevará un minuto.',
      actionText: 'Sus datos ya están rellenados:',
      actionButton: 'Reservar de nuevo',
      closing: 'Esperamos verle pronto.',
    },
    'review-request': {
      subject: '¿Qué tal su visita a {business}?',
      intro: 'Gracias por visitarnos para {service} con {provider}. ¿Nos contaría a otros cómo fue? Les ayuda a ellos y nos ayuda a nosotros.',
      actionText: 'Solo le llevará un minuto:',
      actionButton: 'Escribir una reseña',
      closing: 'Gracias por su tiempo.',
    },
    'win-back': {
      subject: 'Hace tiempo que no le vemos, {name}',
      intro: 'Su última visita a {business} ({service} con {provider}) fue el {date}. Puede que su hora habitual esté libre.',
      actionText: 'Vea las próximas horas libres, con sus datos ya rellenados:',
      actionButton: 'Reservar de nuevo',
      closing: 'Nos alegraría volver a verle.',
    },
    'extra-reminder': {
      subject: 'Su cita en {business}: {date}',
      intro: 'Un breve recordatorio de su cita de {service} con {provider}. Si no puede venir, cámbiela o cancélela, para que otra persona pueda aprovechar la hora.',
      actionText: 'Para cambiar o cancelar la cita:',
      actionButton: 'Gestionar la reserva',
      closing: 'Le esperamos.',
    },
  },
  greeting: 'Hola, {name}:',
  when: 'Cuándo',
  service: 'Servicio',
  provider: 'Con',
  zoned: '{time} ({zone})',
  signOff: 'Saludos cordiales,\n{business}',
  footer: 'Recibe este correo porque aceptó recibir noticias de {business}. Puede cambiarlo cuando quiera.',
  preferences: 'Preferencias de correo',
  unsubscribe: 'Darse de baja',
};

export const journeyCatalogues: Readonly<Record<MailLocale, JourneyCatalogue>> = { en, de, es };

export function renderJourneyMail(input: JourneyMailInput): RenderedMail {
  const { template, locale, timeZone, business, booking } = input;
  if (!(mailLocales as readonly string[]).includes(locale)) throw new RangeError(`no mail catalogue for locale "${locale}"`);
  const catalogue = journeyCatalogues[locale];
  const texts = catalogue.templates[template];
  const startMs = instantMs(booking.start, 'booking.start');
  const endMs = instantMs(booking.end, 'booking.end');
  const values: MessageValues = {
    name: booking.customer.name,
    business: business.name,
    service: booking.serviceName,
    provider: booking.providerName,
    date: formatSubjectDate(startMs, locale, timeZone),
  };
  const t = (message: string, extra: MessageValues = {}) => formatMessage(locale, message, { ...values, ...extra });
  const detail = (label: string, value: string): MailDetail => ({ label, value, line: `${label}: ${value}` });
  // Only the coming appointment is worth a table; the others mention their booking in a sentence.
  const details =
    template === 'extra-reminder'
      ? [
          detail(t(catalogue.service), booking.serviceName),
          detail(t(catalogue.provider), booking.providerName),
          detail(t(catalogue.when), t(catalogue.zoned, { time: formatRange(startMs, endMs, locale, timeZone), zone: timeZone })),
        ]
      : [];
  const body: MailBody = {
    locale,
    subject: t(texts.subject).replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim(),
    greeting: t(catalogue.greeting),
    intro: t(texts.intro),
    details,
    manage: { text: t(texts.actionText), button: t(texts.actionButton), url: httpUrl(input.actionUrl, 'actionUrl') },
    notes: [],
    closing: t(texts.closing),
    signOff: t(catalogue.signOff),
    ...(input.unsubscribe
      ? {
          footer: {
            text: t(catalogue.footer),
            links: [
              { label: t(catalogue.preferences), url: httpUrl(input.unsubscribe.preferencesUrl, 'preferencesUrl') },
              { label: t(catalogue.unsubscribe), url: httpUrl(input.unsubscribe.unsubscribeUrl, 'unsubscribeUrl') },
            ],
          },
        }
      : {}),
  };
  return { subject: body.subject, text: renderText(body), html: renderHtml(body) };
}
