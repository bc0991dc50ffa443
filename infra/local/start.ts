import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { randomIds } from '#functions/adapters/ids';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { createSesClient, SesMailer } from '#functions/adapters/mailer';
import { CustomerStore } from '#functions/adapters/customer-store';
import { DynamoStore } from '#functions/adapters/store';
import { systemClock } from '#functions/app/deps';
import { applyTenantFile, createLocalApi } from './app.ts';
import { startDynamoLocal } from './dynamodb-local.ts';
import { startSesLocal } from './ses-local.ts';
import { startLocalNotifier, startLocalProjector, startLocalWaitlist, withMailboxSimulator } from './notifier.ts';
import { listen } from './api-gateway.ts';
import { DEMO_PASSWORD, seedDemoUsers } from './identity/demo-users.ts';
import { authPaths } from './identity/endpoints.ts';
import { createLocalIdentity } from './identity/identity.ts';
import { ensureTable } from './table.ts';
import { createStaticSite } from './web.ts';

/**
 * `npm start`: the whole service on this machine with real parts. DynamoDB Local (in memory,
 * or on disk with --persist), a local SES with a web inbox, the table as CDK defines it, the
 * demo tenant and its staff, the local token issuer in place of Cognito, and the API served by
 * the same handlers the Lambdas run.
 */
const { values } = parseArgs({
  options: { persist: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
  allowPositionals: false,
});

const port = Number(process.env.PORT ?? 3000);
const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
const sesPort = Number(process.env.SES_PORT ?? 8005);
const tableName = process.env.TABLE_NAME ?? 'kairos';
const dataDir = values['data-dir'] ?? (values.persist ? '.local-data/dynamodb' : undefined);
const demoFile = fileURLToPath(new URL('../tenants/demo.json', import.meta.url));

const started = Date.now();
const stops: Array<() => Promise<void>> = [];
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const fn of stops.reverse()) await fn().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  // Both at once: Java's start-up is most of the wait, the local SES is in this process.
  const [dynamoStarted, sesStarted] = await Promise.allSettled([
    startDynamoLocal({ port: dynamoPort, dataDir }),
    startSesLocal({ port: sesPort, host: '0.0.0.0' }),
  ]);
  if (dynamoStarted.status === 'fulfilled') stops.push(() => dynamoStarted.value.stop());
  if (sesStarted.status === 'fulfilled') stops.push(() => sesStarted.value.stop());
  if (dynamoStarted.status === 'rejected') throw dynamoStarted.reason;
  if (sesStarted.status === 'rejected') throw sesStarted.reason;
  const dynamo = dynamoStarted.value;
  // The SES the mail sender will use (createSesClient({ endpoint: sesLocal.endpoint })).
  const sesLocal = sesStarted.value;
  const { client, doc } = createDynamoClients({ region: 'eu-central-1', endpoint: dynamo.endpoint });
  await ensureTable(client, tableName);
  const store = new DynamoStore(client, doc, tableName, { configTtlMs: 2_000 });
  const demo = await applyTenantFile(store, demoFile, Date.now());
  const identity = await createLocalIdentity({ store });
  const staff = await seedDemoUsers(store, identity.directory, demo.tenantId, Date.now());

  const links = new Links(process.env.LINK_SECRET ?? LOCAL_LINK_SECRET, process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`);
  const mailFrom = process.env.MAIL_FROM ?? 'bookings@kairos.localhost';
  const server = createLocalApi({ store, clock: systemClock, ids: randomIds, directory: identity.directory, links, mailFrom }, { identity, web: createStaticSite() });
  // The sender on the table's stream and the sweep on a timer, mailing through the local SES.
  const mailer = withMailboxSimulator(new SesMailer(createSesClient({ region: 'eu-central-1', endpoint: sesLocal.endpoint })), { store, clock: systemClock });
  const notifier = await startLocalNotifier({
    deps: { store, clock: systemClock, links, mailer },
    dynamoEndpoint: dynamo.endpoint,
    tableName,
    sweepEveryMs: Number(process.env.SWEEP_EVERY_MS ?? 5_000),
    log: (line) => console.log(line),
  });
  stops.push(() => notifier.stop());
  const projector = await startLocalProjector({
    deps: { store, clock: systemClock, customers: new CustomerStore(doc, tableName) },
    dynamoEndpoint: dynamo.endpoint,
    tableName,
    journeys: { mailFrom, everyMs: Number(process.env.SWEEP_EVERY_MS ?? 5_000) },
    log: (line) => console.log(line),
  });
  stops.push(() => projector.stop());
  stops.push((await startLocalWaitlist({ deps: { store, clock: systemClock, ids: randomIds, directory: identity.directory, links, mailFrom }, dynamoEndpoint: dynamo.endpoint, tableName, log: (line) => console.log(line) })).stop);
  const actualPort = await listen(server, port, '0.0.0.0');
  stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://localhost:${actualPort}`;
  identity.setBaseUrl(base);
  const width = Math.max(...staff.map((user) => user.email.length));
  const staffLines = staff.map((user) => `    ${user.email.padEnd(width)}  ${user.role}${user.providerId ? ` (${user.providerId})` : ''}`).join('\n');
  const portEnv = actualPort === 3000 ? '' : `PORT=${actualPort} `;
  const tokenCommand = `${portEnv}npm run -s token -- --tenant ${demo.tenantId} --role reception`;
  console.log(`
Kairos is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Booking page   ${base}/book/${demo.tenantId}   (manage links: ${base}/manage/<bookingId>#token=…)
  Reception desk ${base}/desk/       (reception@${demo.tenantId}.kairos.test, or admin@… for the admin screens)
  Calendar       ${base}/calendar/   (a provider, e.g. anna@${demo.tenantId}.kairos.test)
  API            ${base}/v1
  Demo tenant    ${base}/v1/tenants/${demo.tenantId}
  Availability   ${base}/v1/tenants/${demo.tenantId}/availability?serviceId=treatment&from=YYYY-MM-DD&to=YYYY-MM-DD
  OpenAPI        ${base}/v1/openapi.json
  DynamoDB Local ${dynamo.endpoint} (table "${tableName}", ${dataDir ? `data in ${dataDir}` : 'in memory'})
  Mail inbox     ${sesLocal.inboxUrl} (local SES at ${sesLocal.endpoint}, JSON at /store)
                 booking mails arrive within a second; reminders when due (swept every ${Number(process.env.SWEEP_EVERY_MS ?? 5_000) / 1000} s);
                 book as bounce@simulator.amazonses.com to see a bounce suppress an address

Staff of the demo tenant (password for all: ${DEMO_PASSWORD})
${staffLines}

  Sign in        curl -s ${base}${authPaths.signIn} -H 'content-type: application/json' \\
                   -d '{"email":"reception@${demo.tenantId}.kairos.test","password":"${DEMO_PASSWORD}"}'
  Any role       ${tokenCommand}   (--role admin|reception|provider [--provider anna])
  Staff API      curl -H "Authorization: Bearer $(${tokenCommand})" ${base}/v1/staff/tenants/${demo.tenantId}
  Token keys     ${base}${authPaths.jwks} (issuer ${identity.issuer.issuerUrl}, audience ${identity.issuer.clientId})

Press Ctrl-C to stop.`);
} catch (error) {
  console.error(`npm start failed: ${(error as Error).message}`);
  await stop(1);
}
