import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '#tests/support/stack';
import { customer, testTenant } from '#tests/support/fixtures';

// Monday 2026-11-23 08:00 Berlin; the test tenant works 09:00-17:00 Berlin on weekdays.
const NOW = '2026-11-23T07:00:00Z';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ now: NOW });
  await stack.apply(testTenant());
});
afterAll(() => stack.close());

describe('booking flow through the local API', () => {
  it('books an open slot, and the slot disappears from availability for that provider', async () => {
    const created = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', providerId: 'p1', start: '2026-11-24T09:00:00Z', customer: customer() },
    });
    expect(created.status).toBe(201);
    expect(created.body.booking).toMatchObject({ providerId: 'p1', start: '2026-11-24T09:00:00Z', end: '2026-11-24T09:30:00Z', status: 'confirmed' });
    expect(created.body.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const availability = await stack.request('GET', '/v1/tenants/acme/availability?serviceId=cut&from=2026-11-24&to=2026-11-24');
    const slot = availability.body.slots.find((s: { start: string }) => s.start === '2026-11-24T09:00:00Z');
    expect(slot.providerIds).toEqual(['p2']);
  });
});
