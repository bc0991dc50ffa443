import { describe, expect, it } from 'vitest';
import { customerExportSchema, erasureResultSchema } from '#shared/api/staff-routes';
import { ERASED_NAME } from '#shared/customers/erasure';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import { testTenant } from '#tests/support/fixtures';
import { useProjector } from '#tests/support/projector';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';

/**
 * Export and erasure of a customer (decision 50), with the projector driven by the table's real
 * stream as in customers.test.ts. Now is Monday 2026-11-23 08:00 in Berlin.
 */
const nine18 = [['09:00', '18:00']] as Array<[string, string]>;
const stack = useTestStack({
  now: '2026-11-23T07:00:00Z',
  tenants: [testTenant({ country: 'DE', openingHours: { mon: nine18, tue: nine18, wed: nine18, thu: nine18, fri: nine18, sat: [], sun: [] } })],
});

const poller = useProjector(stack);

const NAME = 'Greta Privatova';
const EMAIL_TYPED = 'Greta.Privatova@Example.com';
const EMAIL = 'greta.privatova@example.com';
const PHONE_INTL = '+49 30 7654321';
const PHONE_NATIONAL = '030 7654321';
const PHONE_E164 = '+49307654321';
const customerId = newCustomerId(customerIdSeed('acme', { kind: 'email', value: EMAIL }));
const admin = () => stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });
const manage = (token: string) => ({ authorization: `Bearer ${token}` });
/** The customer's own export, as the link mailed by POST /v1/bookings/{id}/data-export opens it (data-export.test.ts sends the mail). */
const ownExport = (bookingId: string, customer = customerId) =>
  stack.request('GET', `/v1/data-exports/${stack.deps.links.dataExportToken({ tenantId: 'acme', customerId: customer, bookingId, expiresAt: '2026-11-24T07:00:00Z' })}`);

/** Every spelling of the customer a leak could take, lower-cased. */
const traces = [NAME, 'greta', 'privatova', EMAIL, PHONE_E164, PHONE_INTL, PHONE_NATIONAL, '307654321', '30 7654321'].map((t) => t.toLowerCase());
const leaksIn = (items: Record<string, unknown>[]) =>
  items.flatMap((item) => {
    const text = JSON.stringify(item).toLowerCase();
    const found = traces.filter((t) => text.includes(t));
    return found.length ? [{ PK: item.PK, SK: item.SK, found }] : [];
  });

const bookings: Array<{ id: string; manageToken?: string }> = [];

