import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { Role } from '#shared/domain/staff';
import { customer, testTenant } from '#tests/support/fixtures';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';

/**
 * Providers and admins shaping calendars: weekly hours, date exceptions, blocks, the iCal feed,
 * services, providers, staff accounts and settings. Now is Monday 2026-11-23 08:00 Berlin.
 */
const stack = useTestStack({ now: '2026-11-23T07:00:00Z', tenants: [testTenant()] });

const staff = (path: string) => `/v1/staff/tenants/acme${path}`;
const as = (role: Role, providerId?: string) => stack.identity.authHeader({ tenantId: 'acme', role, ...(providerId ? { providerId } : {}) });

async function customerBooks(start: string, providerId: string, serviceId = 'cut') {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', { body: { serviceId, providerId, start, customer: customer() } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { booking: { id: string }; manageToken: string };
}

const openStarts = async (providerId: string, date: string) => {
  const response = await stack.request('GET', `/v1/tenants/acme/availability?serviceId=cut&providerId=${providerId}&from=${date}&to=${date}`);
  expect(response.status).toBe(200);
  return (response.body.slots as Array<{ start: string }>).map((slot) => slot.start);
};

const nineToFive = [['09:00', '17:00']];
const weekdays = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] };

describe('weekly hours and exceptions', () => {
  it('lets a provider shorten their own hours and lists the bookings left outside, without cancelling them', async () => {
    const inside = await customerBooks('2026-11-24T09:00:00Z', 'p1'); // Tue 10:00 Berlin
    const stranded = await customerBooks('2026-11-24T14:00:00Z', 'p1'); // Tue 15:00 Berlin
    const response = await stack.request('PUT', staff('/providers/p1/hours'), {
      headers: await as('provider', 'p1'),
      body: { weeklyHours: { ...weekdays, tue: [['09:00', '12:00']] } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.provider.weeklyHours.tue).toEqual([['09:00', '12:00']]);
    expect(response.body.strandedBookings.map((b: { id: string }) => b.id)).toEqual([stranded.booking.id]);
    expect(response.body.strandedBookings.map((b: { id: string }) => b.id)).not.toContain(inside.booking.id);
    const kept = await stack.request('GET', staff(`/bookings/${stranded.booking.id}`), { headers: await as('reception') });
    expect(kept.body.booking.status).toBe('confirmed');
    // The new hours are what customers can book now.
    const starts = await openStarts('p1', '2026-11-24');
    expect(starts.at(-1)).toBe('2026-11-24T10:30:00Z');
  });

  it("does not let a provider change another provider's hours", async () => {
    const response = await stack.request('PUT', staff('/providers/p2/hours'), { headers: await as('provider', 'p1'), body: { weeklyHours: weekdays } });
    expect(response.status).toBe(403);
  });

  it('closes a day with an exception (a holiday), lists what it strands, and reopens it when removed', async () => {
    const booked = await customerBooks('2026-11-26T10:00:00Z', 'p2'); // Thu
    const close = await stack.request('PUT', staff('/providers/p2/exceptions/2026-11-26'), {
      headers: await as('admin'),
      body: { hours: [], note: 'Public holiday' },
    });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    expect(close.body.strandedBookings.map((b: { id: string }) => b.id)).toEqual([booked.booking.id]);
    expect(await openStarts('p2', '2026-11-26')).toEqual([]);

    const reopen = await stack.request('DELETE', staff('/providers/p2/exceptions/2026-11-26'), { headers: await as('provider', 'p2') });
    expect(reopen.status).toBe(200);
    expect(reopen.body.provider.exceptions).toEqual([]);
    expect(reopen.body.strandedBookings).toEqual([]);
    expect((await openStarts('p2', '2026-11-26')).length).toBeGreaterThan(0);
  });

  it('adds one-off extra hours on a Saturday', async () => {
    const response = await stack.request('PUT', staff('/providers/p2/exceptions/2026-11-28'), {
      headers: await as('provider', 'p2'),
      body: { hours: [['10:00', '12:00']] },
    });
    expect(response.status).toBe(200);
    expect(await openStarts('p2', '2026-11-28')).toEqual(['2026-11-28T09:00:00Z', '2026-11-28T09:30:00Z', '2026-11-28T10:00:00Z', '2026-11-28T10:30:00Z']);
  });

  it('refuses invalid times and overlapping ranges with the field named, and changes nothing', async () => {
    const before = await stack.store.getConfigRecord('acme', 'provider', 'p2');
    const badTime = await stack.request('PUT', staff('/providers/p2/hours'), {
      headers: await as('admin'),
      body: { weeklyHours: { ...weekdays, mon: [['09:00', '25:00']] } },
    });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.details.field).toBe('body.weeklyHours.mon.0.1');
    const overlapping = await stack.request('PUT', staff('/providers/p2/hours'), {
      headers: await as('admin'),
      body: { weeklyHours: { ...weekdays, wed: [['09:00', '13:00'], ['12:00', '17:00']] } },
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.error.details.field).toBe('body.weeklyHours.wed.1');
    const badDate = await stack.request('PUT', staff('/providers/p2/exceptions/2026-02-30'), { headers: await as('admin'), body: { hours: [] } });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details.field).toBe('path.date');
    expect(await stack.store.getConfigRecord('acme', 'provider', 'p2')).toEqual(before);
  });

  it('refuses a write based on a stale read instead of losing the other change', async () => {
    const record = await stack.store.getConfigRecord('acme', 'provider', 'p2');
    await stack.request('PUT', staff('/providers/p2/exceptions/2026-12-24'), { headers: await as('admin'), body: { hours: [] } });
    await expect(stack.store.putConfigRecord('acme', 'provider', record!.data, '2026-11-23T07:00:00Z', record!.revision)).rejects.toMatchObject({
      code: 'concurrent_modification',
    });
  });
});

describe('blocks', () => {
  it('blocks an afternoon: the slots disappear, customers cannot book them, and removing the block frees them', async () => {
    const date = '2026-12-01'; // Tue
    const block = await stack.request('POST', staff('/providers/p2/blocks'), {
      headers: await as('provider', 'p2'),
      body: { start: `${date}T12:00:00Z`, end: `${date}T16:00:00Z`, reason: 'Dentist' },
    });
    expect(block.status, JSON.stringify(block.body)).toBe(201);
    expect(block.body.block).toMatchObject({ providerId: 'p2', reason: 'Dentist', createdBy: { kind: 'staff', role: 'provider' } });
    const starts = await openStarts('p2', date);
    expect(starts.filter((s) => s >= `${date}T12:00:00Z`)).toEqual([]);
    const attempt = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', providerId: 'p2', start: `${date}T13:00:00Z`, customer: customer() },
    });
    expect(attempt.status).toBe(409);

    const removed = await stack.request('DELETE', staff(`/providers/p2/blocks/${block.body.block.id}`), { headers: await as('provider', 'p2') });
    expect(removed.status).toBe(204);
    expect(await openStarts('p2', date)).toContain(`${date}T13:00:00Z`);
    const again = await stack.request('DELETE', staff(`/providers/p2/blocks/${block.body.block.id}`), { headers: await as('provider', 'p2') });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('block_not_found');
  });

  it('refuses a block over existing bookings with 409 listing them, and writes nothing', async () => {
    const first = await customerBooks('2026-12-02T09:00:00Z', 'p1');
    const second = await customerBooks('2026-12-02T11:00:00Z', 'p1');
    const headers = await as('reception');
    const before = await scanAll(stack.store);
    const response = await stack.request('POST', staff('/providers/p1/blocks'), {
      headers,
      body: { start: '2026-12-02T08:00:00Z', end: '2026-12-02T16:00:00Z' },
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('blocked_by_bookings');
    expect(response.body.error.details.bookings.map((b: { id: string }) => b.id)).toEqual([first.booking.id, second.booking.id].sort());
    expect(await scanAll(stack.store)).toEqual(before);
  });

  it('claims a whole week of leave across several day sheets in one transaction', async () => {
    const response = await stack.request('POST', staff('/providers/p1/blocks'), {
      headers: await as('admin'),
      body: { start: '2026-12-06T23:00:00Z', end: '2026-12-13T23:00:00Z', reason: 'Holiday' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    for (const date of ['2026-12-07', '2026-12-09', '2026-12-11']) expect(await openStarts('p1', date)).toEqual([]);
    expect((await openStarts('p2', '2026-12-07')).length).toBeGreaterThan(0);
  });

  it('refuses end before start, more than 31 days, and times off the 5-minute grid', async () => {
    const post = async (body: object) => stack.request('POST', staff('/providers/p1/blocks'), { headers: await as('admin'), body });
    const inverted = await post({ start: '2026-12-20T12:00:00Z', end: '2026-12-20T10:00:00Z' });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.details.field).toBe('body.end');
    const tooLong = await post({ start: '2026-12-20T00:00:00Z', end: '2027-01-21T00:00:00Z' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('31 days');
    const offGrid = await post({ start: '2026-12-20T12:03:00Z', end: '2026-12-20T13:00:00Z' });
    expect(offGrid.status).toBe(400);
    expect(offGrid.body.error.details.field).toBe('body.start');
  });

  it('never lets a block and a booking both take the same time when they race', async () => {
    const date = '2026-12-03';
    const results = await Promise.all([
      stack.request('POST', staff('/providers/p2/blocks'), { headers: await as('admin'), body: { start: `${date}T09:00:00Z`, end: `${date}T10:00:00Z` } }),
      ...Array.from({ length: 6 }, (_, i) =>
        stack.request('POST', '/v1/tenants/acme/bookings', {
          body: { serviceId: 'cut', providerId: 'p2', start: `${date}T09:${i % 2 === 0 ? '00' : '30'}:00Z`, customer: customer() },
        }),
      ),
    ]);
    const [block, ...bookings] = results;
    const booked = bookings.filter((r) => r.status === 201);
    if (block!.status === 201) expect(booked).toHaveLength(0);
    else {
      expect(block!.status).toBe(409);
      expect(booked.length).toBeGreaterThan(0);
    }
    // Whatever won, every unit of the hour has exactly one owner on the sheet.
    const sheet = await stack.store.readSheets('acme', 'p2', date, date);
    const owners = new Set([...sheet.taken.values()]);
    expect(owners.size).toBe(block!.status === 201 ? 1 : booked.length);
  });
});

describe('calendar feed', () => {
  it('serves bookings and blocks as iCalendar, with an ETag, and stops serving a rotated token', async () => {
    const { booking } = await customerBooks('2026-12-04T09:00:00Z', 'p1');
    const rotate = await stack.request('POST', staff('/providers/p1/feed-token'), { headers: await as('provider', 'p1') });
    expect(rotate.status).toBe(201);
    const { feedPath, feedToken } = rotate.body as { feedPath: string; feedToken: string };
    expect(feedPath).toBe(`/v1/feeds/${feedToken}/calendar.ics`);

    const feed = await stack.request('GET', feedPath);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feed.headers.get('cache-control')).toBe('private, max-age=300');
    const calendar = new ICAL.Component(ICAL.parse(feed.body as string));
    const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    const event = events.find((e) => e.uid === `${booking.id}@kairos`);
    expect(event?.startDate.toJSDate().toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(events.some((e) => e.summary.startsWith('Blocked'))).toBe(true);
    // The token is stored only as a hash.
    expect(JSON.stringify(await scanAll(stack.store))).not.toContain(feedToken);

    const etag = feed.headers.get('etag')!;
    const unchanged = await stack.request('GET', feedPath, { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    await customerBooks('2026-12-04T10:00:00Z', 'p1');
    const changed = await stack.request('GET', feedPath, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);

    const rotated = await stack.request('POST', staff('/providers/p1/feed-token'), { headers: await as('admin') });
    expect((await stack.request('GET', feedPath)).status).toBe(404);
    expect((await stack.request('GET', rotated.body.feedPath)).status).toBe(200);
  });

  it("does not let a provider rotate another provider's feed", async () => {
    const response = await stack.request('POST', staff('/providers/p1/feed-token'), { headers: await as('provider', 'p2') });
    expect(response.status).toBe(403);
  });
});

describe('services, providers and settings', () => {
  it('creates, updates and deactivates a service; bookings of a deactivated service stay', async () => {
    const created = await stack.request('POST', staff('/services'), {
      headers: await as('admin'),
      body: { id: 'color', name: 'Colour', durationMinutes: 90, providerIds: ['p1'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.service).toMatchObject({ id: 'color', bufferAfterMinutes: 0, active: true });
    const duplicate = await stack.request('POST', staff('/services'), { headers: await as('admin'), body: { id: 'color', name: 'X', durationMinutes: 30, providerIds: ['p1'] } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('id_taken');
    const unknownProvider = await stack.request('POST', staff('/services'), { headers: await as('admin'), body: { id: 'x', name: 'X', durationMinutes: 30, providerIds: ['nobody'] } });
    expect(unknownProvider.status).toBe(422);
    expect(unknownProvider.body.error.details.field).toBe('body.providerIds.0');

    const updated = await stack.request('PUT', staff('/services/color'), {
      headers: await as('admin'),
      body: { name: 'Colour & style', durationMinutes: 120, bufferAfterMinutes: 15, providerIds: ['p1', 'p2'] },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const tenant = await stack.request('GET', '/v1/tenants/acme');
    expect(tenant.body.services.find((s: { id: string }) => s.id === 'color')).toMatchObject({ name: 'Colour & style', durationMinutes: 120 });

    const { booking } = await customerBooks('2026-12-07T08:00:00Z', 'p2', 'color');
    const deactivated = await stack.request('DELETE', staff('/services/color'), { headers: await as('admin') });
    expect(deactivated.body.service.active).toBe(false);
    expect((await stack.request('GET', '/v1/tenants/acme')).body.services.map((s: { id: string }) => s.id)).not.toContain('color');
    const kept = await stack.request('GET', staff(`/bookings/${booking.id}`), { headers: await as('admin') });
    expect(kept.body.booking.status).toBe('confirmed');
    expect((await stack.request('POST', staff('/services'), { headers: await as('reception'), body: { id: 'y', name: 'Y', durationMinutes: 30, providerIds: ['p1'] } })).status).toBe(403);
  });

  it('adds a provider and deactivates one, listing their future bookings', async () => {
    const added = await stack.request('POST', staff('/providers'), {
      headers: await as('admin'),
      body: { id: 'p3', name: 'Pax Three', timeZone: 'America/New_York', weeklyHours: weekdays },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await stack.request('PUT', staff('/services/cut'), { headers: await as('admin'), body: { name: 'Cut', durationMinutes: 30, horizonDays: 30, providerIds: ['p1', 'p2', 'p3'] } });
    // 09:00 in New York is 14:00Z.
    const { booking } = await customerBooks('2026-12-08T14:00:00Z', 'p3');
    const gone = await stack.request('DELETE', staff('/providers/p3'), { headers: await as('admin') });
    expect(gone.status).toBe(200);
    expect(gone.body.provider.active).toBe(false);
    expect(gone.body.strandedBookings.map((b: { id: string }) => b.id)).toEqual([booking.id]);
  });

  it('lets an admin change the cutoff and the opening hours customers see', async () => {
    const response = await stack.request('PATCH', staff('/settings'), {
      headers: await as('admin'),
      body: { policy: { selfServiceCutoffMinutes: 2880 }, openingHours: { mon: [['08:00', '18:00']] } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const tenant = await stack.request('GET', '/v1/tenants/acme');
    expect(tenant.body.policy.selfServiceCutoffMinutes).toBe(2880);
    expect(tenant.body.openingHours.mon).toEqual([['08:00', '18:00']]);
    // A booking tomorrow is now inside the 48-hour cutoff for the customer.
    const { booking, manageToken } = await customerBooks('2026-11-24T10:00:00Z', 'p2');
    const cancel = await stack.request('POST', `/v1/bookings/${booking.id}/cancel`, { headers: { authorization: `Bearer ${manageToken}` }, body: {} });
    expect(cancel.body.error?.code).toBe('change_cutoff_passed');
    await stack.request('PATCH', staff('/settings'), { headers: await as('admin'), body: { policy: { selfServiceCutoffMinutes: 60 } } });
    const empty = await stack.request('PATCH', staff('/settings'), { headers: await as('admin'), body: {} });
    expect(empty.status).toBe(400);
  });

  it('shows staff the whole tenant and who they are', async () => {
    const response = await stack.request('GET', staff(''), { headers: await as('provider', 'p1') });
    expect(response.status).toBe(200);
    expect(response.body.me).toMatchObject({ role: 'provider', providerId: 'p1' });
    expect(response.body.providers.map((p: { id: string }) => p.id)).toContain('p2');
  });
});

describe('staff accounts', () => {
  it('invites a receptionist who can sign in, lists them, and removing them stops their token at once', async () => {
    const invite = await stack.request('POST', staff('/users'), {
      headers: await as('admin'),
      body: { email: 'Rita@Acme.example', name: 'Rita Desk', role: 'reception' },
    });
    expect(invite.status, JSON.stringify(invite.body)).toBe(201);
    expect(invite.body.user).toMatchObject({ email: 'rita@acme.example', role: 'reception', tenantId: 'acme' });
    const signIn = await stack.identity.signIn('rita@acme.example', invite.body.temporaryPassword);
    expect(signIn.status).toBe(200);
    const headers = { authorization: `Bearer ${signIn.body.idToken}` };
    const day = await stack.request('GET', staff('/bookings?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z'), { headers });
    expect(day.status).toBe(200);

    const list = await stack.request('GET', staff('/users'), { headers: await as('admin') });
    expect(list.body.users.map((u: { email: string }) => u.email)).toContain('rita@acme.example');
    const duplicate = await stack.request('POST', staff('/users'), { headers: await as('admin'), body: { email: 'rita@acme.example', name: 'Again', role: 'admin' } });
    expect(duplicate.status).toBe(409);

    const removed = await stack.request('DELETE', staff(`/users/${invite.body.user.id}`), { headers: await as('admin') });
    expect(removed.status).toBe(204);
    const refused = await stack.request('GET', staff('/bookings?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z'), { headers });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unknown_user');
    expect((await stack.identity.signIn('rita@acme.example', invite.body.temporaryPassword)).status).toBe(401);
  });

  it('requires a provider id exactly for the provider role, and an existing one', async () => {
    const post = async (body: object) => stack.request('POST', staff('/users'), { headers: await as('admin'), body });
    const missing = await post({ email: 'p@acme.example', name: 'P', role: 'provider' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.field).toBe('body.providerId');
    const unknown = await post({ email: 'p@acme.example', name: 'P', role: 'provider', providerId: 'ghost' });
    expect(unknown.status).toBe(422);
    const ok = await post({ email: 'p@acme.example', name: 'P', role: 'provider', providerId: 'p1' });
    expect(ok.status).toBe(201);
    expect(ok.body.user.providerId).toBe('p1');
  });

  it('does not let an admin remove their own account', async () => {
    const response = await stack.request('DELETE', staff('/users/test-admin'), { headers: await as('admin') });
    expect(response.status).toBe(403);
  });
});
