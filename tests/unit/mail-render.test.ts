import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { catalogues } from '#shared/mail/messages/index';
import { renderMail, resolveMailLocale } from '#shared/mail/render';
import { type MailAudience, type MailInput, type MailKind, type MailLocale, mailLocales } from '#shared/mail/types';

/**
 * The notification mails' words and layout: every kind for both readers in every language, dates
 * in the reader's zone, escaping, the manage link and the reminder lead. The invitation has its
 * own file (mail-invite.test.ts); the full wording is reviewed in mail-snapshots.test.ts.
 */

const KINDS: readonly MailKind[] = ['booking_confirmed', 'booking_rescheduled', 'booking_cancelled', 'reminder'];
const AUDIENCES: readonly MailAudience[] = ['customer', 'provider'];
const MANAGE_URL = 'https://book.example/manage/bk_0001?token=t0k3n';

function mail(overrides: Partial<Omit<MailInput, 'booking'>> & { booking?: Partial<MailInput['booking']> } = {}): MailInput {
  const { booking, ...rest } = overrides;
  return {
    kind: 'booking_confirmed',
    audience: 'customer',
    locale: 'en',
    timeZone: 'Europe/Berlin',
    business: { name: 'Salon Schnitt', email: 'hello@salon.example', timeZone: 'Europe/Berlin' },
    reminderLead: 'P1D',
    ...rest,
    booking: {
      id: 'bk_0001',
      version: 2,
      status: 'confirmed',
      // Tuesday 1 December 2026, 10:00-11:00 in Berlin (UTC+1 in winter).
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T10:00:00Z',
      updatedAt: '2026-11-20T08:00:00Z',
      serviceName: 'Haircut',
      providerName: 'Anna Berg',
      customer: { name: 'Max Muster', email: 'max@example.com' },
      ...booking,
    },
  };
}

/** Every optional part present, so every message of the catalogue is formatted. */
function fullMail(kind: MailKind, audience: MailAudience, locale: MailLocale): MailInput {
  return mail({
    kind,
    audience,
    locale,
    manageUrl: MANAGE_URL,
    booking: {
      status: kind === 'booking_cancelled' ? 'cancelled' : 'confirmed',
      previousStart: '2026-11-30T13:30:00Z',
      customer: { name: 'Max Muster', email: 'max@example.com', phone: '+49 30 1234567' },
      notes: 'Please use the side door',
      cancelReason: 'Provider ill',
    },
  });
}

const everyMail = KINDS.flatMap((kind) => AUDIENCES.flatMap((audience) => mailLocales.map((locale) => [kind, audience, locale] as const)));

describe('renderMail: every kind for every reader in every language', () => {
  it.each(everyMail)('%s for the %s in %s leaves no placeholder and names the booking', (kind, audience, locale) => {
    const rendered = renderMail(fullMail(kind, audience, locale));

    for (const part of [rendered.subject, rendered.text, rendered.html, rendered.calendar?.content ?? '']) expect(part).not.toMatch(/[{}]/);
    for (const part of [rendered.text, rendered.html]) {
      expect(part).toContain('Max Muster');
      expect(part).toContain('Haircut');
    }
    expect(rendered.subject.length).toBeGreaterThan(10);
  });

  it('uses in every language the same message arguments as in English, so no translation drops or invents one', () => {
    const argumentsOf = (message: string): string[] => {
      const names = new Set<string>();
      const walk = (elements: any[]): void => {
        for (const element of elements) {
          if (typeof element.value === 'string' && element.type !== 0 && element.type !== 7) names.add(element.value);
          for (const option of Object.values<any>(element.options ?? {})) walk(option.value);
        }
      };
      walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst());
      return [...names].sort();
    };
    const leaves = (catalogue: object, path = ''): Array<[string, string]> =>
      Object.entries(catalogue).flatMap(([key, value]) => (typeof value === 'string' ? [[`${path}${key}`, value] as [string, string]] : leaves(value, `${path}${key}.`)));

    const english = new Map(leaves(catalogues.en));
    for (const locale of ['de', 'es'] as const) {
      const translated = leaves(catalogues[locale]);
      expect(translated.map(([key]) => key)).toEqual([...english.keys()]);
      for (const [key, message] of translated) expect({ key, args: argumentsOf(message) }).toEqual({ key, args: argumentsOf(english.get(key)!) });
    }
  });

  it('gives the same output for the same input, so an outbox retry sends the same mail', () => {
    expect(renderMail(fullMail('booking_rescheduled', 'customer', 'de'))).toEqual(renderMail(fullMail('booking_rescheduled', 'customer', 'de')));
  });
});

