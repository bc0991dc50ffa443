import { PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { customerCardSchema, mergeResultSchema, undoMergeResultSchema } from '#shared/api/staff-routes';
import { CustomerStore, ProfileConflictError } from '#functions/adapters/customer-store';
import { customerPk, PROFILE_SK, type StoredProfile, type VersionedProfile } from '#functions/adapters/entities/customer';
import { DynamoStore } from '#functions/adapters/store';
import { mergeCustomers, undoCustomerMerge } from '#functions/app/merges';
import { projectBookingChange } from '#functions/app/projector';
import { applyBookingIdentity, currentConsent } from '#shared/customers/golden-record';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import type { Booking } from '#shared/domain/schemas';
import type { Principal } from '#shared/domain/staff';
import { testTenant } from '#tests/support/fixtures';
import { useProjector } from '#tests/support/projector';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';

/**
 * Profiles under several writers (decision 65), and staff merging probable matches and taking
 * merges back (decision 66), with the projector on the table's real stream as in
 * customers.test.ts. Now is Monday 2026-11-23 08:00 in Berlin.
 */
const NOW = '2026-11-23T07:00:00Z';
const stack = useTestStack({ now: NOW, tenants: [testTenant({ country: 'DE' }), testTenant({ id: 'other', name: 'Other Clinic', country: 'DE' })] });

const poller = useProjector(stack);

const customers = () => new CustomerStore(stack.store.db, stack.tableName);
const customerOf = (email: string) => newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));

function profileOf(email: string, name: string): StoredProfile {
  const customerId = customerOf(email);
  return { record: applyBookingIdentity(undefined, { customerId, tenantId: 'acme', name, email, source: 'online', at: NOW }), updatedAt: NOW };
}

/** A marketing refusal, as the customer's preferences page would record it. */
function withRefusal(profile: VersionedProfile, at: string): StoredProfile {
  const refusal = { purpose: 'marketing' as const, channel: 'email' as const, granted: false, legalBasis: 'consent' as const, source: 'preferences' as const, at };
  return { ...profile, record: { ...profile.record, consents: [...profile.record.consents, refusal] } };
}

/** A booking as the stream delivers it; never written to the table, so only the calls below project it. */
function bookingOf(email: string, id: string, start: string): Booking {
  return {
    id,
    tenantId: 'acme',
    serviceId: 'cut',
    providerId: 'p1',
    start,
    end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    timeZone: 'Europe/Berlin',
    status: 'confirmed',
    customer: { name: 'Rita Revision', email },
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    channel: 'online',
  };
}

