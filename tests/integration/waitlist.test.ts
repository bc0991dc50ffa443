import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSesClient, SesMailer } from '#functions/adapters/mailer';
import { waitlistEntryPk, WAITLIST_ENTRY_SK } from '#functions/adapters/entities/waitlist';
import { sweepOutbox, type SenderDeps } from '#functions/app/outbox';
import { offerFromRecords } from '#functions/streams/waitlist';
import { startStreamPoller, type StreamPoller } from '#infra/local/stream-poller';
import { offerMessageId } from '#shared/domain/waitlist';
import { testTenant } from '#tests/support/fixtures';
import { useProjector } from '#tests/support/projector';
import { inboxMessages, type InboxMessage } from '#tests/support/ses-inbox';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';
import { GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The waitlist on real parts with a moving clock: changes reach the waitlist's stream consumer
 * through the table's stream (DynamoDB Local, polled as Lambda is triggered), which queues offer
 * mails; the outbox sender mails them through the local SES when the test's clock says they are
 * due; the claim link books through the real route. Berlin is UTC+1 in November/December: 10:00
 * local is 09:00Z. Now is Monday 2026-11-23, 08:00 in Berlin.
 */
const stack = useTestStack({ now: '2026-11-23T07:00:00Z', tenants: [testTenant({ country: 'DE' })] });
const projector = useProjector(stack);

/** The waitlist's consumer on the test table's stream, as `npm start` runs it; `seen` keeps every batch for the replay test. */
const seen: DynamoDBStreamEvent[] = [];
let offers: StreamPoller | undefined;
beforeAll(async () => {
  offers = await startStreamPoller({
    endpoint: inject('dynamoEndpoint'),
    tableName: stack.tableName,
    intervalMs: 50,
    handler: async (event) => {
      seen.push(event);
      const result = await offerFromRecords(stack.deps, event);
      if (result.batchItemFailures.length > 0) throw new Error(`offers failed: ${JSON.stringify(result.batchItemFailures)}`);
    },
  });
});
afterAll(() => offers?.stop());
const drain = () => offers!.drain();

const sesEndpoint = () => inject('sesEndpoint');
const sender = (): SenderDeps => ({
  store: stack.store,
  clock: stack.clock,
  links: stack.deps.links,
  mailer: new SesMailer(createSesClient({ region: 'eu-central-1', endpoint: sesEndpoint() })),
});
/** What the sweep does every minute, at the test's time. */
async function sweepAt(at: string) {
  stack.clock.set(at);
  return sweepOutbox(sender());
}

let counter = 0;
const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}.${++counter}@example.com`;
const offerMails = async (email: string) => (await inboxMessages(sesEndpoint(), { to: email })).filter((m) => m.body.text?.includes('/waitlist/'));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const reception = () => stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
const admin = () => stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });

interface Joined {
  entry: { id: string };
  manageToken: string;
}

async function join(email: string, body: Record<string, unknown> = {}, customer: Record<string, unknown> = {}): Promise<Joined> {
  const response = await stack.request('POST', '/v1/tenants/acme/waitlist', {
    body: { serviceId: 'cut', providerId: 'p1', from: '2026-11-25', to: '2026-11-25', timeZone: 'Europe/Berlin', customer: { name: 'Wait Ing', email, ...customer }, ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as Joined;
}

async function book(start: string, providerId = 'p1', email = uniqueEmail('holder')) {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', {
    body: { serviceId: 'cut', providerId, start, customer: { name: 'Slot Holder', email } },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { booking: { id: string; version: number }; manageToken: string };
}

async function cancel(booking: { booking: { id: string }; manageToken: string }) {
  const response = await stack.request('POST', `/v1/bookings/${booking.booking.id}/cancel`, { headers: bearer(booking.manageToken), body: {} });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await drain();
}

/** The claim link of an offer mail: the entry and the offer token from its fragment. */
function claimLinkOf(mail: InboxMessage): { entryId: string; token: string } {
  const match = /http:\/\/localhost:3000\/waitlist\/(wl_[0-9a-z]+)\/offer\?tenant=acme&service=[\w-]+#token=([\w.-]+)/.exec(mail.body.text ?? '');
  if (!match) throw new Error(`no claim link in: ${mail.body.text}`);
  return { entryId: match[1]!, token: match[2]! };
}
const claim = (link: { entryId: string; token: string }) => stack.request('POST', `/v1/waitlist/${link.entryId}/claim`, { headers: bearer(link.token) });

async function waitingOn(date: string): Promise<Array<{ id: string; position: number; customer: { email: string }; offers: number; customerId: string }>> {
  const response = await stack.request('GET', `/v1/staff/tenants/acme/waitlist?date=${date}`, { headers: await reception() });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.entries;
}

describe('a freed slot and three customers waiting for it', () => {
  it('mails the offers in list order, each with a head start, in each customer\'s language; the first to book gets it and the next one meets slot_taken and stays listed', async () => {
    const holder = await book('2026-11-25T09:00:00Z');
    const [a, b, c] = [uniqueEmail('first'), uniqueEmail('second'), uniqueEmail('third')];
    stack.clock.set('2026-11-23T07:01:00Z');
    const first = await join(a, {}, { locale: 'en' });
    stack.clock.set('2026-11-23T07:02:00Z');
    const second = await join(b, {}, { locale: 'de' });
    stack.clock.set('2026-11-23T07:03:00Z');
    const third = await join(c, {}, { locale: 'es' });

    stack.clock.set('2026-11-23T10:00:00Z');
    await cancel(holder);

    const source = `${holder.booking.id}.v2`;
    const queued = await Promise.all([first, second, third].map((j) => stack.store.getMessage(offerMessageId(j.entry.id, source))));
    expect(queued.map((m) => m?.dueAt)).toEqual(['2026-11-23T10:00:00Z', '2026-11-23T10:10:00Z', '2026-11-23T10:20:00Z']);
    expect(queued.map((m) => m?.mail.booking.start)).toEqual(Array(3).fill('2026-11-25T09:00:00Z'));

    await sweepAt('2026-11-23T10:00:00Z');
    expect(await offerMails(a)).toHaveLength(1);
    expect(await offerMails(b)).toHaveLength(0);
    await sweepAt('2026-11-23T10:10:00Z');
    expect(await offerMails(b)).toHaveLength(1);
    expect(await offerMails(c)).toHaveLength(0);
    await sweepAt('2026-11-23T10:20:00Z');

    const [mailA, mailB, mailC] = [(await offerMails(a))[0]!, (await offerMails(b))[0]!, (await offerMails(c))[0]!];
    expect(mailA.subject).toBe('A time has become free at Acme Clinic: Wednesday, November 25 at 10:00 AM');
    expect(mailB.subject).toBe('Ein Termin bei Acme Clinic ist frei geworden: Mittwoch, 25. November um 10:00');
    expect(mailC.subject).toMatch(/^Se ha liberado una hora en Acme Clinic: miércoles, 25 de noviembre/);
    expect(mailA.body.text).toContain('(Europe/Berlin)');
    expect(mailA.body.text).toContain(`http://localhost:3000/waitlist/${first.entry.id}#token=`);

    // The second customer is quicker than the first.
    const won = await claim(claimLinkOf(mailB));
    expect(won.status, JSON.stringify(won.body)).toBe(201);
    expect(won.body.booking).toMatchObject({ start: '2026-11-25T09:00:00Z', providerId: 'p1', serviceId: 'cut', status: 'confirmed', customer: { email: b } });

    const lost = await claim(claimLinkOf(mailA));
    expect(lost.status).toBe(409);
    expect(lost.body.error.code).toBe('slot_taken');

    // The winner left the list; the others still wait, in their order.
    expect((await waitingOn('2026-11-25')).map((e) => [e.customer.email, e.position])).toEqual([
      [a, 1],
      [c, 2],
    ]);
    // A repeated claim (a lost answer, a double click) gets the same booking, not its own slot as taken.
    const again = await claim(claimLinkOf(mailB));
    expect(again.status).toBe(200);
    expect(again.body.booking.id).toBe(won.body.booking.id);
    expect(again.body.manageToken).toBe(won.body.manageToken);
  });

  it('withdraws the offers to the others that are not mailed yet once the first claims', async () => {
    const holder = await book('2026-11-26T09:00:00Z');
    const [d, e] = [uniqueEmail('quick'), uniqueEmail('later')];
    stack.clock.set('2026-11-24T08:00:00Z');
    const quick = await join(d, { from: '2026-11-26', to: '2026-11-26' });
    stack.clock.set('2026-11-24T08:01:00Z');
    const later = await join(e, { from: '2026-11-26', to: '2026-11-26' });
    stack.clock.set('2026-11-24T10:00:00Z');
    await cancel(holder);

    await sweepAt('2026-11-24T10:00:00Z');
    const [mail] = await offerMails(d);
    expect((await claim(claimLinkOf(mail!))).status).toBe(201);
    expect(await stack.store.getMessage(offerMessageId(later.entry.id, `${holder.booking.id}.v2`))).toBeUndefined();

    await sweepAt('2026-11-24T10:30:00Z');
    expect(await offerMails(e)).toHaveLength(0);
    expect((await waitingOn('2026-11-26')).map((x) => x.id)).toEqual([later.entry.id]);
    expect((await waitingOn('2026-11-26')).map((x) => x.id)).not.toContain(quick.entry.id);
  });
});

