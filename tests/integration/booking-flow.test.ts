import { describe, expect, it } from 'vitest';
import { useTestStack } from '#tests/support/stack';
import { customer, testTenant } from '#tests/support/fixtures';
import { scanAll, sheetItem, unitsOf } from '#tests/support/table-scan';

// Monday 2026-11-23 08:00 Berlin; the test tenant works 09:00-17:00 Berlin on weekdays.
const NOW = '2026-11-23T07:00:00Z';
const stack = useTestStack({ now: NOW, tenants: [testTenant()] });

const book = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  stack.request('POST', '/v1/tenants/acme/bookings', { body: { customer: customer(), ...body }, headers });
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const slotsOn = async (serviceId: string, date: string, extra = '') =>
  (await stack.request('GET', `/v1/tenants/acme/availability?serviceId=${serviceId}&from=${date}&to=${date}${extra}`)).body.slots as Array<{
    start: string;
    end: string;
    providerIds: string[];
  }>;

describe('book, read, reschedule, cancel', () => {
  it('books an open slot, and the slot disappears from availability for that provider only', async () => {
    const created = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T09:00:00Z' });
    expect(created.status).toBe(201);
    expect(created.body.booking).toMatchObject({ providerId: 'p1', start: '2026-11-24T09:00:00Z', end: '2026-11-24T09:30:00Z', status: 'confirmed', timeZone: 'Europe/Berlin' });
    expect(created.body.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const slot = (await slotsOn('cut', '2026-11-24')).find((s) => s.start === '2026-11-24T09:00:00Z');
    expect(slot?.providerIds).toEqual(['p2']);
  });

  it('stores the manage token only as a hash', async () => {
    const created = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T09:30:00Z' });
    const items = await scanAll(stack.store);
    const dump = JSON.stringify(items);
    expect(dump).not.toContain(created.body.manageToken);
    const item = items.find((i) => i.PK === `BK#${created.body.booking.id}`);
    expect(item?.manageTokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a booking with its token, and answers 404 for a wrong, missing or foreign token', async () => {
    const a = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T10:00:00Z' });
    const b = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T10:30:00Z' });
    const id = a.body.booking.id as string;
    const ok = await stack.request('GET', `/v1/bookings/${id}`, { headers: auth(a.body.manageToken) });
    expect(ok.status).toBe(200);
    expect(ok.body.booking.id).toBe(id);
    expect(ok.body.booking).not.toHaveProperty('manageTokenHash');
    for (const headers of [{}, auth('nope'), auth(b.body.manageToken), { authorization: String(a.body.manageToken) }] as Array<Record<string, string>>) {
      const denied = await stack.request('GET', `/v1/bookings/${id}`, { headers });
      expect(denied.status).toBe(404);
      expect(denied.body.error.code).toBe('booking_not_found');
    }
    const unknown = await stack.request('GET', '/v1/bookings/bk_0000000000000000000000000', { headers: auth(a.body.manageToken) });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(await stack.request('GET', `/v1/bookings/${id}`, { headers: auth('nope') }).then((r) => r.body));
  });

  it('reschedules: the old slot opens, the new one closes, the version increases', async () => {
    const created = await book({ serviceId: 'cut', providerId: 'p2', start: '2026-11-25T09:00:00Z' });
    const moved = await stack.request('POST', `/v1/bookings/${created.body.booking.id}/reschedule`, {
      body: { start: '2026-11-25T11:00:00Z' },
      headers: auth(created.body.manageToken),
    });
    expect(moved.status).toBe(200);
    expect(moved.body.booking).toMatchObject({ start: '2026-11-25T11:00:00Z', end: '2026-11-25T11:30:00Z', version: 2, providerId: 'p2' });
    const slots = await slotsOn('cut', '2026-11-25', '&providerId=p2');
    expect(slots.map((s) => s.start)).toContain('2026-11-25T09:00:00Z');
    expect(slots.map((s) => s.start)).not.toContain('2026-11-25T11:00:00Z');
  });

  it('reschedules onto a span overlapping its own old one', async () => {
    const created = await book({ serviceId: 'long', providerId: 'p1', start: '2026-11-26T09:00:00Z' });
    const moved = await stack.request('POST', `/v1/bookings/${created.body.booking.id}/reschedule`, {
      body: { start: '2026-11-26T09:15:00Z' },
      headers: auth(created.body.manageToken),
    });
    expect(moved.status).toBe(200);
    const sheet = sheetItem(await scanAll(stack.store), 'acme', 'p1', '2026-11-26');
    // 09:15 - 10 min buffer .. 10:15 + 15 min buffer = 09:05 .. 10:30 → 17 units, all owned by the booking.
    const units = unitsOf(sheet);
    expect(Object.keys(units).sort()).toEqual(
      Array.from({ length: 17 }, (_, i) => `U${new Date(Date.parse('2026-11-26T09:05:00Z') + i * 300_000).toISOString().slice(0, 16)}Z`),
    );
    expect(new Set(Object.values(units))).toEqual(new Set([created.body.booking.id]));
  });

  it('reschedules to another provider', async () => {
    const created = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-27T13:00:00Z' });
    const moved = await stack.request('POST', `/v1/bookings/${created.body.booking.id}/reschedule`, {
      body: { start: '2026-11-27T13:00:00Z', providerId: 'p2' },
      headers: auth(created.body.manageToken),
    });
    expect(moved.body.booking.providerId).toBe('p2');
    const slot = (await slotsOn('cut', '2026-11-27')).find((s) => s.start === '2026-11-27T13:00:00Z');
    expect(slot?.providerIds).toEqual(['p1']);
  });

  it('cancels, frees the slot, and a second cancel gives the same result', async () => {
    const created = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-27T09:00:00Z' });
    const path = `/v1/bookings/${created.body.booking.id}/cancel`;
    const first = await stack.request('POST', path, { body: { reason: 'ill' }, headers: auth(created.body.manageToken) });
    expect(first.status).toBe(200);
    expect(first.body.booking).toMatchObject({ status: 'cancelled', cancelReason: 'ill' });
    const second = await stack.request('POST', path, { body: { reason: 'ill' }, headers: auth(created.body.manageToken) });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const slot = (await slotsOn('cut', '2026-11-27')).find((s) => s.start === '2026-11-27T09:00:00Z');
    expect(slot?.providerIds).toEqual(['p1', 'p2']);
    const sheet = sheetItem(await scanAll(stack.store), 'acme', 'p1', '2026-11-27');
    expect(Object.values(unitsOf(sheet))).not.toContain(created.body.booking.id);
  });

  it('refuses to reschedule a cancelled booking', async () => {
    const created = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-27T10:00:00Z' });
    await stack.request('POST', `/v1/bookings/${created.body.booking.id}/cancel`, { headers: auth(created.body.manageToken) });
    const moved = await stack.request('POST', `/v1/bookings/${created.body.booking.id}/reschedule`, {
      body: { start: '2026-11-27T11:00:00Z' },
      headers: auth(created.body.manageToken),
    });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('booking_cancelled');
  });
});

describe('rules the booking must satisfy', () => {
  it('answers 409 slot_taken when the chosen provider already holds the slot', async () => {
    await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-30T09:00:00Z' });
    const again = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-11-30T09:00:00Z' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'slot_taken', details: { field: 'start' } });
  });

  it.each([
    ['off the grid', '2026-11-30T09:10:00Z', 'off_grid'],
    ['outside working hours', '2026-11-30T17:00:00Z', 'outside_working_hours'],
    ['on a weekend', '2026-11-28T10:00:00Z', 'outside_working_hours'],
    ['in the past', '2026-11-20T10:00:00Z', 'min_notice'],
    ['beyond the horizon', '2027-01-05T10:00:00Z', 'beyond_horizon'],
  ])('answers 422 slot_unavailable for a time %s', async (_label, start, reason) => {
    const response = await book({ serviceId: 'cut', providerId: 'p1', start });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'slot_unavailable', details: { reason } });
  });

  it('enforces the minimum notice: 4 h ahead is fine, 3.5 h is not', async () => {
    // now = 08:00 Berlin; "noticed" needs 240 minutes.
    const tooSoon = await book({ serviceId: 'noticed', providerId: 'p1', start: '2026-11-23T10:30:00Z' });
    expect(tooSoon.body.error?.details?.reason).toBe('min_notice');
    const ok = await book({ serviceId: 'noticed', providerId: 'p1', start: '2026-11-23T11:00:00Z' });
    expect(ok.status).toBe(201);
  });

  it('enforces the horizon on the provider-local date: day 7 is bookable, day 8 is not', async () => {
    const lastDay = await book({ serviceId: 'noticed', providerId: 'p1', start: '2026-11-30T15:30:00Z' });
    expect(lastDay.status).toBe(201);
    const dayAfter = await book({ serviceId: 'noticed', providerId: 'p1', start: '2026-12-01T08:00:00Z' });
    expect(dayAfter.body.error?.details?.reason).toBe('beyond_horizon');
  });

  it('keeps buffers clear: a 60-min booking with 10/15-min buffers blocks its neighbours', async () => {
    const created = await book({ serviceId: 'long', providerId: 'p2', start: '2026-12-01T10:00:00Z' });
    expect(created.status).toBe(201);
    const cut = (await slotsOn('cut', '2026-12-01', '&providerId=p2')).map((s) => s.start);
    // Claimed 09:50-11:15: the 30-min slots 09:30 (ends 10:00, touches 09:50) and 11:00 are gone, 09:00 and 11:30 stay.
    expect(cut).toContain('2026-12-01T09:00:00Z');
    expect(cut).not.toContain('2026-12-01T09:30:00Z');
    expect(cut).not.toContain('2026-12-01T10:30:00Z');
    expect(cut).not.toContain('2026-12-01T11:00:00Z');
    expect(cut).toContain('2026-12-01T11:30:00Z');
    const neighbour = await book({ serviceId: 'cut', providerId: 'p2', start: '2026-12-01T11:00:00Z' });
    expect(neighbour.status).toBe(409);
  });

  it('lets buffers reach outside working hours', async () => {
    // 08:00 Berlin opening: the 10-min buffer before starts at 07:50 local, outside hours.
    const first = await book({ serviceId: 'long', providerId: 'p2', start: '2026-12-02T08:00:00Z' });
    expect(first.status).toBe(201);
    // Last slot: 15:00-16:00 UTC = 16:00-17:00 Berlin, buffer after until 17:15 local.
    const last = await book({ serviceId: 'long', providerId: 'p2', start: '2026-12-02T15:00:00Z' });
    expect(last.status).toBe(201);
  });
});

