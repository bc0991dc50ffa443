import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RouteContract } from '#shared/api/contract';
import { DomainError } from '#shared/domain/errors';
import type { Role } from '#shared/domain/staff';
import { authenticateStaff } from '#functions/lib/auth';
import type { HttpHandler } from '#functions/lib/http';
import { accountPk, ACCOUNT_SK, hashPassword, passwordMatches } from '#infra/local/identity/accounts';
import { gatewayClaimValue } from '#infra/local/identity/authorizer';
import { DEMO_PASSWORD, seedDemoUsers } from '#infra/local/identity/demo-users';
import { LocalIssuer } from '#infra/local/identity/issuer';
import { testTenant } from '#tests/support/fixtures';
import { useTestStack, type TokenRequest } from '#tests/support/stack';

/**
 * The local identity provider on its own: sign-in, tokens, the gateway's JWT check and the
 * directory. The gateway is tested with fake routes whose handlers echo what they receive, so
 * these tests do not depend on the real staff handlers.
 */

const calls: string[] = [];
const staffAuth = { kind: 'staff', roles: ['admin', 'reception', 'provider'], ownership: 'tenant' } as const;
const echo =
  (name: string): HttpHandler =>
  async (event) => {
    calls.push(name);
    const context = event.requestContext as { authorizer?: unknown };
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authorizer: context.authorizer ?? null }) };
  };
/** A staff handler's first step, for real: functions/lib/auth.ts on the claims the gateway passed. */
const whoAmI: HttpHandler = async (event: APIGatewayProxyEventV2) => {
  calls.push('whoami');
  try {
    const principal = await authenticateStaff(event, staffAuth, { tenantId: event.pathParameters!.tenantId! }, stack.store);
    return { statusCode: 200, body: JSON.stringify({ ...principal, roles: [...principal.roles] }) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { statusCode: error.status, body: JSON.stringify({ error: { code: error.code } }) };
  }
};
const route = (id: string, path: `/v1/${string}`, auth: RouteContract['auth']): RouteContract => ({
  id,
  method: 'GET',
  path,
  summary: id,
  auth,
  responses: { 200: { description: 'echo' } },
  errors: [],
});

const stack = useTestStack({
  now: '2026-11-23T07:00:00Z',
  tenants: [testTenant()],
  routes: [
    { route: route('echoStaff', '/v1/staff/tenants/{tenantId}/echo', staffAuth), handler: echo('staff') },
    { route: route('whoAmI', '/v1/staff/tenants/{tenantId}/me', staffAuth), handler: whoAmI },
    { route: route('echoPublic', '/v1/tenants/{tenantId}/echo', { kind: 'public' }), handler: echo('public') },
  ],
});

const reception: TokenRequest = { tenantId: 'acme', role: 'reception' };
const provider: TokenRequest = { tenantId: 'acme', role: 'provider', providerId: 'p1' };
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

beforeEach(() => {
  calls.length = 0;
});

describe('POST /auth/sign-in', () => {
  it('returns a Bearer ID token for the right password', async () => {
    const { userId, temporaryPassword } = await stack.identity.directory.invite({ tenantId: 'acme', email: 'Rita@Acme.test', name: 'Rita', role: 'reception' });
    const result = await stack.identity.signIn('rita@acme.test', temporaryPassword!);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ idToken: expect.any(String), expiresIn: 3600, tokenType: 'Bearer' });
    expect(decodeJwt(result.body.idToken)).toMatchObject({ sub: userId, email: 'rita@acme.test', name: 'Rita', 'cognito:groups': ['reception'], 'custom:tenantId': 'acme' });
  });

  it('answers a wrong password and an unknown e-mail with the same 401', async () => {
    await stack.identity.directory.invite({ tenantId: 'acme', email: 'sam@acme.test', name: 'Sam', role: 'admin' });
    const wrongPassword = await stack.identity.signIn('sam@acme.test', 'not-the-password');
    const unknownUser = await stack.identity.signIn('nobody@acme.test', 'not-the-password');
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
    expect(unknownUser).toEqual(wrongPassword);
  });

  it.each([
    ['not JSON', '{"email":', 'body'],
    ['a missing password', JSON.stringify({ email: 'sam@acme.test' }), 'password'],
    ['an empty e-mail', JSON.stringify({ email: ' ', password: 'x' }), 'email'],
    ['an array', '[]', 'body'],
  ])('answers %s with 400 invalid_request naming the field', async (_name, rawBody, field) => {
    const result = await stack.request('POST', '/auth/sign-in', { rawBody, headers: { 'content-type': 'application/json' } });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'invalid_request', details: { field } });
  });

  it('answers another method with 405', async () => {
    expect((await stack.request('GET', '/auth/sign-in')).status).toBe(405);
  });
});

