import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { renderProviderFeed } from '#shared/calendar/provider-feed';
import { renderMail } from '#shared/mail/render';
import type { MailAudience, MailInput, MailKind } from '#shared/mail/types';

/**
 * The invitation attached to the customer's mails, read back with ical.js: a parser written
 * independently of ical-generator, so METHOD, UID, SEQUENCE, dates and escaping are judged by a
 * second reading of RFC 5545/5546 rather than by the writer's own.
 */

const BUSINESS = { name: 'Salon Schnitt', email: 'hello@salon.example', timeZone: 'Europe/Berlin' };

function mail(overrides: Partial<Omit<MailInput, 'booking'>> & { booking?: Partial<MailInput['booking']> } = {}): MailInput {
  const { booking, ...rest } = overrides;
  return {
    kind: 'booking_confirmed',
    audience: 'customer',
    locale: 'en',
    timeZone: 'Europe/Berlin',
    business: BUSINESS,
    ...rest,
    booking: {
      id: 'bk_0001',
      version: 1,
      status: 'confirmed',
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

/** A booking's life: made, moved, cancelled, each change raising the version. */
const confirmed = mail({ kind: 'booking_confirmed', booking: { version: 1, updatedAt: '2026-11-20T08:00:00Z' } });
const rescheduled = mail({
  kind: 'booking_rescheduled',
  booking: { version: 2, start: '2026-12-03T14:00:00Z', end: '2026-12-03T15:00:00Z', previousStart: '2026-12-01T09:00:00Z', updatedAt: '2026-11-22T17:45:00Z' },
});
const cancelled = mail({
  kind: 'booking_cancelled',
  booking: { version: 3, status: 'cancelled', start: '2026-12-03T14:00:00Z', end: '2026-12-03T15:00:00Z', cancelReason: 'Ill', updatedAt: '2026-11-25T07:10:00Z' },
});

function invitation(input: MailInput) {
  const calendar = renderMail(input).calendar;
  if (!calendar) throw new Error(`no invitation for ${input.kind} to the ${input.audience}`);
  return calendar;
}

/** The VCALENDAR and its one VEVENT as ical.js reads them; throws if ical.js cannot parse the text. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent');
  if (events.length !== 1) throw new Error(`expected one VEVENT, found ${events.length}`);
  return { calendar, event: events[0]!, ics };
}

const parsed = (input: MailInput) => parse(invitation(input).content);

/** A date-time property as epoch ms, read by ical.js. */
function instantOf(component: ICAL.Component, name: string): number {
  const value = component.getFirstPropertyValue(name);
  if (!(value instanceof ICAL.Time)) throw new Error(`${name} is not a date-time`);
  return value.toUnixTime() * 1000;
}

/** Content lines after unfolding (RFC 5545 §3.1). */
const unfoldedLines = (ics: string): string[] => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

const property = (component: ICAL.Component, name: string): ICAL.Property => {
  const found = component.getFirstProperty(name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe('which mails carry an invitation', () => {
  it.each(['booking_confirmed', 'booking_rescheduled', 'booking_cancelled'] as const)('the customer’s %s mail does, named invite.ics', (kind) => {
    expect(invitation(mail({ kind })).filename).toBe('invite.ics');
  });

  it.each([
    ['reminder', 'customer'],
    ['booking_confirmed', 'provider'],
    ['booking_rescheduled', 'provider'],
    ['booking_cancelled', 'provider'],
    ['reminder', 'provider'],
  ] as Array<[MailKind, MailAudience]>)('the %s mail to the %s does not', (kind, audience) => {
    expect(renderMail(mail({ kind, audience, reminderLead: 'P1D' })).calendar).toBeUndefined();
  });
});

describe('the iTIP method (RFC 5546)', () => {
  it.each([
    ['confirmation', confirmed, 'REQUEST', 'CONFIRMED'],
    ['reschedule', rescheduled, 'REQUEST', 'CONFIRMED'],
    ['cancellation', cancelled, 'CANCEL', 'CANCELLED'],
  ] as const)('the %s is sent with METHOD:%s, STATUS:%s', (_name, input, method, status) => {
    const { calendar, event } = parsed(input);

    expect(invitation(input).method).toBe(method);
    expect(calendar.getFirstPropertyValue('method')).toBe(method);
    expect(event.getFirstPropertyValue('status')).toBe(status);
  });
});

describe('one event across the booking’s life', () => {
  it('keeps the UID <booking id>@kairos from the confirmation through the reschedule to the cancellation', () => {
    const uids = [confirmed, rescheduled, cancelled].map((input) => parsed(input).event.getFirstPropertyValue('uid'));

    expect(uids).toEqual(['bk_0001@kairos', 'bk_0001@kairos', 'bk_0001@kairos']);
  });

  it('uses the UID the provider feed gives the same booking', () => {
    const feed = renderProviderFeed({
      tenant: { id: 'salon', name: 'Salon Schnitt', timeZone: 'Europe/Berlin' },
      provider: { id: 'anna', name: 'Anna Berg', timeZone: 'Europe/Berlin' },
      services: [{ id: 'cut', name: 'Haircut' }],
      bookings: [
        {
          id: 'bk_0001',
          tenantId: 'salon',
          serviceId: 'cut',
          providerId: 'anna',
          start: '2026-12-01T09:00:00Z',
          end: '2026-12-01T10:00:00Z',
          timeZone: 'Europe/Berlin',
          status: 'confirmed',
          customer: { name: 'Max Muster', email: 'max@example.com' },
          version: 1,
          createdAt: '2026-11-20T08:00:00Z',
          updatedAt: '2026-11-20T08:00:00Z',
        },
      ],
      blocks: [],
      generatedAt: Date.parse('2026-11-21T00:00:00Z'),
    });
    const feedUid = new ICAL.Component(ICAL.parse(feed)).getFirstSubcomponent('vevent')?.getFirstPropertyValue('uid');

    expect(parsed(confirmed).event.getFirstPropertyValue('uid')).toBe(feedUid);
  });

  it('sets SEQUENCE to the version, so it rises strictly with every change and the CANCEL outranks the last REQUEST', () => {
    const sequences = [confirmed, rescheduled, cancelled].map((input) => {
      const sequence = parsed(input).event.getFirstPropertyValue('sequence');
      if (typeof sequence !== 'number') throw new Error('SEQUENCE is not an integer');
      return sequence;
    });

    expect(sequences).toEqual([1, 2, 3]);
    expect(sequences[1]).toBeGreaterThan(sequences[0]!);
    expect(sequences[2]).toBeGreaterThan(sequences[1]!);
  });

  it('moves DTSTART and DTEND with the reschedule', () => {
    const before = parsed(confirmed).event;
    const after = parsed(rescheduled).event;

    expect([instantOf(before, 'dtstart'), instantOf(before, 'dtend')]).toEqual([Date.parse('2026-12-01T09:00:00Z'), Date.parse('2026-12-01T10:00:00Z')]);
    expect([instantOf(after, 'dtstart'), instantOf(after, 'dtend')]).toEqual([Date.parse('2026-12-03T14:00:00Z'), Date.parse('2026-12-03T15:00:00Z')]);
  });

  it('stamps DTSTAMP with the change, so each message is dated by the change it announces', () => {
    const stamps = [confirmed, rescheduled, cancelled].map((input) => instantOf(parsed(input).event, 'dtstamp'));

    expect(stamps).toEqual([Date.parse('2026-11-20T08:00:00Z'), Date.parse('2026-11-22T17:45:00Z'), Date.parse('2026-11-25T07:10:00Z')]);
  });

  it('refuses to stamp an invitation when the snapshot has no change time', () => {
    const withoutStamp = mail();
    delete (withoutStamp.booking as Partial<MailInput['booking']>).updatedAt;

    expect(() => renderMail(withoutStamp)).toThrow(/booking\.updatedAt/);
  });
});

describe('DTSTART and DTEND are the booking’s instants in UTC', () => {
  const TZ_BEFORE = process.env.TZ;
  afterEach(() => {
    if (TZ_BEFORE === undefined) delete process.env.TZ;
    else process.env.TZ = TZ_BEFORE;
  });

  it.each([
    // Berlin springs forward at 02:00 on 29 March 2026: 03:30 local is 01:30Z, an hour after 01:30 local (00:30Z).
    ['Europe/Berlin', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z'],
    ['Europe/Berlin', '2026-03-29T01:30:00Z', '2026-03-29T02:30:00Z'],
    // Lord Howe shifts by half an hour: 02:00 becomes 02:30 on 4 October 2026 (UTC+10:30 → +11).
    ['Australia/Lord_Howe', '2026-10-03T15:15:00Z', '2026-10-03T16:15:00Z'],
    // ...and 02:00 becomes 01:30 on 5 April 2026, so 01:45 happens twice: once at 14:45Z, once at 15:15Z.
    ['Australia/Lord_Howe', '2026-04-04T14:45:00Z', '2026-04-04T15:45:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T15:15:00Z', '2026-04-04T16:15:00Z'],
  ])('in %s, %s to %s', (zone, start, end) => {
    const input = mail({ timeZone: zone, business: { ...BUSINESS, timeZone: zone }, booking: { start, end } });
    const { event, ics } = parsed(input);

    expect(instantOf(event, 'dtstart')).toBe(Date.parse(start));
    expect(instantOf(event, 'dtend')).toBe(Date.parse(end));
    const lines = unfoldedLines(ics);
    expect(lines).toContain(`DTSTART:${start.replace(/[-:]/g, '')}`);
    expect(lines).toContain(`DTEND:${end.replace(/[-:]/g, '')}`);
    expect(ics).not.toContain('TZID');
  });

  it('writes the same bytes whatever zone the server runs in', () => {
    const input = mail({ timeZone: 'Australia/Lord_Howe', booking: { start: '2026-10-03T15:15:00Z', end: '2026-10-03T16:15:00Z' } });
    process.env.TZ = 'UTC';
    const inUtc = invitation(input).content;
    process.env.TZ = 'Australia/Lord_Howe';
    // Guards the guard: if the runtime ignored TZ, this test would compare two UTC renders.
    expect(new Date(Date.parse('2026-06-01T00:00:00Z')).getHours()).toBe(10);

    expect(invitation(input).content).toBe(inUtc);
  });
});

describe('who sends and who attends', () => {
  // RFC 6868 caret-encoding and RFC 5545 §3.2 quoting are needed for these names in a CN parameter.
  const TRICKY_BUSINESS = 'Salon "Schnitt"; Müller, & Co: Berlin';
  const TRICKY_CUSTOMER = 'Zoë "Zo" O’Brien; Jr.';
  const tricky = (kind: MailKind) =>
    mail({
      kind,
      business: { ...BUSINESS, name: TRICKY_BUSINESS },
      booking: { customer: { name: TRICKY_CUSTOMER, email: 'zoe@example.com' }, status: kind === 'booking_cancelled' ? 'cancelled' : 'confirmed' },
    });

  it.each(['booking_confirmed', 'booking_rescheduled', 'booking_cancelled'] as const)('%s: ORGANIZER is the business, ATTENDEE the customer', (kind) => {
    const { event } = parsed(tricky(kind));
    const organizer = property(event, 'organizer');
    const attendee = property(event, 'attendee');

    expect(String(organizer.getFirstValue()).toLowerCase()).toBe('mailto:hello@salon.example');
    expect(organizer.getParameter('cn')).toBe(TRICKY_BUSINESS);
    expect(String(attendee.getFirstValue()).toLowerCase()).toBe('mailto:zoe@example.com');
    expect(attendee.getParameter('cn')).toBe(TRICKY_CUSTOMER);
    expect(attendee.getParameter('role')).toBe('REQ-PARTICIPANT');
    expect(attendee.getParameter('rsvp')).toBe('FALSE');
  });

  it('marks the customer ACCEPTED in a REQUEST, since they booked it, and says nothing about it in a CANCEL', () => {
    expect(property(parsed(tricky('booking_confirmed')).event, 'attendee').getParameter('partstat')).toBe('ACCEPTED');
    expect(property(parsed(tricky('booking_rescheduled')).event, 'attendee').getParameter('partstat')).toBe('ACCEPTED');
    expect(property(parsed(tricky('booking_cancelled')).event, 'attendee').getParameter('partstat')).toBeUndefined();
  });
});

describe('what the event says', () => {
  it('has SUMMARY "<service> – <business>" and LOCATION the business, in the customer’s language', () => {
    const { event } = parsed(mail({ locale: 'de', booking: { serviceName: 'Haarschnitt' } }));

    expect(event.getFirstPropertyValue('summary')).toBe('Haarschnitt – Salon Schnitt');
    expect(event.getFirstPropertyValue('location')).toBe('Salon Schnitt');
    expect(event.getFirstPropertyValue('description')).toBe('Haarschnitt bei Anna Berg, Salon Schnitt');
  });

  it('puts the manage link in DESCRIPTION when given, and only then', () => {
    const url = 'https://book.example/manage/bk_0001?token=a,b;c';

    expect(parsed(mail({ manageUrl: url })).event.getFirstPropertyValue('description')).toBe(`Haircut with Anna Berg at Salon Schnitt\nManage booking: ${url}`);
    expect(parsed(mail()).event.getFirstPropertyValue('description')).not.toContain('https://');
  });

  it('gives the reason in the cancellation’s DESCRIPTION', () => {
    expect(parsed(cancelled).event.getFirstPropertyValue('description')).toContain('Reason: Ill');
  });
});

describe('the bytes (RFC 5545 §3.1)', () => {
  const long = mail({
    locale: 'de',
    manageUrl: `https://book.example/manage/bk_0001?token=${'x'.repeat(120)}`,
    business: { ...BUSINESS, name: `Friseursalon Müller & Söhne – Schöne Haare für alle 💇‍♀️ ${'äöü'.repeat(20)}` },
    booking: { serviceName: 'Färben, Schneiden und Föhnen (lang) – ausführliche Beratung inklusive 🌈', customer: { name: 'Zoë Ünal-Straßenbahn', email: 'zoe@example.com' } },
  });

  it('folds every line to at most 75 octets, multi-byte characters included, and ends each with CRLF', () => {
    const { content } = invitation(long);
    const lines = content.split('\r\n');

    expect(content.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(lines.at(-1)).toBe('');
    expect(content.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
  });

  it('still reads back as the text that went in after folding', () => {
    const { event } = parsed(long);

    expect(event.getFirstPropertyValue('location')).toBe(long.business.name);
    expect(event.getFirstPropertyValue('summary')).toBe(`${long.booking.serviceName} – ${long.business.name}`);
  });

  it('is the same for the same input', () => {
    expect(invitation(rescheduled).content).toBe(invitation(rescheduled).content);
  });
});
