import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '#tests/support/stack';
import { customer, testTenant } from '#tests/support/fixtures';
import { scanAll } from '#tests/support/table-scan';

const NOW = '2026-11-23T07:00:00Z';
const stack = useTestStack({ now: NOW, tenants: [testTenant()] });
let booking: { id: string; token: string };

beforeAll(async () => {
  const created = await stack.request('POST', '/v1/tenants/acme/bookings', {
    body: { serviceId: 'cut', providerId: 'p1', start: '2026-11-24T09:00:00Z', customer: customer() },
  });
  booking = { id: created.body.booking.id, token: created.body.manageToken };
});

const valid = { serviceId: 'cut', providerId: 'p1', start: '2026-11-24T10:00:00Z', customer: customer() };
const expectError = (response: { status: number; body: any }, status: number, code: string, field?: string) => {
  expect(response.status).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(typeof response.body.error.message).toBe('string');
  if (field) expect(response.body.error.details.field).toBe(field);
  expect(JSON.stringify(response.body)).not.toMatch(/at \S+ \(|node_modules|\.ts:\d+/);
};

describe('bad input gets a clear 4xx naming the problem', () => {
  it.each([
    ['an invalid e-mail', { ...valid, customer: { name: 'A', email: 'not-an-email' } }, 'body.customer.email'],
    ['a missing customer', { serviceId: 'cut', start: valid.start }, 'body.customer'],
    ['a start that is not an instant', { ...valid, start: '2026-11-24 10:00' }, 'body.start'],
    ['a start of the wrong type', { ...valid, start: 1764000000 }, 'body.start'],
    ['a start with a fraction of a second', { ...valid, start: '2026-11-24T10:00:00.000001Z' }, 'body.start'],
    ['an unknown field', { ...valid, colour: 'red' }, 'body'],
    ['notes over 2000 characters', { ...valid, notes: 'x'.repeat(2001) }, 'body.notes'],
    ['an invalid customer time zone', { ...valid, customer: { ...customer(), timeZone: 'Mars/Olympus' } }, 'body.customer.timeZone'],
  ])('rejects a booking with %s (400 invalid_request)', async (_label, body, field) => {
    expectError(await stack.request('POST', '/v1/tenants/acme/bookings', { body }), 400, 'invalid_request', field);
  });

  it('rejects malformed JSON with 400 invalid_json', async () => {
    expectError(await stack.request('POST', '/v1/tenants/acme/bookings', { rawBody: '{"serviceId":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
  });

  it('rejects a body that is not JSON with 415', async () => {
    expectError(await stack.request('POST', '/v1/tenants/acme/bookings', { rawBody: 'a=b', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  });

  it('rejects a body over 16 KB with 413 and stores nothing', async () => {
    const before = (await scanAll(stack.store)).length;
    const body = { ...valid, start: '2026-11-24T11:00:00Z', notes: 'x'.repeat(17 * 1024) };
    expectError(await stack.request('POST', '/v1/tenants/acme/bookings', { body }), 413, 'payload_too_large');
    expect((await scanAll(stack.store)).length).toBe(before);
  });

  it.each([
    ['an unknown service', { ...valid, serviceId: 'nope' }, 422, 'unknown_service', 'serviceId'],
    ['an unknown provider', { ...valid, providerId: 'nope' }, 422, 'unknown_provider', 'providerId'],
    ['a provider who does not offer the service', { ...valid, serviceId: 'noticed', providerId: 'p2' }, 422, 'provider_not_offering_service', 'providerId'],
  ])('rejects %s', async (_label, body, status, code, field) => {
    expectError(await stack.request('POST', '/v1/tenants/acme/bookings', { body }), status, code, field);
  });

  it('answers 404 tenant_not_found for an unknown tenant on every tenant route', async () => {
    expectError(await stack.request('GET', '/v1/tenants/ghost'), 404, 'tenant_not_found');
    expectError(await stack.request('GET', '/v1/tenants/ghost/availability?serviceId=cut&from=2026-11-24&to=2026-11-24'), 404, 'tenant_not_found');
    expectError(await stack.request('POST', '/v1/tenants/ghost/bookings', { body: valid }), 404, 'tenant_not_found');
  });

  it.each([
    ['from after to', 'serviceId=cut&from=2026-11-25&to=2026-11-24', 400, 'invalid_date_range', 'from'],
    ['more than 62 days', 'serviceId=cut&from=2026-11-24&to=2027-01-25', 400, 'invalid_date_range', 'to'],
    ['an impossible date', 'serviceId=cut&from=2026-02-30&to=2026-03-01', 400, 'invalid_request', 'query.from'],
    ['a date in another format', 'serviceId=cut&from=24.11.2026&to=2026-11-25', 400, 'invalid_request', 'query.from'],
    ['a missing service', 'from=2026-11-24&to=2026-11-24', 400, 'invalid_request', 'query.serviceId'],
    ['an unknown time zone', 'serviceId=cut&from=2026-11-24&to=2026-11-24&timeZone=Nowhere/Land', 400, 'invalid_request', 'query.timeZone'],
    ['an unknown parameter', 'serviceId=cut&from=2026-11-24&to=2026-11-24&limit=5', 400, 'invalid_request', 'query'],
    ['an unknown service', 'serviceId=ghost&from=2026-11-24&to=2026-11-24', 422, 'unknown_service', 'serviceId'],
  ])('rejects availability with %s', async (_label, query, status, code, field) => {
    expectError(await stack.request('GET', `/v1/tenants/acme/availability?${query}`), status, code, field);
  });

  it('accepts exactly 62 days', async () => {
    const response = await stack.request('GET', '/v1/tenants/acme/availability?serviceId=cut&from=2026-11-24&to=2027-01-24');
    expect(response.status).toBe(200);
  });

  it('rejects a malformed booking id and an invalid reschedule body', async () => {
    expectError(await stack.request('GET', '/v1/bookings/DROP%20TABLE', { headers: { authorization: `Bearer ${booking.token}` } }), 400, 'invalid_request', 'path.bookingId');
    expectError(
      await stack.request('POST', `/v1/bookings/${booking.id}/reschedule`, { body: { start: 'tomorrow' }, headers: { authorization: `Bearer ${booking.token}` } }),
      400,
      'invalid_request',
      'body.start',
    );
  });

  it('answers 404 route_not_found for paths and methods that do not exist', async () => {
    expectError(await stack.request('GET', '/v1/nothing-here'), 404, 'route_not_found');
    expectError(await stack.request('DELETE', '/v1/tenants/acme'), 404, 'route_not_found');
  });

  it('never answers 5xx to any body a client can send', async () => {
    const paths = ['/v1/tenants/acme/bookings', `/v1/bookings/${booking.id}/reschedule`, `/v1/bookings/${booking.id}/cancel`];
    const bodies = fc.oneof(
      fc.json(),
      fc.record({
        serviceId: fc.oneof(fc.constantFrom('cut', 'long', 'x'), fc.string(), fc.integer()),
        providerId: fc.option(fc.oneof(fc.constantFrom('p1', 'p2'), fc.string()), { nil: undefined }),
        start: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.constant('2026-11-24T09:00:00+01:00')),
        customer: fc.oneof(fc.record({ name: fc.string(), email: fc.oneof(fc.emailAddress(), fc.string()) }), fc.anything()),
      }).map((value) => JSON.stringify(value)),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), bodies, async (path, rawBody) => {
        const response = await stack.request('POST', path, { rawBody, headers: { 'content-type': 'application/json', authorization: `Bearer ${booking.token}` } });
        expect(response.status).toBeLessThan(500);
        expect(response.body?.error?.code ?? 'ok').toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 150 },
    );
  });

  it('never answers 5xx to any query a client can send', async () => {
    const query = fc.dictionary(fc.constantFrom('serviceId', 'from', 'to', 'providerId', 'timeZone', 'x'), fc.oneof(fc.string(), fc.constantFrom('cut', '2026-11-24', '2027-02-28', 'UTC', 'p1')));
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        const response = await stack.request('GET', `/v1/tenants/acme/availability?${new URLSearchParams(params)}`);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
