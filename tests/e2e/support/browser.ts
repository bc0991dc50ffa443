import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

/**
 * Debian's Chromium driven by playwright-core (no browser download here). The flags are the ones
 * this machine needs: as root without a sandbox, and no background traffic to Google's hosts,
 * which the closed network would refuse many times over.
 */
export const hasChromium = () => inject('chromiumPath') !== '';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
export const desktop = { viewport: { width: 1280, height: 860 } } as const;

export interface ContextOptions {
  size: typeof phone | typeof desktop;
  locale: string;
  timezoneId: string;
  /** The browser's clock starts here and runs on (Playwright's page clock). */
  now: string;
}

export async function newContext(browser: Browser, options: ContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options.size, locale: options.locale, timezoneId: options.timezoneId, acceptDownloads: true });
  await context.clock.install({ time: new Date(options.now) });
  return context;
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core in the page (evaluated over the DevTools protocol, which the page's CSP does not
 * govern): no violation of impact serious or critical, under WCAG 2.x A and AA and best practice.
 */
export async function expectAccessible(page: Page, label: string) {
  // These functions run in the page; this file is typed for Node, hence globalThis.
  const has = await page.evaluate(() => 'axe' in globalThis);
  if (!has) await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const page = globalThis as any;
    const result: { violations: Array<{ id: string; impact?: string; help: string; nodes: Array<{ target: unknown[] }> }> } = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${label}: axe found serious or critical violations`).toEqual([]);
  return violations;
}

/** Nothing wider than the viewport: the page reads in one column on a 360 px phone. */
export async function expectNoHorizontalScroll(page: Page, label: string) {
  const { scroll, width } = await page.evaluate(() => {
    const page = globalThis as any;
    return { scroll: page.document.documentElement.scrollWidth as number, width: page.innerWidth as number };
  });
  expect(scroll, `${label}: page is wider than the viewport`).toBeLessThanOrEqual(width);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `reports/e2e/${name}.png`, fullPage: true });
}