describe('a customer\'s data rights', () => {
  it('exports every kind of item held about the customer', async () => {
    const online = await stack.request('POST', '/v1/tenants/acme/bookings', {
      headers: { 'idempotency-key': 'privacy-order-1' },
      body: { serviceId: 'cut', providerId: 'p1', start: '2026-11-24T09:00:00Z', customer: { name: NAME, email: EMAIL_TYPED, phone: PHONE_INTL } },
    });
    expect(online.status, JSON.stringify(online.body)).toBe(201);
    bookings.push({ id: online.body.booking.id, manageToken: online.body.manageToken });
    const byReception = await stack.request('POST', '/v1/staff/tenants/acme/bookings', {
      headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' }),
      body: {
        serviceId: 'cut',
        providerId: 'p1',
        start: '2026-11-25T10:00:00Z',
        customer: { name: NAME, email: EMAIL, phone: PHONE_NATIONAL },
        notes: `${NAME} asked for the window seat; call ${PHONE_NATIONAL}`,
      },
    });
    expect(byReception.status, JSON.stringify(byReception.body)).toBe(201);
    bookings.push({ id: byReception.body.booking.id });
    const cancelled = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', providerId: 'p1', start: '2026-11-26T11:00:00Z', customer: { name: NAME, email: EMAIL } },
    });
    expect(cancelled.status).toBe(201);
    bookings.push({ id: cancelled.body.booking.id, manageToken: cancelled.body.manageToken });
    const cancel = await stack.request('POST', `/v1/bookings/${cancelled.body.booking.id}/cancel`, {
      headers: manage(cancelled.body.manageToken),
      body: { reason: `${NAME} is travelling` },
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    await poller.drain();

    const response = await stack.request('GET', `/v1/staff/tenants/acme/customers/${customerId}/export`, { headers: await admin() });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const data = customerExportSchema.parse(response.body);
    expect(data.customerId).toBe(customerId);
    expect(data.profile).toMatchObject({ record: { name: { value: NAME }, emails: [{ value: EMAIL }], phones: [{ value: PHONE_E164 }], consents: expect.any(Array) } });
    expect(data.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([`email:${EMAIL}`, `phone:${PHONE_E164}`]);
    expect(data.timeline.map((e) => e.type).sort()).toEqual(['booked', 'booked', 'booked', 'cancelled']);
    expect(data.bookings.map((b) => b.booking.id).sort()).toEqual(bookings.map((b) => b.id).sort());
    expect(data.bookings.every((b) => b.history.length >= 1)).toBe(true);
    expect(data.messages.some((m) => m.audience === 'customer' && m.kind === 'reminder')).toBe(true);
    expect(data.messages.some((m) => m.audience === 'customer' && m.kind === 'booking_confirmed')).toBe(true);
    expect(data.suppressions).toEqual([{ email: EMAIL, suppressed: false, erasedBefore: false }]);
  });

  it('gives the customer the same export through a mailed data-export link, and refuses an altered one', async () => {
    const mine = bookings[0]!;
    const own = await ownExport(mine.id);
    const token = stack.deps.links.dataExportToken({ tenantId: 'acme', customerId, bookingId: mine.id, expiresAt: '2026-11-24T07:00:00Z' });
    const altered = await stack.request('GET', `/v1/data-exports/${token.replace(customerId, newCustomerId('someone else'))}`);

    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(customerExportSchema.parse(own.body)).toMatchObject({ customerId, bookings: expect.any(Array) });
    expect(own.body.bookings).toHaveLength(3);
    expect(altered.status).toBe(401);
    expect(altered.body.error.code).toBe('export_link_invalid');
  });

  it('erases the customer so that no trace of name, e-mail or phone is left anywhere in the table', async () => {
    const before = leaksIn(await scanAll(stack.store));
    expect(before.some((l) => String(l.PK).startsWith('IDEMPOTENCY#'))).toBe(true);

    const response = await stack.request('POST', `/v1/staff/tenants/acme/customers/${customerId}/erase`, {
      headers: await admin(),
      body: { reason: 'written request of 2026-11-22' },
    });
    // The anonymised bookings go through the stream too: the projector must not rebuild them.
    await poller.drain();

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(erasureResultSchema.parse(response.body)).toMatchObject({
      customerId,
      alreadyErased: false,
      counts: { profiles: 1, identities: 2, events: 4, bookings: 3, idempotencyRecords: 1 },
    });
    expect(response.body.counts.messages).toBeGreaterThan(0);
    expect(leaksIn(await scanAll(stack.store))).toEqual([]);
  });

  it('keeps the bookings\' times, service, provider, status and day-sheet claims', async () => {
    const items = await scanAll(stack.store);
    const stored = bookings.map(({ id }) => items.find((item) => item.PK === `BK#${id}` && item.SK === 'BOOKING')!);

    expect(stored.map((b) => [b.start, b.serviceId, b.providerId, b.status])).toEqual([
      ['2026-11-24T09:00:00.000Z', 'cut', 'p1', 'confirmed'],
      ['2026-11-25T10:00:00.000Z', 'cut', 'p1', 'confirmed'],
      ['2026-11-26T11:00:00.000Z', 'cut', 'p1', 'cancelled'],
    ].map(([start, ...rest]) => [expect.stringMatching(new RegExp(`^${start!.slice(0, 16)}`)), ...rest]));
    for (const booking of stored) {
      expect((booking.customer as { name: string }).name).toBe(ERASED_NAME);
      expect((booking.customer as { email: string }).email).toMatch(/^erased\+[0-9a-f]{16}@erased\.invalid$/);
      expect(booking).not.toHaveProperty('notes');
      expect(booking).not.toHaveProperty('cancelReason');
    }
    const owners = items.filter((item) => item.PK === 'T#acme#PRV#p1' && String(item.SK).startsWith('DAY#')).flatMap((sheet) => Object.values(sheet));
    expect(owners).toContain(bookings[0]!.id);
    expect(owners).toContain(bookings[1]!.id);
    expect(items.some((item) => String(item.PK).startsWith('MSG#') && String(item.PK).includes(bookings[0]!.id))).toBe(false);
  });

  it('audits the erasure with actor, reason and counts, and remembers the address only as a hash', async () => {
    const items = await scanAll(stack.store);
    const audit = items.filter((item) => item.PK === 'T#acme#AUDIT' && String(item.SK).endsWith(`#${customerId}`));
    const marker = items.filter((item) => String(item.PK).startsWith('T#acme#ERASED#'));

    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ reason: 'written request of 2026-11-22', actor: { role: 'admin' }, counts: { bookings: 3 } });
    expect(marker).toHaveLength(1);
    expect(String(marker[0]!.PK)).toMatch(/^T#acme#ERASED#[0-9a-f]{64}$/);
  });

  it('answers 200 to a second erasure, and 404 to an export of the erased customer', async () => {
    const again = await stack.request('POST', `/v1/staff/tenants/acme/customers/${customerId}/erase`, { headers: await admin(), body: { reason: 'asked twice' } });
    const exported = await stack.request('GET', `/v1/staff/tenants/acme/customers/${customerId}/export`, { headers: await admin() });
    const own = await ownExport(bookings[0]!.id);

    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ alreadyErased: true, counts: { profiles: 0, bookings: 0 } });
    expect(exported.status).toBe(404);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ customerId: null, profile: null, bookings: [{ booking: { customer: { name: ERASED_NAME } } }] });
    expect(leaksIn(await scanAll(stack.store))).toEqual([]);
  });

  it('exports the booking itself when the projector has not seen its customer yet', async () => {
    const fresh = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', providerId: 'p1', start: '2026-11-27T09:00:00Z', customer: { name: 'Unseen Person', email: 'unseen@example.com' } },
    });
    // Straight away: the poller has not projected the booking yet (it polls every 50 ms).
    const own = await ownExport(fresh.body.booking.id, newCustomerId(customerIdSeed('acme', { kind: 'email', value: 'unseen@example.com' })));

    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.bookings.map((b: { booking: { id: string } }) => b.booking.id)).toEqual([fresh.body.booking.id]);
    await poller.drain();
  });
});