describe('what frees a slot', () => {
  it('a cancellation at 22:30 is offered at 08:00 the next morning (quiet hours), to a customer waiting for any provider', async () => {
    const holder = await book('2026-11-27T13:00:00Z', 'p2');
    const email = uniqueEmail('anyone');
    stack.clock.set('2026-11-25T12:00:00Z');
    const entry = await join(email, { providerId: undefined, from: '2026-11-27', to: '2026-11-28' });
    stack.clock.set('2026-11-25T21:30:00Z');
    await cancel(holder);

    const message = await stack.store.getMessage(offerMessageId(entry.entry.id, `${holder.booking.id}.v2`));
    expect(message).toMatchObject({ dueAt: '2026-11-26T07:00:00Z', waitlist: { providerId: 'p2' }, mail: { booking: { start: '2026-11-27T13:00:00Z', providerName: 'Pia Two' } } });
    await sweepAt('2026-11-25T21:31:00Z');
    await sweepAt('2026-11-26T06:59:00Z');
    expect(await offerMails(email)).toHaveLength(0);
    await sweepAt('2026-11-26T07:00:00Z');
    expect(await offerMails(email)).toHaveLength(1);
  });

  it('a reschedule offers the time it left', async () => {
    const holder = await book('2026-11-30T09:00:00Z');
    const email = uniqueEmail('moved');
    stack.clock.set('2026-11-26T08:00:00Z');
    const entry = await join(email, { from: '2026-11-30', to: '2026-11-30' });
    const moved = await stack.request('POST', `/v1/bookings/${holder.booking.id}/reschedule`, { headers: bearer(holder.manageToken), body: { start: '2026-11-30T10:00:00Z' } });
    expect(moved.status).toBe(200);
    await drain();

    const message = await stack.store.getMessage(offerMessageId(entry.entry.id, `${holder.booking.id}.v2`));
    expect(message?.mail.booking).toMatchObject({ start: '2026-11-30T09:00:00Z', end: '2026-11-30T09:30:00Z' });
  });

  it('a removed block is offered, in list order, and replaying its stream records queues nothing twice', async () => {
    stack.clock.set('2026-11-26T08:00:00Z');
    const created = await stack.request('POST', '/v1/staff/tenants/acme/providers/p2/blocks', {
      headers: await reception(),
      body: { start: '2026-12-01T09:00:00Z', end: '2026-12-01T11:00:00Z', reason: 'training' },
    });
    expect(created.status).toBe(201);
    const [h, i] = [uniqueEmail('block.first'), uniqueEmail('block.second')];
    const first = await join(h, { providerId: 'p2', from: '2026-12-01', to: '2026-12-01' });
    stack.clock.set('2026-11-26T08:01:00Z');
    const second = await join(i, { providerId: 'p2', from: '2026-12-01', to: '2026-12-01' });
    const batchesBefore = seen.length;
    const removed = await stack.request('DELETE', `/v1/staff/tenants/acme/providers/p2/blocks/${created.body.block.id}`, { headers: await reception() });
    expect(removed.status).toBe(204);
    await drain();

    const messages = await Promise.all([first, second].map((j) => stack.store.getMessage(offerMessageId(j.entry.id, created.body.block.id))));
    expect(messages.map((m) => [m?.mail.booking.start, m?.dueAt])).toEqual([
      ['2026-12-01T09:00:00Z', '2026-11-26T08:01:00Z'],
      ['2026-12-01T09:00:00Z', '2026-11-26T08:11:00Z'],
    ]);

    const replayed = seen.slice(batchesBefore);
    for (const event of replayed) expect((await offerFromRecords(stack.deps, event)).batchItemFailures).toEqual([]);
    const entry = await stack.store.db.send(new GetCommand({ TableName: stack.tableName, Key: { PK: waitlistEntryPk(first.entry.id), SK: WAITLIST_ENTRY_SK } }));
    expect(entry.Item?.offerIds).toEqual([offerMessageId(first.entry.id, created.body.block.id)]);
    expect((await waitingOn('2026-12-01')).map((x) => x.offers)).toEqual([1, 1]);
  });
});

