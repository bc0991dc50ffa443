import { beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '#functions/adapters/customer-store';
import { newCustomerId, customerIdSeed } from '#shared/customers/identity';
import { projectRecords } from '#functions/streams/projector';
import { testTenant } from '#tests/support/fixtures';
import { useProjector } from '#tests/support/projector';
import { useTestStack } from '#tests/support/stack';

/**
 * Booking changes flow through the table's real stream (DynamoDB Local, polled as Lambda would
 * be triggered) into customer profiles. Now is Monday 2026-11-23 08:00 in Berlin.
 */
const nine18 = [['09:00', '18:00']] as Array<[string, string]>;
const stack = useTestStack({
  now: '2026-11-23T07:00:00Z',
  tenants: [testTenant({ country: 'DE', openingHours: { mon: nine18, tue: nine18, wed: nine18, thu: nine18, fri: nine18, sat: [], sun: [] } })],
});

const projector = useProjector(stack);
const poller = projector;
const seen = projector.seen;
let customers: CustomerStore;
beforeAll(() => {
  customers = new CustomerStore(stack.store.db, stack.tableName);
});

async function book(customer: Record<string, string>, start: string) {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', { body: { serviceId: 'cut', providerId: 'p1', start, customer } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { booking: { id: string }; manageToken: string };
}

const customerOf = (email: string) => newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));

