import ICAL from 'ical.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FeedBlock, type ProviderFeedInput, renderProviderFeed } from '#shared/calendar/provider-feed';
import type { Booking } from '#shared/domain/schemas';
import { at } from './support.ts';

/**
 * The feed is checked with ical.js, a parser written independently of ical-generator, so escaping,
 * folding and date formats are judged by a second reading of RFC 5545 rather than by the writer's own.
 */

const TRICKY = 'Zoë; Müller, Jr.\nline2 \\ back';

function booking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: 'bk_0001',
    tenantId: 'salon',
    serviceId: 'cut',
    providerId: 'anna',
    start: '2026-05-04T08:00:00Z',
    end: '2026-05-04T09:00:00Z',
    timeZone: 'Europe/Berlin',
    status: 'confirmed',
    customer: { name: 'Max Muster', email: 'max@example.com' },
    version: 1,
    createdAt: '2026-04-01T10:00:00Z',
    updatedAt: '2026-04-01T10:00:00Z',
    ...overrides,
  };
}

function block(overrides: Partial<FeedBlock> = {}): FeedBlock {
  return {
    id: 'bl_0000000001',
    start: '2026-05-05T12:00:00Z',
    end: '2026-05-05T14:00:00Z',
    createdAt: '2026-04-02T09:30:00Z',
    ...overrides,
  };
}

function feed(overrides: Partial<ProviderFeedInput> = {}): ProviderFeedInput {
  return {
    tenant: { id: 'salon', name: 'Salon Schnitt', timeZone: 'Europe/Berlin' },
    provider: { id: 'anna', name: 'Anna Berg', timeZone: 'Europe/Berlin' },
    services: [
      { id: 'cut', name: 'Haircut' },
      { id: 'color', name: 'Colouring' },
    ],
    bookings: [],
    blocks: [],
    generatedAt: at('2026-04-10T00:00:00Z'),
    ...overrides,
  };
}

/** The VCALENDAR as ical.js reads it; throws if ical.js cannot parse the text. */
function parseCalendar(ics: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(ics));
}

function parseEvents(ics: string): ICAL.Event[] {
  return parseCalendar(ics)
    .getAllSubcomponents('vevent')
    .map((component) => new ICAL.Event(component));
}

function eventByUid(ics: string, uid: string): ICAL.Event {
  const event = parseEvents(ics).find((candidate) => candidate.uid === uid);
  if (!event) throw new Error(`no event ${uid} in feed`);
  return event;
}

const epochMs = (time: ICAL.Time): number => time.toUnixTime() * 1000;

/** A date-time property of a component as epoch ms, read by ical.js. */
function instantOf(component: ICAL.Component, name: string): number {
  const value = component.getFirstPropertyValue(name);
  if (!(value instanceof ICAL.Time)) throw new Error(`${name} is not a date-time`);
  return epochMs(value);
}

/**
 * A calendar-level TEXT property decoded by ical.js's own TEXT rule (RFC 5545 §3.3.11). ical.js has
 * no design entry for RFC 7986 NAME or for X-WR-CALNAME, so getFirstPropertyValue hands back their
 * raw, still-escaped text.
 */
function calendarText(calendar: ICAL.Component, name: string): string {
  const raw = calendar.getFirstPropertyValue(name);
  if (typeof raw !== 'string') throw new Error(`${name} is missing`);
  return ICAL.design.icalendar.value.text.fromICAL(raw);
}

/** Content lines after unfolding (RFC 5545 §3.1), for properties ical.js does not model. */
const unfoldedLines = (ics: string): string[] => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

afterEach(() => {
  vi.useRealTimers();
});

