import { Agent, request } from 'node:http';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { randomIds } from '#functions/adapters/ids';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { DynamoStore } from '#functions/adapters/store';
import { systemClock, type AppDeps } from '#functions/app/deps';
import type { TenantConfig } from '#shared/domain/schemas';
import type { Role } from '#shared/domain/staff';
import { listen } from '#infra/local/api-gateway';
import { createLocalApi } from '#infra/local/app';
import { startDynamoLocal, type DynamoLocal } from '#infra/local/dynamodb-local';
import type { JwtAuthorizerContext } from '#infra/local/identity/authorizer';
import { createLocalIdentity, type LocalIdentity } from '#infra/local/identity/identity';
import { ensureTable } from '#infra/local/table';

/** What a warm function keeps the tenant configuration for: CONFIG_CACHE_SECONDS' default (functions/lib/env.ts). */
export const CONFIG_TTL_MS = 15_000;
const REGION = 'eu-central-1';

/** A free TCP port on localhost other than DynamoDB Local's usual 8000. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port !== 0 && port !== 8000) return port;
  }
}

export interface Api {
  baseUrl: string;
  server: Server;
  store: DynamoStore;
  /** What the handlers behind `server` were built with. */
  deps: AppDeps;
  /** The local issuer and the gateway's JWT authorizer, as `npm start` wires them. */
  identity: LocalIdentity;
  close(): Promise<void>;
}

/**
 * The whole HTTP API (the Lambda handlers behind the local API Gateway emulation) on an ephemeral
 * port, with the local identity of `npm start`: the gateway verifies staff routes' bearer tokens
 * with aws-jwt-verify against the local issuer's JWKS, so staff requests pay what they pay there.
 */
export async function startApi(client: DynamoDBClient, doc: DynamoDBDocumentClient, tableName: string): Promise<Api> {
  const store = new DynamoStore(client, doc, tableName, { configTtlMs: CONFIG_TTL_MS });
  const identity = await createLocalIdentity({ store });
  const deps: AppDeps = { store, clock: systemClock, ids: randomIds, directory: identity.directory, links: new Links(LOCAL_LINK_SECRET, 'http://localhost:3000'), mailFrom: 'bookings@kairos.localhost' };
  const server = createLocalApi(deps, { identity });
  const port = await listen(server, 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  // The issuer URL (`iss`) is `<baseUrl>/auth`, known only now that the server listens.
  identity.setBaseUrl(baseUrl);
  return {
    baseUrl,
    server,
    store,
    deps,
    identity,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A signed-in staff member of the bench tenant: a valid ID token from the stack's issuer and an existing staff record. */
export interface StaffSession {
  userId: string;
  role: Role;
  /** `Bearer <id token>`, for the Authorization header. */
  authorization: string;
  /** What the gateway hands the function after verifying the token (`requestContext.authorizer`). */
  authorizerContext: JwtAuthorizerContext;
}

/**
 * Records a staff user of `tenantId` (the GetItem every staff request makes must find it) and mints
 * an ID token for it from the API's issuer; checks the gateway accepts the token before returning.
 * Tokens live an hour, like Cognito's: longer than a bench run.
 */
export async function staffSession(api: Api, tenantId: string, role: Role): Promise<StaffSession> {
  const userId = `bench-${role}`;
  const email = `${role}@${tenantId}.bench.example`;
  const name = `Bench ${role}`;
  await api.store.putStaffUser({ id: userId, tenantId, email, name, role, createdAt: new Date().toISOString() });
  const { idToken } = await api.identity.issuer.issue({ userId, tenantId, role, email, name });
  const authorization = `Bearer ${idToken}`;
  const verified = await api.identity.authorizer.authorize(authorization);
  if (!verified.ok) throw new Error(`the bench API's gateway refuses its own ${role} token: ${verified.message}`);
  return { userId, role, authorization, authorizerContext: verified.context };
}

export interface BenchStack {
  dynamo: DynamoLocal;
  tableName: string;
  /** The API's own clients, as a warm Lambda holds them. */
  api: Api;
  /** Reception of the bench tenant, signed in to `api`. */
  reception: StaffSession;
  /** Separate clients, same configuration, for the bare DynamoDB calls. */
  bare: { client: DynamoDBClient; doc: DynamoDBDocumentClient };
  newClients(): { client: DynamoDBClient; doc: DynamoDBDocumentClient };
}

/**
 * DynamoDB Local on a free port, a fresh table as the CDK stack defines it, the tenant applied,
 * and the API served on another free port. Each part pushes its own stop onto `cleanups` as soon
 * as it exists, so the caller can stop whatever was started even when a later step fails.
 */
export async function startBenchStack(config: TenantConfig, cleanups: Array<() => Promise<void>>): Promise<BenchStack> {
  const dynamo = await startDynamoLocal({ port: await freePort(), timeoutMs: 60_000 });
  cleanups.push(() => dynamo.stop());
  const created: DynamoDBClient[] = [];
  const newClients = () => {
    const clients = createDynamoClients({ region: REGION, endpoint: dynamo.endpoint });
    created.push(clients.client);
    return clients;
  };
  cleanups.push(async () => created.forEach((c) => c.destroy()));

  const tableName = `bench-${Date.now().toString(36)}`;
  const apiClients = newClients();
  await ensureTable(apiClients.client, tableName);
  const api = await startApi(apiClients.client, apiClients.doc, tableName);
  cleanups.push(() => api.close());
  await api.store.applyConfig(config, new Date().toISOString());
  const reception = await staffSession(api, config.tenant.id, 'reception');

  return {
    dynamo,
    tableName,
    api,
    reception,
    bare: newClients(),
    newClients,
  };
}

export interface HttpResult {
  status: number;
  text: string;
}

/**
 * The HTTP client for the API side: node:http with a keep-alive agent, the same transport the AWS
 * SDK uses for the bare DynamoDB calls it is compared with (fetch/undici adds about half a
 * millisecond of client-side work per request here, which would be charged to the API).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request; the body is read completely. */
export function http(method: 'GET' | 'POST', url: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function httpJson<T>(method: 'GET' | 'POST', url: string, expected: number, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const result = await http(method, url, options);
  if (result.status !== expected) throw new Error(`${method} ${url} answered ${result.status} (expected ${expected}): ${result.text.slice(0, 500)}`);
  return JSON.parse(result.text) as T;
}

/** Every page of one Query, with the read units it consumed (0 unless `returnCapacity`). */
export async function queryPages(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'ReturnConsumedCapacity'>,
  returnCapacity: boolean,
): Promise<{ items: Record<string, unknown>[]; capacity: number }> {
  const items: Record<string, unknown>[] = [];
  let capacity = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await doc.send(
      new QueryCommand({ ...input, ExclusiveStartKey: startKey, ...(returnCapacity ? { ReturnConsumedCapacity: 'TOTAL' as const } : {}) }),
    );
    items.push(...(page.Items ?? []));
    capacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { items, capacity };
}
