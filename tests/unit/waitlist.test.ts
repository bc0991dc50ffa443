import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { joinWaitlistBodySchema } from '#shared/api/waitlist-routes';
import { parseTenantFile } from '#shared/domain/tenant-file';
import {
  assignOffers,
  entryCovers,
  entryEndsAt,
  isEntryOpen,
  OFFER_HEAD_START_MS,
  offerDueAt,
  offerMessageId,
  OFFERS_PER_SLOT,
  planWaitlistOffer,
  sameList,
  type FreedSlot,
  type WaitlistEntry,
} from '#shared/domain/waitlist';
import { renderWaitlistOfferMail, type WaitlistOfferMailInput } from '#shared/mail/waitlist';
import { mailLocales } from '#shared/mail/types';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { renderOutboxMessage } from '#functions/app/outbox';
import { claimBookingId, freedSpanOf } from '#functions/app/waitlist';
import { testTenant } from '#tests/support/fixtures';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const QUIET = { start: '21:00', end: '08:00' };

let ids = 0;
const entry = (overrides: Partial<WaitlistEntry> = {}): WaitlistEntry => ({
  id: `wl_${String(++ids).padStart(12, '0')}`,
  tenantId: 'acme',
  customerId: 'cus_aaaaaaaaaaaaaaaa',
  serviceId: 'cut',
  providerId: 'p1',
  from: '2026-11-25',
  to: '2026-11-25',
  timeZone: 'Europe/Berlin',
  customer: { name: 'Ana García', email: 'ana@example.com' },
  requestedAt: '2026-11-23T07:00:00.000Z',
  ...overrides,
});
const slot = (start: string, overrides: Partial<FreedSlot> = {}): FreedSlot => ({ serviceId: 'cut', providerId: 'p1', start: at(start), end: at(start) + 30 * MINUTE, ...overrides });

describe('the same list', () => {
  it('is the same service and provider (or both any) with dates that share a day', () => {
    const existing = entry({ from: '2026-11-25', to: '2026-11-27' });
    expect(sameList(existing, { serviceId: 'cut', providerId: 'p1', from: '2026-11-27', to: '2026-12-01' })).toBe(true);
    expect(sameList(existing, { serviceId: 'cut', providerId: 'p1', from: '2026-11-28', to: '2026-12-01' })).toBe(false);
    expect(sameList(existing, { serviceId: 'cut', providerId: 'p2', from: '2026-11-25', to: '2026-11-25' })).toBe(false);
    expect(sameList(existing, { serviceId: 'cut', providerId: undefined, from: '2026-11-25', to: '2026-11-25' })).toBe(false);
    expect(sameList(existing, { serviceId: 'long', providerId: 'p1', from: '2026-11-25', to: '2026-11-25' })).toBe(false);
    expect(sameList(entry({ providerId: undefined }), { serviceId: 'cut', providerId: undefined, from: '2026-11-25', to: '2026-11-25' })).toBe(true);
  });
});

describe('an entry\'s dates', () => {
  it('end with the last local day in the customer\'s zone, also on a DST day', () => {
    expect(entryEndsAt(entry({ to: '2026-11-25' }))).toBe(at('2026-11-25T23:00:00Z'));
    expect(entryEndsAt(entry({ to: '2026-10-24', timeZone: 'Europe/Berlin' }))).toBe(at('2026-10-24T22:00:00Z'));
    expect(entryEndsAt(entry({ to: '2026-11-01', timeZone: 'America/New_York' }))).toBe(at('2026-11-02T05:00:00Z'));
    expect(isEntryOpen(entry({ to: '2026-11-25' }), at('2026-11-25T22:59:59Z'))).toBe(true);
    expect(isEntryOpen(entry({ to: '2026-11-25' }), at('2026-11-25T23:00:00Z'))).toBe(false);
  });

  it('are read in the customer\'s zone: 23:30 UTC is the next day in Berlin but the same day in New York', () => {
    const late = at('2026-11-25T23:30:00Z');
    expect(entryCovers(entry({ from: '2026-11-25', to: '2026-11-25', timeZone: 'Europe/Berlin' }), late)).toBe(false);
    expect(entryCovers(entry({ from: '2026-11-25', to: '2026-11-25', timeZone: 'America/New_York' }), late)).toBe(true);
  });
});