describe('maximum bookings per provider per day', () => {
  it('refuses the third booking of a two-a-day service, hides the day, and still lets a booking move within it', async () => {
    const first = await book({ serviceId: 'capped', providerId: 'p2', start: '2026-12-08T09:00:00Z' });
    await book({ serviceId: 'capped', providerId: 'p2', start: '2026-12-08T10:00:00Z' });
    const third = await book({ serviceId: 'capped', providerId: 'p2', start: '2026-12-08T11:00:00Z' });
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'slot_taken', details: { reason: 'daily_limit_reached' } });
    expect(await slotsOn('capped', '2026-12-08')).toEqual([]);
    expect((await slotsOn('capped', '2026-12-09')).length).toBeGreaterThan(0);
    const moved = await stack.request('POST', `/v1/bookings/${first.body.booking.id}/reschedule`, {
      body: { start: '2026-12-08T14:00:00Z' },
      headers: auth(first.body.manageToken),
    });
    expect(moved.status).toBe(200);
  });
});

describe('provider choice when none is given', () => {
  it('spreads bookings over equally free providers and falls back to whoever is free', async () => {
    const first = await book({ serviceId: 'cut', start: '2026-12-03T09:00:00Z' });
    expect(first.status).toBe(201);
    const second = await book({ serviceId: 'cut', start: '2026-12-03T10:00:00Z' });
    // The second goes to the provider with fewer bookings that day.
    expect(second.body.booking.providerId).not.toBe(first.body.booking.providerId);
    const third = await book({ serviceId: 'cut', start: '2026-12-03T09:00:00Z' });
    expect(third.body.booking.providerId).toBe(second.body.booking.providerId);
    const fourth = await book({ serviceId: 'cut', start: '2026-12-03T09:00:00Z' });
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('slot_taken');
  });
});

