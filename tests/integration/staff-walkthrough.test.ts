import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoUsers } from '#infra/local/identity/demo-users';
import type { TenantFileInput } from '#shared/domain/schemas';
import { useTestStack } from '#tests/support/stack';

/**
 * The "done when", on the demo business as `npm start` seeds it: a receptionist signs in,
 * lists today's bookings, books and moves a caller, marks a no-show; a provider sets her hours,
 * blocks an afternoon and subscribes to her feed. Now: Tuesday 2026-12-01, 08:00 in Berlin.
 */
const demo = JSON.parse(readFileSync('infra/tenants/demo.json', 'utf8')) as TenantFileInput;
const stack = useTestStack({ now: '2026-12-01T07:00:00Z', tenants: [demo] });
const STAFF = '/v1/staff/tenants/demo';

beforeAll(async () => {
  await seedDemoUsers(stack.store, stack.identity.directory, 'demo', stack.clock.now());
});

async function signIn(email: string) {
  const response = await stack.identity.signIn(email, DEMO_PASSWORD);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { authorization: `Bearer ${response.body.idToken}` };
}

describe('a day at the front desk', () => {
  it('reception signs in, sees today, books a caller, moves them, and marks a no-show', async () => {
    const reception = await signIn('reception@demo.kairos.test');

    const online = await stack.request('POST', '/v1/tenants/demo/bookings', {
      body: { serviceId: 'treatment', providerId: 'anna', start: '2026-12-01T09:00:00Z', customer: { name: 'Online Olga', email: 'olga@example.com' } },
    });
    expect(online.status, JSON.stringify(online.body)).toBe(201);

    const today = await stack.request('GET', `${STAFF}/bookings?from=2026-11-30T23:00:00Z&to=2026-12-01T23:00:00Z`, { headers: reception });
    expect(today.status).toBe(200);
    expect(today.body.bookings.map((b: { customer: { name: string } }) => b.customer.name)).toEqual(['Online Olga']);

    const byPhone = await stack.request('POST', `${STAFF}/bookings`, {
      headers: reception,
      body: { serviceId: 'treatment', providerId: 'anna', start: '2026-12-01T13:00:00Z', customer: { name: 'Jonas Weber', email: 'jonas@example.com', phone: '+49 30 1234567' } },
    });
    expect(byPhone.status, JSON.stringify(byPhone.body)).toBe(201);
    const id = byPhone.body.booking.id as string;

    const moved = await stack.request('POST', `${STAFF}/bookings/${id}/reschedule`, { headers: reception, body: { start: '2026-12-01T14:00:00Z' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    stack.clock.set('2026-12-01T14:20:00Z');
    const noShow = await stack.request('POST', `${STAFF}/bookings/${id}/attendance`, { headers: reception, body: { status: 'no_show' } });
    expect(noShow.status, JSON.stringify(noShow.body)).toBe(200);
    const history = await stack.request('GET', `${STAFF}/bookings/${id}/history`, { headers: reception });
    expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(['created', 'rescheduled', 'attendance_marked']);
    expect(new Set(history.body.entries.map((e: { actor: { role: string } }) => e.actor.role))).toEqual(new Set(['reception']));
  });
});

describe("a provider's calendar", () => {
  it('Anna sets her hours, blocks an afternoon and subscribes to her feed', async () => {
    const anna = await signIn('anna@demo.kairos.test');
    const hours = [['08:00', '12:00'], ['13:00', '16:00']];
    const setHours = await stack.request('PUT', `${STAFF}/providers/anna/hours`, {
      headers: anna,
      body: { weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: [['08:00', '13:00']] } },
    });
    expect(setHours.status, JSON.stringify(setHours.body)).toBe(200);

    const block = await stack.request('POST', `${STAFF}/providers/anna/blocks`, {
      headers: anna,
      body: { start: '2026-12-03T12:00:00Z', end: '2026-12-03T15:00:00Z', reason: 'Training' },
    });
    expect(block.status, JSON.stringify(block.body)).toBe(201);

    const feedToken = await stack.request('POST', `${STAFF}/providers/anna/feed-token`, { headers: anna });
    const feed = await stack.request('GET', feedToken.body.feedPath);
    expect(feed.status).toBe(200);
    const events = new ICAL.Component(ICAL.parse(feed.body as string)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events.map((e) => e.summary)).toEqual(expect.arrayContaining(['Blocked: Training']));
    expect(events.some((e) => e.summary.includes('Jonas Weber'))).toBe(true);
  });

  it('Ben cannot touch Anna\'s calendar', async () => {
    const ben = await signIn('ben@demo.kairos.test');
    const response = await stack.request('POST', `${STAFF}/providers/anna/blocks`, {
      headers: ben,
      body: { start: '2026-12-04T12:00:00Z', end: '2026-12-04T15:00:00Z' },
    });
    expect(response.status).toBe(403);
  });
});