describe('the stream projector', () => {
  it('makes one golden record of bookings under differently written e-mails, and phone formats', async () => {
    await book({ name: 'Ana García', email: 'Ana.Garcia@Example.com', phone: '+49 30 1234567' }, '2026-11-24T09:00:00Z');
    await book({ name: 'Ana Garcia', email: 'ana.garcia@example.com ', phone: '030 1234567' }, '2026-11-25T09:00:00Z');
    await poller.drain();
    const id = customerOf('ana.garcia@example.com');
    const profile = await customers.getProfile('acme', id);
    expect(profile?.record.emails.map((e) => e.value)).toEqual(['ana.garcia@example.com']);
    expect(profile?.record.phones.map((p) => p.value)).toEqual(['+49301234567']);
    expect(profile?.traits).toMatchObject({ bookings: 2 });
    expect(await customers.getIdentity('acme', 'phone', '+49301234567')).toBe(id);
  });

  it('treats a phone-only match as probable, for staff to confirm, and never merges on it', async () => {
    await book({ name: 'A. García', email: 'ana@work.example', phone: '+49 (30) 123-4567' }, '2026-11-26T09:00:00Z');
    await poller.drain();
    const other = await customers.getProfile('acme', customerOf('ana@work.example'));
    expect(other?.probableMatches).toEqual([customerOf('ana.garcia@example.com')]);
    expect((await customers.getProfile('acme', customerOf('ana.garcia@example.com')))?.traits).toMatchObject({ bookings: 2 });
  });

  it('follows cancellations and attendance into the timeline and traits', async () => {
    const email = 'ben@example.com';
    const first = await book({ name: 'Ben', email }, '2026-11-24T10:00:00Z');
    const second = await book({ name: 'Ben', email }, '2026-11-24T11:00:00Z');
    await stack.request('POST', `/v1/bookings/${second.booking.id}/cancel`, { headers: { authorization: `Bearer ${second.manageToken}` }, body: {} });
    stack.clock.set('2026-11-24T10:10:00Z');
    try {
      const noShow = await stack.request('POST', `/v1/staff/tenants/acme/bookings/${first.booking.id}/attendance`, {
        headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' }),
        body: { status: 'no_show' },
      });
      expect(noShow.status).toBe(200);
      await poller.drain();
      const id = customerOf(email);
      const timeline = await customers.listEvents('acme', id);
      expect(timeline.map((e) => e.type).sort()).toEqual(['booked', 'booked', 'cancelled', 'no_show']);
      expect((await customers.getProfile('acme', id))?.traits).toMatchObject({ bookings: 2, cancellations: 1, noShows: 1 });
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });

  it('ends in the same profile when every record is replayed, twice and in reverse order', async () => {
    const id = customerOf('ben@example.com');
    const before = await customers.getProfile('acme', id);
    const events = await customers.listEvents('acme', id);
    const local = { store: stack.store, clock: stack.clock, customers };
    // Traits such as "days since the last no-show" are relative to now: replay at the same moment.
    stack.clock.set('2026-11-24T10:10:00Z');
    try {
      for (const batch of [...seen].reverse()) await projectRecords(local, { Records: [...batch.Records].reverse() });
      for (const batch of seen) await projectRecords(local, batch);
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
    const after = await customers.getProfile('acme', id);
    expect({ ...after, updatedAt: 'x' }).toEqual({ ...before, updatedAt: 'x' });
    expect(await customers.listEvents('acme', id)).toEqual(events);
  });
});

describe('the caller card', () => {
  const reception = () => stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
  const card = async (query: string) => stack.request('GET', `/v1/staff/tenants/acme/customers/lookup?${query}`, { headers: await reception() });

  it('finds the caller by a phone number in any format, with profile, bookings and badges', async () => {
    const byNational = await card(`phone=${encodeURIComponent('030 123 45 67')}`);
    expect(byNational.status, JSON.stringify(byNational.body)).toBe(200);
    expect(byNational.body.customer).toMatchObject({
      id: customerOf('ana.garcia@example.com'),
      emails: ['ana.garcia@example.com'],
      phones: ['+49301234567'],
      consent: { marketing: false },
    });
    expect(byNational.body.upcoming.map((b: { start: string }) => b.start)).toEqual(['2026-11-24T09:00:00Z', '2026-11-25T09:00:00Z']);
    // Two bookings, no visit yet: "new" (after-hours needs three bookings to say anything).
    expect(byNational.body.badges).toEqual([expect.objectContaining({ code: 'new', reason: expect.any(String) })]);
    const byInternational = await card(`phone=${encodeURIComponent('+49 30 1234567')}`);
    expect(byInternational.body.customer.id).toBe(byNational.body.customer.id);
    const byEmail = await card(`email=${encodeURIComponent(' ANA.GARCIA@example.com')}`);
    expect(byEmail.body.customer.id).toBe(byNational.body.customer.id);
  });

  it('shows the whole timeline on the profile', async () => {
    const id = customerOf('ben@example.com');
    const profile = await stack.request('GET', `/v1/staff/tenants/acme/customers/${id}`, { headers: await reception() });
    expect(profile.status).toBe(200);
    expect(profile.body.timeline.map((e: { type: string }) => e.type).sort()).toEqual(['booked', 'booked', 'cancelled', 'no_show']);
  });

  it('answers 404 for an unknown caller and 400 for something that is not a number', async () => {
    const unknown = await card('phone=%2B4989999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('customer_not_found');
    const garbage = await card('phone=abc-def');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.details.field).toBe('query.phone');
    const both = await card('phone=123456&email=a%40b.example');
    expect(both.status).toBe(400);
  });
});

describe('rebook suggestions', () => {
  it("offer the customer's usual provider and time first, with their details to pre-fill", async () => {
    // Carla visits p1 on Tuesday mornings; her last visit is marked attended.
    const first = await book({ name: 'Carla', email: 'carla@example.com', phone: '+49 30 7654321' }, '2026-11-24T08:00:00Z');
    stack.clock.set('2026-11-24T08:40:00Z');
    try {
      await stack.request('POST', `/v1/staff/tenants/acme/bookings/${first.booking.id}/attendance`, {
        headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' }),
        body: { status: 'attended' },
      });
      await poller.drain();
      // Tuesday 14:40 Berlin: the next open slots are this afternoon, but her habit is mornings.
      stack.clock.set('2026-11-24T13:40:00Z');
      const response = await stack.request('GET', `/v1/bookings/${first.booking.id}/rebook-suggestions`, { headers: { authorization: `Bearer ${first.manageToken}` } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({ providerId: 'p1', usual: { weekday: 'tue', timeOfDay: 'morning', basis: 'history' }, customer: { name: 'Carla', email: 'carla@example.com' } });
      const [best] = response.body.slots as Array<{ start: string; matchesUsual: boolean }>;
      expect(best).toMatchObject({ matchesUsual: true, start: '2026-12-01T08:00:00Z' });
      // Slots that do not match the habit only follow the matching ones.
      const flags = (response.body.slots as Array<{ matchesUsual: boolean }>).map((s) => s.matchesUsual);
      expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
      const wrong = await stack.request('GET', `/v1/bookings/${first.booking.id}/rebook-suggestions`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(404);
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });
});

describe('marketing consent at booking', () => {
  it('is recorded only when the customer ticks it, and a later booking without the tick revokes nothing', async () => {
    const reception = await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
    const lookup = async () => (await stack.request('GET', '/v1/staff/tenants/acme/customers/lookup?email=dora%40example.com', { headers: reception })).body;
    await book({ name: 'Dora', email: 'dora@example.com' }, '2026-11-26T10:00:00Z');
    await poller.drain();
    expect((await lookup()).customer.consent).toEqual({ marketing: false, reviews: false });
    const ticked = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', providerId: 'p2', start: '2026-11-26T11:00:00Z', customer: { name: 'Dora', email: 'dora@example.com', marketingConsent: true, consentTextVersion: 'mk-2026-11' } },
    });
    expect(ticked.status).toBe(201);
    await book({ name: 'Dora', email: 'dora@example.com' }, '2026-11-26T12:00:00Z');
    await poller.drain();
    expect((await lookup()).customer.consent.marketing).toBe(true);
    const profile = await customers.getProfile('acme', customerOf('dora@example.com'));
    expect(profile?.record.consents).toContainEqual(expect.objectContaining({ purpose: 'marketing', granted: true, textVersion: 'mk-2026-11', legalBasis: 'consent' }));
  });
});

describe('customer search', () => {
  const search = async (q: string) =>
    stack.request('GET', `/v1/staff/tenants/acme/customers?q=${encodeURIComponent(q)}`, {
      headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' }),
    });
  const ids = (response: { body: { customers: Array<{ id: string }> } }) => response.body.customers.map((c) => c.id);

  it('finds a customer by the beginning of a name (without accents), an e-mail or a phone number in any format', async () => {
    const ana = customerOf('ana.garcia@example.com');
    // Any word of the name, not only the first (decision 63).
    expect(ids(await search('garc'))).toContain(ana);
    expect(ids(await search('ana gar'))).toContain(ana);
    expect(ids(await search('Ana.Garcia@'))).toContain(ana);
    expect(ids(await search('030 1234'))).toContain(ana);
    expect(ids(await search('+49 30 12'))).toContain(ana);
    expect(ids(await search('0049301234567'))).toContain(ana);
    expect(ids(await search('zz-nobody'))).toEqual([]);
  });

  it('asks for at least two characters', async () => {
    const response = await search('a');
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe('query.q');
  });
});

describe('persona thresholds in the tenant settings', () => {
  it('moves where a badge starts: one no-show of one is a risk once the tenant sets the rate to 10 %', async () => {
    const email = 'tess@example.com';
    const missed = await book({ name: 'Tess', email }, '2026-11-23T09:00:00Z');
    stack.clock.set('2026-11-23T09:40:00Z');
    try {
      const reception = await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
      expect((await stack.request('POST', `/v1/staff/tenants/acme/bookings/${missed.booking.id}/attendance`, { headers: reception, body: { status: 'no_show' } })).status).toBe(200);
      await poller.drain();
      const badges = async () =>
        ((await stack.request('GET', `/v1/staff/tenants/acme/customers/lookup?email=${encodeURIComponent(email)}`, { headers: reception })).body.badges as Array<{ code: string }>).map((b) => b.code);
      // Smoothed, one no-show of one is 18 %: under the default 20 %.
      expect(await badges()).not.toContain('no_show_risk');

      const admin = await stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });
      const bad = await stack.request('PATCH', '/v1/staff/tenants/acme/settings', { headers: admin, body: { customers: { personas: { noShowRiskRate: 2 } } } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error.details)).toContain('noShowRiskRate');
      await stack.request('PATCH', '/v1/staff/tenants/acme/settings', { headers: admin, body: { customers: { timelineRetentionDays: 400 } } });
      const set = await stack.request('PATCH', '/v1/staff/tenants/acme/settings', { headers: admin, body: { customers: { personas: { noShowRiskRate: 0.1 } } } });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(await badges()).toContain('no_show_risk');
      // The other customer setting stays.
      expect((await stack.store.getConfigRecord('acme', 'tenant'))?.data.customers?.timelineRetentionDays).toBe(400);
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });
});

describe("the business's own consent text", () => {
  it('is set in the settings and shown to customers with its version and privacy notice; too short a text is a 400 naming it', async () => {
    const admin = await stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });
    const short = await stack.request('PATCH', '/v1/staff/tenants/acme/settings', { headers: admin, body: { customers: { consent: { version: 'v2', marketing: { de: 'Ja' } } } } });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body.error.details)).toContain('marketing');

    const consent = {
      version: '2026-11',
      marketing: { de: 'Ja, Acme darf mir Angebote per E-Mail schicken. Abmelden geht jederzeit.' },
      privacyUrl: 'https://acme.example/datenschutz',
    };
    expect((await stack.request('PATCH', '/v1/staff/tenants/acme/settings', { headers: admin, body: { customers: { consent } } })).status).toBe(200);
    const tenant = await stack.request('GET', '/v1/tenants/acme');
    expect(tenant.body.consent).toEqual(consent);
  });
});