describe('who is offered which freed slot', () => {
  const now = at('2026-11-23T10:00:00Z');

  it('goes in list order, whatever order the entries are read in, and the ids break a tie', () => {
    const [a, b, c] = [
      entry({ requestedAt: '2026-11-23T07:03:00.000Z' }),
      entry({ requestedAt: '2026-11-23T07:01:00.000Z' }),
      entry({ requestedAt: '2026-11-23T07:03:00.000Z' }),
    ];
    const offers = assignOffers([a!, c!, b!], [slot('2026-11-25T09:00:00Z')], now);
    expect(offers.map((o) => [o.entry.id, o.position, o.offeredTo])).toEqual([
      [b!.id, 0, 3],
      [a!.id, 1, 3],
      [c!.id, 2, 3],
    ]);
  });

  it('offers a slot to at most OFFERS_PER_SLOT customers; the next ones get the next slot the change freed', () => {
    const waiting = Array.from({ length: OFFERS_PER_SLOT + 2 }, (_, i) => entry({ requestedAt: `2026-11-23T07:0${i}:00.000Z` }));
    const offers = assignOffers(waiting, [slot('2026-11-25T09:30:00Z'), slot('2026-11-25T09:00:00Z')], now);
    expect(offers.filter((o) => o.slot.start === at('2026-11-25T09:00:00Z')).map((o) => o.entry.id)).toEqual(waiting.slice(0, OFFERS_PER_SLOT).map((e) => e.id));
    expect(offers.filter((o) => o.slot.start === at('2026-11-25T09:30:00Z')).map((o) => [o.entry.id, o.position])).toEqual([
      [waiting[OFFERS_PER_SLOT]!.id, 0],
      [waiting[OFFERS_PER_SLOT + 1]!.id, 1],
    ]);
  });

  it('gives each entry one offer per change, and only a slot that fits it: service, provider or any, one of its dates, not over', () => {
    const any = entry({ providerId: undefined });
    const otherProvider = entry({ providerId: 'p2' });
    const otherService = entry({ serviceId: 'long' });
    const otherDay = entry({ from: '2026-11-26', to: '2026-11-26' });
    const over = entry({ from: '2026-11-20', to: '2026-11-22' });
    const offers = assignOffers([any, otherProvider, otherService, otherDay, over], [slot('2026-11-25T09:00:00Z'), slot('2026-11-25T10:00:00Z')], now);
    expect(offers.map((o) => [o.entry.id, o.slot.start])).toEqual([[any.id, at('2026-11-25T09:00:00Z')]]);
  });
});

describe('when an offer is due', () => {
  const berlin = { zone: 'Europe/Berlin', quietHours: QUIET };

  it('gives each place a head start of OFFER_HEAD_START_MS', () => {
    const now = at('2026-11-23T10:00:00Z');
    const latest = at('2026-11-25T09:00:00Z');
    expect([0, 1, 2].map((position) => offerDueAt({ now, latest, position, offeredTo: 3, ...berlin }))).toEqual([now, now + OFFER_HEAD_START_MS, now + 2 * OFFER_HEAD_START_MS]);
  });

  it('shortens the head start when the slot is close, so the last offer still leaves time to book', () => {
    const now = at('2026-11-23T10:00:00Z');
    const latest = now + 20 * MINUTE;
    const due = [0, 1, 2, 3].map((position) => offerDueAt({ now, latest, position, offeredTo: 4, ...berlin }));
    expect(due).toEqual([now, now + 5 * MINUTE, now + 10 * MINUTE, now + 15 * MINUTE]);
    expect(Math.max(...due)).toBeLessThan(latest);
  });

  it('waits for the morning in the customer\'s zone during quiet hours: 22:30 in Berlin → 08:00, with the same head starts', () => {
    const now = at('2026-11-24T21:30:00Z');
    const latest = at('2026-11-26T09:00:00Z');
    expect(offerDueAt({ now, latest, position: 0, offeredTo: 2, ...berlin })).toBe(at('2026-11-25T07:00:00Z'));
    expect(offerDueAt({ now, latest, position: 1, offeredTo: 2, ...berlin })).toBe(at('2026-11-25T07:10:00Z'));
  });

  it('goes at once, at night, when the morning would be too late to book: a New York customer at 22:00 for 09:00 in Berlin', () => {
    const now = at('2026-11-26T03:00:00Z'); // 22:00 in New York, 04:00 in Berlin
    const latest = at('2026-11-26T08:00:00Z'); // the slot, 09:00 Berlin, without notice; 03:00 in New York
    expect(offerDueAt({ now, latest, position: 0, offeredTo: 1, zone: 'America/New_York', quietHours: QUIET })).toBe(now);
  });

  it('ignores quiet hours the tenant does not have', () => {
    const now = at('2026-11-24T21:30:00Z');
    expect(offerDueAt({ now, latest: at('2026-11-26T09:00:00Z'), position: 0, offeredTo: 1, zone: 'Europe/Berlin' })).toBe(now);
  });
});