describe('one place per list', () => {
  it('answers a second request for the same list with the entry already there, without its token; other dates or another provider are another list', async () => {
    const email = uniqueEmail('Twice');
    stack.clock.set('2026-11-23T09:00:00Z');
    const first = await join(email, { from: '2026-12-02', to: '2026-12-04' });
    const again = await stack.request('POST', '/v1/tenants/acme/waitlist', {
      body: { serviceId: 'cut', providerId: 'p1', from: '2026-12-04', to: '2026-12-08', timeZone: 'Europe/Berlin', customer: { name: 'Someone Else', email: `  ${email.toUpperCase()} ` } },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: false, entry: expect.objectContaining({ id: first.entry.id, from: '2026-12-02', to: '2026-12-04' }) });
    expect(again.body).not.toHaveProperty('manageToken');

    expect((await join(email, { from: '2026-12-05', to: '2026-12-08' })).entry.id).not.toBe(first.entry.id);
    expect((await join(email, { providerId: 'p2', from: '2026-12-02', to: '2026-12-04' })).entry.id).not.toBe(first.entry.id);
  });
});

describe('entries are over after their last date', () => {
  it('expire with the end of the last day in the customer\'s zone: TTL set, left out of the list, not counted as the same list, not leavable', async () => {
    const email = uniqueEmail('expiring');
    stack.clock.set('2026-11-23T09:00:00Z');
    const entry = await join(email, { from: '2026-11-24', to: '2026-11-24' });
    const item = await stack.store.db.send(new GetCommand({ TableName: stack.tableName, Key: { PK: waitlistEntryPk(entry.entry.id), SK: WAITLIST_ENTRY_SK } }));
    expect(item.Item?.expiresAt).toBe(Date.parse('2026-11-24T23:00:00Z') / 1000);

    stack.clock.set('2026-11-24T22:59:00Z');
    expect((await waitingOn('2026-11-24')).map((e) => e.id)).toContain(entry.entry.id);
    stack.clock.set('2026-11-24T23:00:00Z');
    expect((await waitingOn('2026-11-24')).map((e) => e.id)).not.toContain(entry.entry.id);
    expect((await stack.request('DELETE', `/v1/waitlist/${entry.entry.id}`, { headers: bearer(entry.manageToken) })).status).toBe(404);
    // A new request over the same dates and later ones is a new entry: the old one does not count any more.
    expect((await join(email, { from: '2026-11-24', to: '2026-11-27' })).entry.id).not.toBe(entry.entry.id);
  });
});