describe('renderProviderFeed: bookings', () => {
  it('writes one event per confirmed booking with its UID, instants and summary', () => {
    const ics = renderProviderFeed(
      feed({
        bookings: [
          booking({ id: 'bk_a', start: '2026-05-04T08:00:00Z', end: '2026-05-04T09:00:00Z' }),
          booking({ id: 'bk_b', serviceId: 'color', start: '2026-05-04T13:15:00Z', end: '2026-05-04T14:45:00Z', customer: { name: 'Eva Ek', email: 'eva@example.com' } }),
        ],
      }),
    );

    const events = parseEvents(ics).map((event) => ({
      uid: event.uid,
      start: epochMs(event.startDate),
      end: epochMs(event.endDate),
      summary: event.summary,
    }));
    expect(events).toEqual([
      { uid: 'bk_a@kairos', start: at('2026-05-04T08:00:00Z'), end: at('2026-05-04T09:00:00Z'), summary: 'Haircut – Max Muster' },
      { uid: 'bk_b@kairos', start: at('2026-05-04T13:15:00Z'), end: at('2026-05-04T14:45:00Z'), summary: 'Colouring – Eva Ek' },
    ]);
  });

  it('writes start and end as UTC instants in the Z form, so no VTIMEZONE is needed', () => {
    const ics = renderProviderFeed(feed({ bookings: [booking()] }));

    const lines = unfoldedLines(ics);
    expect(lines).toContain('DTSTART:20260504T080000Z');
    expect(lines).toContain('DTEND:20260504T090000Z');
    expect(ics).not.toContain('TZID');
    expect(ics).not.toContain('BEGIN:VTIMEZONE');
    expect(eventByUid(ics, 'bk_0001@kairos').startDate.zone?.tzid).toBe('UTC');
  });

  it('names the service by its id when the service is not in the list', () => {
    const ics = renderProviderFeed(feed({ bookings: [booking({ serviceId: 'retired-service' })] }));

    expect(eventByUid(ics, 'bk_0001@kairos').summary).toBe('retired-service – Max Muster');
  });

  it('leaves cancelled bookings out entirely', () => {
    const ics = renderProviderFeed(
      feed({
        bookings: [
          booking({ id: 'bk_kept' }),
          booking({ id: 'bk_gone', status: 'cancelled', customer: { name: 'Cancelled Customer', email: 'gone@example.com' } }),
        ],
      }),
    );

    expect(parseEvents(ics).map((event) => event.uid)).toEqual(['bk_kept@kairos']);
    expect(ics).not.toContain('Cancelled Customer');
    expect(ics).not.toContain('gone@example.com');
  });

  it('leaves out bookings of another provider or of the same provider id in another tenant', () => {
    const ics = renderProviderFeed(
      feed({
        bookings: [
          booking({ id: 'bk_own' }),
          booking({ id: 'bk_colleague', providerId: 'ben' }),
          booking({ id: 'bk_other_business', tenantId: 'barber' }),
        ],
      }),
    );

    expect(parseEvents(ics).map((event) => event.uid)).toEqual(['bk_own@kairos']);
  });

  it('sets SEQUENCE to version - 1, so the first version is 0 and each change raises it', () => {
    const ics = renderProviderFeed(
      feed({
        bookings: [booking({ id: 'bk_new', version: 1 }), booking({ id: 'bk_changed', version: 4, start: '2026-05-06T08:00:00Z', end: '2026-05-06T09:00:00Z' })],
      }),
    );

    expect(eventByUid(ics, 'bk_new@kairos').sequence).toBe(0);
    expect(eventByUid(ics, 'bk_changed@kairos').sequence).toBe(3);
  });

  it('keeps the UID and raises SEQUENCE when a booking is rescheduled', () => {
    const before = booking({ version: 1 });
    const after = booking({ version: 2, start: '2026-05-07T10:00:00Z', end: '2026-05-07T11:00:00Z', updatedAt: '2026-04-03T08:00:00Z' });

    const [first] = parseEvents(renderProviderFeed(feed({ bookings: [before] })));
    const [second] = parseEvents(renderProviderFeed(feed({ bookings: [after] })));

    expect(second?.uid).toBe(first?.uid);
    expect(second?.sequence).toBeGreaterThan(first?.sequence ?? Infinity);
    expect(epochMs(second!.startDate)).toBe(at('2026-05-07T10:00:00Z'));
  });

  it('stamps DTSTAMP and LAST-MODIFIED with updatedAt, CREATED with createdAt, and marks it CONFIRMED', () => {
    const ics = renderProviderFeed(feed({ bookings: [booking({ createdAt: '2026-04-01T10:00:00Z', updatedAt: '2026-04-08T16:20:00Z', version: 3 })] }));

    const component = eventByUid(ics, 'bk_0001@kairos').component;
    expect(instantOf(component, 'dtstamp')).toBe(at('2026-04-08T16:20:00Z'));
    expect(instantOf(component, 'last-modified')).toBe(at('2026-04-08T16:20:00Z'));
    expect(instantOf(component, 'created')).toBe(at('2026-04-01T10:00:00Z'));
    expect(component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('describes the customer e-mail, phone, notes and attendance when they are known', () => {
    const ics = renderProviderFeed(
      feed({
        bookings: [
          booking({
            customer: { name: 'Max Muster', email: 'max@example.com', phone: '+49 30 1234567' },
            notes: 'Allergic to latex',
            attendance: 'no_show',
          }),
        ],
      }),
    );

    expect(eventByUid(ics, 'bk_0001@kairos').description).toBe(
      ['E-mail: max@example.com', 'Phone: +49 30 1234567', 'Notes: Allergic to latex', 'Attendance: No-show'].join('\n'),
    );
  });

  it('describes only the e-mail when there is no phone, note or attendance', () => {
    const ics = renderProviderFeed(feed({ bookings: [booking()] }));

    expect(eventByUid(ics, 'bk_0001@kairos').description).toBe('E-mail: max@example.com');
  });
});

describe('renderProviderFeed: blocks', () => {
  it('writes each block as an opaque event with its instants', () => {
    const ics = renderProviderFeed(feed({ blocks: [block({ id: 'bl_lunch', start: '2026-05-05T11:00:00Z', end: '2026-05-05T12:30:00Z' })] }));

    const event = eventByUid(ics, 'bl_lunch@kairos');
    expect(epochMs(event.startDate)).toBe(at('2026-05-05T11:00:00Z'));
    expect(epochMs(event.endDate)).toBe(at('2026-05-05T12:30:00Z'));
    expect(event.component.getFirstPropertyValue('transp')).toBe('OPAQUE');
  });

  it('summarises a block as "Blocked", with the reason when there is one', () => {
    const ics = renderProviderFeed(feed({ blocks: [block({ id: 'bl_plain' }), block({ id: 'bl_why', reason: 'Dentist', start: '2026-05-06T08:00:00Z' })] }));

    expect(eventByUid(ics, 'bl_plain@kairos').summary).toBe('Blocked');
    expect(eventByUid(ics, 'bl_why@kairos').summary).toBe('Blocked: Dentist');
  });

  it('stamps DTSTAMP and CREATED with the block creation time', () => {
    const ics = renderProviderFeed(feed({ blocks: [block({ createdAt: '2026-04-02T09:30:00Z' })] }));

    const component = eventByUid(ics, 'bl_0000000001@kairos').component;
    expect(instantOf(component, 'dtstamp')).toBe(at('2026-04-02T09:30:00Z'));
    expect(instantOf(component, 'created')).toBe(at('2026-04-02T09:30:00Z'));
  });
});

describe('renderProviderFeed: the calendar', () => {
  it('is a published feed: PRODID, name, zone and a 15-minute refresh hint, and no METHOD', () => {
    const ics = renderProviderFeed(feed({ bookings: [booking()] }));

    const lines = unfoldedLines(ics);
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kairos//Provider calendar//EN']);
    expect(lines).toContain('NAME:Anna Berg · Salon Schnitt');
    expect(lines).toContain('X-WR-CALNAME:Anna Berg · Salon Schnitt');
    expect(lines).toContain('X-WR-TIMEZONE:Europe/Berlin');
    expect(lines).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT15M');
    expect(lines).toContain('X-PUBLISHED-TTL:PT15M');
    expect(lines.some((line) => line.startsWith('METHOD'))).toBe(false);
  });

  it('puts every calendar property before the first event, as RFC 5545 §3.6 orders them', () => {
    const ics = renderProviderFeed(feed({ bookings: [booking()], blocks: [block()] }));

    const lines = unfoldedLines(ics);
    const firstEvent = lines.indexOf('BEGIN:VEVENT');
    const lastEventEnd = lines.lastIndexOf('END:VEVENT');
    expect(firstEvent).toBeGreaterThan(0);
    for (const property of ['NAME:', 'X-WR-CALNAME:', 'X-WR-TIMEZONE:', 'REFRESH-INTERVAL', 'X-PUBLISHED-TTL:']) {
      expect(lines.findIndex((line) => line.startsWith(property)), property).toBeLessThan(firstEvent);
    }
    expect(lines.slice(lastEventEnd + 1)).toEqual(['END:VCALENDAR', '']);
  });

  it('uses the provider zone for X-WR-TIMEZONE, not the tenant zone', () => {
    const ics = renderProviderFeed(
      feed({
        tenant: { id: 'salon', name: 'Salon', timeZone: 'Europe/Berlin' },
        provider: { id: 'anna', name: 'Anna', timeZone: 'America/New_York' },
      }),
    );

    expect(parseCalendar(ics).getFirstPropertyValue('x-wr-timezone')).toBe('America/New_York');
  });

  it('is still a valid VCALENDAR when there is nothing to show', () => {
    const ics = renderProviderFeed(feed({ bookings: [booking({ status: 'cancelled' })] }));

    const calendar = parseCalendar(ics);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Kairos//Provider calendar//EN');
    expect(calendar.getAllSubcomponents()).toEqual([]);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.endsWith('\r\nEND:VCALENDAR\r\n')).toBe(true);
  });
});

describe('renderProviderFeed: text encoding', () => {
  it('round-trips commas, semicolons, backslashes, line breaks and non-ASCII text exactly', () => {
    const ics = renderProviderFeed(
      feed({
        services: [{ id: 'cut', name: `Cut, wash; dry \\ style` }],
        bookings: [booking({ customer: { name: TRICKY, email: 'zoe@example.com' }, notes: TRICKY })],
        blocks: [block({ reason: TRICKY })],
      }),
    );

    const bookingEvent = eventByUid(ics, 'bk_0001@kairos');
    expect(bookingEvent.summary).toBe(`Cut, wash; dry \\ style – ${TRICKY}`);
    expect(bookingEvent.description).toBe(`E-mail: zoe@example.com\nNotes: ${TRICKY}`);
    expect(eventByUid(ics, 'bl_0000000001@kairos').summary).toBe(`Blocked: ${TRICKY}`);
  });

  it('round-trips a calendar name with commas, semicolons and line breaks (ical-generator leaves NAME unescaped)', () => {
    const ics = renderProviderFeed(
      feed({
        tenant: { id: 'salon', name: 'Hair; Nails, Spa', timeZone: 'Europe/Berlin' },
        provider: { id: 'anna', name: TRICKY, timeZone: 'Europe/Berlin' },
      }),
    );

    const calendar = parseCalendar(ics);
    expect(calendarText(calendar, 'name')).toBe(`${TRICKY} · Hair; Nails, Spa`);
    expect(calendarText(calendar, 'x-wr-calname')).toBe(`${TRICKY} · Hair; Nails, Spa`);
  });

  it('folds every content line to at most 75 octets and ends every line with CRLF', () => {
    const longText = 'Grüße aus Köln 🎉 — ñandú, 東京; '.repeat(12);
    const ics = renderProviderFeed(
      feed({
        provider: { id: 'anna', name: 'Anna-Sophie Müller-Lüdenscheidt', timeZone: 'Australia/Lord_Howe' },
        tenant: { id: 'salon', name: 'Friseursalon Schöne Haare am Königsplatz', timeZone: 'Europe/Berlin' },
        bookings: [booking({ notes: longText, customer: { name: longText, email: 'max@example.com' } })],
        blocks: [block({ reason: longText })],
      }),
    );

    expect(ics.endsWith('\r\n')).toBe(true);
    const lines = ics.slice(0, -2).split('\r\n');
    expect(lines.filter((line) => line.includes('\n') || line.includes('\r'))).toEqual([]);
    expect(lines.filter((line) => Buffer.byteLength(line, 'utf8') > 75)).toEqual([]);
    // The long text must really have been folded, or the length check above proved nothing.
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(10);
    // Folding must not split a character: the text survives unfolding intact.
    expect(eventByUid(ics, 'bk_0001@kairos').description).toBe(`E-mail: max@example.com\nNotes: ${longText}`);
    expect(eventByUid(ics, 'bl_0000000001@kairos').summary).toBe(`Blocked: ${longText}`);
  });
});

describe('renderProviderFeed: determinism', () => {
  const bookings = [
    booking({ id: 'bk_c', start: '2026-05-04T10:00:00Z', end: '2026-05-04T11:00:00Z' }),
    booking({ id: 'bk_a', start: '2026-05-04T08:00:00Z', end: '2026-05-04T09:00:00Z' }),
    booking({ id: 'bk_b', start: '2026-05-04T08:00:00Z', end: '2026-05-04T08:30:00Z' }),
    booking({ id: 'bk_x', status: 'cancelled', start: '2026-05-04T07:00:00Z', end: '2026-05-04T08:00:00Z' }),
  ];
  const blocks = [block({ id: 'bl_2', start: '2026-05-04T09:00:00Z', end: '2026-05-04T10:00:00Z' }), block({ id: 'bl_1', start: '2026-05-03T09:00:00Z', end: '2026-05-03T10:00:00Z' })];

  it('gives byte-identical output for the same input', () => {
    expect(renderProviderFeed(feed({ bookings, blocks }))).toBe(renderProviderFeed(feed({ bookings, blocks })));
  });

  it('gives the same output whatever order the bookings and blocks come in', () => {
    const forwards = renderProviderFeed(feed({ bookings, blocks }));
    const backwards = renderProviderFeed(feed({ bookings: [...bookings].reverse(), blocks: [...blocks].reverse() }));

    expect(backwards).toBe(forwards);
  });

  it('orders events by start, then by UID', () => {
    const ics = renderProviderFeed(feed({ bookings, blocks }));

    expect(parseEvents(ics).map((event) => event.uid)).toEqual(['bl_1@kairos', 'bk_a@kairos', 'bk_b@kairos', 'bl_2@kairos', 'bk_c@kairos']);
  });

  it('does not depend on the clock or on generatedAt, so the ETag stays stable between polls', () => {
    vi.useFakeTimers();
    vi.setSystemTime(at('2026-01-01T00:00:00Z'));
    const early = renderProviderFeed(feed({ bookings, blocks, generatedAt: at('2026-01-01T00:00:00Z') }));
    vi.setSystemTime(at('2031-07-15T12:34:56Z'));
    const late = renderProviderFeed(feed({ bookings, blocks, generatedAt: at('2031-07-15T12:34:56Z') }));

    expect(late).toBe(early);
    expect(early).not.toContain('2026010');
    expect(early).not.toContain('20310715');
  });
});

describe('renderProviderFeed: time zones', () => {
  it('keeps the instants of a Berlin booking on the day clocks spring forward', () => {
    // 01:30Z on 2026-03-29 is 03:30 CEST, just after 02:00 local became 03:00.
    const ics = renderProviderFeed(feed({ bookings: [booking({ start: '2026-03-29T01:30:00Z', end: '2026-03-29T02:30:00Z' })] }));

    const event = eventByUid(ics, 'bk_0001@kairos');
    expect(epochMs(event.startDate)).toBe(at('2026-03-29T01:30:00Z'));
    expect(epochMs(event.endDate)).toBe(at('2026-03-29T02:30:00Z'));
    expect(unfoldedLines(ics)).toContain('DTSTART:20260329T013000Z');
  });

  it('keeps the instants of a Lord Howe booking across its half-hour DST change', () => {
    // Lord Howe moves from +11:00 to +10:30 at 02:00 local on 2026-04-05 (15:00Z on the 4th):
    // this booking starts before the change and ends after it.
    const provider = { id: 'anna', name: 'Anna', timeZone: 'Australia/Lord_Howe' };
    const ics = renderProviderFeed(
      feed({ provider, bookings: [booking({ timeZone: 'Australia/Lord_Howe', start: '2026-04-04T14:30:00Z', end: '2026-04-04T15:45:00Z' })] }),
    );

    const event = eventByUid(ics, 'bk_0001@kairos');
    expect(epochMs(event.startDate)).toBe(at('2026-04-04T14:30:00Z'));
    expect(epochMs(event.endDate)).toBe(at('2026-04-04T15:45:00Z'));
    expect(parseCalendar(ics).getFirstPropertyValue('x-wr-timezone')).toBe('Australia/Lord_Howe');
  });
});