describe('profile writes', () => {
  it('let exactly one of two writers holding the same revision win, and tell the other', async () => {
    const store = customers();
    const first = profileOf('two.writers@example.com', 'Two Writers');
    const revision = await store.putProfile(first, null);
    const [a, b] = await Promise.allSettled([
      store.putProfile({ ...first, updatedAt: '2026-11-23T07:01:00Z' }, revision),
      store.putProfile({ ...first, updatedAt: '2026-11-23T07:02:00Z' }, revision),
    ]);

    const outcomes = [a, b].map((result) => result.status);
    expect(outcomes.sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = [a, b].find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ProfileConflictError);
    expect(rejected.reason).toMatchObject({ code: 'concurrent_modification', status: 409 });
    const winner = a.status === 'fulfilled' ? '2026-11-23T07:01:00Z' : '2026-11-23T07:02:00Z';
    expect(await store.getProfile('acme', first.record.customerId)).toMatchObject({ updatedAt: winner, revision: revision + 1 });
  });

  it('create a profile only once when two writers both find none', async () => {
    const store = customers();
    const profile = profileOf('both.create@example.com', 'Both Create');
    const results = await Promise.allSettled([store.putProfile(profile, null), store.putProfile(profile, null)]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await store.getProfile('acme', profile.record.customerId))?.revision).toBe(1);
  });

  it('read a profile written before revisions as revision 0, which one writer may replace', async () => {
    const store = customers();
    const profile = profileOf('legacy@example.com', 'Legacy Profile');
    await stack.store.db.send(
      new PutCommand({ TableName: stack.tableName, Item: { PK: customerPk('acme', profile.record.customerId), SK: PROFILE_SK, type: 'customerProfile', ...profile } }),
    );

    const read = await store.getProfile('acme', profile.record.customerId);
    expect(read?.revision).toBe(0);
    expect(await store.putProfile(read!, 0)).toBe(1);
    await expect(store.putProfile(read!, 0)).rejects.toBeInstanceOf(ProfileConflictError);
  });

  it('keep what another writer wrote while the projector was working: it starts over and applies both', async () => {
    const email = 'rita.revision@example.com';
    const id = customerOf(email);
    const plain = customers();
    const deps = { store: stack.store, clock: stack.clock, customers: plain };
    await projectBookingChange(deps, { before: undefined, after: bookingOf(email, 'bk_revisionrace0001', '2026-11-24T09:00:00.000Z') });

    // Between the projector's read and its write, the customer refuses marketing mail.
    let interfered = 0;
    class RacingStore extends CustomerStore {
      override async getProfile(tenantId: string, customerId: string) {
        const read = await super.getProfile(tenantId, customerId);
        if (read && interfered++ === 0) await plain.putProfile(withRefusal(read, '2026-11-23T07:00:30Z'), read.revision);
        return read;
      }
    }
    const racing = { ...deps, customers: new RacingStore(stack.store.db, stack.tableName) };
    await projectBookingChange(racing, { before: undefined, after: bookingOf(email, 'bk_revisionrace0002', '2026-11-25T09:00:00.000Z') });

    const profile = await plain.getProfile('acme', id);
    expect(interfered).toBe(2);
    expect(currentConsent(profile!.record, 'marketing', 'email')).toBe(false);
    expect(profile?.record.consents.filter((c) => c.source === 'preferences')).toHaveLength(1);
    expect(profile?.traits).toMatchObject({ bookings: 2 });
    // Created, the refusal, the second projection.
    expect(profile?.revision).toBe(3);
  });

  it('give up after a few attempts when the profile keeps changing, so the stream retries the record', async () => {
    const email = 'always.busy@example.com';
    const plain = customers();
    const deps = { store: stack.store, clock: stack.clock, customers: plain };
    await projectBookingChange(deps, { before: undefined, after: bookingOf(email, 'bk_revisionbusy0001', '2026-11-24T10:00:00.000Z') });
    let reads = 0;
    class BusyStore extends CustomerStore {
      override async getProfile(tenantId: string, customerId: string) {
        const read = await super.getProfile(tenantId, customerId);
        reads += 1;
        if (read) await plain.putProfile(read, read.revision);
        return read;
      }
    }

    await expect(
      projectBookingChange({ ...deps, customers: new BusyStore(stack.store.db, stack.tableName) }, { before: undefined, after: bookingOf(email, 'bk_revisionbusy0002', '2026-11-25T10:00:00.000Z') }),
    ).rejects.toBeInstanceOf(ProfileConflictError);
    expect(reads).toBe(4);
  });
});

// ---------------------------------------------------------------------------------------------
// Merges (decision 66)

const reception = () => stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
const admin = () => stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });
const adminPrincipal: Principal = { userId: 'merge-test-admin', tenantId: 'acme', roles: new Set(['admin']) };

