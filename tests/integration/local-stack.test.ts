import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, inject, describe, expect, it } from 'vitest';
import { freePort } from '#tests/support/global-dynamodb';
import { useTestStack } from '#tests/support/stack';
import { scanAll } from '#tests/support/table-scan';
import { parseRaw, waitForMessages } from '#tests/support/ses-inbox';
import { customer } from '#tests/support/fixtures';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const tomorrow = () => dayFromNow(1);
const inAWeek = () => dayFromNow(8);

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(tsx, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('npm run tenant -- apply', () => {
  const stack = useTestStack({ now: '2026-11-23T07:00:00Z' });
  const apply = (file: string) => run(['infra/local/tenant-cli.ts', 'apply', file, '--endpoint', inject('dynamoEndpoint'), '--table', stack.tableName]);

  it('applies the demo file, and applying it again changes nothing and keeps bookings', async () => {
    const first = await apply('infra/tenants/demo.json');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('Applied tenant "demo"');
    const tenant = await stack.request('GET', '/v1/tenants/demo');
    expect(tenant.body.services).toHaveLength(4);
    expect(tenant.body.providers).toHaveLength(3);

    const slots = await stack.request('GET', '/v1/tenants/demo/availability?serviceId=treatment&from=2026-11-24&to=2026-11-24');
    const booked = await stack.request('POST', '/v1/tenants/demo/bookings', { body: { serviceId: 'treatment', start: slots.body.slots[0].start, customer: customer() } });
    expect(booked.status).toBe(201);
    const before = await scanAll(stack.store);

    const second = await apply('infra/tenants/demo.json');
    expect(second.code, second.out).toBe(0);
    const after = await scanAll(stack.store);
    const strip = (items: Record<string, unknown>[]) => items.map(({ updatedAt: _u, ...rest }) => rest).sort((a, b) => `${a.PK}${a.SK}`.localeCompare(`${b.PK}${b.SK}`));
    expect(strip(after)).toEqual(strip(before));
  });

  it('names the JSON path of every problem in an invalid file and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kairos-tenant-'));
    const demo = JSON.parse(readFileSync('infra/tenants/demo.json', 'utf8'));
    demo.id = 'broken';
    demo.services[1].durationMinutes = 33;
    demo.providers[0].weeklyHours.mon = [['09:00', '25:00']];
    demo.services[0].providerIds.push('nobody');
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(demo));
    const result = await apply(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('$.services[1].durationMinutes');
    expect(result.out).toContain('$.providers[0].weeklyHours.mon[0][1]');
    expect(result.out).toContain('$.services[0].providerIds[2]');
    expect((await stack.request('GET', '/v1/tenants/broken')).status).toBe(404);
  });

  it('deactivates a service that the file no longer lists instead of deleting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kairos-tenant-'));
    const demo = JSON.parse(readFileSync('infra/tenants/demo.json', 'utf8'));
    demo.services = demo.services.filter((s: { id: string }) => s.id !== 'massage');
    const file = join(dir, 'demo.json');
    writeFileSync(file, JSON.stringify(demo));
    const result = await apply(file);
    expect(result.out).toContain('deactivated service:massage');
    const tenant = await stack.request('GET', '/v1/tenants/demo');
    expect(tenant.body.services.map((s: { id: string }) => s.id)).not.toContain('massage');
    const availability = await stack.request('GET', '/v1/tenants/demo/availability?serviceId=massage&from=2026-11-24&to=2026-11-24');
    expect(availability.body.error.code).toBe('unknown_service');
  });
});

