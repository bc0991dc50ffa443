import { beforeAll, describe, expect, it } from 'vitest';
import { insightsSchema } from '#shared/api/staff-routes';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import { DEFAULT_TIMELINE_RETENTION_DAYS } from '#shared/domain/schemas';
import { testTenant } from '#tests/support/fixtures';
import { useProjector } from '#tests/support/projector';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';

/**
 * Insights through the API, over timelines the projector builds from the table's real stream
 * (DynamoDB Local), and the timeline retention setting. Berlin; opening hours Mon-Fri 09-18;
 * self-service cutoff 60 minutes (so a cancellation with less notice is late). The test moves
 * the clock from July to November 2026 while it books, marks and cancels.
 */
const nine18 = [['09:00', '18:00']] as Array<[string, string]>;
const stack = useTestStack({
  now: '2026-07-01T07:00:00Z',
  tenants: [testTenant({ country: 'DE', openingHours: { mon: nine18, tue: nine18, wed: nine18, thu: nine18, fri: nine18, sat: [], sun: [] } })],
});
const NOW = '2026-11-20T10:00:00Z';

const poller = useProjector(stack);

const admin = () => stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });
const customerOf = (email: string) => newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));

/** Books online at clock time `at`. */
async function book(at: string, email: string, start: string) {
  stack.clock.set(at);
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', {
    body: { serviceId: 'cut', providerId: 'p1', start, customer: { name: email.split('@')[0], email } },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { booking: { id: string; createdAt: string }; manageToken: string };
}

