import { parseArgs } from 'node:util';
import { roles } from '#shared/domain/staff';

/**
 * `npm run token -- --tenant <id> --role <admin|reception|provider> [--provider <id>]`: a staff ID
 * token from the running local stack (its /auth/dev-token), printed alone on stdout so scripts can
 * use it as `curl -H "Authorization: Bearer $(npm run -s token -- --tenant demo --role reception)"`.
 * Everything else goes to stderr, and a failure exits non-zero.
 */
const usage = `usage: npm run -s token -- --tenant <id> --role <${roles.join('|')}> [--provider <id>]
  Asks the stack that \`npm start\` runs on http://localhost:$PORT (default 3000).`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let values: { tenant?: string | undefined; role?: string | undefined; provider?: string | undefined; help?: boolean | undefined };
try {
  ({ values } = parseArgs({
    options: { tenant: { type: 'string' }, role: { type: 'string' }, provider: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
if (values.help) {
  console.error(usage);
  process.exit(0);
}
if (!values.tenant || !values.role) fail(usage);

const port = process.env.PORT ?? '3000';
const url = `http://localhost:${port}/auth/dev-token`;
let response: Response;
try {
  response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: values.tenant, role: values.role, ...(values.provider ? { providerId: values.provider } : {}) }),
    signal: AbortSignal.timeout(10_000),
  });
} catch (error) {
  fail(`Cannot reach ${url} (${(error as Error).cause ? String((error as Error).cause) : (error as Error).message}). Is \`npm start\` running on port ${port}?`);
}
const text = await response.text();
let body: { idToken?: string; error?: { code?: string; message?: string } } = {};
try {
  body = JSON.parse(text) as typeof body;
} catch {
  // reported below with the raw text
}
if (!response.ok || !body.idToken) {
  fail(body.error ? `${response.status} ${body.error.code}: ${body.error.message}` : `${url} answered ${response.status}: ${text.slice(0, 200)}`);
}
process.stdout.write(`${body.idToken}\n`);
