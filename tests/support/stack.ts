import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { randomIds } from '#functions/adapters/ids';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { DynamoStore, type StoreOptions } from '#functions/adapters/store';
import type { AppDeps, Clock } from '#functions/app/deps';
import type { HttpHandler } from '#functions/lib/http';
import type { RouteContract } from '#shared/api/contract';
import { parseTenantFile } from '#shared/domain/tenant-file';
import type { TenantConfig, TenantFileInput } from '#shared/domain/schemas';
import type { Role } from '#shared/domain/staff';
import { listen } from '#infra/local/api-gateway';
import { createLocalApi } from '#infra/local/app';
import type { LocalDirectory } from '#infra/local/identity/accounts';
import { authPaths } from '#infra/local/identity/endpoints';
import { createLocalIdentity } from '#infra/local/identity/identity';
import { LocalIssuer, type TokenSubject } from '#infra/local/identity/issuer';
import { ensureTable } from '#infra/local/table';
import { contractProblem } from './contract-check.ts';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(public current: number) {}
  now() {
    return this.current;
  }
  set(iso: string) {
    this.current = Date.parse(iso);
  }
  advance(minutes: number) {
    this.current += minutes * 60_000;
  }
}

/** Who a test token is for. Everything but tenant and role has a default derived from them. */
export interface TokenRequest {
  tenantId: string;
  role: Role;
  providerId?: string;
  /** Default `test-<role>[-<providerId>]`. */
  userId?: string;
  /** Default `<userId>@<tenantId>.kairos.test`. */
  email?: string;
  name?: string;
  /** Default 3600; negative for a token that has already expired. */
  expiresInSeconds?: number;
  /** Default true: also record the staff user (store.putStaffUser, create-if-absent) so handlers accept it. */
  register?: boolean;
  /** Claims set over the issued ones, e.g. `{ aud: 'someone-else' }`. */
  claims?: Record<string, unknown>;
}

/** The stack's local issuer (the same as `npm start`'s) and ways to get tokens from it. */
export interface TestIdentity {
  issuer: LocalIssuer;
  /** deps.directory: the sign-in accounts. */
  directory: LocalDirectory;
  /** A valid ID token from the stack's issuer. */
  tokenFor(request: TokenRequest): Promise<string>;
  /** `{ authorization: 'Bearer <tokenFor(request)>' }`, for request(..., { headers }). */
  authHeader(request: TokenRequest): Promise<{ authorization: string }>;
  /** The same claims and key id as tokenFor, signed by another key: the gateway must refuse it. */
  foreignToken(request: TokenRequest): Promise<string>;
  /** A token that expired a minute ago (issued an hour before that). */
  expiredToken(request: TokenRequest): Promise<string>;
  /** POST /auth/sign-in. */
  signIn(email: string, password: string): Promise<{ status: number; body: any }>;
}

export interface TestStack {
  baseUrl: string;
  tableName: string;
  store: DynamoStore;
  clock: TestClock;
  deps: AppDeps;
  identity: TestIdentity;
  apply(file: TenantFileInput): Promise<TenantConfig>;
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; rawBody?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  now: string;
  store?: Partial<StoreOptions>;
  /** Serve these routes instead of the route table's (tests of the gateway with a fake route). */
  routes?: ReadonlyArray<{ route: RouteContract; handler: HttpHandler }>;
}

/**
 * The real local API (the same handlers, gateway and token issuer as `npm start`) over a fresh
 * table in the shared DynamoDB Local, with a clock the test controls. Tokens use real time, as
 * Cognito's do: the gateway checks `exp` against the real clock, not the test's.
 */
export async function startTestStack(options: TestStackOptions): Promise<TestStack> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  const { client, doc } = createDynamoClients({ region: 'eu-central-1', endpoint });
  await ensureTable(client, tableName);
  const store = new DynamoStore(client, doc, tableName, { configTtlMs: 0, ...options.store });
  const clock = new TestClock(Date.parse(options.now));
  const local = await createLocalIdentity({ store });
  const deps: AppDeps = { store, clock, ids: randomIds, directory: local.directory, links: new Links(LOCAL_LINK_SECRET, 'http://localhost:3000'), mailFrom: 'bookings@kairos.localhost' };
  const server: Server = createLocalApi(deps, { identity: local, ...(options.routes ? { routes: options.routes } : {}) });
  const port = await listen(server, 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  local.setBaseUrl(baseUrl);

  const subjectOf = (request: TokenRequest): TokenSubject => {
    const userId = request.userId ?? `test-${request.role}${request.providerId ? `-${request.providerId}` : ''}`;
    return {
      userId,
      tenantId: request.tenantId,
      role: request.role,
      providerId: request.providerId,
      email: request.email ?? `${userId}@${request.tenantId}.kairos.test`,
      name: request.name ?? `Test ${request.role}`,
    };
  };
  const register = async (request: TokenRequest, subject: TokenSubject) => {
    if (request.register === false) return;
    const { userId, ...user } = subject;
    await store.putStaffUser({ id: userId, ...user, createdAt: new Date(clock.now()).toISOString() });
  };
  const mint = async (issuer: LocalIssuer, request: TokenRequest) => {
    const subject = subjectOf(request);
    await register(request, subject);
    const issued = await issuer.issue(subject, {
      ...(request.expiresInSeconds !== undefined ? { expiresInSeconds: request.expiresInSeconds } : {}),
      ...(request.claims ? { claims: request.claims } : {}),
    });
    return issued.idToken;
  };
  let impostor: LocalIssuer | undefined;
  const identity: TestIdentity = {
    issuer: local.issuer,
    directory: local.directory,
    tokenFor: (request) => mint(local.issuer, request),
    authHeader: async (request) => ({ authorization: `Bearer ${await mint(local.issuer, request)}` }),
    async foreignToken(request) {
      if (!impostor) {
        impostor = await LocalIssuer.create({ clientId: local.issuer.clientId, kid: local.issuer.kid });
        impostor.setBaseUrl(baseUrl);
      }
      return mint(impostor, request);
    },
    expiredToken: (request) => mint(local.issuer, { ...request, expiresInSeconds: -60 }),
    async signIn(email, password) {
      const response = await fetch(`${baseUrl}${authPaths.signIn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return { status: response.status, body: await response.json() };
    },
  };

  return {
    baseUrl,
    tableName,
    store,
    clock,
    deps,
    identity,
    async apply(file) {
      const parsed = parseTenantFile(file);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      await store.applyConfig(parsed.config, new Date(clock.now()).toISOString());
      return parsed.config;
    },
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // leave as text
      }
      // Every answer of a real route must match its contract (custom test routes are not checked).
      const problem = options.routes ? undefined : contractProblem(method, path, response.status, parsed);
      if (problem) throw new Error(`Contract broken: ${problem}`);
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      client.destroy();
    },
  };
}

/**
 * A test file's stack: started (and the given tenants applied) before its tests, closed after.
 * Returns the stack object at once; its fields are filled in when the beforeAll hook has run.
 */
export function useTestStack(options: Omit<TestStackOptions, 'store'> & { tenants?: TenantFileInput[] }): TestStack {
  const stack = {} as TestStack;
  beforeAll(async () => {
    Object.assign(stack, await startTestStack({ now: options.now, ...(options.routes ? { routes: options.routes } : {}) }));
    for (const tenant of options.tenants ?? []) await stack.apply(tenant);
  });
  afterAll(() => stack.close?.());
  return stack;
}