describe('renderMail: dates and times', () => {
  it.each([
    ['de', 'Dienstag, 1. Dezember 2026, 10:00–11:00 Uhr (Europe/Berlin)', 'am Dienstag, 1. Dezember um 10:00'],
    ['en', 'Tuesday, December 1, 2026, 10:00 – 11:00 AM (Europe/Berlin)', 'on Tuesday, December 1 at 10:00 AM'],
    ['es', 'martes, 1 de diciembre de 2026, 10:00–11:00 (Europe/Berlin)', 'el martes, 1 de diciembre, 10:00'],
  ] as const)('writes weekday and month as words of the language (%s) and names the zone', (locale, body, subject) => {
    const rendered = renderMail(mail({ locale }));

    expect(rendered.text).toContain(body);
    expect(rendered.subject).toContain(subject);
  });

  it('writes a Berlin booking in New York time for a reader in New York, and names that zone', () => {
    const rendered = renderMail(mail({ timeZone: 'America/New_York' }));

    expect(rendered.text).toContain('Tuesday, December 1, 2026, 4:00 – 5:00 AM (America/New_York)');
    expect(rendered.subject).toContain('Tuesday, December 1 at 4:00 AM');
    expect(rendered.text).not.toContain('10:00');
    expect(rendered.text).not.toContain('Europe/Berlin');
    expect(rendered.html).toContain('(America/New_York)');
  });

  it('moves the date too when the reader’s zone puts the appointment on another day', () => {
    // 08:00 on 1 December in Berlin is still 30 November in Los Angeles.
    const rendered = renderMail(mail({ locale: 'de', timeZone: 'America/Los_Angeles', booking: { start: '2026-12-01T07:00:00Z', end: '2026-12-01T07:45:00Z' } }));

    expect(rendered.text).toContain('Montag, 30. November 2026, 23:00–23:45 Uhr (America/Los_Angeles)');
  });

  it('writes both dates when an appointment ends on the next local day', () => {
    const rendered = renderMail(mail({ booking: { start: '2026-12-01T22:30:00Z', end: '2026-12-02T00:30:00Z' } }));

    expect(rendered.text).toContain('Tuesday, December 1, 2026 at 11:30 PM – Wednesday, December 2, 2026 at 1:30 AM (Europe/Berlin)');
  });

  it('writes local wall time across a DST change: 03:30 on the spring-forward day in Berlin', () => {
    const rendered = renderMail(mail({ locale: 'de', booking: { start: '2026-03-29T01:30:00Z', end: '2026-03-29T02:30:00Z' } }));

    expect(rendered.text).toContain('Sonntag, 29. März 2026, 03:30–04:30 Uhr (Europe/Berlin)');
  });

  it('rejects an instant without Z or offset, which would be read in the server’s zone', () => {
    expect(() => renderMail(mail({ booking: { start: '2026-12-01T09:00:00' } }))).toThrow(/booking\.start/);
  });
});

describe('renderMail: a reschedule says from when to when', () => {
  it.each([
    ['en', 'Previously: Monday, November 30, 2026 at 2:30 PM (Europe/Berlin)', 'New time: Tuesday, December 1, 2026, 10:00 – 11:00 AM (Europe/Berlin)'],
    ['de', 'Bisher: Montag, 30. November 2026 um 14:30 (Europe/Berlin)', 'Neu: Dienstag, 1. Dezember 2026, 10:00–11:00 Uhr (Europe/Berlin)'],
    ['es', 'Antes: lunes, 30 de noviembre de 2026, 14:30 (Europe/Berlin)', 'Ahora: martes, 1 de diciembre de 2026, 10:00–11:00 (Europe/Berlin)'],
  ] as const)('in %s, for customer and provider', (locale, before, after) => {
    for (const audience of AUDIENCES) {
      const { text } = renderMail(mail({ kind: 'booking_rescheduled', audience, locale, booking: { previousStart: '2026-11-30T13:30:00Z' } }));
      expect(text).toContain(before);
      expect(text).toContain(after);
    }
  });

  it('falls back to the plain "When" line when the previous start is unknown', () => {
    const { text } = renderMail(mail({ kind: 'booking_rescheduled' }));

    expect(text).toContain('When: Tuesday, December 1, 2026');
    expect(text).not.toContain('Previously');
  });
});