async function mark(at: string, bookingId: string, status: 'attended' | 'no_show') {
  stack.clock.set(at);
  const response = await stack.request('POST', `/v1/staff/tenants/acme/bookings/${bookingId}/attendance`, { headers: await admin(), body: { status } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

async function insights(query: string) {
  return stack.request('GET', `/v1/staff/tenants/acme/insights?${query}`, { headers: await admin() });
}

describe('GET …/insights', () => {
  let anaBooked: { booking: { id: string } };

  beforeAll(async () => {
    // July: Eve's only visit. By the end of September (90 days) she is lapsing, by the end of October (121) still.
    const eve = await book('2026-07-01T07:00:00Z', 'eve@example.com', '2026-07-02T08:00:00Z');
    await mark('2026-07-02T08:40:00Z', eve.booking.id, 'attended');

    // October. Ana books in opening hours and comes; Ben books at 22:00 (after hours) and does not.
    anaBooked = await book('2026-10-05T07:00:00Z', 'ana@example.com', '2026-10-07T08:00:00Z');
    const ben = await book('2026-10-05T20:00:00Z', 'ben@example.com', '2026-10-08T08:00:00Z');
    const carla = await book('2026-10-06T07:00:00Z', 'carla@example.com', '2026-10-09T08:00:00Z');
    const dan = await book('2026-10-06T08:00:00Z', 'dan@example.com', '2026-10-20T08:00:00Z');
    await mark('2026-10-07T08:40:00Z', anaBooked.booking.id, 'attended');
    await mark('2026-10-08T08:40:00Z', ben.booking.id, 'no_show');
    // Carla calls 30 minutes before (reception cancels: late), and books again 71.5 hours later.
    stack.clock.set('2026-10-09T07:30:00Z');
    const late = await stack.request('POST', `/v1/staff/tenants/acme/bookings/${carla.booking.id}/cancel`, { headers: await admin(), body: { reason: 'called in' } });
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    await book('2026-10-12T07:00:00Z', 'carla@example.com', '2026-10-14T08:00:00Z');
    // Dan cancels ten days ahead himself and does not come back.
    stack.clock.set('2026-10-10T08:00:00Z');
    const early = await stack.request('POST', `/v1/bookings/${dan.booking.id}/cancel`, { headers: { authorization: `Bearer ${dan.manageToken}` }, body: {} });
    expect(early.status, JSON.stringify(early.body)).toBe(200);

    await poller.drain();
    stack.clock.set(NOW);
  });

  it('answers each month in the tenant zone with its counts and rates', async () => {
    const response = await insights('from=2026-08&to=2026-10');

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = insightsSchema.parse(response.body);
    expect(body).toMatchObject({ tenantId: 'acme', timeZone: 'Europe/Berlin', lateCancelMinutes: 60 });
    const [august, september, october] = body.months;
    expect(october).toMatchObject({
      month: '2026-10',
      start: '2026-09-30T22:00:00Z',
      end: '2026-10-31T23:00:00Z',
      complete: false,
      // Ana, Ben, Carla twice, Dan; Ben's at 22:00 was after hours.
      bookingsMade: 5,
      afterHoursBookings: 1,
      afterHoursShare: 0.2,
      appointments: 5,
      attended: 1,
      noShows: 1,
      noShowRate: 0.5,
      lateCancellations: 1,
      lateCancelRate: 0.2,
      cancellationsMade: 2,
      rebooked: 1,
      rebookRate: 0.5,
      medianHoursToRebook: 71.5,
      lapsingCustomers: 1,
    });
    expect(september).toMatchObject({ complete: true, bookingsMade: 0, noShowRate: null, lateCancelRate: null, rebookRate: null, afterHoursShare: null, lapsingCustomers: 1 });
    // 60 days after Eve's visit: not yet lapsing (more than 63 days is).
    expect(august!.lapsingCustomers).toBe(0);
  });

  it('files every timeline event under its UTC month in the event index, with the default retention as its expiry', async () => {
    const items = await scanAll(stack.store);
    const booked = items.find((item) => item.type === 'customerEvent' && item.bookingId === anaBooked.booking.id && item.eventType === 'booked')!;

    expect(booked.PK).toBe(`T#acme#CUS#${customerOf('ana@example.com')}`);
    expect(booked.GSI2PK).toBe('T#acme#EV#2026-10');
    expect(booked.GSI2SK).toBe(`${String(booked.at)}#${String(booked.id)}`);
    expect(booked.expiresAt).toBe(Math.floor(Date.parse(String(booked.at)) / 1000) + DEFAULT_TIMELINE_RETENTION_DAYS * 86_400);
    // The timeline as the API shows it carries no index keys.
    const profile = await stack.request('GET', `/v1/staff/tenants/acme/customers/${customerOf('ana@example.com')}`, { headers: await admin() });
    expect(profile.body.timeline[0]).not.toHaveProperty('GSI2PK');
  });

  it('names the field that is wrong', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-10&to=2026-09', 'query.to'],
      ['from=2024-10&to=2026-10', 'query.to'],
      ['from=2026-1&to=2026-10', 'query.from'],
      ['from=2026-10', 'query.to'],
      // November is under way; December has not begun.
      ['from=2026-11&to=2026-12', 'query.to'],
    ];
    for (const [query, field] of cases) {
      const response = await insights(query);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toMatchObject({ code: 'invalid_request', details: { field } });
    }
    expect((await insights('from=2024-11&to=2026-10')).status).toBe(200);
  });
});

describe('the timeline retention setting', () => {
  const settings = async (body: unknown) => stack.request('PATCH', '/v1/staff/tenants/acme/settings', { headers: await admin(), body });

  it('refuses a retention outside 30 to 3650 days, naming the field', async () => {
    for (const days of [29, 3651, 90.5]) {
      const response = await settings({ customers: { timelineRetentionDays: days } });
      expect(response.status, String(days)).toBe(400);
      expect(response.body.error.details.field).toBe('body.customers.timelineRetentionDays');
    }
  });

  it('applies a new retention to the events written from then on', async () => {
    const changed = await settings({ customers: { timelineRetentionDays: 90 } });
    const tenant = await stack.request('GET', '/v1/staff/tenants/acme', { headers: await admin() });
    const fresh = await book(NOW, 'fay@example.com', '2026-11-24T08:00:00Z');
    await poller.drain();

    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.tenant.customers).toEqual({ timelineRetentionDays: 90 });
    expect(tenant.body.tenant.customers).toEqual({ timelineRetentionDays: 90 });
    const event = (await scanAll(stack.store)).find((item) => item.type === 'customerEvent' && item.bookingId === fresh.booking.id)!;
    expect(event.expiresAt).toBe(Math.floor(Date.parse(String(event.at)) / 1000) + 90 * 86_400);
  });
});
