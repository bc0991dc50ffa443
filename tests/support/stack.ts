import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { randomIds } from '#functions/adapters/ids';
import { noDirectory } from '#functions/app/directory';
import { DynamoStore, type StoreOptions } from '#functions/adapters/store';
import type { AppDeps, Clock } from '#functions/app/deps';
import { parseTenantFile } from '#shared/domain/tenant-file';
import type { TenantConfig, TenantFileInput } from '#shared/domain/schemas';
import { listen } from '#infra/local/api-gateway';
import { createLocalApi } from '#infra/local/app';
import { ensureTable } from '#infra/local/table';

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

export interface TestStack {
  baseUrl: string;
  tableName: string;
  store: DynamoStore;
  clock: TestClock;
  deps: AppDeps;
  apply(file: TenantFileInput): Promise<TenantConfig>;
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; rawBody?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * The real local API (the same handlers and gateway as `npm start`) over a fresh table in the
 * shared DynamoDB Local, with a clock the test controls.
 */
export async function startTestStack(options: { now: string; store?: Partial<StoreOptions> }): Promise<TestStack> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  const { client, doc } = createDynamoClients({ region: 'eu-central-1', endpoint });
  await ensureTable(client, tableName);
  const store = new DynamoStore(client, doc, tableName, { configTtlMs: 0, ...options.store });
  const clock = new TestClock(Date.parse(options.now));
  const deps: AppDeps = { store, clock, ids: randomIds, directory: noDirectory };
  const server: Server = createLocalApi(deps);
  const port = await listen(server, 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    tableName,
    store,
    clock,
    deps,
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
export function useTestStack(options: { now: string; tenants?: TenantFileInput[] }): TestStack {
  const stack = {} as TestStack;
  beforeAll(async () => {
    Object.assign(stack, await startTestStack({ now: options.now }));
    for (const tenant of options.tenants ?? []) await stack.apply(tenant);
  });
  afterAll(() => stack.close?.());
  return stack;
}
