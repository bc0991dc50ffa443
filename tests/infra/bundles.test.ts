import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeList, type RouteId } from '#shared/api/routes';
import { LINK_SECRET_ROUTES, PROJECT_ROOT, STAFF_DIRECTORY_ROUTES } from '#infra/cdk/kairos-stack';
import { customerEntries, type CustomerFunctionId } from '#infra/cdk/customers';
import { MAIL_SENDING_FUNCTIONS, notificationEntries, type NotificationFunctionId } from '#infra/cdk/notifications';
import { waitlistEntries, type WaitlistFunctionId } from '#infra/cdk/waitlist';
import { logicalId, synthTemplate, type CfnResource } from './synth.ts';

/**
 * The real esbuild bundles, loaded the way Lambda loads them: ESM, with the environment of a cold
 * start. Catches what template assertions cannot — an unresolved "#shared/*" alias, a CommonJS
 * dependency that needs `require` in ESM output, a bundle that grew past its budget.
 */

/**
 * The largest bundle we accept (the issue's goal). Sizes are deterministic for a lock file, so
 * unlike timings they can be asserted; docs/benchmarks.md lists the measured sizes.
 */
const BUNDLE_BUDGET_BYTES = 600 * 1024;

/**
 * The notification functions' budget. They are on no request path — a cold start delays a mail by
 * a fraction of a second, not a customer's click — and they carry the mail stack (nodemailer's
 * MailComposer, of which its MIME type table alone is 74 KB, the iCalendar and message-format
 * libraries, the SES client): ~700 KB measured. Bounded all the same, so growth is a decision.
 */
const NOTIFICATION_BUNDLE_BUDGET_BYTES = 750 * 1024;

/**
 * The customer routes' budget. Reading any phone format needs libphonenumber-js's metadata
 * (~118 KB with its code, the smallest build that is still correct — decision 48), on top of
 * what every staff route carries: ~660 KB measured.
 */
const CUSTOMER_BUNDLE_BUDGET_BYTES = 700 * 1024;
const CUSTOMER_ROUTES: readonly string[] = ['lookupCustomer', 'getCustomer', 'searchCustomers', 'exportCustomer', 'eraseCustomer', 'requestDataExport', 'getDataExport', 'getInsights', 'mergeCustomers', 'undoMerge'];

/** Every bundled function: the routes, by route id, and the notification and customer functions, by their id. */
type FunctionName = RouteId | NotificationFunctionId | CustomerFunctionId | WaitlistFunctionId;
const notificationIds = Object.keys(notificationEntries) as NotificationFunctionId[];
/** The stream projector carries the customer routes' phone metadata and message catalogues, so their budget. */
const customerFunctionIds = Object.keys(customerEntries) as CustomerFunctionId[];
/** The waitlist's stream consumer: no mail stack, no phone metadata, so the routes' budget. */
const waitlistFunctionIds = Object.keys(waitlistEntries) as WaitlistFunctionId[];
const functionNames: FunctionName[] = [...routeList.map((route) => route.id), ...notificationIds, ...customerFunctionIds, ...waitlistFunctionIds];

let outdir: string;
const bundles = new Map<FunctionName, string>();
let esbuildRuns: string[] = [];
const originalPath = process.env.PATH;

/**
 * NodejsFunction runs each bundle as `npx --no-install esbuild <args>` in the project root (the
 * lock file is npm's). npx only finds node_modules/.bin/esbuild there, but starting npm to do so
 * costs ~0.3 s, more than esbuild's own work: with 32 functions, 10 of the 16 s of synthesis.
 * This `npx` first on PATH execs that same binary with the same arguments, so the bundles are
 * byte for byte what npx would build, and logs each run so the test can see every function was
 * really bundled. Anything else goes to the real npx.
 */
