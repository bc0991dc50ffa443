import { existsSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { routeList } from '#shared/api/routes';
import { handlerFactories } from '#functions/http/registry';
import { handlerEntry } from '#functions/http/entries';
import { useTestStack } from '#tests/support/stack';
import { customer, testTenant } from '#tests/support/fixtures';
import { createdBookingSchema, publicTenantSchema, availabilitySchema } from '#shared/api/routes';

const stack = useTestStack({ now: '2026-11-23T07:00:00Z', tenants: [testTenant()] });

describe('GET /v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const response = await stack.request('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(response.body));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('describes every route of the route table, with its method, and nothing else', async () => {
    const document = (await stack.request('GET', '/v1/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string }>> };
    const described = Object.entries(document.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`));
    expect(described.sort()).toEqual(routeList.map((r) => `${r.method} ${r.path} ${r.id}`).sort());
  });

  it('lists each route’s error statuses', async () => {
    const document = (await stack.request('GET', '/v1/openapi.json')).body;
    const booking = document.paths['/v1/tenants/{tenantId}/bookings'].post;
    expect(Object.keys(booking.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '409', '413', '415', '422']));
    expect(booking.requestBody.content['application/json'].schema).toBeDefined();
  });
});

describe('the route table, the handlers and the responses agree', () => {
  it('has a handler factory and a Lambda entry file for every route', () => {
    for (const route of routeList) {
      expect(handlerFactories[route.id], route.id).toBeTypeOf('function');
      expect(existsSync(handlerEntry(route.id)), handlerEntry(route.id)).toBe(true);
    }
  });

  it('returns responses that match the documented schemas', async () => {
    expect(publicTenantSchema.safeParse((await stack.request('GET', '/v1/tenants/acme')).body).error).toBeUndefined();
    const availability = await stack.request('GET', '/v1/tenants/acme/availability?serviceId=cut&from=2026-11-24&to=2026-11-30');
    expect(availability.body.slots.length).toBeGreaterThan(0);
    expect(availabilitySchema.safeParse(availability.body).error).toBeUndefined();
    const created = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', start: availability.body.slots[0].start, customer: customer() },
    });
    expect(createdBookingSchema.safeParse(created.body).error).toBeUndefined();
  });

  it('returns slots sorted by start, as UTC instants', async () => {
    const { body } = await stack.request('GET', '/v1/tenants/acme/availability?serviceId=cut&from=2026-11-24&to=2026-12-24');
    const starts = body.slots.map((s: { start: string }) => s.start);
    expect(starts.every((s: string) => s.endsWith('Z'))).toBe(true);
    expect([...starts].sort()).toEqual(starts);
  });
});
