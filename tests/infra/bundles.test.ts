import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeList, type RouteId } from '#shared/api/routes';
import { PROJECT_ROOT, STAFF_DIRECTORY_ROUTES } from '#infra/cdk/kairos-stack';
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

let outdir: string;
const bundles = new Map<RouteId, string>();
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
  for (const route of routeList) {
    const routeId = route.id;
    const fn = resources[logicalId(stack.functionFor(routeId).function.node.defaultChild!)];
    const assetPath = fn?.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`no bundled asset for ${routeId}`);
    bundles.set(routeId, path.join(outdir, assetPath, 'index.mjs'));
  }
});

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** Imports bundles in a fresh Node process with Lambda's environment and runs `script` after. */
function runInLambdaLikeProcess(files: string[], script = '', extraEnv: Record<string, string> = {}): string {
  const source = `
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
      ...extraEnv,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('function bundles', () => {
  it('were built by esbuild during synthesis, once per function, in the project root', () => {
    expect(esbuildRuns).toEqual(routeList.map(() => PROJECT_ROOT));
  });

  it('exist for every route, as ES modules within the size budget', () => {
    expect(bundles.size).toBe(routeList.length);
    for (const [routeId, file] of bundles) {
      const { size } = statSync(file);
      expect(size, routeId).toBeGreaterThan(0);
      expect(size, routeId).toBeLessThan(BUNDLE_BUDGET_BYTES);
    }
  });

  it('load at cold start and export a handler function', () => {
    const out = runInLambdaLikeProcess(
      [...bundles.values()],
      `console.log(JSON.stringify(modules.map((m) => typeof m.handler)));`,
    );
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(routeList.map(() => 'function'));
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
    for (const [routeId, file] of bundles) {
      const hasCognito = readFileSync(file, 'utf8').includes('AdminCreateUser');
      expect(hasCognito, routeId).toBe((STAFF_DIRECTORY_ROUTES as readonly string[]).includes(routeId));
    }
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