describe('the offer message', () => {
  const parsed = parseTenantFile(testTenant());
  if (!parsed.ok) throw new Error('the test tenant must parse');
  const config = parsed.config;

  it('is a customer mail about the entry, due when planned, in the customer\'s language and zone, without a manage link', () => {
    const waiting = entry({ customer: { name: 'Ana García', email: 'ana@example.com', locale: 'es-MX' }, timeZone: 'America/New_York', to: '2026-11-27' });
    const message = planWaitlistOffer({
      entry: waiting,
      slot: slot('2026-11-25T09:00:00Z'),
      source: 'bk_abcdefghij.v2',
      config,
      mailFrom: 'bookings@kairos.localhost',
      dueAt: at('2026-11-23T10:10:00Z'),
      now: at('2026-11-23T10:00:00Z'),
    });
    expect(message).toMatchObject({
      id: offerMessageId(waiting.id, 'bk_abcdefghij.v2'),
      bookingId: waiting.id,
      kind: 'waitlist_offer',
      audience: 'customer',
      to: 'ana@example.com',
      dueAt: '2026-11-23T10:10:00Z',
      nextAttemptAt: '2026-11-23T10:10:00Z',
      status: 'pending',
      withManageLink: false,
      waitlist: { entryId: waiting.id, providerId: 'p1', until: '2026-11-27' },
      mail: { locale: 'es', timeZone: 'America/New_York', booking: { start: '2026-11-25T09:00:00Z', end: '2026-11-25T09:30:00Z', serviceName: 'Cut', providerName: 'Pat One' } },
    });
    expect(message).not.toHaveProperty('journey');
  });

  it('is rendered by the sender with both links, which only the link secret can make', () => {
    const links = new Links(LOCAL_LINK_SECRET, 'https://book.example');
    const waiting = entry();
    const message = planWaitlistOffer({ entry: waiting, slot: slot('2026-11-25T09:00:00Z'), source: 'bl_x', config, mailFrom: 'bookings@kairos.localhost', dueAt: 0, now: 0 });
    const { rendered, headers } = renderOutboxMessage(message, links);
    expect(rendered.text).toContain(`https://book.example/waitlist/${waiting.id}/offer?tenant=acme&service=${waiting.serviceId}#token=${links.waitlistOfferToken(waiting.id, 'p1', '2026-11-25T09:00:00Z')}`);
    expect(rendered.text).toContain(`https://book.example/waitlist/${waiting.id}#token=${links.manageToken(waiting.id)}`);
    // A service mail the customer asked for: no List-Unsubscribe.
    expect(headers).toBeUndefined();
    expect(() => renderOutboxMessage({ ...message, waitlist: undefined }, links)).toThrow(/waitlist offer without its entry/);
  });
});

