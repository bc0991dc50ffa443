import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBookingIdentity,
  consentChannels,
  consentPurposes,
  currentConsent,
  mergeRecords,
  undoMerge,
  type BookingIdentity,
} from '#shared/customers/golden-record';
import {
  base32,
  customerIdSeed,
  identityKeys,
  newCustomerId,
  normaliseEmail,
  normalisePhone,
  resolveCustomer,
  sha256,
  type IdentityKey,
} from '#shared/customers/identity';
import type { ConsentRecord, GoldenRecord, Sourced } from '#shared/customers/types';
import { DomainError } from '#shared/domain/errors';

const TENANT = 'studio-berlin';

/**
 * A toy customer store keyed like the real one (tenant, key kind, key value → customer id), so the
 * "done when" scenario runs the way the projector will: look up the keys, resolve, then record the
 * new customer's keys — the phone only once staff confirm.
 */
function createStore() {
  const owners = new Map<string, string>();
  const key = (k: IdentityKey) => customerIdSeed(TENANT, k);
  return {
    lookup(keys: IdentityKey[]) {
      const find = (kind: IdentityKey['kind']) => {
        const k = keys.find((candidate) => candidate.kind === kind);
        return k === undefined ? undefined : owners.get(key(k));
      };
      return { byEmail: find('email'), byPhone: find('phone') };
    },
    claim(customerId: string, keys: IdentityKey[]) {
      for (const k of keys) if (!owners.has(key(k))) owners.set(key(k), customerId);
    },
  };
}

describe('normaliseEmail', () => {
  it('trims and lower-cases, so differently typed addresses are one key', () => {
    expect(normaliseEmail('Ana.Garcia@Example.com')).toBe('ana.garcia@example.com');
    expect(normaliseEmail('  ana.garcia@example.com ')).toBe('ana.garcia@example.com');
  });

  it('keeps dots and +tags, which can be different mailboxes', () => {
    expect(normaliseEmail('Ana.Garcia+spa@example.com')).toBe('ana.garcia+spa@example.com');
    expect(normaliseEmail('anagarcia@example.com')).not.toBe(normaliseEmail('ana.garcia@example.com'));
  });

  it.each(['', '   ', 'ana', 'ana@', '@example.com', 'ana garcia@example.com', 'ana@example', `${'a'.repeat(250)}@example.com`])('rejects %j', (raw) => {
    expect(normaliseEmail(raw)).toBeUndefined();
  });

  it('rejects missing values', () => {
    expect(normaliseEmail(undefined)).toBeUndefined();
    expect(normaliseEmail(null)).toBeUndefined();
  });
});