function runEsbuildWithoutNpm(dir: string): string {
  const realNpx = (originalPath ?? '')
    .split(path.delimiter)
    .map((entry) => path.join(entry, 'npx'))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  const log = path.join(dir, 'esbuild-runs.log');
  const esbuild = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild');
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  writeFileSync(
    path.join(dir, 'npx'),
    [
      '#!/bin/sh',
      'if [ "$1" = "--no-install" ] && [ "$2" = "esbuild" ]; then',
      '  shift 2',
      `  printf '%s\\n' "$PWD" >> ${quote(log)}`,
      `  exec ${quote(esbuild)} "$@"`,
      'fi',
      realNpx ? `exec ${quote(realNpx)} "$@"` : 'echo "npx not found" >&2; exit 127',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  process.env.PATH = [dir, originalPath].join(path.delimiter);
  return log;
}

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'kairos-cdk-'));
  const shimDir = mkdtempSync(path.join(tmpdir(), 'kairos-npx-'));
  const log = runEsbuildWithoutNpm(shimDir);
  let synthesised: ReturnType<typeof synthTemplate>;
  try {
    synthesised = synthTemplate({ bundling: true, outdir });
    esbuildRuns = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  } finally {
    process.env.PATH = originalPath;
    rmSync(shimDir, { recursive: true, force: true });
  }
  const { stack, template } = synthesised;
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  for (const name of functionNames) {
    const construct = (notificationIds as string[]).includes(name)
      ? stack.notifications.functionFor(name as NotificationFunctionId)
      : (customerFunctionIds as string[]).includes(name)
        ? stack.customers.functionFor(name as CustomerFunctionId)
        : (waitlistFunctionIds as string[]).includes(name)
          ? stack.waitlist.functionFor(name as WaitlistFunctionId)
          : stack.functionFor(name as RouteId);
    const fn = resources[logicalId(construct.function.node.defaultChild!)];
    const assetPath = fn?.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`no bundled asset for ${name}`);
    bundles.set(name, path.join(outdir, assetPath, 'index.mjs'));
  }
});

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:kairos-link-AbCdEf';
const FAKE_SECRETS_MANAGER_PORT = 47_913;

/**
 * A Secrets Manager endpoint inside the bundles' process (the SDK finds it through
 * AWS_ENDPOINT_URL_SECRETS_MANAGER): answers GetSecretValue and records every request.
 */
const fakeSecretsManager = `
  const { createServer } = await import('node:http');
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { SecretId } = JSON.parse(body);
      requests.push({ target: req.headers['x-amz-target'], secretId: SecretId });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: SecretId, Name: 'kairos-link', VersionId: 'v1', SecretString: 'a-generated-64-character-secret-0123456789abcdefghijklmnopqrstuv', VersionStages: ['AWSCURRENT'] }));
    });
  });
  await new Promise((resolve) => server.listen(${FAKE_SECRETS_MANAGER_PORT}, '127.0.0.1', resolve));
`;

/**
 * Imports bundles in a fresh Node process with Lambda's environment and runs `script` after;
 * `before` runs first (e.g. to start a fake AWS endpoint the bundles' init phase calls).
 */
