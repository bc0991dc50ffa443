import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { routes } from '#shared/api/routes';
import { paths } from '../../web/lib/api.ts';
import { googleCalendarUrl, icsFile, outlookCalendarUrl } from '../../web/lib/calendar-links.ts';
import { catalogues, languages, preferredLanguage, translator } from '../../web/lib/i18n.ts';
import { addDays, formatTime, localDateOf, monthWeeks } from '../../web/lib/time.ts';
import { offerNames, offerOf } from '../../web/book/offer.ts';
import { backTo, consentTextVersion, emptyDetails, nearestSlots, readFlow, stepOf, validateDetails, writeFlow } from '../../web/book/flow.ts';

/** The booking page's pure modules, in Node: what the browser tests would only show indirectly. */
describe('the flow in the URL', () => {
  it('reads back what it writes, and drops what is malformed', () => {
    const state = { lang: 'de', tz: 'Europe/Berlin', service: 'treatment', provider: 'any', date: '2026-11-24', start: '2026-11-24T08:00:00Z', step: 'review' } as const;
    expect(readFlow(writeFlow(state))).toEqual({ ...state, month: undefined, rebook: undefined });
    expect(readFlow('?date=24.11.2026&start=soon&tz=Mars/Olympus&lang=fr&step=pay')).toEqual({
      service: undefined, provider: undefined, date: undefined, start: undefined, step: undefined, month: undefined, rebook: undefined, tz: undefined, lang: undefined,
    });
  });

  it('is on the first missing choice, then details, then review only when asked', () => {
    expect(stepOf({})).toBe('service');
    expect(stepOf({ service: 's' })).toBe('provider');
    expect(stepOf({ service: 's', provider: 'any' })).toBe('date');
    expect(stepOf({ service: 's', provider: 'any', date: '2026-11-24' })).toBe('time');
    expect(stepOf({ service: 's', provider: 'any', date: '2026-11-24', start: 'x' })).toBe('details');
    expect(stepOf({ service: 's', provider: 'any', date: '2026-11-24', start: 'x', step: 'review' })).toBe('review');
    // A review link without a time goes back to the time, not to a review of nothing.
    expect(stepOf({ service: 's', provider: 'any', date: '2026-11-24', step: 'review' })).toBe('time');
  });

  it('going back to a step forgets every later choice', () => {
    const full = { service: 's', provider: 'p', date: '2026-11-24', start: 'x', step: 'review' as const, lang: 'es' as const };
    expect(backTo(full, 'date')).toEqual({ service: 's', provider: 'p', date: undefined, start: undefined, step: undefined, lang: 'es' });
    expect(backTo(full, 'service')).toMatchObject({ service: undefined, provider: undefined, date: undefined, start: undefined });
  });
});

describe('details', () => {
  it('asks for name and a real-looking e-mail, and a phone only in the API’s format', () => {
    expect(validateDetails(emptyDetails)).toEqual({ name: 'required', email: 'required' });
    expect(validateDetails({ ...emptyDetails, name: '  ', email: 'ana@example' })).toEqual({ name: 'required', email: 'invalidEmail' });
    expect(validateDetails({ ...emptyDetails, name: 'Ana', email: ' ana@example.com ', phone: '+49 (30) 123-45/67' })).toEqual({});
    expect(validateDetails({ ...emptyDetails, name: 'Ana', email: 'ana@example.com', phone: 'call me' })).toEqual({ phone: 'invalidPhone' });
  });
});

describe('recovery offers', () => {
  it('are the nearest other times, shown in time order', () => {
    const at = (hhmm: string) => ({ start: `2026-11-24T${hhmm}:00Z` });
    const offered = nearestSlots([at('04:30'), at('07:30'), at('08:00'), at('08:30'), at('11:00'), at('12:00')], '2026-11-24T08:00:00Z', 3);
    expect(offered.map((s) => s.start.slice(11, 16))).toEqual(['07:30', '08:30', '11:00']);
  });
});

describe('time', () => {
  it('reads local dates in the viewer’s zone, whatever the UTC date', () => {
    expect(localDateOf('2026-11-23T23:30:00Z', 'Europe/Berlin')).toBe('2026-11-24');
    expect(localDateOf('2026-11-24T03:30:00Z', 'America/Los_Angeles')).toBe('2026-11-23');
    expect(localDateOf('2026-11-23T12:00:00Z', 'Pacific/Kiritimati')).toBe('2026-11-24');
  });

  it('steps calendar days across a DST change without skipping or repeating one', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-10-25', -1)).toBe('2026-10-24');
  });

  it('lays out a month in Monday-first weeks', () => {
    const weeks = monthWeeks('2026-11');
    expect(weeks[0]).toEqual(['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01']);
    expect(weeks.at(-1)?.[0]).toBe('2026-11-30');
    expect(weeks.flat().filter((d) => d.startsWith('2026-11'))).toHaveLength(30);
  });

  it('shows a time in the chosen zone', () => {
    expect(formatTime('2026-11-24T08:00:00Z', 'de-DE', 'Europe/Berlin')).toBe('09:00');
    expect(formatTime('2026-11-24T08:00:00Z', 'en-GB', 'Asia/Kolkata')).toBe('13:30');
  });
});