describe('the offer mail', () => {
  const input = (extra: Partial<WaitlistOfferMailInput> = {}): WaitlistOfferMailInput => ({
    locale: 'en',
    timeZone: 'Europe/Berlin',
    business: { name: 'Salon Süd', email: 'bookings@kairos.localhost', timeZone: 'Europe/Berlin' },
    slot: { id: 'wl_1', version: 0, status: 'confirmed', start: '2026-11-25T09:00:00Z', end: '2026-11-25T09:30:00Z', updatedAt: '2026-11-23T10:00:00Z', serviceName: 'Haircut', providerName: 'Anna', customer: { name: 'Ana García', email: 'ana@example.com' } },
    until: '2026-11-27',
    claimUrl: 'https://book.example/waitlist/wl_1/offer#token=t',
    leaveUrl: 'https://book.example/waitlist/wl_1#token=m',
    ...extra,
  });

  it.each([
    ['en', 'A time has become free at Salon Süd: Wednesday, November 25 at 10:00 AM', 'Book this time', 'until Friday, November 27'],
    ['de', 'Ein Termin bei Salon Süd ist frei geworden: Mittwoch, 25. November um 10:00', 'Diesen Termin buchen', 'bis Freitag, 27. November'],
    ['es', 'Se ha liberado una hora en Salon Süd: miércoles, 25 de noviembre, 10:00', 'Reservar esta hora', 'hasta el viernes, 27 de noviembre'],
  ] as const)('reads in %s with the slot in the customer\'s zone, the button, and how long the customer waits', (locale, subject, button, until) => {
    const mail = renderWaitlistOfferMail(input({ locale }));
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain('(Europe/Berlin)');
    expect(mail.html).toContain(`>${button}</a>`);
    expect(mail.text).toContain(until);
    expect(mail.text).toContain('https://book.example/waitlist/wl_1/offer#token=t');
    expect(mail.html).toContain('href="https://book.example/waitlist/wl_1#token=m"');
  });

  it('has a text in every mail language', () => {
    for (const locale of mailLocales) expect(renderWaitlistOfferMail(input({ locale })).text).not.toMatch(/\{\w+\}/);
  });

  it('writes the times in the customer\'s zone', () => {
    expect(renderWaitlistOfferMail(input({ timeZone: 'America/New_York' })).text).toContain('4:00 – 4:30 AM (America/New_York)');
  });

  it('escapes the customer\'s name in HTML and refuses a link that is not http(s)', () => {
    const mail = renderWaitlistOfferMail(input({ slot: { ...input().slot, customer: { name: '<b>Ana</b>', email: 'a@example.com' } } }));
    expect(mail.html).toContain('&lt;b&gt;Ana&lt;/b&gt;');
    expect(() => renderWaitlistOfferMail(input({ claimUrl: 'javascript:alert(1)' }))).toThrow(/claimUrl/);
  });
});

describe('offer tokens', () => {
  const links = new Links(LOCAL_LINK_SECRET, 'https://book.example');
  const token = links.waitlistOfferToken('wl_0123456789', 'p1', '2026-11-25T09:00:00Z');

  it('name the slot they book, for their own entry only', () => {
    expect(links.readWaitlistOfferToken('wl_0123456789', token)).toEqual({ providerId: 'p1', start: '2026-11-25T09:00:00Z' });
    expect(links.readWaitlistOfferToken('wl_9876543210', token)).toBeUndefined();
  });

  it('refuse any change to the provider or the time, and another secret\'s tokens', () => {
    const [, seconds, mac] = token.split('.');
    expect(links.readWaitlistOfferToken('wl_0123456789', `p2.${seconds}.${mac}`)).toBeUndefined();
    expect(links.readWaitlistOfferToken('wl_0123456789', `p1.${Number(seconds) + 1800}.${mac}`)).toBeUndefined();
    expect(links.readWaitlistOfferToken('wl_0123456789', `${token}.extra`)).toBeUndefined();
    const other = new Links('another-secret-of-at-least-32-characters!', 'https://book.example');
    expect(other.readWaitlistOfferToken('wl_0123456789', token)).toBeUndefined();
  });

  it('make a claim\'s booking id from the offer: the same offer, the same booking id; a booking id as the routes accept it', () => {
    const id = claimBookingId('wl_0123456789', 'p1', '2026-11-25T09:00:00Z');
    expect(id).toMatch(/^bk_[0-9a-z]{26}$/);
    expect(claimBookingId('wl_0123456789', 'p1', '2026-11-25T09:00:00Z')).toBe(id);
    expect(claimBookingId('wl_0123456789', 'p1', '2026-11-25T09:30:00Z')).not.toBe(id);
    expect(claimBookingId('wl_9876543210', 'p1', '2026-11-25T09:00:00Z')).not.toBe(id);
  });
});