function runInLambdaLikeProcess(files: string[], script = '', extraEnv: Record<string, string | undefined> = {}, before = ''): string {
  const source = `
    ${before}
    const modules = [];
    for (const file of ${JSON.stringify(files)}) modules.push(await import(file));
    ${script}
  `;
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], {
    env: {
      PATH: process.env.PATH,
      AWS_LAMBDA_FUNCTION_NAME: 'kairos-bundle-test',
      AWS_REGION: 'eu-central-1',
      TABLE_NAME: 'kairos-bundle-test',
      // Fake credentials: nothing is sent, the SDK only must not go looking for real ones.
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // The functions that derive manage tokens need a link secret in Lambda; here the plain-text
      // one (the LINK_SECRET_ARN path, with its fetch, has a test of its own below).
      LINK_SECRET: 'kairos-bundle-test-link-secret-0123456789',
      ...extraEnv,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('function bundles', () => {
  it('were built by esbuild during synthesis, once per function, in the project root', () => {
    expect(esbuildRuns).toEqual(functionNames.map(() => PROJECT_ROOT));
  });

  it('exist for every route, notification and customer function, as ES modules within the size budget', () => {
    expect([...bundles.keys()]).toEqual(functionNames);
    expect([...notificationIds].sort()).toEqual(['sender', 'sesNotifications', 'sweep']);
    for (const [name, file] of bundles) {
      const { size } = statSync(file);
      expect(size, name).toBeGreaterThan(0);
      const budget = (notificationIds as string[]).includes(name)
        ? NOTIFICATION_BUNDLE_BUDGET_BYTES
        : CUSTOMER_ROUTES.includes(name) || (customerFunctionIds as string[]).includes(name)
          ? CUSTOMER_BUNDLE_BUDGET_BYTES
          : BUNDLE_BUDGET_BYTES;
      expect(size, name).toBeLessThan(budget);
    }
  });

  it('load at cold start and export a handler function', () => {
    const out = runInLambdaLikeProcess(
      [...bundles.values()],
      `console.log(JSON.stringify(modules.map((m) => typeof m.handler)));`,
    );
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(functionNames.map(() => 'function'));
  });

  it('the staff account functions build their Cognito directory at cold start when USER_POOL_ID is set', () => {
    const out = runInLambdaLikeProcess(
      STAFF_DIRECTORY_ROUTES.map((routeId) => bundles.get(routeId)!),
      `console.log(JSON.stringify(modules.map((m) => typeof m.handler)));`,
      { USER_POOL_ID: 'eu-central-1_BundleTest1' },
    );
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(STAFF_DIRECTORY_ROUTES.map(() => 'function'));
  });

  it('carry the Cognito client only in the functions that manage staff accounts', () => {
    for (const [name, file] of bundles) {
      const hasCognito = readFileSync(file, 'utf8').includes('AdminCreateUser');
      expect(hasCognito, name).toBe((STAFF_DIRECTORY_ROUTES as readonly string[]).includes(name));
    }
  });

  /**
   * The SES client only where mail is sent, the Secrets Manager client only where the link secret
   * is read. The bounce/complaint function sends nothing and holds no secret, so it carries neither.
   */
  const sharesSenderRuntime: readonly FunctionName[] = [];

  it('carry the SES client only in the notification functions, never in a route', () => {
    const expected = new Set<FunctionName>([...MAIL_SENDING_FUNCTIONS, ...sharesSenderRuntime]);
    for (const [name, file] of bundles) {
      const hasSes = readFileSync(file, 'utf8').includes('com.amazonaws.ses');
      expect(hasSes, name).toBe(expected.has(name));
    }
  });

  it('carry the Secrets Manager client only in the functions that read the link secret', () => {
    const expected = new Set<FunctionName>([...LINK_SECRET_ROUTES, ...MAIL_SENDING_FUNCTIONS, ...sharesSenderRuntime]);
    expect(expected.size).toBeLessThan(bundles.size / 4);
    for (const [name, file] of bundles) {
      const hasSecretsManager = readFileSync(file, 'utf8').includes('com.amazonaws.secretsmanager');
      expect(hasSecretsManager, name).toBe(expected.has(name));
    }
  });

  it('read the link secret from Secrets Manager once per cold start, then serve every invocation with it', () => {
    const holders: FunctionName[] = ['createBooking', 'createStaffBooking', 'sender'];
    const out = runInLambdaLikeProcess(
      holders.map((name) => bundles.get(name)!),
      `
      const context = { awsRequestId: 'r1', functionName: 'kairos-bundle-test', getRemainingTimeInMillis: () => 10000 };
      const badBooking = {
        version: '2.0', routeKey: 'POST /v1/tenants/{tenantId}/bookings', rawPath: '/v1/tenants/demo/bookings', rawQueryString: '',
        headers: { 'content-type': 'application/json' }, body: '{}', isBase64Encoded: false, pathParameters: { tenantId: 'demo' },
        requestContext: { http: { method: 'POST', path: '/v1/tenants/demo/bookings', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
          requestId: 'r1', routeKey: 'POST /v1/tenants/{tenantId}/bookings', stage: '$default', timeEpoch: 0 },
      };
      const statuses = [];
      for (let i = 0; i < 2; i++) statuses.push((await modules[0].handler(badBooking, context)).statusCode);
      const streamResults = [];
      for (let i = 0; i < 2; i++) streamResults.push(await modules[2].handler({ Records: [] }, context));
      server.close();
      console.log(JSON.stringify({ statuses, streamResults, requests }));
      `,
      {
        // Unset (child_process leaves out undefined variables): the secret must come from the ARN.
        LINK_SECRET: undefined,
        LINK_SECRET_ARN: SECRET_ARN,
        SES_CONFIGURATION_SET: 'kairos-bundle-test',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${FAKE_SECRETS_MANAGER_PORT}`,
      },
      fakeSecretsManager,
    );
    const { statuses, streamResults, requests } = JSON.parse(out.trim().split('\n').at(-1)!) as {
      statuses: number[];
      streamResults: unknown[];
      requests: Array<{ target: string; secretId: string }>;
    };
    // The request was invalid, not refused for want of a secret: the handler was built and ran.
    expect(statuses).toEqual([400, 400]);
    expect(streamResults).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    // One read per bundle (each is its own process in Lambda), none per invocation.
    expect(requests).toEqual(holders.map(() => ({ target: 'secretsmanager.GetSecretValue', secretId: SECRET_ARN })));
  });

  it('the customer projector carries neither the SES nor the Secrets Manager nor the Cognito client', () => {
    const source = readFileSync(bundles.get('projector')!, 'utf8');
    expect(source).not.toContain('com.amazonaws.ses');
    expect(source).not.toContain('com.amazonaws.secretsmanager');
    expect(source).not.toContain('AdminCreateUser');
  });

  it('the customer projector skips what it does not project and reports a booking it could not project as a batch item failure', () => {
    const out = runInLambdaLikeProcess(
      [bundles.get('projector')!],
      `
      const context = { awsRequestId: 'r1', functionName: 'kairos-bundle-test', getRemainingTimeInMillis: () => 10000 };
      const record = (seq, eventName, image) => ({
        eventID: seq, eventName, eventSource: 'aws:dynamodb', awsRegion: 'eu-central-1',
        dynamodb: { SequenceNumber: seq, Keys: { PK: { S: image.PK.S }, SK: { S: image.SK.S } }, ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }) },
      });
      const booking = { PK: { S: 'BK#b1' }, SK: { S: 'BOOKING' }, type: { S: 'booking' }, id: { S: 'b1' }, tenantId: { S: 'demo' }, status: { S: 'confirmed' },
        customer: { M: { name: { S: 'Ana' }, email: { S: 'ana@example.com' } } }, updatedAt: { S: '2026-01-01T00:00:00Z' } };
      const result = await modules[0].handler({ Records: [
        record('1', 'REMOVE', booking),
        record('2', 'MODIFY', { PK: { S: 'T#demo#PRV#ana' }, SK: { S: 'DAY#2026-01-01' }, type: { S: 'daySheet' } }),
        record('3', 'INSERT', booking),
      ] }, context);
      console.log(JSON.stringify(result));
      `,
      // Nothing listens there: the booking's projection fails at its first table read.
      { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', POWERTOOLS_LOG_LEVEL: 'CRITICAL' },
    );
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }] });
  });

  it('getOpenApi answers from its bundle without touching AWS', () => {
    const out = runInLambdaLikeProcess(
      [bundles.get('getOpenApi')!],
      `
      const event = {
        version: '2.0', routeKey: 'GET /v1/openapi.json', rawPath: '/v1/openapi.json', rawQueryString: '',
        headers: {}, isBase64Encoded: false,
        requestContext: { http: { method: 'GET', path: '/v1/openapi.json', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
          requestId: 'r1', routeKey: 'GET /v1/openapi.json', stage: '$default', timeEpoch: 0 },
      };
      const res = await modules[0].handler(event, { awsRequestId: 'r1', functionName: 'kairos-bundle-test', getRemainingTimeInMillis: () => 10000 });
      console.log(JSON.stringify({ statusCode: res.statusCode, body: JSON.parse(res.body) }));
      `,
    );
    const { statusCode, body } = JSON.parse(out.trim().split('\n').at(-1)!) as {
      statusCode: number;
      body: { openapi: string; paths: Record<string, unknown> };
    };
    expect(statusCode).toBe(200);
    expect(body.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(body.paths).sort()).toEqual([...new Set(routeList.map((route) => route.path))].sort());
  });
});
