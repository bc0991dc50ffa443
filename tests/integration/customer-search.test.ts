import { beforeAll, describe, expect, it } from 'vitest';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import { MAX_NAME_INDEX_WORDS, nameIndexSuffixes } from '#functions/adapters/entities/customer';
import { testTenant } from '#tests/support/fixtures';
import { useProjector } from '#tests/support/projector';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';

/**
 * Customer search by the beginning of any word of the name, over profiles the projector builds
 * from the table's real stream. Now is Monday 2026-11-23 08:00 in Berlin.
 */
const stack = useTestStack({ now: '2026-11-23T07:00:00Z', tenants: [testTenant({ country: 'DE' })] });

const poller = useProjector(stack);

const customerOf = (email: string) => newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));

/** Distinct 30-minute starts inside p1's and p2's hours (08:00-16:00 UTC on weekdays) from 24 November on. */
let nextSlot = Date.parse('2026-11-24T08:00:00Z');
function slot(): string {
  for (;;) {
    const at = new Date(nextSlot);
    nextSlot += 30 * 60_000;
    if (at.getUTCDay() >= 1 && at.getUTCDay() <= 5 && at.getUTCHours() >= 8 && at.getUTCHours() < 16) return at.toISOString().replace('.000Z', 'Z');
  }
}

async function book(name: string, email: string) {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', { body: { serviceId: 'cut', providerId: 'p1', start: slot(), customer: { name, email } } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

const search = async (q: string) =>
  stack.request('GET', `/v1/staff/tenants/acme/customers?q=${encodeURIComponent(q)}`, { headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' }) });
const ids = async (q: string): Promise<string[]> => {
  const response = await search(q);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.customers.map((c: { id: string }) => c.id);
};

describe('the words a name is indexed under', () => {
  it('are the searchable name from each word after the first, accents and case folded', () => {
    expect(nameIndexSuffixes('Ana García López')).toEqual(['garcia lopez', 'lopez']);
    expect(nameIndexSuffixes('  ANA   Núñez ')).toEqual(['nunez']);
  });

  it('start after hyphens, apostrophes and brackets too', () => {
    expect(nameIndexSuffixes("Jean-Luc O'Brien")).toEqual(["luc o'brien", "o'brien", 'brien']);
    expect(nameIndexSuffixes('Ana (Nani) Ruiz')).toEqual(['nani) ruiz', 'ruiz']);
  });

  it('are none for a one-word name, once per repeated tail, and at most a bounded number', () => {
    expect(nameIndexSuffixes('Cher')).toEqual([]);
    expect(nameIndexSuffixes('Ana Ana Ana')).toEqual(['ana ana', 'ana']);
    expect(nameIndexSuffixes('a b c d e f g h i j k l')).toHaveLength(MAX_NAME_INDEX_WORDS);
  });
});

describe('GET …/customers?q= by any word of the name', () => {
  const ana = customerOf('ana.garcia@example.com');

  beforeAll(async () => {
    await book('Ana García López', 'ana.garcia@example.com');
    await book('Bruno Garcés', 'bruno@example.com');
    await poller.drain();
  });

  it('finds "Ana García López" by the beginning of each word, of several words, and of the whole name', async () => {
    for (const q of ['garc', 'GARCÍA', 'ana', 'lópez', 'garcia lo', 'ana garcia l']) expect(await ids(q), q).toContain(ana);
    expect(await ids('garc')).toContain(customerOf('bruno@example.com'));
    expect(await ids('arcia')).toEqual([]);
    expect(await ids('lopez garcia')).toEqual([]);
  });

  it('still finds by e-mail and phone prefix', async () => {
    expect(await ids('ana.garcia@')).toEqual([ana]);
  });

  it('does not find a renamed customer by a word of the old name', async () => {
    stack.clock.set('2026-11-23T07:05:00Z');
    try {
      await book('Ana Martínez', 'ana.garcia@example.com');
      await poller.drain();
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }

    expect(await ids('martinez')).toEqual([ana]);
    expect(await ids('ana')).toContain(ana);
    expect(await ids('lopez')).toEqual([]);
    expect(await ids('garc')).not.toContain(ana);
    const nameItems = (await scanAll(stack.store)).filter((item) => item.PK === `T#acme#CUS#${ana}` && String(item.SK).startsWith('NAME#'));
    expect(nameItems.map((item) => item.SK)).toEqual(['NAME#martinez']);
  });

  it('answers each customer once and at most 20, even when every one matches twice', async () => {
    // "Kim Kimura" matches "kim" by the whole name and by the word "kimura": 44 index entries.
    for (let i = 0; i < 22; i++) await book('Kim Kimura', `kim${i}@example.com`);
    await poller.drain();

    const found = await ids('kim');

    expect(found).toHaveLength(20);
    expect(new Set(found).size).toBe(20);
  });

  it('forgets the name words with the customer on erasure', async () => {
    const erase = await stack.request('POST', `/v1/staff/tenants/acme/customers/${ana}/erase`, {
      headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'admin' }),
      body: { reason: 'asked in writing' },
    });
    await poller.drain();

    expect(erase.status, JSON.stringify(erase.body)).toBe(200);
    expect(await ids('martinez')).toEqual([]);
    const leftovers = (await scanAll(stack.store)).filter((item) => item.PK === `T#acme#CUS#${ana}` && item.SK !== 'ERASED');
    expect(leftovers).toEqual([]);
  });
});
