import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The web apps built for this run (not web/dist, which a running `npm start` may be serving). */
    webDir: string;
    /** Debian's Chromium, or '' when this machine has none (browser tests are then skipped, loudly). */
    chromiumPath: string;
  }
}

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const screenshotDir = `${root}reports/e2e`;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** CI (and anyone who sets KAIROS_REQUIRE_E2E=1) must run the browser tier, never skip it. */
const required = () => process.env.KAIROS_REQUIRE_E2E === '1' || /^(1|true)$/i.test(process.env.CI ?? '');

export default async function setup(project: TestProject) {
  const webDir = `${root}reports/e2e/web-dist`;
  await rm(screenshotDir, { recursive: true, force: true });
  await mkdir(screenshotDir, { recursive: true });
  await build({ configFile: `${root}web/vite.config.ts`, logLevel: 'warn', build: { outDir: webDir, emptyOutDir: true } });
  project.provide('webDir', webDir);

  const chromium = existsSync(CHROMIUM) ? CHROMIUM : '';
  project.provide('chromiumPath', chromium);
  if (chromium) return;
  if (required()) throw new Error(`The e2e tier must run here (CI or KAIROS_REQUIRE_E2E=1), but there is no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const line = '!'.repeat(78);
  const banner = `\n${line}\n!!  E2E BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n!!  Install it (apt-get install -y chromium) to run them; CI installs it and fails without it.\n${line}\n`;
  console.warn(banner);
  // Again at the very end, where it cannot scroll away behind the other tiers' output.
  return () => console.warn(banner);
}