describe('normalisePhone', () => {
  it.each([
    ['+49 30 1234567', undefined, '+49301234567'],
    ['030 1234567', 'DE', '+49301234567'],
    ['+49 (30) 123-4567', undefined, '+49301234567'],
    ['0049 30 1234567', 'DE', '+49301234567'],
    ['0049 30 1234567', undefined, '+49301234567'],
    ['0049 30 1234567', 'US', '+49301234567'],
    ['0151 23456789', 'DE', '+4915123456789'],
    ['612 34 56 78', 'ES', '+34612345678'],
    ['+34 912 345 678', 'DE', '+34912345678'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['415.555.2671', 'US', '+14155552671'],
    ['98765 43210', 'IN', '+919876543210'],
    ['+91 98765-43210', undefined, '+919876543210'],
    ['02 9374 4000', 'AU', '+61293744000'],
    ['0412 345 678', 'AU', '+61412345678'],
  ] as const)('reads %j (country %s) as %s', (raw, country, e164) => {
    expect(normalisePhone(raw, country)).toBe(e164);
  });

  it.each([
    ['030 1234567', undefined],
    ['12', 'DE'],
    ['+49 123', 'DE'],
    ['+1 555 555 5555', undefined],
    ['555-0100', 'US'],
    ['abc', 'DE'],
    ['030 1234567 call after 5', 'DE'],
    ['+49 30 1234567 ext. 12', undefined],
    ['', 'DE'],
  ] as const)('rejects %j (country %s)', (raw, country) => {
    expect(normalisePhone(raw, country)).toBeUndefined();
  });

  it('rejects missing values', () => {
    expect(normalisePhone(undefined, 'DE')).toBeUndefined();
    expect(normalisePhone(null, 'DE')).toBeUndefined();
  });
});

describe('identityKeys', () => {
  it('lists the normalised e-mail first, then the phone', () => {
    expect(identityKeys({ email: ' Ana.Garcia@Example.com', phone: '030 1234567' }, 'DE')).toEqual([
      { kind: 'email', value: 'ana.garcia@example.com' },
      { kind: 'phone', value: '+49301234567' },
    ]);
  });

  it('leaves out what is missing or invalid', () => {
    expect(identityKeys({ email: 'not an address', phone: '+49 30 1234567' })).toEqual([{ kind: 'phone', value: '+49301234567' }]);
    expect(identityKeys({ email: 'ana@example.com', phone: '030 1234567' })).toEqual([{ kind: 'email', value: 'ana@example.com' }]);
    expect(identityKeys({})).toEqual([]);
  });
});

describe('resolveCustomer', () => {
  const keys = identityKeys({ email: 'ana@example.com', phone: '+49 30 1234567' });

  it('takes an e-mail match as the customer', () => {
    expect(resolveCustomer({ byEmail: 'cus_a' }, TENANT, keys)).toEqual({ kind: 'existing', customerId: 'cus_a' });
  });

  it('creates a customer when nothing matches, with an id derived from the e-mail', () => {
    expect(resolveCustomer({}, TENANT, keys)).toEqual({ kind: 'new', customerId: newCustomerId(`${TENANT}\0email\0ana@example.com`) });
  });

  it('never adopts a phone-only match: a new customer with the phone owner as probable match', () => {
    expect(resolveCustomer({ byPhone: 'cus_p' }, TENANT, keys)).toEqual({ kind: 'new', customerId: newCustomerId(`${TENANT}\0email\0ana@example.com`), probableMatch: 'cus_p' });
  });

  it('lets the e-mail win when e-mail and phone name different customers, keeping the phone owner as probable', () => {
    expect(resolveCustomer({ byEmail: 'cus_a', byPhone: 'cus_p' }, TENANT, keys)).toEqual({ kind: 'existing', customerId: 'cus_a', probableMatch: 'cus_p' });
  });

  it('reports no probable match when both keys name the same customer', () => {
    expect(resolveCustomer({ byEmail: 'cus_a', byPhone: 'cus_a' }, TENANT, keys)).toEqual({ kind: 'existing', customerId: 'cus_a' });
  });

  it('refuses to create a customer without any key', () => {
    expect(() => resolveCustomer({}, TENANT, [])).toThrow(DomainError);
  });

  it('resolves the issue\'s four sightings of Ana to one customer, the phone ones as probable until confirmed', () => {
    const store = createStore();
    const sightings = [
      identityKeys({ email: 'Ana.Garcia@Example.com', phone: '+49 30 1234567' }, 'DE'),
      identityKeys({ email: 'ana.garcia@example.com ' }, 'DE'),
      identityKeys({ phone: '+49 30 1234567' }, 'DE'),
      identityKeys({ phone: '030 1234567' }, 'DE'),
    ];

    const first = resolveCustomer(store.lookup(sightings[0]!), TENANT, sightings[0]!);
    // The new customer owns its e-mail at once; its phone only after staff confirm (done here, as
    // both came from the same booking form).
    store.claim(first.customerId, sightings[0]!);
    const rest = sightings.slice(1).map((keys) => resolveCustomer(store.lookup(keys), TENANT, keys));

    expect(first.kind).toBe('new');
    expect(rest[0]).toEqual({ kind: 'existing', customerId: first.customerId });
    expect(rest[1]).toMatchObject({ kind: 'new', probableMatch: first.customerId });
    expect(rest[2]).toMatchObject({ kind: 'new', probableMatch: first.customerId });
    // Both phone spellings are the same key, hence the same would-be id.
    expect(rest[1]?.customerId).toBe(rest[2]?.customerId);
  });
});

describe('newCustomerId', () => {
  it('is deterministic, so a replayed stream creates the same customer', () => {
    expect(newCustomerId('t\0email\0ana@example.com')).toBe(newCustomerId('t\0email\0ana@example.com'));
    expect(newCustomerId('t\0email\0ana@example.com')).toMatch(/^cus_[a-z2-7]{26}$/);
  });

  it('differs per tenant and per key kind', () => {
    const ids = new Set([
      newCustomerId(customerIdSeed('a', { kind: 'email', value: 'x@example.com' })),
      newCustomerId(customerIdSeed('b', { kind: 'email', value: 'x@example.com' })),
      newCustomerId(customerIdSeed('a', { kind: 'phone', value: 'x@example.com' })),
    ]);
    expect(ids.size).toBe(3);
  });

  it('is the first 128 bits of the seed\'s SHA-256 in base32', () => {
    const digest = createHash('sha256').update('seed').digest().subarray(0, 16);
    expect(newCustomerId('seed')).toBe(`cus_${base32(digest)}`);
  });

  it('encodes base32 as RFC 4648 does (lower case, unpadded)', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((text) => base32(bytes(text)))).toEqual([
      '',
      'my',
      'mzxq',
      'mzxw6',
      'mzxw6yq',
      'mzxw6ytb',
      'mzxw6ytboi',
    ]);
  });

  it('hashes exactly as SHA-256 does, across block boundaries and multi-byte characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.integer({ min: 50, max: 130 }).map((n) => 'a'.repeat(n))), (text) => {
        expect(Buffer.from(sha256(text)).toString('hex')).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

const booking = (overrides: Partial<BookingIdentity> = {}): BookingIdentity => ({
  customerId: 'cus_ana',
  tenantId: TENANT,
  name: 'Ana Garcia',
  email: 'Ana.Garcia@Example.com',
  source: 'online',
  at: '2026-03-01T10:00:00.000Z',
  ...overrides,
});

describe('applyBookingIdentity', () => {
  it('creates a record with sourced values and the service consent on contract basis', () => {
    const record = applyBookingIdentity(undefined, booking({ phone: '030 1234567', country: 'DE', locale: 'es', timeZone: 'Europe/Berlin' }));

    expect(record).toEqual({
      customerId: 'cus_ana',
      tenantId: TENANT,
      name: { value: 'Ana Garcia', source: 'online', at: '2026-03-01T10:00:00.000Z' },
      emails: [{ value: 'ana.garcia@example.com', source: 'online', at: '2026-03-01T10:00:00.000Z' }],
      phones: [{ value: '+49301234567', source: 'online', at: '2026-03-01T10:00:00.000Z' }],
      locale: { value: 'es', source: 'online', at: '2026-03-01T10:00:00.000Z' },
      timeZone: { value: 'Europe/Berlin', source: 'online', at: '2026-03-01T10:00:00.000Z' },
      consents: [
        { purpose: 'service', channel: 'email', granted: true, legalBasis: 'contract', source: 'online', at: '2026-03-01T10:00:00.000Z' },
        { purpose: 'service', channel: 'sms', granted: true, legalBasis: 'contract', source: 'online', at: '2026-03-01T10:00:00.000Z' },
      ],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('records no marketing consent for an unticked or absent opt-in', () => {
    const unticked = applyBookingIdentity(undefined, booking({ marketingConsent: false }));
    const absent = applyBookingIdentity(undefined, booking());

    for (const record of [unticked, absent]) {
      expect(record.consents.filter((entry) => entry.purpose === 'marketing')).toEqual([]);
      expect(currentConsent(record, 'marketing', 'email')).toBe(false);
    }
  });

  it('records a ticked opt-in with its legal basis and text version', () => {
    const record = applyBookingIdentity(undefined, booking({ marketingConsent: true, consentTextVersion: 'mkt-2026-01' }));

    expect(record.consents).toContainEqual({
      purpose: 'marketing',
      channel: 'email',
      granted: true,
      legalBasis: 'consent',
      source: 'online',
      at: '2026-03-01T10:00:00.000Z',
      textVersion: 'mkt-2026-01',
    });
    expect(currentConsent(record, 'marketing', 'email')).toBe(true);
  });

  it('does not revoke an earlier opt-in when a later booking leaves the box unticked', () => {
    const optedIn = applyBookingIdentity(undefined, booking({ marketingConsent: true }));
    const later = applyBookingIdentity(optedIn, booking({ marketingConsent: false, at: '2026-04-01T10:00:00.000Z' }));

    expect(currentConsent(later, 'marketing', 'email')).toBe(true);
  });

  it('lets a newer value replace an older one', () => {
    const first = applyBookingIdentity(undefined, booking({ name: 'Ana', locale: 'es' }));
    const second = applyBookingIdentity(first, booking({ name: 'Ana García', locale: 'de', at: '2026-03-02T10:00:00.000Z' }));

    expect(second.name).toEqual({ value: 'Ana García', source: 'online', at: '2026-03-02T10:00:00.000Z' });
    expect(second.locale?.value).toBe('de');
  });

  it('keeps a staff-entered name when an older online booking arrives late', () => {
    const staff = applyBookingIdentity(undefined, booking({ name: 'Ana García López', source: 'staff', at: '2026-03-05T09:00:00.000Z' }));
    const lateOnline = applyBookingIdentity(staff, booking({ name: 'ana', source: 'online', at: '2026-03-01T10:00:00.000Z' }));

    expect(lateOnline.name).toEqual({ value: 'Ana García López', source: 'staff', at: '2026-03-05T09:00:00.000Z' });
    expect(lateOnline.createdAt).toBe('2026-03-01T10:00:00.000Z');
    expect(lateOnline.updatedAt).toBe('2026-03-05T09:00:00.000Z');
  });

  it('prefers the staff value over an online one at the same instant, whichever arrives first', () => {
    const staffFirst = applyBookingIdentity(applyBookingIdentity(undefined, booking({ name: 'Staff', source: 'staff' })), booking({ name: 'Online' }));
    const onlineFirst = applyBookingIdentity(applyBookingIdentity(undefined, booking({ name: 'Online' })), booking({ name: 'Staff', source: 'staff' }));

    expect(staffFirst.name?.value).toBe('Staff');
    expect(onlineFirst.name?.value).toBe('Staff');
  });

  it('compares instants, not strings, so an offset or missing milliseconds do not reorder values', () => {
    const first = applyBookingIdentity(undefined, booking({ name: 'Later', at: '2026-03-01T11:30:00+01:00' }));
    const second = applyBookingIdentity(first, booking({ name: 'Earlier', at: '2026-03-01T10:15:00.000Z' }));

    expect(second.name?.value).toBe('Later');
  });

  it('accumulates e-mails and phones, deduplicated, most recent first', () => {
    const a = applyBookingIdentity(undefined, booking({ email: 'ana@example.com', phone: '+49 30 1234567', at: '2026-03-01T10:00:00.000Z' }));
    const b = applyBookingIdentity(a, booking({ email: 'ana@work.example', phone: '030 1234567', country: 'DE', at: '2026-03-02T10:00:00.000Z' }));
    const c = applyBookingIdentity(b, booking({ email: 'ANA@example.com', at: '2026-03-03T10:00:00.000Z' }));

    expect(c.emails).toEqual([
      { value: 'ana@example.com', source: 'online', at: '2026-03-03T10:00:00.000Z' },
      { value: 'ana@work.example', source: 'online', at: '2026-03-02T10:00:00.000Z' },
    ]);
    expect(c.phones).toEqual([{ value: '+49301234567', source: 'online', at: '2026-03-02T10:00:00.000Z' }]);
  });

  it('changes nothing when the same booking is applied twice (a replayed stream record)', () => {
    const input = booking({ phone: '+49 30 1234567', marketingConsent: true, consentTextVersion: 'v1' });
    const once = applyBookingIdentity(undefined, input);

    expect(applyBookingIdentity(once, input)).toEqual(once);
  });

  it('refuses a booking for another customer\'s record', () => {
    const record = applyBookingIdentity(undefined, booking());

    expect(() => applyBookingIdentity(record, booking({ customerId: 'cus_other' }))).toThrow(DomainError);
  });
});

describe('currentConsent', () => {
  const entry = (granted: boolean, at: string, overrides: Partial<ConsentRecord> = {}): ConsentRecord => ({
    purpose: 'marketing',
    channel: 'email',
    granted,
    legalBasis: 'consent',
    source: 'preferences',
    at,
    ...overrides,
  });

  it('defaults to allowed for service and refused for marketing and reviews', () => {
    const empty = { consents: [] };

    expect(currentConsent(empty, 'service', 'email')).toBe(true);
    expect(currentConsent(empty, 'marketing', 'email')).toBe(false);
    expect(currentConsent(empty, 'reviews', 'sms')).toBe(false);
  });

  it('follows the latest entry by time, not by position in the ledger', () => {
    const consents = [entry(false, '2026-03-02T00:00:00Z'), entry(true, '2026-03-01T00:00:00Z')];

    expect(currentConsent({ consents }, 'marketing', 'email')).toBe(false);
    expect(currentConsent({ consents: [...consents].reverse() }, 'marketing', 'email')).toBe(false);
    expect(currentConsent({ consents: [entry(true, '2026-03-03T00:00:00Z'), ...consents] }, 'marketing', 'email')).toBe(true);
  });

  it('reads each purpose and channel separately', () => {
    const consents = [entry(true, '2026-03-01T00:00:00Z'), entry(false, '2026-03-01T00:00:00Z', { channel: 'sms' })];

    expect(currentConsent({ consents }, 'marketing', 'email')).toBe(true);
    expect(currentConsent({ consents }, 'marketing', 'sms')).toBe(false);
    expect(currentConsent({ consents }, 'reviews', 'email')).toBe(false);
  });

  it('takes a refusal over a grant at the same instant', () => {
    const consents = [entry(false, '2026-03-01T00:00:00Z'), entry(true, '2026-03-01T00:00:00Z')];

    expect(currentConsent({ consents }, 'marketing', 'email')).toBe(false);
  });

  it('honours a revoked service consent', () => {
    const consents = [entry(false, '2026-03-01T00:00:00Z', { purpose: 'service', channel: 'sms', legalBasis: 'contract' })];

    expect(currentConsent({ consents }, 'service', 'sms')).toBe(false);
  });
});

describe('mergeRecords and undoMerge', () => {
  const MERGE_AT = '2026-04-01T12:00:00.000Z';
  const ana = applyBookingIdentity(undefined, booking({ customerId: 'cus_ana', email: 'ana@example.com', phone: '+49 30 1234567', marketingConsent: true }));
  const anaAgain = applyBookingIdentity(
    undefined,
    booking({ customerId: 'cus_ana2', name: 'Ana García', email: 'ana@work.example', phone: '+49 30 1234567', locale: 'de', at: '2026-03-10T10:00:00.000Z', source: 'staff' }),
  );
  const anaOptedOut: GoldenRecord = {
    ...anaAgain,
    consents: [...anaAgain.consents, { purpose: 'marketing', channel: 'email', granted: false, legalBasis: 'consent', source: 'preferences', at: '2026-03-05T00:00:00.000Z' }],
  };

  it('unites identities and takes each field by recency', () => {
    const { merged } = mergeRecords(ana, anaAgain, MERGE_AT);

    expect(merged.customerId).toBe('cus_ana');
    expect(merged.emails.map((e) => e.value)).toEqual(['ana@work.example', 'ana@example.com']);
    expect(merged.phones).toEqual([{ value: '+49301234567', source: 'staff', at: '2026-03-10T10:00:00.000Z' }]);
    expect(merged.name?.value).toBe('Ana García');
    expect(merged.locale?.value).toBe('de');
    expect(merged.mergedFrom).toEqual(['cus_ana2']);
    expect(merged.createdAt).toBe('2026-03-01T10:00:00.000Z');
    expect(merged.updatedAt).toBe(MERGE_AT);
  });

  it('keeps a refusal even when the refusing side\'s entry is older than the other side\'s grant', () => {
    const grantLater = { ...ana, consents: ana.consents.map((e) => (e.purpose === 'marketing' ? { ...e, at: '2026-03-20T00:00:00.000Z' } : e)) };
    const { merged } = mergeRecords(grantLater, anaOptedOut, MERGE_AT);

    expect(currentConsent(grantLater, 'marketing', 'email')).toBe(true);
    expect(currentConsent(merged, 'marketing', 'email')).toBe(false);
    expect(merged.consents.at(-1)).toEqual({ purpose: 'marketing', channel: 'email', granted: false, legalBasis: 'consent', source: 'merge', at: MERGE_AT });
  });

  it('treats a side with no marketing entry as not granted', () => {
    const { merged } = mergeRecords(anaAgain, ana, MERGE_AT);

    expect(currentConsent(ana, 'marketing', 'email')).toBe(true);
    expect(currentConsent(merged, 'marketing', 'email')).toBe(false);
    expect(merged.consents.filter((e) => e.source === 'merge')).toHaveLength(1);
  });

  it('dates the merge entry after a grant recorded later than the merge itself', () => {
    const futureGrant = { ...ana, consents: ana.consents.map((e) => (e.purpose === 'marketing' ? { ...e, at: '2026-05-01T00:00:00.000Z' } : e)) };
    const { merged } = mergeRecords(futureGrant, anaOptedOut, MERGE_AT);

    expect(currentConsent(merged, 'marketing', 'email')).toBe(false);
  });

  it('adds no merge entry when both sides agree', () => {
    const { merged } = mergeRecords(ana, { ...anaAgain, consents: [...anaAgain.consents, ...ana.consents.filter((e) => e.purpose === 'marketing')] }, MERGE_AT);

    expect(currentConsent(merged, 'marketing', 'email')).toBe(true);
    expect(merged.consents.some((e) => e.source === 'merge')).toBe(false);
  });

  it('gives both originals back on undo', () => {
    const { merged, undo } = mergeRecords(ana, anaOptedOut, MERGE_AT);

    expect(undoMerge(merged, undo)).toStrictEqual({ winner: ana, loser: anaOptedOut });
  });

  it('keeps an opt-out recorded after the merge on both records when the merge is undone', () => {
    const { merged, undo } = mergeRecords(ana, anaAgain, MERGE_AT);
    const optOut: ConsentRecord = { purpose: 'service', channel: 'sms', granted: false, legalBasis: 'contract', source: 'preferences', at: '2026-04-02T00:00:00.000Z' };
    const { winner, loser } = undoMerge({ ...merged, consents: [...merged.consents, optOut] }, undo);

    expect(currentConsent(winner, 'service', 'sms')).toBe(false);
    expect(currentConsent(loser, 'service', 'sms')).toBe(false);
  });

  it('refuses an undo that belongs to another merge', () => {
    const { undo } = mergeRecords(ana, anaAgain, MERGE_AT);
    const { merged: other } = mergeRecords(anaAgain, ana, MERGE_AT);

    expect(() => undoMerge(other, undo)).toThrow(DomainError);
  });

  it('refuses to merge a customer into itself or across tenants', () => {
    expect(() => mergeRecords(ana, ana, MERGE_AT)).toThrow(DomainError);
    expect(() => mergeRecords(ana, { ...anaAgain, tenantId: 'other' }, MERGE_AT)).toThrow(DomainError);
  });
});

describe('merging random records (property)', () => {
  // Few distinct instants, so ties between entries and with the merge time are common.
  const instantArb = fc.integer({ min: 0, max: 6 }).map((day) => `2026-03-0${day + 1}T00:00:00.000Z`);
  const sourceArb = fc.constantFrom('online', 'staff', 'preferences', 'merge', 'system' as const);
  const sourcedArb = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<Sourced<T>> => fc.record({ value, source: sourceArb, at: instantArb });
  const consentArb: fc.Arbitrary<ConsentRecord> = fc.record(
    {
      purpose: fc.constantFrom(...consentPurposes),
      channel: fc.constantFrom(...consentChannels),
      granted: fc.boolean(),
      legalBasis: fc.constantFrom('contract', 'consent', 'legitimate_interest' as const),
      source: sourceArb,
      at: instantArb,
      textVersion: fc.constantFrom('v1', 'v2'),
    },
    { requiredKeys: ['purpose', 'channel', 'granted', 'legalBasis', 'source', 'at'] },
  );
  const recordArb = (customerId: string): fc.Arbitrary<GoldenRecord> =>
    fc.record(
      {
        customerId: fc.constant(customerId),
        tenantId: fc.constant(TENANT),
        name: sourcedArb(fc.constantFrom('Ana', 'Ana García', 'Luis')),
        emails: fc.uniqueArray(sourcedArb(fc.constantFrom('a@example.com', 'b@example.com', 'c@example.com')), { selector: (e) => e.value, maxLength: 3 }),
        phones: fc.uniqueArray(sourcedArb(fc.constantFrom('+49301234567', '+34612345678')), { selector: (e) => e.value, maxLength: 2 }),
        locale: sourcedArb(fc.constantFrom('de', 'es', 'en')),
        timeZone: sourcedArb(fc.constantFrom('Europe/Berlin', 'Europe/Madrid')),
        preferredChannel: sourcedArb(fc.constantFrom('email', 'phone' as const)),
        consents: fc.array(consentArb, { maxLength: 12 }),
        mergedFrom: fc.constant([`${customerId}_old`]),
        createdAt: instantArb,
        updatedAt: instantArb,
      },
      { requiredKeys: ['customerId', 'tenantId', 'emails', 'phones', 'consents', 'createdAt', 'updatedAt'] },
    );

  it('never grants what either side did not, and grants what both did', () => {
    fc.assert(
      fc.property(recordArb('cus_a'), recordArb('cus_b'), instantArb, (a, b, at) => {
        const { merged } = mergeRecords(a, b, at);
        for (const purpose of consentPurposes) {
          for (const channel of consentChannels) {
            expect(currentConsent(merged, purpose, channel)).toBe(currentConsent(a, purpose, channel) && currentConsent(b, purpose, channel));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('loses no identity and keeps both ledgers', () => {
    fc.assert(
      fc.property(recordArb('cus_a'), recordArb('cus_b'), instantArb, (a, b, at) => {
        const { merged } = mergeRecords(a, b, at);
        expect(new Set(merged.emails.map((e) => e.value))).toEqual(new Set([...a.emails, ...b.emails].map((e) => e.value)));
        expect(new Set(merged.phones.map((e) => e.value))).toEqual(new Set([...a.phones, ...b.phones].map((e) => e.value)));
        expect(merged.consents).toEqual(expect.arrayContaining([...a.consents, ...b.consents]));
      }),
      { numRuns: 200 },
    );
  });

  it('undo(merge(A, B)) gives A and B back exactly', () => {
    fc.assert(
      fc.property(recordArb('cus_a'), recordArb('cus_b'), instantArb, (a, b, at) => {
        const before = structuredClone({ winner: a, loser: b });
        const { merged, undo } = mergeRecords(a, b, at);
        expect(undoMerge(merged, undo)).toStrictEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});