describe('ID tokens', () => {
  it('verify against the served JWKS with an independent verifier (jose), with Cognito’s claims', async () => {
    const token = await stack.identity.tokenFor(provider);
    const jwks = createRemoteJWKSet(new URL(`${stack.baseUrl}/auth/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: `${stack.baseUrl}/auth`, audience: 'kairos-local', algorithms: ['RS256'] });
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: stack.identity.issuer.kid });
    expect(payload).toMatchObject({
      iss: `${stack.baseUrl}/auth`,
      aud: 'kairos-local',
      sub: 'test-provider-p1',
      token_use: 'id',
      email: 'test-provider-p1@acme.kairos.test',
      'cognito:groups': ['provider'],
      'custom:tenantId': 'acme',
      'custom:providerId': 'p1',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.auth_time).toBe(payload.iat);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(60);
  });

  it('carry no provider claim for other roles', async () => {
    expect(decodeJwt(await stack.identity.tokenFor(reception))).not.toHaveProperty('custom:providerId');
  });

  it('are refused by the JWKS of another issuer', async () => {
    const token = await stack.identity.foreignToken(reception);
    const jwks = createRemoteJWKSet(new URL(`${stack.baseUrl}/auth/.well-known/jwks.json`));
    await expect(jwtVerify(token, jwks, { issuer: `${stack.baseUrl}/auth`, audience: 'kairos-local' })).rejects.toThrow(/signature/);
  });
});

describe('the gateway’s JWT check on staff routes', () => {
  it('passes a valid token’s claims to the handler as API Gateway does: every value a string', async () => {
    const token = await stack.identity.tokenFor(provider);
    const result = await stack.request('GET', '/v1/staff/tenants/acme/echo', bearer(token));
    expect(result.status).toBe(200);
    expect(calls).toEqual(['staff']);
    const payload = decodeJwt(token);
    expect(result.body.authorizer.jwt.scopes).toBeNull();
    const claims = result.body.authorizer.jwt.claims;
    expect(claims).toMatchObject({
      sub: 'test-provider-p1',
      token_use: 'id',
      'cognito:groups': '[provider]',
      'custom:tenantId': 'acme',
      'custom:providerId': 'p1',
      email_verified: 'true',
      exp: String(payload.exp),
      iat: String(payload.iat),
    });
    expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
  });

  it('gives the staff check in functions/lib/auth.ts the principal it needs', async () => {
    const token = await stack.identity.tokenFor(provider);
    const result = await stack.request('GET', '/v1/staff/tenants/acme/me', bearer(token));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ userId: 'test-provider-p1', tenantId: 'acme', roles: ['provider'], providerId: 'p1' });
  });

  it('lets through a verified token whose user has no staff record, for the handler to refuse', async () => {
    const token = await stack.identity.tokenFor({ ...reception, userId: 'never-registered', register: false });
    const result = await stack.request('GET', '/v1/staff/tenants/acme/me', bearer(token));
    expect(calls).toEqual(['whoami']);
    expect(result.body.error.code).toBe('unknown_user');
  });

  it('accepts the token without the "Bearer " prefix, as API Gateway does', async () => {
    const token = await stack.identity.tokenFor(reception);
    expect((await stack.request('GET', '/v1/staff/tenants/acme/echo', { headers: { authorization: token } })).status).toBe(200);
  });

  const tamper = (token: string, change: Record<string, unknown>) => {
    const [header, payload, signature] = token.split('.');
    const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), ...change };
    return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  };
  const refused: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no Authorization header', async () => ({})],
    ['an empty bearer', async () => ({ authorization: 'Bearer ' })],
    ['a malformed token', async () => ({ authorization: 'Bearer not.a-jwt' })],
    ['an expired token', async () => ({ authorization: `Bearer ${await stack.identity.expiredToken(reception)}` })],
    ['a token signed by another key with the same kid', async () => ({ authorization: `Bearer ${await stack.identity.foreignToken(reception)}` })],
    [
      'a token from a key the JWKS does not list',
      async () => {
        const stranger = await LocalIssuer.create();
        stranger.setBaseUrl(stack.baseUrl);
        return { authorization: `Bearer ${(await stranger.issue({ userId: 'test-reception', tenantId: 'acme', role: 'reception', email: 'x@acme.test', name: 'X' })).idToken}` };
      },
    ],
    ['a tampered payload (reception → admin)', async () => ({ authorization: `Bearer ${tamper(await stack.identity.tokenFor(reception), { 'cognito:groups': ['admin'] })}` })],
    ['another tenant written into the payload', async () => ({ authorization: `Bearer ${tamper(await stack.identity.tokenFor(reception), { 'custom:tenantId': 'other' })}` })],
    ['a token for another audience', async () => ({ authorization: `Bearer ${await stack.identity.tokenFor({ ...reception, claims: { aud: 'someone-else' } })}` })],
    ['a token from another issuer', async () => ({ authorization: `Bearer ${await stack.identity.tokenFor({ ...reception, claims: { iss: 'http://evil.test/auth' } })}` })],
    ['a token issued in the future', async () => ({ authorization: `Bearer ${await stack.identity.tokenFor({ ...reception, claims: { iat: Math.floor(Date.now() / 1000) + 600 } })}` })],
    [
      'a token whose header claims alg none',
      async () => {
        const [, payload, signature] = (await stack.identity.tokenFor(reception)).split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'none', kid: stack.identity.issuer.kid })).toString('base64url');
        return { authorization: `Bearer ${header}.${payload}.${signature}` };
      },
    ],
  ];

  it.each(refused)('answers %s with 401 and never calls the handler', async (_name, headers) => {
    const result = await stack.request('GET', '/v1/staff/tenants/acme/echo', { headers: await headers() });
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
    expect(calls).toEqual([]);
  });

  it('says why an expired token is refused', async () => {
    const result = await stack.request('GET', '/v1/staff/tenants/acme/echo', bearer(await stack.identity.expiredToken(reception)));
    expect(result.body.error.message).toMatch(/expired/);
  });

  it('never looks at tokens on public routes', async () => {
    const result = await stack.request('GET', '/v1/tenants/acme/echo', { headers: { authorization: 'Bearer garbage' } });
    expect(result.status).toBe(200);
    expect(calls).toEqual(['public']);
    expect(result.body.authorizer).toBeNull();
  });

  it('flattens claim values like API Gateway', () => {
    expect(gatewayClaimValue(['admin', 'reception'])).toBe('[admin reception]');
    expect(gatewayClaimValue(1_790_000_000)).toBe('1790000000');
    expect(gatewayClaimValue(false)).toBe('false');
    expect(gatewayClaimValue('as is')).toBe('as is');
  });
});

describe('POST /auth/dev-token', () => {
  const devToken = (body: unknown) => stack.request('POST', '/auth/dev-token', { body });

  it('issues a token for a role of an existing tenant and records its staff user', async () => {
    const result = await devToken({ tenantId: 'acme', role: 'reception' });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ expiresIn: 3600, tokenType: 'Bearer' });
    expect(decodeJwt(result.body.idToken)).toMatchObject({ sub: 'dev-reception', 'cognito:groups': ['reception'], 'custom:tenantId': 'acme' });
    expect(await stack.store.getStaffUser('acme', 'dev-reception')).toMatchObject({ role: 'reception', tenantId: 'acme' });
    const me = await stack.request('GET', '/v1/staff/tenants/acme/me', bearer(result.body.idToken));
    expect(me.body).toMatchObject({ userId: 'dev-reception', roles: ['reception'] });
  });

  it('issues a provider token for a provider of the tenant', async () => {
    const result = await devToken({ tenantId: 'acme', role: 'provider', providerId: 'p2' });
    expect(result.status).toBe(200);
    expect(decodeJwt(result.body.idToken)).toMatchObject({ sub: 'dev-provider-p2', 'custom:providerId': 'p2' });
    expect(await stack.store.getStaffUser('acme', 'dev-provider-p2')).toMatchObject({ role: 'provider', providerId: 'p2' });
  });

  it('reuses one user for repeated calls', async () => {
    const first = decodeJwt((await devToken({ tenantId: 'acme', role: 'admin' })).body.idToken);
    const second = decodeJwt((await devToken({ tenantId: 'acme', role: 'admin' })).body.idToken);
    expect(second.sub).toBe(first.sub);
    expect((await stack.store.listStaffUsers('acme')).filter((u) => u.id === 'dev-admin')).toHaveLength(1);
  });

  it('answers an unknown tenant with 404 tenant_not_found', async () => {
    const result = await devToken({ tenantId: 'nowhere', role: 'admin' });
    expect(result.status).toBe(404);
    expect(result.body.error.code).toBe('tenant_not_found');
  });

  it.each([
    ['an unknown role', { tenantId: 'acme', role: 'owner' }, 'role'],
    ['a provider without providerId', { tenantId: 'acme', role: 'provider' }, 'providerId'],
    ['a provider the tenant does not have', { tenantId: 'acme', role: 'provider', providerId: 'p9' }, 'providerId'],
    ['a reception token with a providerId', { tenantId: 'acme', role: 'reception', providerId: 'p1' }, 'providerId'],
    ['a missing tenantId', { role: 'admin' }, 'tenantId'],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    const result = await devToken(body);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'invalid_request', details: { field } });
  });
});

describe('LocalDirectory', () => {
  const item = async (email: string) =>
    (await stack.store.db.send(new GetCommand({ TableName: stack.tableName, Key: { PK: accountPk(email), SK: ACCOUNT_SK } }))).Item;

  it('invites: a new user id, a temporary password, an account item with a salted scrypt hash, no staff record', async () => {
    const invited = await stack.identity.directory.invite({ tenantId: 'acme', email: ' Pat@Acme.TEST ', name: 'Pat One', role: 'provider', providerId: 'p1' });
    expect(invited.userId).toMatch(/^usr_[0-9a-z]{26}$/);
    expect(invited.temporaryPassword).toMatch(/^[\w-]{16}$/);
    const stored = await item('pat@acme.test');
    expect(stored).toMatchObject({ PK: 'LOCALAUTH#pat@acme.test', SK: 'ACCOUNT', userId: invited.userId, tenantId: 'acme', role: 'provider', providerId: 'p1', name: 'Pat One' });
    expect(stored!.passwordHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.passwordSalt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toContain(invited.temporaryPassword);
    expect(await stack.store.getStaffUser('acme', invited.userId)).toBeUndefined();
  });

  it('refuses an e-mail that has an account, whatever its case, with id_taken on the email field', async () => {
    const input = { tenantId: 'acme', email: 'dup@acme.test', name: 'Dup', role: 'admin' as Role };
    await stack.identity.directory.invite(input);
    const error = await stack.identity.directory.invite({ ...input, email: 'DUP@acme.test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'id_taken', details: { field: 'email' } });
  });

  it('removes the account so it can no longer sign in, and removing again is harmless', async () => {
    const { userId, temporaryPassword } = await stack.identity.directory.invite({ tenantId: 'acme', email: 'gone@acme.test', name: 'Gone', role: 'reception' });
    expect((await stack.identity.signIn('gone@acme.test', temporaryPassword!)).status).toBe(200);
    await stack.identity.directory.remove({ tenantId: 'acme', userId, email: 'gone@acme.test' });
    expect((await stack.identity.signIn('gone@acme.test', temporaryPassword!)).status).toBe(401);
    await expect(stack.identity.directory.remove({ tenantId: 'acme', userId, email: 'gone@acme.test' })).resolves.toBeUndefined();
    expect(await item('gone@acme.test')).toBeUndefined();
  });

  it('does not remove an account of another user with that e-mail', async () => {
    await stack.identity.directory.invite({ tenantId: 'acme', email: 'kept@acme.test', name: 'Kept', role: 'reception' });
    await stack.identity.directory.remove({ tenantId: 'acme', userId: 'usr_someoneelse', email: 'kept@acme.test' });
    expect(await item('kept@acme.test')).toBeDefined();
  });

  it('hashes with a fresh salt each time and matches only the right password', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first.passwordSalt).not.toBe(second.passwordSalt);
    expect(first.passwordHash).not.toBe(second.passwordHash);
    expect(await passwordMatches('correct horse', first)).toBe(true);
    expect(await passwordMatches('correct horse', second)).toBe(true);
    expect(await passwordMatches('correct horsE', first)).toBe(false);
    expect(await passwordMatches('correct horse', { ...first, passwordHash: first.passwordHash.slice(0, 10) })).toBe(false);
  });
});

describe('demo users', () => {
  it('are seeded with an account and a staff record of the same id, and seeding again changes nothing', async () => {
    const first = await seedDemoUsers(stack.store, stack.identity.directory, 'acme', Date.now());
    expect(first.map((u) => u.email)).toEqual(['admin@acme.kairos.test', 'reception@acme.kairos.test', 'p1@acme.kairos.test', 'p2@acme.kairos.test']);
    const again = await seedDemoUsers(stack.store, stack.identity.directory, 'acme', Date.now());
    expect(again.map((u) => u.userId)).toEqual(first.map((u) => u.userId));
    for (const user of first) {
      expect(await stack.store.getStaffUser('acme', user.userId)).toMatchObject({ email: user.email, role: user.role });
    }
    const signedIn = await stack.identity.signIn('p2@acme.kairos.test', DEMO_PASSWORD);
    expect(decodeJwt(signedIn.body.idToken)).toMatchObject({ sub: first[3]!.userId, 'custom:providerId': 'p2' });
    expect(decodeProtectedHeader(signedIn.body.idToken).kid).toBe(stack.identity.issuer.kid);
  });
});