describe('what a stream record frees', () => {
  const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as Record<string, StreamValue>;
  const booking = {
    PK: 'BK#bk_1',
    SK: 'BOOKING',
    type: 'booking',
    id: 'bk_1',
    tenantId: 'acme',
    providerId: 'p1',
    serviceId: 'cut',
    start: '2026-11-25T09:00:00Z',
    end: '2026-11-25T09:30:00Z',
    claimFrom: '2026-11-25T08:50:00Z',
    claimTo: '2026-11-25T09:45:00Z',
    status: 'confirmed',
    version: 1,
    customer: { name: 'Ana', email: 'ana@example.com' },
  };
  const modify = (after: Record<string, unknown>, before: Record<string, unknown> = booking): DynamoDBRecord => ({
    eventName: 'MODIFY',
    dynamodb: { OldImage: image(before), NewImage: image(after) },
  });
  const span = { tenantId: 'acme', providerId: 'p1', from: at('2026-11-25T08:50:00Z'), to: at('2026-11-25T09:45:00Z') };

  it('a cancellation frees the whole claim the booking held, buffers included', () => {
    expect(freedSpanOf(modify({ ...booking, status: 'cancelled', version: 2 }))).toEqual({ ...span, source: 'bk_1.v2' });
  });

  it('a reschedule frees the old claim, also to another provider', () => {
    expect(freedSpanOf(modify({ ...booking, start: '2026-11-25T10:00:00Z', version: 2 }))).toEqual({ ...span, source: 'bk_1.v2' });
    expect(freedSpanOf(modify({ ...booking, providerId: 'p2', version: 3 }))).toEqual({ ...span, source: 'bk_1.v3' });
  });

  it('a removed block frees its time', () => {
    const block = { PK: 'T#acme#PRV#p2', SK: 'BLOCK#bl_1', type: 'block', id: 'bl_1', tenantId: 'acme', providerId: 'p2', start: '2026-12-01T09:00:00Z', end: '2026-12-01T11:00:00Z', timeZone: 'Europe/Berlin' };
    expect(freedSpanOf({ eventName: 'REMOVE', dynamodb: { OldImage: image(block) } })).toEqual({
      tenantId: 'acme',
      providerId: 'p2',
      from: at('2026-12-01T09:00:00Z'),
      to: at('2026-12-01T11:00:00Z'),
      source: 'bl_1',
    });
  });

  it.each([
    ['a new booking', { eventName: 'INSERT', dynamodb: { NewImage: image(booking) } } as DynamoDBRecord],
    ['attendance marked', modify({ ...booking, attendance: 'attended', version: 2 })],
    ['an erasure anonymising the customer', modify({ ...booking, customer: { name: 'Erased customer', email: 'erased+0@erased.invalid' } })],
    ['a cancelled booking changed again', modify({ ...booking, status: 'cancelled', version: 3 }, { ...booking, status: 'cancelled', version: 2 })],
    ['a booking deleted by TTL', { eventName: 'REMOVE', dynamodb: { OldImage: image(booking) } } as DynamoDBRecord],
    ['a day sheet', modify({ PK: 'T#acme#PRV#p1', SK: 'DAY#2026-11-25' }, { PK: 'T#acme#PRV#p1', SK: 'DAY#2026-11-25' })],
  ])('%s frees nothing', (_what, record) => {
    expect(freedSpanOf(record)).toBeUndefined();
  });
});

describe('the join request', () => {
  const body = (from: string, to: string) => ({ serviceId: 'cut', from, to, timeZone: 'Europe/Berlin', customer: { name: 'Ana', email: 'ana@example.com' } });
  const fieldOf = (from: string, to: string) => joinWaitlistBodySchema.safeParse(body(from, to)).error?.issues.map((issue) => issue.path.join('.'));

  it('covers one to 14 days, from before to', () => {
    expect(fieldOf('2026-12-01', '2026-12-01')).toBeUndefined();
    expect(fieldOf('2026-12-01', '2026-12-14')).toBeUndefined();
    expect(fieldOf('2026-12-01', '2026-12-15')).toEqual(['to']);
    expect(fieldOf('2026-12-02', '2026-12-01')).toEqual(['to']);
    // Across the end of DST (25 October) the days still count as days.
    expect(fieldOf('2026-10-20', '2026-11-02')).toBeUndefined();
  });

  it('names a malformed date, not the range', () => {
    expect(fieldOf('2026-13-01', '2026-12-01')).toEqual(['from']);
  });
});