async function book(customer: Record<string, unknown>, start: string, tenantId = 'acme') {
  const response = await stack.request('POST', `/v1/tenants/${tenantId}/bookings`, { body: { serviceId: 'cut', providerId: 'p1', start, customer } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.booking.id as string;
}

const card = async (customerId: string) => stack.request('GET', `/v1/staff/tenants/acme/customers/${customerId}`, { headers: await reception() });
const merge = async (customerId: string, otherCustomerId: string, headers?: Record<string, string>) =>
  stack.request('POST', `/v1/staff/tenants/acme/customers/${customerId}/merge`, { headers: headers ?? (await reception()), body: { otherCustomerId } });
const undo = async (customerId: string, otherCustomerId: string) =>
  stack.request('POST', `/v1/staff/tenants/acme/customers/${customerId}/merges/${otherCustomerId}/undo`, { headers: await admin() });
const lookup = async (email: string) => stack.request('GET', `/v1/staff/tenants/acme/customers/lookup?email=${encodeURIComponent(email)}`, { headers: await reception() });
const bookingIdsIn = (timeline: Array<Record<string, unknown>>) => [...new Set(timeline.map((e) => e.bookingId))].sort();

describe('merging probable matches', () => {
  const ana = customerOf('ana.garcia@example.com');
  const work = customerOf('ana@work.example');
  const anaBookings: string[] = [];
  const workBookings: string[] = [];

  it('starts from one customer for two spellings of an e-mail, and a probable match by phone in two formats', async () => {
    anaBookings.push(await book({ name: 'Ana García', email: 'Ana.Garcia@Example.com', phone: '+49 30 1234567', marketingConsent: true }, '2026-11-24T09:00:00Z'));
    anaBookings.push(await book({ name: 'Ana García', email: 'ana.garcia@example.com ' }, '2026-11-25T09:00:00Z'));
    workBookings.push(await book({ name: 'A. García', email: 'ana@work.example', phone: '+49 30 1234567' }, '2026-11-26T09:00:00Z'));
    workBookings.push(await book({ name: 'A. García', email: 'ana@work.example', phone: '030 1234567' }, '2026-11-27T09:00:00Z'));
    await poller.drain();

    const response = await card(work);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.customer.probableMatches).toEqual([
      { id: ana, name: 'Ana García', emails: ['ana.garcia@example.com'], phones: ['+49301234567'], bookings: 2 },
    ]);
    expect(response.body.customer.merges).toEqual([]);
    expect(bookingIdsIn((await card(ana)).body.timeline)).toEqual([...anaBookings].sort());
  });

  it('refuses to merge a customer with itself, an unknown id, or another tenant\'s customer', async () => {
    const otherTenants = newCustomerId(customerIdSeed('other', { kind: 'email', value: 'ana@work.example' }));
    await book({ name: 'A. García', email: 'ana@work.example' }, '2026-11-24T10:00:00Z', 'other');
    await poller.drain();
    expect(await customers().getProfile('other', otherTenants)).toBeDefined();

    const itself = await merge(ana, ana);
    const unknown = await merge(ana, 'cus_aaaaaaaaaaaaaaaaaaaaaaaaaa');
    const foreign = await merge(ana, otherTenants);

    expect([itself.status, itself.body.error.code, itself.body.error.details.field]).toEqual([400, 'invalid_request', 'body.otherCustomerId']);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'customer_not_found']);
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'customer_not_found']);
    expect((await customers().getProfile('other', otherTenants))?.mergedInto).toBeUndefined();
  });

  it('makes one golden record with every booking on the timeline when reception confirms', async () => {
    const response = await merge(ana, work);

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(mergeResultSchema.parse(response.body)).toMatchObject({
      customerId: ana,
      mergedCustomerId: work,
      // The phone was Ana's already; only the work address moves.
      movedIdentities: [{ kind: 'email', value: 'ana@work.example' }],
      copiedEvents: 2,
    });
    const merged = await card(ana);
    expect(customerCardSchema.safeParse(merged.body).error).toBeUndefined();
    expect(merged.body.customer).toMatchObject({
      id: ana,
      emails: expect.arrayContaining(['ana.garcia@example.com', 'ana@work.example']),
      phones: ['+49301234567'],
      probableMatches: [],
      merges: [{ customerId: work, mergedAt: expect.any(String) }],
    });
    expect(merged.body.customer.emails).toHaveLength(2);
    expect(bookingIdsIn(merged.body.timeline)).toEqual([...anaBookings, ...workBookings].sort());
    expect(merged.body.traits).toMatchObject({ bookings: 4 });
    // Ana opted in to marketing, the work address never did: the stricter answer wins.
    expect(merged.body.customer.consent.marketing).toBe(false);
  });

  it('answers for the merged customer with the one it went into, by id, e-mail and search', async () => {
    const byId = await card(work);
    const byEmail = await lookup('ana@work.example');
    const search = await stack.request('GET', `/v1/staff/tenants/acme/customers?q=${encodeURIComponent('garc')}`, { headers: await reception() });

    expect(byId.status).toBe(200);
    expect(byId.body.customer.id).toBe(ana);
    expect(byEmail.body.customer.id).toBe(ana);
    expect(search.body.customers.map((c: { id: string }) => c.id)).toContain(ana);
    expect(search.body.customers.map((c: { id: string }) => c.id)).not.toContain(work);
  });

  it('puts a later booking with the merged customer\'s e-mail on the one it went into', async () => {
    workBookings.push(await book({ name: 'A. García', email: 'ana@work.example' }, '2026-11-30T09:00:00Z'));
    await poller.drain();

    expect(bookingIdsIn((await card(ana)).body.timeline)).toEqual([...anaBookings, ...workBookings].sort());
    expect((await customers().getProfile('acme', work))?.mergedInto).toBe(ana);
    expect((await customers().listEvents('acme', work)).map((e) => e.bookingId)).not.toContain(workBookings[2]);
  });

  it('refuses to merge an already merged customer again, or into one', async () => {
    const again = await merge(ana, work);
    const into = await merge(work, customerOf('two.writers@example.com'));

    expect([again.status, again.body.error.code, again.body.error.details.mergedInto]).toEqual([409, 'customer_merged', ana]);
    expect([into.status, into.body.error.code]).toEqual([409, 'customer_merged']);
  });

  it('writes who merged whom, and when, to the audit trail without personal data', async () => {
    const audit = (await scanAll(stack.store)).filter((item) => item.PK === 'T#acme#AUDIT' && String(item.SK).startsWith('MERGE#'));

    expect(audit).toEqual([expect.objectContaining({ action: 'merge', customerId: ana, mergedCustomerId: work, actor: { userId: 'test-reception', role: 'reception' } })]);
    expect(JSON.stringify(audit)).not.toMatch(/ana@work|garc/i);
  });

  it('splits them again on undo: two customers, each with their own bookings, identities and consent', async () => {
    const unknown = await undo(ana, customerOf('two.writers@example.com'));
    const response = await undo(ana, work);

    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'merge_not_found']);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(undoMergeResultSchema.parse(response.body)).toMatchObject({
      customerId: ana,
      restoredCustomerId: work,
      restoredIdentities: [{ kind: 'email', value: 'ana@work.example' }],
      removedEvents: 2,
      // The booking made with the work address while they were one goes back with it.
      returnedEvents: 1,
    });
    const [anaCard, workCard] = [await card(ana), await card(work)];
    expect(anaCard.body.customer).toMatchObject({ id: ana, emails: ['ana.garcia@example.com'], merges: [] });
    expect(anaCard.body.customer.consent.marketing).toBe(true);
    expect(bookingIdsIn(anaCard.body.timeline)).toEqual([...anaBookings].sort());
    expect(anaCard.body.traits).toMatchObject({ bookings: 2 });
    expect(workCard.body.customer).toMatchObject({ id: work, emails: ['ana@work.example'] });
    expect(workCard.body.customer.probableMatches.map((m: { id: string }) => m.id)).toEqual([ana]);
    expect(bookingIdsIn(workCard.body.timeline)).toEqual([...workBookings].sort());
    expect(workCard.body.traits).toMatchObject({ bookings: 3 });
    expect((await lookup('ana@work.example')).body.customer.id).toBe(work);
    expect(await customers().getMerge('acme', ana, work)).toBeUndefined();
  });

  it('lets the projector write both customers again after the undo', async () => {
    workBookings.push(await book({ name: 'A. García', email: 'ana@work.example' }, '2026-12-01T09:00:00Z'));
    await poller.drain();

    expect(bookingIdsIn((await card(work)).body.timeline)).toEqual([...workBookings].sort());
    expect((await card(ana)).body.traits).toMatchObject({ bookings: 2 });
  });
});

