import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * shared/ is the functional core: no AWS, no Node I/O, no imports from the shell, no environment,
 * no clock, no randomness. ESLint enforces this too; this test is the belt to those braces. The
 * check is textual on purpose: a mention in a comment fails as well, which costs little.
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const sharedDir = join(repo, 'shared');

const forbiddenModule = (specifier: string): boolean =>
  ['@aws-sdk/', '@aws-lambda-powertools/', '@middy/', 'aws-cdk-lib', 'node:', '#functions/', '#infra/'].some((prefix) => specifier.startsWith(prefix)) ||
  builtinModules.includes(specifier.split('/')[0] ?? '') ||
  /^(\.\.\/)+(functions|infra)\//.test(specifier);

const forbiddenText: Array<[RegExp, string]> = [
  [/process\.env/, 'reads process.env'],
  [/Date\.now\s*\(/, 'reads the clock with Date.now()'],
  [/new\s+Date\s*\(\s*\)/, 'reads the clock with new Date()'],
  [/Math\.random\s*\(/, 'uses Math.random()'],
];

/** Everything impure in one source file, as readable findings. */
function impurities(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/\bfrom\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...source.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? '');
  return [
    ...specifiers.filter(forbiddenModule).map((specifier) => `imports ${specifier}`),
    ...forbiddenText.filter(([pattern]) => pattern.test(source)).map(([, finding]) => finding),
  ];
}

const sharedFiles = (readdirSync(sharedDir, { recursive: true }) as string[])
  .filter((path) => path.endsWith('.ts'))
  .map((path) => relative(repo, join(sharedDir, path)))
  .sort();

describe('the functional core in shared/', () => {
  it('is found where the scan looks, so the scan cannot pass by reading nothing', () => {
    expect(sharedFiles).toEqual(
      expect.arrayContaining(['shared/domain/slots.ts', 'shared/domain/booking.ts', 'shared/domain/schemas.ts', 'shared/domain/tenant-file.ts']),
    );
  });

  it.each(sharedFiles)('%s imports no AWS, Node or shell module and reads no environment, clock or randomness', (path) => {
    expect(impurities(readFileSync(join(repo, path), 'utf8'))).toEqual([]);
  });
});

describe('the purity check itself', () => {
  it.each([
    ["import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", 'imports @aws-sdk/client-dynamodb'],
    ["import { readFileSync } from 'node:fs';", 'imports node:fs'],
    ["import { createHash } from 'crypto';", 'imports crypto'],
    ["import type { AppDeps } from '#functions/app/deps';", 'imports #functions/app/deps'],
    ["import { store } from '../../functions/adapters/store.ts';", 'imports ../../functions/adapters/store.ts'],
    ["const { x } = await import('node:path');", 'imports node:path'],
    ["import 'node:process';", 'imports node:process'],
    ['const stage = process.env.STAGE;', 'reads process.env'],
    ['const now = Date.now();', 'reads the clock with Date.now()'],
    ['const today = new Date();', 'reads the clock with new Date()'],
    ['const id = Math.random();', 'uses Math.random()'],
  ])('flags %s', (source, finding) => {
    expect(impurities(source)).toEqual([finding]);
  });

  it('allows pure imports and dates built from a given instant', () => {
    const source = [
      "import { DateTime } from 'luxon';",
      "import { z } from 'zod';",
      "import { minutesOfDay } from './schemas.ts';",
      "import { errorStatus } from '../domain/errors.ts';",
      'const iso = new Date(ms).toISOString();',
    ].join('\n');

    expect(impurities(source)).toEqual([]);
  });
});