describe('self-service cutoff', () => {
  it('refuses changes inside the cutoff and allows them just before it', async () => {
    const created = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-12-04T12:00:00Z' });
    const headers = auth(created.body.manageToken);
    const saved = stack.clock.current;
    try {
      stack.clock.set('2026-12-04T11:00:00Z'); // exactly 60 min before: still allowed
      const moved = await stack.request('POST', `/v1/bookings/${created.body.booking.id}/reschedule`, { body: { start: '2026-12-04T14:00:00Z' }, headers });
      expect(moved.status).toBe(200);
      stack.clock.set('2026-12-04T13:01:00Z'); // 59 min before the new start
      const late = await stack.request('POST', `/v1/bookings/${created.body.booking.id}/cancel`, { headers });
      expect(late.status).toBe(422);
      expect(late.body.error.code).toBe('change_cutoff_passed');
      const lateMove = await stack.request('POST', `/v1/bookings/${created.body.booking.id}/reschedule`, { body: { start: '2026-12-04T15:00:00Z' }, headers });
      expect(lateMove.body.error.code).toBe('change_cutoff_passed');
      const still = await stack.request('GET', `/v1/bookings/${created.body.booking.id}`, { headers });
      expect(still.body.booking).toMatchObject({ status: 'confirmed', start: '2026-12-04T14:00:00Z' });
    } finally {
      stack.clock.current = saved;
    }
  });
});