describe('leaving the list', () => {
  it("takes the entry's manage token only, and withdraws an offer waiting for the morning", async () => {
    const holder = await book('2026-12-02T13:00:00Z');
    const email = uniqueEmail('leaver');
    stack.clock.set('2026-11-27T12:00:00Z');
    const entry = await join(email, { from: '2026-12-02', to: '2026-12-02' });
    stack.clock.set('2026-11-27T22:00:00Z');
    await cancel(holder);
    const offerId = offerMessageId(entry.entry.id, `${holder.booking.id}.v2`);
    expect((await stack.store.getMessage(offerId))?.status).toBe('pending');

    const other = await join(uniqueEmail('other'), { from: '2026-12-09', to: '2026-12-09' });
    expect((await stack.request('DELETE', `/v1/waitlist/${entry.entry.id}`, { headers: bearer(other.manageToken) })).body.error.code).toBe('waitlist_entry_not_found');
    expect((await stack.request('DELETE', `/v1/waitlist/${entry.entry.id}`)).status).toBe(404);
    expect((await stack.request('DELETE', `/v1/waitlist/${entry.entry.id}`, { headers: bearer(entry.manageToken) })).status).toBe(204);
    expect(await stack.store.getMessage(offerId)).toBeUndefined();
    expect((await stack.request('DELETE', `/v1/waitlist/${entry.entry.id}`, { headers: bearer(entry.manageToken) })).status).toBe(404);
    await sweepAt('2026-11-28T07:30:00Z');
    expect(await offerMails(email)).toHaveLength(0);
  });

  it('refuses an offer token that was altered, is another entry\'s, or is for a time that has begun', async () => {
    const email = uniqueEmail('tokens');
    stack.clock.set('2026-11-27T12:00:00Z');
    const entry = await join(email, { from: '2026-12-03', to: '2026-12-03' });
    const other = await join(uniqueEmail('tokens.other'), { from: '2026-12-03', to: '2026-12-03' });
    const token = stack.deps.links.waitlistOfferToken(entry.entry.id, 'p1', '2026-12-03T09:00:00Z');
    const [provider, seconds, mac] = token.split('.');
    const altered = `${provider}.${Number(seconds) + 1800}.${mac}`;
    expect((await claim({ entryId: entry.entry.id, token: altered })).body.error.code).toBe('waitlist_entry_not_found');
    expect((await claim({ entryId: other.entry.id, token })).body.error.code).toBe('waitlist_entry_not_found');
    expect((await claim({ entryId: entry.entry.id, token: entry.manageToken })).body.error.code).toBe('waitlist_entry_not_found');
    stack.clock.set('2026-12-03T09:00:00Z');
    const late = await claim({ entryId: entry.entry.id, token });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('offer_expired');
  });
});