/** The table client, failing every TransactWriteItems after the first `allowed`: a function dying half-way. */
function dyingAfter(allowed: number): { store: DynamoStore; transactions: () => number } {
  let count = 0;
  const db = new Proxy(stack.store.db, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (command instanceof TransactWriteCommand && ++count > allowed) throw new Error('the function timed out');
        return target.send(command as never);
      };
    },
  });
  return { store: new DynamoStore(stack.store.client, db, stack.tableName, { configTtlMs: 0 }), transactions: () => count };
}

describe('a merge larger than one transaction', () => {
  const big = customerOf('many.visits@example.com');
  const small = customerOf('few.visits@example.com');

  it('is finished by repeating it after the function died between its transactions, and undone likewise', async () => {
    for (const [i, day] of ['07', '08', '09'].entries()) await book({ name: 'Vera Visits', email: 'many.visits@example.com' }, `2026-12-${day}T${10 + i}:00:00Z`);
    for (const [i, day] of ['14', '15', '16', '17'].entries()) await book({ name: 'Vera Visits', email: 'few.visits@example.com' }, `2026-12-${day}T${10 + i}:00:00Z`);
    await poller.drain();
    const options = { maxTransactItems: 6 };

    // Profile, pointer, one identity, audit and the MERGE# item leave room for one copy in the first transaction.
    const dying = dyingAfter(1);
    await expect(mergeCustomers({ ...stack.deps, store: dying.store }, adminPrincipal, 'acme', big, small, options)).rejects.toThrow('timed out');
    expect(await customers().getMerge('acme', big, small)).toMatchObject({ complete: false, copiedEventSks: expect.any(Array) });
    expect((await customers().listEvents('acme', big)).length).toBe(4);

    const finished = await mergeCustomers(stack.deps, adminPrincipal, 'acme', big, small, options);
    expect(finished).toMatchObject({ customerId: big, mergedCustomerId: small, copiedEvents: 4 });
    expect(await customers().getMerge('acme', big, small)).toMatchObject({ complete: true });
    expect((await customers().listEvents('acme', big)).length).toBe(7);

    const undying = dyingAfter(1);
    await expect(undoCustomerMerge({ ...stack.deps, store: undying.store }, adminPrincipal, 'acme', big, small, options)).rejects.toThrow('timed out');
    expect(await customers().getMerge('acme', big, small)).toMatchObject({ undoneAt: expect.any(String) });
    const undone = await undoCustomerMerge(stack.deps, adminPrincipal, 'acme', big, small, options);
    expect(undone).toMatchObject({ restoredCustomerId: small });
    expect((await customers().listEvents('acme', big)).length).toBe(3);
    expect((await customers().listEvents('acme', small)).length).toBe(4);
    expect(await customers().getMerge('acme', big, small)).toBeUndefined();
    expect((await customers().getProfile('acme', small))?.mergedInto).toBeUndefined();
  });
});