describe('languages', () => {
  it('choose the first browser language we speak, then the business’s, then English', () => {
    expect(preferredLanguage(['fr-FR', 'es-MX', 'de'])).toBe('es');
    expect(preferredLanguage(['fr-FR'], 'de')).toBe('de');
    expect(preferredLanguage(['fr-FR'])).toBe('en');
  });

  it('every catalogue has the same placeholders as English in every message', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of languages) {
      for (const [key, text] of Object.entries(catalogues.en)) {
        expect(placeholders(catalogues[lang][key as keyof typeof catalogues.en]), `${lang}.${key}`).toEqual(placeholders(text));
      }
    }
    expect(translator('de')('stepOf', { n: 2, total: 6 })).toBe('Schritt 2 von 6');
  });
});

describe('the client', () => {
  it('calls the route table’s paths', () => {
    for (const [id, path] of Object.entries(paths)) expect(routes[id as keyof typeof paths].path, id).toBe(path);
  });
});

describe('add to calendar', () => {
  const event = {
    uid: 'bk_123@kairos',
    title: 'Physiotherapie (30 min) · Physiotherapie am Park; Raum 2, Eingang B',
    start: '2026-11-24T08:00:00Z',
    end: '2026-11-24T08:30:00Z',
    description: `Anna Schneider\nhttp://localhost:3000/manage/bk_123#token=${'x'.repeat(60)}`,
  };

  it('makes an .ics that a calendar reads back with the same event, long lines folded', () => {
    const text = icsFile(event, '2026-11-23T21:30:00Z');
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
    const read = new ICAL.Event(vevent);
    expect(read.uid).toBe('bk_123@kairos');
    expect(read.summary).toBe(event.title);
    expect(read.description).toBe(event.description);
    expect(read.startDate.toJSDate().toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(read.endDate.toJSDate().toISOString()).toBe('2026-11-24T08:30:00.000Z');
  });

  it('pre-fills Google’s and Outlook’s new-event forms with UTC times', () => {
    const google = new URL(googleCalendarUrl(event));
    expect(google.searchParams.get('dates')).toBe('20261124T080000Z/20261124T083000Z');
    expect(google.searchParams.get('text')).toBe(event.title);
    const outlook = new URL(outlookCalendarUrl(event));
    expect(outlook.searchParams.get('startdt')).toBe('2026-11-24T08:00:00.000Z');
    expect(outlook.searchParams.get('enddt')).toBe('2026-11-24T08:30:00.000Z');
  });
});

describe('the consent text version recorded with an opt-in', () => {
  it("is the business's own version per language where it set a text in that language, else the page's own", () => {
    const tenant = { consent: { version: '2026-11', marketing: { de: 'Ja, bitte schickt mir Angebote.' } } };
    expect(consentTextVersion('de', tenant)).toBe('2026-11-de');
    expect(consentTextVersion('en', tenant)).toBe('kairos-web-1-en');
    expect(consentTextVersion('es', {})).toBe('kairos-web-1-es');
  });
});

describe('the waitlist offer page names', () => {
  const tenant = { services: [{ id: 'treatment', name: 'Behandlung' }], providers: [{ id: 'anna', name: 'Anna Schneider' }] };
  it('names service and person only when both are still listed by the business', () => {
    const token = `anna.${Date.parse('2026-11-24T09:00:00Z') / 1000}.${'A'.repeat(43)}`;
    expect(offerOf(token)).toEqual({ providerId: 'anna', start: '2026-11-24T09:00:00.000Z' });
    expect(offerNames(tenant, 'treatment', 'anna')).toEqual({ service: 'Behandlung', provider: 'Anna Schneider' });
    expect(offerNames(tenant, 'massage', 'anna')).toBeUndefined();
    expect(offerNames(tenant, null, 'anna')).toBeUndefined();
    expect(offerNames(undefined, 'treatment', 'anna')).toBeUndefined();
    expect(offerOf('anna.notanumber.x')).toBeUndefined();
  });
});
