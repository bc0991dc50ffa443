import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { CustomerStore, ProfileConflictError } from '#functions/adapters/customer-store';
import { customerPk, PROFILE_SK, type StoredProfile, type VersionedProfile } from '#functions/adapters/entities/customer';
import { projectBookingChange } from '#functions/app/projector';
import { applyBookingIdentity, currentConsent } from '#shared/customers/golden-record';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import type { Booking } from '#shared/domain/schemas';
import { testTenant } from '#tests/support/fixtures';
import { useTestStack } from '#tests/support/stack';

/**
 * Profiles under several writers (decision 65). Now is Monday 2026-11-23 08:00 in Berlin.
 */
const NOW = '2026-11-23T07:00:00Z';
const stack = useTestStack({ now: NOW, tenants: [testTenant({ country: 'DE' })] });

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
