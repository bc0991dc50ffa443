import { describe, expect, it } from 'vitest';
import { useTestStack } from '#tests/support/stack';
import { customer, testTenant } from '#tests/support/fixtures';
import { scanAll, sheetItem, unitsOf } from '#tests/support/table-scan';

const NOW = '2026-11-23T07:00:00Z';
const stack = useTestStack({ now: NOW, tenants: [testTenant()] });

const book = (start: string, name: string, providerId: string | null = 'p1') =>
  stack.request('POST', '/v1/tenants/acme/bookings', {
    body: { serviceId: 'cut', ...(providerId ? { providerId } : {}), start, customer: customer(name, `${name}@example.com`) },
  });

describe('two customers can never hold the same slot', () => {
  it('50 concurrent requests for one slot give exactly one 201 and 49 × 409 slot_taken', async () => {
    const start = '2026-11-24T09:00:00Z';
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => book(start, `racer${i}`)));
    const created = responses.filter((r) => r.status === 201);
    const taken = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(taken).toHaveLength(49);
    for (const response of taken) expect(response.body.error.code).toBe('slot_taken');

    const items = await scanAll(stack.store);
    const bookings = items.filter((i) => i.type === 'booking' && i.start === start);
    expect(bookings).toHaveLength(1);
    const winner = created[0]!.body.booking.id as string;
    expect(bookings[0]!.id).toBe(winner);
    // The sheet holds the six 5-minute units of 09:00-09:30, all owned by the winner, and counts one booking.
    const sheet = sheetItem(items, 'acme', 'p1', '2026-11-24');
    expect(unitsOf(sheet)).toEqual(
      Object.fromEntries(['09:00', '09:05', '09:10', '09:15', '09:20', '09:25'].map((t) => [`U2026-11-24T${t}Z`, winner])),
    );
    expect(sheet?.bookingCount).toBe(1);
  });

  it('50 concurrent requests without a provider fill both providers and no more', async () => {
    const start = '2026-11-24T11:00:00Z';
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => book(start, `any${i}`, null)));
    const created = responses.filter((r) => r.status === 201);
    expect(responses.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body)).toEqual([]);
    expect(created).toHaveLength(2);
    expect(new Set(created.map((r) => r.body.booking.providerId))).toEqual(new Set(['p1', 'p2']));
    expect(responses.filter((r) => r.status === 409)).toHaveLength(48);
  });

  it('a reschedule racing a new booking for the target slot: exactly one wins, nothing is lost', async () => {
    for (let round = 0; round < 5; round += 1) {
      const hour = 9 + round;
      const hh = String(hour).padStart(2, '0');
      const original = await book(`2026-11-25T${hh}:00:00Z`, `mover${round}`);
      expect(original.status).toBe(201);
      const target = `2026-11-26T${hh}:30:00Z`;
      const [moved, fresh] = await Promise.all([
        stack.request('POST', `/v1/bookings/${original.body.booking.id}/reschedule`, {
          body: { start: target },
          headers: { authorization: `Bearer ${original.body.manageToken}` },
        }),
        book(target, `newcomer${round}`),
      ]);
      expect([200, 409]).toContain(moved.status);
      expect([201, 409]).toContain(fresh.status);
      // Exactly one of them holds the target.
      expect([moved.status === 200, fresh.status === 201].filter(Boolean)).toHaveLength(1);
      const items = await scanAll(stack.store);
      const holder = Object.values(unitsOf(sheetItem(items, 'acme', 'p1', '2026-11-26'))).filter((o) => o);
      const targetOwner = unitsOf(sheetItem(items, 'acme', 'p1', '2026-11-26'))[`U${target.slice(0, 16)}Z`];
      expect(targetOwner).toBe(moved.status === 200 ? original.body.booking.id : fresh.body.booking.id);
      expect(holder.length % 6).toBe(0);
      // The loser of a failed reschedule keeps its old slot.
      const old = unitsOf(sheetItem(items, 'acme', 'p1', '2026-11-25'))[`U2026-11-25T${hh}:00Z`];
      expect(old).toBe(moved.status === 200 ? undefined : original.body.booking.id);
    }
  });
});

describe('idempotency under concurrency', () => {
  it('never creates two bookings for one Idempotency-Key sent twice at once', async () => {
    const body = { serviceId: 'cut', providerId: 'p2', start: '2026-11-27T09:00:00Z', customer: customer() };
    const send = () => stack.request('POST', '/v1/tenants/acme/bookings', { body, headers: { 'idempotency-key': 'double-click' } });
    const responses = await Promise.all([send(), send(), send()]);
    for (const response of responses) {
      expect([201, 409]).toContain(response.status);
      if (response.status === 409) expect(response.body.error.code).toBe('idempotency_in_progress');
    }
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.booking.id)).size).toBe(1);
    const stored = (await scanAll(stack.store)).filter((i) => i.type === 'booking' && i.start === body.start);
    expect(stored).toHaveLength(1);
  });
});
