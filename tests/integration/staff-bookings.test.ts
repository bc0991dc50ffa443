import { describe, expect, it } from 'vitest';
import type { Role } from '#shared/domain/staff';
import { customer, testTenant } from '#tests/support/fixtures';
import { useTestStack } from '#tests/support/stack';

/**
 * Reception and providers working on bookings through the staff API, on the real local stack:
 * bookings on behalf of a customer, overrides, changes past the customer's cutoff, attendance,
 * and the history every change leaves. Now is Monday 2026-11-23 08:00 in Berlin (UTC+1).
 */
const stack = useTestStack({ now: '2026-11-23T07:00:00Z', tenants: [testTenant()] });

const staff = (path: string) => `/v1/staff/tenants/acme${path}`;
const as = (role: Role, providerId?: string) => stack.identity.authHeader({ tenantId: 'acme', role, ...(providerId ? { providerId } : {}) });

async function customerBooks(start: string, providerId = 'p1', serviceId = 'cut') {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', {
    body: { serviceId, providerId, start, customer: customer() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { booking: { id: string; version: number }; manageToken: string };
}

async function receptionBooks(body: Record<string, unknown>) {
  return stack.request('POST', staff('/bookings'), { headers: await as('reception'), body: { customer: customer('Bea Phone', 'bea@example.com'), ...body } });
}

const history = async (bookingId: string) =>
  (await stack.request('GET', staff(`/bookings/${bookingId}/history`), { headers: await as('admin') })).body.entries as Array<Record<string, any>>;

describe('booking on behalf of a customer', () => {
  it('books an open slot for a caller and records reception as the actor', async () => {
    const response = await receptionBooks({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T09:00:00Z' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.booking).toMatchObject({ providerId: 'p1', start: '2026-11-24T09:00:00Z', status: 'confirmed', channel: 'staff' });
    expect(response.body).not.toHaveProperty('manageToken');
    const entries = await history(response.body.booking.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'created', version: 1, before: null, actor: { kind: 'staff', role: 'reception', userId: 'test-reception' } });
  });

  it('takes the same slot rules as online booking when there is no override', async () => {
    // 18:00 Berlin is after p1's 17:00 close.
    const response = await receptionBooks({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T17:00:00Z' });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'slot_unavailable', details: { reason: 'outside_working_hours' } });
  });

  it('places a booking outside working hours and inside the notice period with an override, and says so', async () => {
    const evening = await receptionBooks({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T17:00:00Z', override: { reason: 'Regular client, only free after work' } });
    expect(evening.status, JSON.stringify(evening.body)).toBe(201);
    expect(evening.body.booking.override).toEqual({ reason: 'Regular client, only free after work' });
    // 'noticed' needs 4 hours' notice; 09:00 Berlin today is one hour away.
    const soon = await receptionBooks({ serviceId: 'noticed', providerId: 'p1', start: '2026-11-23T08:00:00Z', override: { reason: 'Emergency' } });
    expect(soon.status, JSON.stringify(soon.body)).toBe(201);
    const entries = await history(evening.body.booking.id);
    expect(entries[0]).toMatchObject({ action: 'created', override: { reason: 'Regular client, only free after work' } });
  });

  it('never overrides another booking or a block', async () => {
    await customerBooks('2026-11-25T10:00:00Z');
    const overBooking = await receptionBooks({ serviceId: 'cut', providerId: 'p1', start: '2026-11-25T10:00:00Z', override: { reason: 'VIP' } });
    expect(overBooking.status).toBe(409);
    expect(overBooking.body.error.code).toBe('slot_taken');

    const block = await stack.request('POST', staff('/providers/p1/blocks'), {
      headers: await as('provider', 'p1'),
      body: { start: '2026-11-25T18:00:00Z', end: '2026-11-25T20:00:00Z', reason: 'Training' },
    });
    expect(block.status, JSON.stringify(block.body)).toBe(201);
    const overBlock = await receptionBooks({ serviceId: 'cut', providerId: 'p1', start: '2026-11-25T18:30:00Z', override: { reason: 'VIP' } });
    expect(overBlock.status).toBe(409);
    expect(overBlock.body.error.code).toBe('slot_taken');
  });

  it('refuses an override without a chosen provider or a reason, and off the 5-minute grid', async () => {
    const noProvider = await receptionBooks({ serviceId: 'cut', start: '2026-11-24T17:00:00Z', override: { reason: 'Evening' } });
    expect(noProvider.status).toBe(400);
    expect(noProvider.body.error.details.field).toBe('body.providerId');
    const noReason = await receptionBooks({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T17:00:00Z', override: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.field).toBe('body.override.reason');
    const offGrid = await receptionBooks({ serviceId: 'cut', providerId: 'p1', start: '2026-11-24T17:02:00Z', override: { reason: 'Evening' } });
    expect(offGrid.status).toBe(422);
    expect(offGrid.body.error.details.reason).toBe('off_grid');
  });

  it('is not open to providers', async () => {
    const response = await stack.request('POST', staff('/bookings'), {
      headers: await as('provider', 'p1'),
      body: { serviceId: 'cut', providerId: 'p1', start: '2026-11-24T12:00:00Z', customer: customer() },
    });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
  });
});

describe('staff changes past the customer cutoff', () => {
  it('lets reception move and cancel a booking the customer can no longer change', async () => {
    // Today 10:00 Berlin; the cutoff is 60 minutes, so from 09:00 Berlin on the customer is locked out.
    const { booking, manageToken } = await customerBooks('2026-11-23T09:00:00Z', 'p2');
    stack.clock.set('2026-11-23T08:30:00Z');
    try {
      const customerMove = await stack.request('POST', `/v1/bookings/${booking.id}/reschedule`, {
        headers: { authorization: `Bearer ${manageToken}` },
        body: { start: '2026-11-23T11:00:00Z' },
      });
      expect(customerMove.body.error?.code).toBe('change_cutoff_passed');

      const staffMove = await stack.request('POST', staff(`/bookings/${booking.id}/reschedule`), {
        headers: await as('reception'),
        body: { start: '2026-11-23T11:00:00Z' },
      });
      expect(staffMove.status, JSON.stringify(staffMove.body)).toBe(200);
      expect(staffMove.body.booking).toMatchObject({ start: '2026-11-23T11:00:00Z', version: 2 });

      const staffCancel = await stack.request('POST', staff(`/bookings/${booking.id}/cancel`), {
        headers: await as('reception'),
        body: { reason: 'Called in sick' },
      });
      expect(staffCancel.status).toBe(200);
      expect(staffCancel.body.booking).toMatchObject({ status: 'cancelled', cancelReason: 'Called in sick', version: 3 });

      const entries = await history(booking.id);
      expect(entries.map((e) => [e.version, e.action, e.actor.kind])).toEqual([
        [1, 'created', 'customer'],
        [2, 'rescheduled', 'staff'],
        [3, 'cancelled', 'staff'],
      ]);
      expect(entries[1]).toMatchObject({
        before: { start: '2026-11-23T09:00:00Z', end: '2026-11-23T09:30:00Z', status: 'confirmed' },
        after: { start: '2026-11-23T11:00:00Z', end: '2026-11-23T11:30:00Z', status: 'confirmed' },
      });
      expect(entries[2]).toMatchObject({ reason: 'Called in sick', after: { status: 'cancelled' } });
      // The history holds no personal data: erasure of a customer need not rewrite it.
      expect(JSON.stringify(entries)).not.toContain('ana@example.com');
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });

  it('frees the old slot when staff move a booking, so it can be booked again', async () => {
    const { booking } = await customerBooks('2026-11-26T13:00:00Z', 'p2');
    const moved = await stack.request('POST', staff(`/bookings/${booking.id}/reschedule`), {
      headers: await as('admin'),
      body: { start: '2026-11-26T14:00:00Z' },
    });
    expect(moved.status).toBe(200);
    await customerBooks('2026-11-26T13:00:00Z', 'p2');
  });

  it('moves a booking with an override outside working hours, and a move back inside clears the override', async () => {
    const { booking } = await customerBooks('2026-11-27T09:00:00Z', 'p2');
    const late = await stack.request('POST', staff(`/bookings/${booking.id}/reschedule`), {
      headers: await as('reception'),
      body: { start: '2026-11-27T18:00:00Z', override: { reason: 'Only time she can' } },
    });
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    expect(late.body.booking.override).toEqual({ reason: 'Only time she can' });
    const back = await stack.request('POST', staff(`/bookings/${booking.id}/reschedule`), {
      headers: await as('reception'),
      body: { start: '2026-11-27T10:00:00Z' },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.booking).not.toHaveProperty('override');
  });
});

describe('providers and bookings', () => {
  it("lets a provider move their own booking within their calendar but not hand it to a colleague", async () => {
    const { booking } = await customerBooks('2026-12-09T09:00:00Z', 'p1');
    const toColleague = await stack.request('POST', staff(`/bookings/${booking.id}/reschedule`), {
      headers: await as('provider', 'p1'),
      body: { start: '2026-12-09T10:00:00Z', providerId: 'p2' },
    });
    expect(toColleague.status).toBe(403);
    const own = await stack.request('POST', staff(`/bookings/${booking.id}/reschedule`), {
      headers: await as('provider', 'p1'),
      body: { start: '2026-12-09T10:00:00Z', providerId: 'p1' },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const byReception = await stack.request('POST', staff(`/bookings/${booking.id}/reschedule`), {
      headers: await as('reception'),
      body: { start: '2026-12-09T10:00:00Z', providerId: 'p2' },
    });
    expect(byReception.status).toBe(200);
    expect(byReception.body.booking.providerId).toBe('p2');
  });
});

describe('attendance', () => {
  it('can be marked only once the appointment has started, and is recorded in the history', async () => {
    const { booking } = await customerBooks('2026-11-30T09:00:00Z', 'p2');
    const path = staff(`/bookings/${booking.id}/attendance`);
    const early = await stack.request('POST', path, { headers: await as('reception'), body: { status: 'no_show' } });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('attendance_too_early');

    stack.clock.set('2026-11-30T09:20:00Z');
    try {
      const noShow = await stack.request('POST', path, { headers: await as('reception'), body: { status: 'no_show' } });
      expect(noShow.status, JSON.stringify(noShow.body)).toBe(200);
      expect(noShow.body.booking).toMatchObject({ attendance: 'no_show', attendanceMarkedAt: '2026-11-30T09:20:00Z', version: 2 });
      // Marking the same again changes nothing; a correction is a new version.
      const again = await stack.request('POST', path, { headers: await as('reception'), body: { status: 'no_show' } });
      expect(again.body.booking.version).toBe(2);
      const corrected = await stack.request('POST', path, { headers: await as('provider', 'p2'), body: { status: 'attended' } });
      expect(corrected.status).toBe(200);
      expect(corrected.body.booking).toMatchObject({ attendance: 'attended', version: 3 });
      const entries = await history(booking.id);
      expect(entries.slice(1).map((e) => [e.action, e.before.attendance, e.after.attendance, e.actor.role])).toEqual([
        ['attendance_marked', undefined, 'no_show', 'reception'],
        ['attendance_marked', 'no_show', 'attended', 'provider'],
      ]);
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });

  it('cannot be marked on a cancelled booking, by another provider, or with an unknown status', async () => {
    const { booking, manageToken } = await customerBooks('2026-11-24T14:00:00Z', 'p1');
    const wrongStatus = await stack.request('POST', staff(`/bookings/${booking.id}/attendance`), { headers: await as('admin'), body: { status: 'late' } });
    expect(wrongStatus.status).toBe(400);
    expect(wrongStatus.body.error.details.field).toBe('body.status');
    const otherProvider = await stack.request('POST', staff(`/bookings/${booking.id}/attendance`), { headers: await as('provider', 'p2'), body: { status: 'attended' } });
    expect(otherProvider.status).toBe(403);
    await stack.request('POST', `/v1/bookings/${booking.id}/cancel`, { headers: { authorization: `Bearer ${manageToken}` }, body: {} });
    stack.clock.set('2026-11-24T15:00:00Z');
    try {
      const cancelled = await stack.request('POST', staff(`/bookings/${booking.id}/attendance`), { headers: await as('admin'), body: { status: 'attended' } });
      expect(cancelled.status).toBe(409);
      expect(cancelled.body.error.code).toBe('booking_cancelled');
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });
});

describe('calendar listing', () => {
  it("lists a day's bookings and blocks for reception, and only their own for a provider", async () => {
    const day = { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' };
    const a = await customerBooks('2026-12-01T09:00:00Z', 'p1');
    const b = await customerBooks('2026-12-01T10:00:00Z', 'p2');
    const cancelled = await customerBooks('2026-12-01T11:00:00Z', 'p1');
    await stack.request('POST', `/v1/bookings/${cancelled.booking.id}/cancel`, { headers: { authorization: `Bearer ${cancelled.manageToken}` }, body: {} });
    await stack.request('POST', staff('/providers/p1/blocks'), { headers: await as('admin'), body: { start: '2026-12-01T13:00:00Z', end: '2026-12-01T15:00:00Z' } });

    const query = new URLSearchParams(day).toString();
    const all = await stack.request('GET', staff(`/bookings?${query}`), { headers: await as('reception') });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.bookings.map((x: { id: string }) => x.id)).toEqual([a.booking.id, b.booking.id]);
    expect(all.body.blocks).toHaveLength(1);
    expect(all.body.bookings[0].customer.email).toBe('ana@example.com');

    const withCancelled = await stack.request('GET', staff(`/bookings?${query}&includeCancelled=true`), { headers: await as('reception') });
    expect(withCancelled.body.bookings).toHaveLength(3);

    const own = await stack.request('GET', staff(`/bookings?${query}`), { headers: await as('provider', 'p2') });
    expect(own.body.bookings.map((x: { id: string }) => x.id)).toEqual([b.booking.id]);
    expect(own.body.blocks).toHaveLength(0);
    const other = await stack.request('GET', staff(`/bookings?${query}&providerId=p1`), { headers: await as('provider', 'p2') });
    expect(other.status).toBe(403);
  });

  it('includes a booking that started before the range and ends inside it', async () => {
    const { booking } = await customerBooks('2026-12-02T09:00:00Z', 'p2', 'long');
    const response = await stack.request('GET', staff('/bookings?from=2026-12-02T09:30:00Z&to=2026-12-02T12:00:00Z&providerId=p2'), { headers: await as('admin') });
    expect(response.body.bookings.map((x: { id: string }) => x.id)).toContain(booking.id);
  });

  it('refuses inverted and over-long ranges with the field named', async () => {
    const inverted = await stack.request('GET', staff('/bookings?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z'), { headers: await as('admin') });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.details.field).toBe('query.to');
    const tooLong = await stack.request('GET', staff('/bookings?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z'), { headers: await as('admin') });
    expect(tooLong.status).toBe(400);
  });

  it('does not show another tenant a booking id it does not own', async () => {
    await stack.apply(testTenant({ id: 'rival', name: 'Rival' }));
    const { booking } = await customerBooks('2026-12-03T09:00:00Z', 'p1');
    const response = await stack.request('GET', `/v1/staff/tenants/rival/bookings/${booking.id}`, {
      headers: await stack.identity.authHeader({ tenantId: 'rival', role: 'admin' }),
    });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('booking_not_found');
  });
});

describe('long appointments', () => {
  it('moves an 8-hour booking to a later, non-overlapping time on the same day (every expression stays under 4 KB)', async () => {
    const allDay = [['00:00', '24:00']] as Array<[string, string]>;
    await stack.apply(
      testTenant({
        id: 'marathon',
        services: [{ id: 'day', name: 'All day', durationMinutes: 480, slotIntervalMinutes: 60, providerIds: ['p1'], horizonDays: 30 }],
        providers: [{ id: 'p1', name: 'Pat', timeZone: 'UTC', weeklyHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } }],
      }),
    );
    const created = await stack.request('POST', '/v1/tenants/marathon/bookings', {
      body: { serviceId: 'day', providerId: 'p1', start: '2026-11-25T00:00:00Z', customer: customer() },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const moved = await stack.request('POST', `/v1/staff/tenants/marathon/bookings/${created.body.booking.id}/reschedule`, {
      headers: await stack.identity.authHeader({ tenantId: 'marathon', role: 'reception' }),
      body: { start: '2026-11-25T16:00:00Z' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const sheet = await stack.store.readSheets('marathon', 'p1', '2026-11-25', '2026-11-25');
    expect(sheet.taken.size).toBe(96);
    expect(Math.min(...sheet.taken.keys())).toBe(Date.parse('2026-11-25T16:00:00Z'));
  });
});
