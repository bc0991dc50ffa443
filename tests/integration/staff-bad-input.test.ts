import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeList, type RouteContract } from '#shared/api/routes';
import { testTenant } from '#tests/support/fixtures';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';

/**
 * What a client can send to the staff API that it should not: odd tokens, and bodies, paths and
 * queries of any shape. Each gets a clear 4xx with a code, never a 5xx, and nothing is written.
 */
const stack = useTestStack({ now: '2026-11-23T07:00:00Z', tenants: [testTenant()] });

/** Staff routes that take input beyond the path: the ones a malformed request can reach. */
const staffRoutes = (routeList as RouteContract[]).filter((route) => route.auth.kind === 'staff' && (route.body !== undefined || route.query !== undefined));
/** A concrete path for a route: p1, a well-formed (unknown) booking id, and so on. */
const pathOf = (path: string, overrides: Record<string, string> = {}) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(
      overrides[name] ??
        ({
          tenantId: 'acme',
          bookingId: 'bk_0000000000000000000000000a',
          providerId: 'p1',
          serviceId: 'cut',
          date: '2026-12-01',
          blockId: 'bl_0000000000000000000000000a',
          userId: 'nobody',
        }[name] ?? 'x'),
    ),
  );

const expectClientError = (response: { status: number; body: any }, label: string) => {
  expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, label).toBeLessThan(500);
  expect(typeof response.body?.error?.code, label).toBe('string');
  expect(JSON.stringify(response.body), label).not.toMatch(/at \S+ \(|node_modules|\.ts:\d+/);
};

describe('tokens that name the wrong things', () => {
  it('refuses a user whose account record does not exist (401 unknown_user)', async () => {
    const headers = await stack.identity.authHeader({ tenantId: 'acme', role: 'admin', userId: 'ghost-admin', register: false });
    const response = await stack.request('GET', '/v1/staff/tenants/acme', { headers });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unknown_user');
  });

  it('refuses a token whose groups hold no known role (403)', async () => {
    const headers = await stack.identity.authHeader({ tenantId: 'acme', role: 'admin', claims: { 'cognito:groups': ['superuser'] } });
    const response = await stack.request('GET', '/v1/staff/tenants/acme', { headers });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
  });

  it('refuses a token without a tenant, and an access token (401)', async () => {
    for (const claims of [{ 'custom:tenantId': undefined }, { token_use: 'access' }]) {
      const headers = await stack.identity.authHeader({ tenantId: 'acme', role: 'admin', claims });
      const response = await stack.request('GET', '/v1/staff/tenants/acme', { headers });
      expect(response.status, JSON.stringify(claims)).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
  });

  it('answers 404 tenant_not_found for a token of a tenant that does not exist', async () => {
    const headers = await stack.identity.authHeader({ tenantId: 'ghost', role: 'admin' });
    const response = await stack.request('GET', '/v1/staff/tenants/ghost', { headers });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('tenant_not_found');
  });

  it('refuses a role whose token claims it but whose record says otherwise (demoted users)', async () => {
    await stack.identity.tokenFor({ tenantId: 'acme', role: 'reception', userId: 'demoted' });
    const stale = await stack.identity.authHeader({ tenantId: 'acme', role: 'admin', userId: 'demoted', register: false });
    const response = await stack.request('GET', '/v1/staff/tenants/acme/users', { headers: stale });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unknown_user');
  });
});

describe('any body, path or query', () => {
  it('never answers a staff route with a 5xx or a stack trace, and writes nothing', async () => {
    const headers = await stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });
    const before = await scanAll(stack.store);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...staffRoutes),
        fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('start', 'end', 'weeklyHours', 'hours', 'status', 'override', 'id', 'role'), fc.anything())),
        fc.dictionary(fc.constantFrom('from', 'to', 'providerId', 'includeCancelled'), fc.string()),
        fc.option(fc.string({ minLength: 1, maxLength: 30 })),
        async (route, body, query, oddParam) => {
          // Sometimes one path parameter (not the tenant, which the policy compares) is odd too.
          const name = [...route.path.matchAll(/\{(\w+)\}/g)].at(-1)?.[1];
          const path = pathOf(route.path, oddParam !== null && name && name !== 'tenantId' ? { [name]: oddParam } : {});
          const search = new URLSearchParams(query).toString();
          const response = await stack.request(route.method, `${path}${search ? `?${search}` : ''}`, {
            headers,
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { rawBody: JSON.stringify(body) ?? 'null' }),
          });
          expectClientError(response, `${route.id} ${JSON.stringify(body)?.slice(0, 200)}`);
        },
      ),
      { numRuns: 250 },
    );
    expect(await scanAll(stack.store)).toEqual(before);
  });
});