describe('renderMail: cancellations', () => {
  it('gives the reason to customer and provider when there is one', () => {
    for (const audience of AUDIENCES) {
      const { text, html } = renderMail(mail({ kind: 'booking_cancelled', audience, booking: { status: 'cancelled', cancelReason: 'Provider ill' } }));
      expect(text).toContain('Reason: Provider ill');
      expect(html).toContain('Provider ill');
    }
  });

  it('has no reason line when there is none, and none in other kinds of mail', () => {
    expect(renderMail(mail({ kind: 'booking_cancelled', booking: { status: 'cancelled' } })).text).not.toContain('Reason');
    expect(renderMail(mail({ kind: 'booking_confirmed', booking: { cancelReason: 'stale' } })).text).not.toContain('stale');
  });
});

describe('renderMail: escaping', () => {
  const HOSTILE = `<img src=x onerror="alert('x')"> & Co`;
  const ESCAPED = '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; Co';
  const ALLOWED_TAGS = new Set(['!DOCTYPE', 'html', 'head', 'meta', 'title', 'body', 'div', 'p', 'table', 'tr', 'th', 'td', 'a', 'br']);

  it.each(KINDS.flatMap((kind) => AUDIENCES.map((audience) => [kind, audience] as const)))(
    'escapes a hostile customer name, business name, service and notes in the %s HTML for the %s',
    (kind, audience) => {
      const { html, text } = renderMail(
        mail({
          kind,
          audience,
          business: { name: HOSTILE, email: 'hello@salon.example', timeZone: 'Europe/Berlin' },
          booking: { customer: { name: HOSTILE, email: 'max@example.com' }, serviceName: HOSTILE, notes: HOSTILE },
        }),
      );

      expect(html).not.toContain('<img');
      expect(html).toContain(ESCAPED);
      const tags = [...html.matchAll(/<\/?([!\w]+)/g)].map((match) => match[1]);
      expect(tags.filter((tag) => !ALLOWED_TAGS.has(tag!))).toEqual([]);
      // The text part is not HTML: it carries the name as typed.
      expect(text).toContain(HOSTILE);
    },
  );

  it('keeps a quote in the manage link from leaving the href attribute', () => {
    const { html } = renderMail(mail({ manageUrl: 'https://book.example/m?a="><script>x</script>' }));

    expect(html).not.toContain('<script');
    expect(html).toContain('href="https://book.example/m?a=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });

  it('refuses a manage link that is not http(s)', () => {
    expect(() => renderMail(mail({ manageUrl: 'javascript:alert(1)' }))).toThrow(/manageUrl/);
  });

  it('keeps the subject on one line when a name contains a line break', () => {
    const { subject } = renderMail(mail({ audience: 'provider', booking: { customer: { name: 'Max\r\nBcc: evil@example.com', email: 'max@example.com' } } }));

    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toContain('Max Bcc: evil@example.com');
  });
});

describe('renderMail: the manage link', () => {
  it.each(KINDS)('is in the text and as a link in the HTML of the customer’s %s mail when given', (kind) => {
    const { text, html } = renderMail(mail({ kind, manageUrl: MANAGE_URL }));

    expect(text).toContain(MANAGE_URL);
    expect(html).toContain(`href="${MANAGE_URL}"`);
  });

  it.each(KINDS)('is absent from the customer’s %s mail when not given', (kind) => {
    const { text, html } = renderMail(mail({ kind }));

    expect(text).not.toContain('https://');
    expect(html).not.toContain('href=');
  });

  it.each(KINDS)('is never in the provider’s copy of the %s mail, even when given', (kind) => {
    const { text, html } = renderMail(mail({ kind, audience: 'provider', manageUrl: MANAGE_URL }));

    expect(text).not.toContain(MANAGE_URL);
    expect(html).not.toContain(MANAGE_URL);
    expect(html).not.toContain('href=');
  });
});

describe('renderMail: the provider’s copy', () => {
  it('says who booked what and when, with the customer’s contact, and greets nobody', () => {
    const { subject, text } = renderMail(mail({ audience: 'provider', booking: { customer: { name: 'Max Muster', email: 'max@example.com', phone: '+49 30 1234567' } } }));

    expect(subject).toBe('New booking: Max Muster, Haircut on Tuesday, December 1 at 10:00 AM');
    expect(text).toContain('Max Muster has booked an appointment: Haircut with Anna Berg.');
    expect(text).toContain('When: Tuesday, December 1, 2026, 10:00 – 11:00 AM (Europe/Berlin)');
    expect(text).toContain('Email: max@example.com');
    expect(text).toContain('Phone: +49 30 1234567');
    expect(text).not.toContain('Hello');
  });
});

describe('renderMail: the reminder lead', () => {
  it.each([
    ['en', 'P1D', 'Reminder: your appointment at Salon Schnitt is tomorrow', 'Coming up tomorrow: Max Muster, Haircut'],
    ['en', 'PT2H', 'Reminder: your appointment at Salon Schnitt is in 2 hours', 'Coming up in 2 hours: Max Muster, Haircut'],
    ['de', 'P1D', 'Erinnerung: Ihr Termin bei Salon Schnitt ist morgen', 'Termin morgen: Max Muster, Haircut'],
    ['de', 'PT2H', 'Erinnerung: Ihr Termin bei Salon Schnitt ist in 2 Stunden', 'Termin in 2 Stunden: Max Muster, Haircut'],
    ['es', 'P1D', 'Recordatorio: su cita en Salon Schnitt es mañana', 'Cita mañana: Max Muster, Haircut'],
    ['es', 'PT2H', 'Recordatorio: su cita en Salon Schnitt es dentro de 2 horas', 'Cita dentro de 2 horas: Max Muster, Haircut'],
  ] as const)('in %s phrases %s naturally for customer and provider', (locale, reminderLead, customerSubject, providerSubject) => {
    expect(renderMail(mail({ kind: 'reminder', locale, reminderLead })).subject).toBe(customerSubject);
    expect(renderMail(mail({ kind: 'reminder', audience: 'provider', locale, reminderLead })).subject).toBe(providerSubject);
  });

  it.each([
    ['en', 'P1D', 'Just a reminder: your appointment at Salon Schnitt is tomorrow.'],
    ['en', 'PT2H', 'Just a reminder: your appointment at Salon Schnitt is in 2 hours.'],
    ['de', 'P1D', 'Zur Erinnerung: Ihr Termin bei Salon Schnitt ist morgen.'],
    ['de', 'PT2H', 'Zur Erinnerung: Ihr Termin bei Salon Schnitt ist in 2 Stunden.'],
    ['es', 'P1D', 'Le recordamos que su cita en Salon Schnitt es mañana.'],
    ['es', 'PT2H', 'Le recordamos que su cita en Salon Schnitt es dentro de 2 horas.'],
  ] as const)('in %s says %s in the body as a whole sentence', (locale, reminderLead, sentence) => {
    expect(renderMail(mail({ kind: 'reminder', locale, reminderLead })).text).toContain(sentence);
  });

  it.each([
    ['en', 'PT1H', 'in an hour'],
    ['en', 'PT30M', 'in 30 minutes'],
    ['en', 'PT1H30M', 'in an hour and 30 minutes'],
    ['en', 'PT120M', 'in 2 hours'],
    ['en', 'P3D', 'in 3 days'],
    ['en', 'P7D', 'in a week'],
    ['en', 'P2W', 'in 2 weeks'],
    ['de', 'P2D', 'übermorgen'],
    ['de', 'PT1H', 'in einer Stunde'],
    ['de', 'PT2H15M', 'in 2 Stunden und 15 Minuten'],
    ['es', 'P2D', 'pasado mañana'],
    ['es', 'PT1H', 'dentro de una hora'],
    ['es', 'P1W', 'dentro de una semana'],
  ] as const)('in %s phrases %s as "%s"', (locale, reminderLead, phrase) => {
    expect(renderMail(mail({ kind: 'reminder', locale, reminderLead })).subject).toContain(phrase);
  });

  it.each(['P1M', 'PT0H', 'P1DT2H', 'PT90S', 'soon', ''])('refuses the lead "%s" rather than guess', (reminderLead) => {
    expect(() => renderMail(mail({ kind: 'reminder', reminderLead }))).toThrow(/reminderLead/);
  });

  it('refuses a reminder without a lead', () => {
    expect(() => renderMail(mail({ kind: 'reminder', reminderLead: undefined }))).toThrow(/reminderLead/);
  });
});

describe('resolveMailLocale', () => {
  it.each([
    ['es-MX', 'de', 'es'],
    ['de', 'en', 'de'],
    ['en-GB', 'de', 'en'],
    ['DE-at', 'en', 'de'],
    ['es_AR', 'de', 'es'],
    ['de-Latn-CH', 'es', 'de'],
    ['fr-FR', 'de-DE', 'de'],
    ['fr', 'es', 'es'],
    [undefined, 'es-ES', 'es'],
    ['', 'de', 'de'],
    ['not a tag!', 'de', 'de'],
    ['fr', 'it', 'en'],
    [undefined, 'pt-BR', 'en'],
    [undefined, '', 'en'],
  ] as const)('customer %j with tenant %j reads %s', (customer, tenant, expected) => {
    expect(resolveMailLocale(customer, tenant)).toBe(expected);
  });
});
