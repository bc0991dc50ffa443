import { describe, expect, it } from 'vitest';
import { useTestStack } from '#tests/support/stack';
import { customer, testTenant } from '#tests/support/fixtures';
import { scanAll, sheetItem, unitsOf } from '#tests/support/table-scan';

const stack = useTestStack({
  now: '2026-10-20T00:00:00Z',
  tenants: [
    testTenant({
      id: 'night',
      timeZone: 'Europe/Berlin',
      services: [
        { id: 'late', name: 'Late session', durationMinutes: 60, bufferAfterMinutes: 30, providerIds: ['owl'], horizonDays: 60 },
        { id: 'hour', name: 'Hour', durationMinutes: 60, providerIds: ['kol', 'owl'], horizonDays: 60 },
      ],
      providers: [
        // Works late on Saturdays and early on Sundays, in Berlin.
        { id: 'owl', name: 'Night Owl', weeklyHours: { sat: [['20:00', '24:00']], sun: [['00:00', '03:00']] } },
        // A provider in a half-hour zone inside a Berlin tenant.
        { id: 'kol', name: 'Kolkata', timeZone: 'Asia/Kolkata', weeklyHours: { mon: [['09:00', '12:00']] } },
      ],
    }),
  ],
});

describe('bookings across local midnight', () => {
  it('claims units on both day sheets in one transaction and releases both on cancel', async () => {
    // Saturday 2026-10-24 23:00 Berlin (CEST, UTC+2) = 21:00Z; its buffer runs to Sunday 00:30 local.
    const created = await stack.request('POST', '/v1/tenants/night/bookings', {
      body: { serviceId: 'late', providerId: 'owl', start: '2026-10-24T21:00:00Z', customer: customer() },
    });
    expect(created.status).toBe(201);
    let items = await scanAll(stack.store);
    const saturday = unitsOf(sheetItem(items, 'night', 'owl', '2026-10-24'));
    const sunday = unitsOf(sheetItem(items, 'night', 'owl', '2026-10-25'));
    expect(Object.keys(saturday)).toHaveLength(12); // 23:00-24:00
    expect(Object.keys(sunday)).toHaveLength(6); // 00:00-00:30 buffer
    expect(Object.keys(sunday).sort()[0]).toBe('U2026-10-24T22:00Z');

    // That Sunday is Berlin's 25-hour day: 00:00 CEST (22:00Z) to 03:00 CET (02:00Z) is four real hours.
    // The first (22:00Z) collides with Saturday's buffer; the other three are open.
    const sundaySlots = await stack.request('GET', '/v1/tenants/night/availability?serviceId=late&from=2026-10-25&to=2026-10-25');
    expect(sundaySlots.body.slots.map((s: { start: string }) => s.start)).toEqual(['2026-10-24T23:00:00Z', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z']);

    await stack.request('POST', `/v1/bookings/${created.body.booking.id}/cancel`, { headers: { authorization: `Bearer ${created.body.manageToken}` } });
    items = await scanAll(stack.store);
    expect(unitsOf(sheetItem(items, 'night', 'owl', '2026-10-24'))).toEqual({});
    expect(unitsOf(sheetItem(items, 'night', 'owl', '2026-10-25'))).toEqual({});
  });
});

describe('viewer time zones', () => {
  it('returns the same instants whatever zone the dates are read in, only the window moves', async () => {
    const inBerlin = await stack.request('GET', '/v1/tenants/night/availability?serviceId=hour&from=2026-10-26&to=2026-10-26');
    const inNewYork = await stack.request('GET', '/v1/tenants/night/availability?serviceId=hour&from=2026-10-25&to=2026-10-26&timeZone=America/New_York');
    expect(inBerlin.body.timeZone).toBe('Europe/Berlin');
    expect(inNewYork.body.timeZone).toBe('America/New_York');
    // Kolkata Monday 09:00-12:00 IST = 03:30-06:30Z: three hour slots on the half hour.
    const kolkata = inBerlin.body.slots.filter((s: { providerIds: string[] }) => s.providerIds.includes('kol')).map((s: { start: string }) => s.start);
    expect(kolkata).toEqual(['2026-10-26T03:30:00Z', '2026-10-26T04:30:00Z', '2026-10-26T05:30:00Z']);
    const nyKolkata = inNewYork.body.slots.filter((s: { providerIds: string[] }) => s.providerIds.includes('kol')).map((s: { start: string }) => s.start);
    expect(nyKolkata).toEqual(kolkata);
  });

  it('books the half-hour-zone slot and returns the provider zone on the booking', async () => {
    const created = await stack.request('POST', '/v1/tenants/night/bookings', {
      body: { serviceId: 'hour', providerId: 'kol', start: '2026-10-26T04:30:00Z', customer: customer() },
    });
    expect(created.status).toBe(201);
    expect(created.body.booking.timeZone).toBe('Asia/Kolkata');
    const offGrid = await stack.request('POST', '/v1/tenants/night/bookings', {
      body: { serviceId: 'hour', providerId: 'kol', start: '2026-10-26T04:00:00Z', customer: customer() },
    });
    expect(offGrid.body.error.details.reason).toBe('off_grid');
  });
});