describe('idempotency', () => {
  it('returns the first response for the same key and body, without a second booking', async () => {
    const body = { serviceId: 'cut', providerId: 'p1', start: '2026-12-07T09:00:00Z' };
    const first = await book(body, { 'idempotency-key': 'order-1' });
    const replay = await book(body, { 'idempotency-key': 'order-1' });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const bookings = (await scanAll(stack.store)).filter((i) => i.type === 'booking' && i.start === '2026-12-07T09:00:00Z');
    expect(bookings).toHaveLength(1);
    // The replayed response carries the token; the table holds it neither in the booking nor in the record.
    expect(JSON.stringify(await scanAll(stack.store))).not.toContain(first.body.manageToken);
  });

  it('rejects the same key with another body with 422 idempotency_key_reused', async () => {
    await book({ serviceId: 'cut', providerId: 'p1', start: '2026-12-07T10:00:00Z' }, { 'idempotency-key': 'order-2' });
    const other = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-12-07T10:30:00Z' }, { 'idempotency-key': 'order-2' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('treats a different key as a different request', async () => {
    const a = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-12-07T11:00:00Z' }, { 'idempotency-key': 'k-a' });
    const b = await book({ serviceId: 'cut', providerId: 'p1', start: '2026-12-07T11:00:00Z' }, { 'idempotency-key': 'k-b' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(409);
  });

  it('does not remember failures: a retry after slot_taken is evaluated again', async () => {
    await book({ serviceId: 'cut', providerId: 'p2', start: '2026-12-07T12:00:00Z' });
    const failed = await book({ serviceId: 'cut', providerId: 'p2', start: '2026-12-07T12:00:00Z' }, { 'idempotency-key': 'k-c' });
    expect(failed.status).toBe(409);
    const retried = await book({ serviceId: 'cut', providerId: 'p2', start: '2026-12-07T12:00:00Z' }, { 'idempotency-key': 'k-c' });
    expect(retried.status).toBe(409);
  });
});