describe('npm start', () => {
  it('serves the demo tenant and the mail inbox within 30 s and stops every child on Ctrl-C', async () => {
    const [port, dynamoPort, sesPort] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(tsx, ['infra/local/start.ts'], {
      env: { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamoPort), SES_PORT: String(sesPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    while (!out.includes('Kairos is running')) {
      if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`not ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(out).toContain(`http://localhost:${port}/v1/tenants/demo`);
    const tenant = await fetch(`http://127.0.0.1:${port}/v1/tenants/demo`);
    expect(tenant.status).toBe(200);
    expect(await portOpen(dynamoPort)).toBe(true);
    // The printed inbox is the local SES: its page, and the SES API's JSON store next to it.
    const inboxUrl = `http://localhost:${sesPort}/`;
    expect(out).toContain(`Mail inbox     ${inboxUrl}`);
    const inbox = await fetch(inboxUrl);
    expect(inbox.status).toBe(200);
    expect(inbox.headers.get('content-type')).toContain('text/html');
    expect(((await (await fetch(`http://127.0.0.1:${sesPort}/store`)).json()) as any).emails).toEqual(expect.any(Array));

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await portOpen(port)).toBe(false);
    // DynamoDB Local (a Java child) is gone too.
    for (let i = 0; i < 50 && (await portOpen(dynamoPort)); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await portOpen(dynamoPort)).toBe(false);
    expect(await portOpen(sesPort)).toBe(false);
  });
});

describe('npm start: staff sign-in, npm run token, booking mail', () => {
  let port = 0;
  let sesPort = 0;
  let child: ReturnType<typeof spawn> | undefined;
  let out = '';
  const base = () => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    port = await freePort();
    const dynamoPort = await freePort();
    sesPort = await freePort();
    child = spawn(tsx, ['infra/local/start.ts'], {
      env: { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamoPort), SES_PORT: String(sesPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    while (!out.includes('Kairos is running')) {
      if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`not ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.on('exit', resolve));
    child.kill('SIGINT');
    await exited;
  });

  it('seeds the demo staff, prints them, and signs in reception with the demo password', async () => {
    for (const email of ['admin@demo.kairos.test', 'reception@demo.kairos.test', 'anna@demo.kairos.test', 'ben@demo.kairos.test', 'clara@demo.kairos.test']) {
      expect(out).toContain(email);
    }
    expect(out).toContain('kairos-demo-2026');
    const signIn = await fetch(`${base()}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'reception@demo.kairos.test', password: 'kairos-demo-2026' }),
    });
    expect(signIn.status).toBe(200);
    const { idToken } = (await signIn.json()) as { idToken: string };
    // The issuer is http://localhost:<port>/auth, as printed; the JWKS is served next to it.
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${base()}/auth/.well-known/jwks.json`)), {
      issuer: `http://localhost:${port}/auth`,
      audience: 'kairos-local',
    });
    expect(payload).toMatchObject({ email: 'reception@demo.kairos.test', 'cognito:groups': ['reception'], 'custom:tenantId': 'demo' });

    const me = await fetch(`${base()}/v1/staff/tenants/demo`, { headers: { authorization: `Bearer ${idToken}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).me).toMatchObject({ userId: payload.sub, role: 'reception' });
  });

  const token = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const cli = spawn('npm', ['run', '-s', 'token', '--', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      cli.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      cli.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('puts the confirmation of a booking, with its invitation, into the local inbox within seconds', async () => {
    const slots = await fetch(`${base()}/v1/tenants/demo/availability?serviceId=treatment&from=${tomorrow()}&to=${inAWeek()}`);
    const { slots: open } = (await slots.json()) as { slots: Array<{ start: string }> };
    const email = `local-stack.${Date.now()}@example.com`;
    const booked = await fetch(`${base()}/v1/tenants/demo/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 'treatment', start: open[0]!.start, customer: { name: 'Ana García', email, locale: 'es' } }),
    });
    expect(booked.status).toBe(201);
    const [mail] = await waitForMessages(`http://127.0.0.1:${sesPort}`, { to: email, timeoutMs: 10_000 });
    const parsed = await parseRaw(mail!);
    expect(parsed.subject).toMatch(/cita/i);
    expect(parsed.attachments.map((a) => a.filename)).toContain('invite.ics');
  });

  it('npm run token prints only a token, which the gateway accepts', async () => {
    const result = await token(['--tenant', 'demo', '--role', 'provider', '--provider', 'ben'], { PORT: String(port) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const me = await fetch(`${base()}/v1/staff/tenants/demo`, { headers: { authorization: `Bearer ${result.stdout.trim()}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).me).toMatchObject({ userId: 'dev-provider-ben', role: 'provider', providerId: 'ben' });
    const refused = await fetch(`${base()}/v1/staff/tenants/demo`, { headers: { authorization: `Bearer ${result.stdout.trim()}x` } });
    expect(refused.status).toBe(401);
  });

  it('npm run token fails on stderr with a non-zero exit for a bad request and when nothing listens', async () => {
    const bad = await token(['--tenant', 'demo', '--role', 'provider'], { PORT: String(port) });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('400 invalid_request');
    const nothing = await token(['--tenant', 'demo', '--role', 'admin'], { PORT: String(await freePort()) });
    expect(nothing.code).not.toBe(0);
    expect(nothing.stdout).toBe('');
    expect(nothing.stderr).toContain('Is `npm start` running');
  });
});
