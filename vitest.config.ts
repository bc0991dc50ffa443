import { defineConfig } from 'vitest/config';

/**
 * Test tiers as vitest projects. `npm test` runs them all; the JSON report feeds the
 * "N passed, N failed" line of .ci/run.
 */
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-dynamodb.ts', 'tests/support/global-ses.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          // The web apps: their pure modules, the local static serving, the JS budget, and real
          // Chromium (Debian's, driven by playwright-core) against the real local stack. Browser
          // files run one at a time: two cores cannot hold several Chromiums and DynamoDB Local.
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/global-dynamodb.ts', 'tests/support/global-ses.ts', 'tests/e2e/support/global-web.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