describe('erasure of a merged customer', () => {
  const home = 'mirela.zusammen@example.com';
  const office = 'mz@office.example';
  const winner = newCustomerId(customerIdSeed('acme', { kind: 'email', value: home }));
  const loser = newCustomerId(customerIdSeed('acme', { kind: 'email', value: office }));
  const mergedTraces = ['mirela', 'zusammen', home, office, '+49305550123', '305550123', '30 5550123'];
  const mergedLeaksIn = (items: Record<string, unknown>[]) =>
    items.flatMap((item) => {
      const text = JSON.stringify(item).toLowerCase();
      const found = mergedTraces.filter((t) => text.includes(t));
      return found.length ? [{ PK: item.PK, SK: item.SK, found }] : [];
    });
  const erase = async (id: string) => stack.request('POST', `/v1/staff/tenants/acme/customers/${id}/erase`, { headers: await admin(), body: { reason: 'asked by the customer' } });

  it('refuses the id merged away, and erases both records, the merge and every copy through the one it went into', async () => {
    for (const [email, phone, start] of [
      [home, '+49 30 5550123', '2026-12-02T09:00:00Z'],
      [office, '030 5550123', '2026-12-03T09:00:00Z'],
    ] as const) {
      const booked = await stack.request('POST', '/v1/tenants/acme/bookings', { body: { serviceId: 'cut', providerId: 'p1', start, customer: { name: 'Mirela Zusammen', email, phone } } });
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    }
    await poller.drain();
    const merged = await stack.request('POST', `/v1/staff/tenants/acme/customers/${winner}/merge`, { headers: await admin(), body: { otherCustomerId: loser } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const exported = await stack.request('GET', `/v1/staff/tenants/acme/customers/${loser}/export`, { headers: await admin() });
    expect(exported.body).toMatchObject({ customerId: winner, merges: [{ mergedCustomerId: loser }] });
    expect(exported.body.bookings).toHaveLength(2);
    expect(mergedLeaksIn(await scanAll(stack.store)).length).toBeGreaterThan(0);

    const refused = await erase(loser);
    const erased = await erase(winner);
    await poller.drain();

    expect([refused.status, refused.body.error.code, refused.body.error.details.mergedInto]).toEqual([409, 'customer_merged', winner]);
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.counts).toMatchObject({ profiles: 2, bookings: 2 });
    expect(mergedLeaksIn(await scanAll(stack.store))).toEqual([]);
    expect((await erase(loser)).body).toMatchObject({ alreadyErased: true });
  });
});
