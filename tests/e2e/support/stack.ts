import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { randomIds } from '#functions/adapters/ids';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { CustomerStore } from '#functions/adapters/customer-store';
import { createSesClient, SesMailer } from '#functions/adapters/mailer';
import { DynamoStore } from '#functions/adapters/store';
import type { AppDeps } from '#functions/app/deps';
import { parseTenantFile } from '#shared/domain/tenant-file';
import { listen } from '#infra/local/api-gateway';
import { createLocalApi } from '#infra/local/app';
import { createLocalIdentity } from '#infra/local/identity/identity';
import { startLocalNotifier, startLocalProjector, startLocalWaitlist, type LocalNotifier } from '#infra/local/notifier';
import { ensureTable } from '#infra/local/table';
import { createStaticSite } from '#infra/local/web';
import { freePort } from '#tests/support/global-dynamodb';
import { TestClock } from '#tests/support/stack';

/**
 * What `npm start` runs, for one browser test file: the real handlers, gateway and issuer, the
 * built web apps on the same origin, the mail sender and the customer projector on the table's
 * stream (mail into the shared local SES), and the demo tenant — over a fresh table in the shared DynamoDB Local, with a clock the
 * test sets (the browser's clock is set to the same instant with Playwright's page clock).
 */
export interface E2eStack {
  baseUrl: string;
  clock: TestClock;
  store: DynamoStore;
  links: Links;
  sesEndpoint: string;
  notifier: LocalNotifier;
  close(): Promise<void>;
}

const demoFile = new URL('../../../infra/tenants/demo.json', import.meta.url);

export async function startE2eStack(options: {
  now: string;
  /** Also run the waitlist's stream consumer (freed slots → offer mails), as npm start does. */
  waitlist?: boolean;
}): Promise<E2eStack> {
  const endpoint = inject('dynamoEndpoint');
  const sesEndpoint = inject('sesEndpoint');
  const tableName = `e2e-${randomUUID()}`;
  const { client, doc } = createDynamoClients({ region: 'eu-central-1', endpoint });
  await ensureTable(client, tableName);
  const store = new DynamoStore(client, doc, tableName, { configTtlMs: 0 });
  const clock = new TestClock(Date.parse(options.now));
  const parsed = parseTenantFile(JSON.parse(await readFile(demoFile, 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  await store.applyConfig(parsed.config, options.now);

  // The port first: the manage links in mails must point at this server.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const links = new Links(LOCAL_LINK_SECRET, baseUrl);
  const identity = await createLocalIdentity({ store });
  const deps: AppDeps = { store, clock, ids: randomIds, directory: identity.directory, links, mailFrom: 'bookings@kairos.localhost' };
  const server: Server = createLocalApi(deps, { identity, web: createStaticSite({ dir: inject('webDir') }) });
  await listen(server, port);
  identity.setBaseUrl(baseUrl);
  const mailer = new SesMailer(createSesClient({ region: 'eu-central-1', endpoint: sesEndpoint }));
  const notifier = await startLocalNotifier({ deps: { store, clock, links, mailer }, dynamoEndpoint: endpoint, tableName, sweepEveryMs: 1_000 });
  // Customer profiles from the stream, as npm start runs it: book-again history and mail preferences read them.
  const projector = await startLocalProjector({ deps: { store, clock, customers: new CustomerStore(doc, tableName) }, dynamoEndpoint: endpoint, tableName });
  const waitlist = options.waitlist ? await startLocalWaitlist({ deps, dynamoEndpoint: endpoint, tableName }) : undefined;

  return {
    baseUrl,
    clock,
    store,
    links,
    sesEndpoint,
    notifier,
    async close() {
      await notifier.stop();
      await projector.stop();
      await waitlist?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      client.destroy();
    },
  };
}