describe('reception', () => {
  it('books a waiting customer on the phone, which takes them off the list', async () => {
    const email = uniqueEmail('phoned');
    stack.clock.set('2026-11-27T12:00:00Z');
    const entry = await join(email, { providerId: undefined, from: '2026-12-07', to: '2026-12-08' }, { phone: '+49 30 1234567' });
    const listed = (await waitingOn('2026-12-08')).find((e) => e.id === entry.entry.id);
    expect(listed).toMatchObject({ customer: { email, phone: '+49 30 1234567' }, offers: 0 });

    const booked = await stack.request('POST', `/v1/staff/tenants/acme/waitlist/${entry.entry.id}/book`, {
      headers: await reception(),
      body: { start: '2026-12-08T10:00:00Z', providerId: 'p2' },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.booking).toMatchObject({ channel: 'staff', providerId: 'p2', serviceId: 'cut', customer: { email } });
    expect((await waitingOn('2026-12-08')).map((e) => e.id)).not.toContain(entry.entry.id);
    const twice = await stack.request('POST', `/v1/staff/tenants/acme/waitlist/${entry.entry.id}/book`, { headers: await reception(), body: { start: '2026-12-08T11:00:00Z', providerId: 'p2' } });
    expect(twice.body.error.code).toBe('waitlist_entry_not_found');
  });
});

describe('data rights', () => {
  it('exports a waiting customer who never booked, and erasure removes the entry and its offer mail, leaving no trace', async () => {
    const holder = await book('2026-12-04T09:00:00Z');
    const email = uniqueEmail('erase.me');
    stack.clock.set('2026-11-28T09:00:00Z');
    const entry = await join(email, { from: '2026-12-04', to: '2026-12-04' }, { name: 'Erna Waitwell' });
    await cancel(holder);
    const offerId = offerMessageId(entry.entry.id, `${holder.booking.id}.v2`);
    expect(await stack.store.getMessage(offerId)).toBeDefined();

    const customerId = (await waitingOn('2026-12-04')).find((e) => e.id === entry.entry.id)!.customerId;
    const exported = await stack.request('GET', `/v1/staff/tenants/acme/customers/${customerId}/export`, { headers: await admin() });
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body.waitlist.map((e: { id: string }) => e.id)).toEqual([entry.entry.id]);
    expect(exported.body.waitlist[0]).not.toHaveProperty('manageTokenHash');
    expect(exported.body.messages.map((m: { id: string }) => m.id)).toContain(offerId);

    const erased = await stack.request('POST', `/v1/staff/tenants/acme/customers/${customerId}/erase`, { headers: await admin(), body: { reason: 'asked by the customer' } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.counts.messages).toBe(1);
    expect(await stack.store.getMessage(offerId)).toBeUndefined();
    expect((await stack.request('DELETE', `/v1/waitlist/${entry.entry.id}`, { headers: bearer(entry.manageToken) })).status).toBe(404);
    const traces = (await scanAll(stack.store)).filter((item) => ['erna waitwell', email].some((trace) => JSON.stringify(item).toLowerCase().includes(trace)));
    expect(traces.map((item) => `${String(item.PK)} ${String(item.SK)}`)).toEqual([]);
  });

  it('erases the waitlist entries of a customer who also booked', async () => {
    const email = uniqueEmail('booked.and.waiting');
    stack.clock.set('2026-11-28T09:00:00Z');
    await book('2026-12-07T09:00:00Z', 'p1', email);
    await projector.drain();
    const entry = await join(email, { from: '2026-12-09', to: '2026-12-10' });
    const customerId = (await waitingOn('2026-12-09')).find((e) => e.id === entry.entry.id)!.customerId;
    const erased = await stack.request('POST', `/v1/staff/tenants/acme/customers/${customerId}/erase`, { headers: await admin(), body: { reason: 'asked by the customer' } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.counts.profiles).toBe(1);
    expect((await waitingOn('2026-12-09')).map((e) => e.id)).not.toContain(entry.entry.id);
  });
});

describe('bad input', () => {
  const body = (overrides: Record<string, unknown>) => ({
    serviceId: 'cut',
    from: '2026-12-01',
    to: '2026-12-02',
    timeZone: 'Europe/Berlin',
    customer: { name: 'Bad Input', email: 'bad.input@example.com' },
    ...overrides,
  });
  it.each([
    ['more than 14 days', { to: '2026-12-15' }, 400, 'invalid_request', 'body.to'],
    ['to before from', { from: '2026-12-03' }, 400, 'invalid_request', 'body.to'],
    ['a date that is not one', { from: '2026-02-30' }, 400, 'invalid_request', 'body.from'],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, 400, 'invalid_request', 'body.timeZone'],
    ['a marketing opt-in (not taken here)', { customer: { name: 'Bad Input', email: 'bad.input@example.com', marketingConsent: true } }, 400, 'invalid_request', 'body.customer'],
    ['dates that are over', { from: '2026-11-01', to: '2026-11-02' }, 400, 'invalid_date_range', 'body.to'],
    ['an unknown service', { serviceId: 'massage' }, 422, 'unknown_service', 'serviceId'],
    ['an unknown provider', { providerId: 'p9' }, 422, 'unknown_provider', 'providerId'],
    ['a provider who does not offer it', { serviceId: 'capped', providerId: 'p1' }, 422, 'provider_not_offering_service', 'providerId'],
  ])('refuses %s, naming the field', async (_what, overrides, status, code, field) => {
    stack.clock.set('2026-11-23T09:00:00Z');
    const response = await stack.request('POST', '/v1/tenants/acme/waitlist', { body: body(overrides) });
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(String(response.body.error.details.field)).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
  });

  it('exactly 14 days is allowed', async () => {
    stack.clock.set('2026-11-23T09:00:00Z');
    const response = await stack.request('POST', '/v1/tenants/acme/waitlist', { body: body({ from: '2026-12-01', to: '2026-12-14', customer: { name: 'Two Weeks', email: uniqueEmail('fortnight') } }) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  it('an unknown tenant is a 404', async () => {
    const response = await stack.request('POST', '/v1/tenants/nobody/waitlist', { body: body({}) });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('tenant_not_found');
  });
});
