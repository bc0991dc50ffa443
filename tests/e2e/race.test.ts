import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, expectAccessible, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * Two customers want Anna at 09:00 on Tuesday. Both reach the review step from a shared link (the
 * flow lives in the URL); one confirms first. The other is told the time was just taken, is
 * offered the nearest open times without retyping anything, and books one of them.
 */
const NOW = '2026-11-23T21:30:00Z';
const SHARED = '/book/demo?service=treatment&provider=anna&date=2026-11-24&start=2026-11-24T08:00:00Z';

describe.skipIf(!hasChromium())('two browsers race for one slot', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function reachReview(page: Page, name: string, email: string, labels: { name: string; email: string; next: string; review: string }) {
    await page.goto(`${stack.baseUrl}${SHARED}`);
    await page.getByLabel(labels.name).fill(name);
    await page.getByLabel(labels.email, { exact: true }).fill(email);
    await page.getByRole('button', { name: labels.next }).click();
    await page.getByRole('heading', { level: 2, name: labels.review }).waitFor();
  }

  it('one confirms, the other gets the recovery offer with the nearest times and keeps what was typed', async () => {
    const first = await newContext(browser, { size: phone, locale: 'de-DE', timezoneId: 'Europe/Berlin', now: NOW });
    const second = await newContext(browser, { size: desktop, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const a = await first.newPage();
    const b = await second.newPage();
    await Promise.all([
      reachReview(a, 'Anja Vogel', `anja.${Date.now()}@example.com`, { name: 'Vor- und Nachname', email: 'E-Mail', next: 'Weiter', review: 'Prüfen und buchen' }),
      reachReview(b, 'Bob Stone', `bob.${Date.now()}@example.com`, { name: 'Full name', email: 'E-mail', next: 'Continue', review: 'Check and book' }),
    ]);
    expect(await b.locator('dl.summary').innerText()).toContain('Tuesday, 24 November 2026 at 09:00');

    await a.getByRole('button', { name: 'Verbindlich buchen' }).click();
    await a.getByText(/^Gebucht!/).waitFor();

    await b.getByRole('button', { name: 'Book now' }).click();
    const recovery = b.locator('.recovery');
    await recovery.getByText('Sorry — someone else has just booked Tuesday, 24 November 2026 at 09:00.', { exact: false }).waitFor();
    const offers = await recovery.getByRole('button').allTextContents();
    expect(offers.length, 'nearest open times are offered').toBeGreaterThanOrEqual(2);
    expect(offers.join('|')).not.toContain('at 09:00');
    // Nearest first in time order around 09:00: Anna's 08:30 and 09:30 are the two closest.
    expect(offers).toContain('Tuesday, 24 November 2026 at 08:30');
    expect(offers).toContain('Tuesday, 24 November 2026 at 09:30');
    expect(await b.evaluate(() => (globalThis as any).document.activeElement?.className)).toBe('recovery');
    expect(await b.locator('dl.summary').innerText(), 'what B typed is still there').toContain('Bob Stone');
    await expectAccessible(b, 'recovery offer');
    await screenshot(b, 'book-6-recovery-desktop');

    await recovery.getByRole('button', { name: 'Tuesday, 24 November 2026 at 09:30' }).click();
    expect(await b.locator('dl.summary').innerText()).toContain('Tuesday, 24 November 2026 at 09:30');
    expect(new URL(b.url()).searchParams.get('start'), 'the new time is in the URL').toBe('2026-11-24T08:30:00Z');
    await b.getByRole('button', { name: 'Book now' }).click();
    await b.getByText(/^Booked!/).waitFor();

    const winner = await stack.store.getBooking(new URL(a.url()).pathname.split('/')[2]!);
    const runnerUp = await stack.store.getBooking(new URL(b.url()).pathname.split('/')[2]!);
    expect(winner?.start).toBe('2026-11-24T08:00:00Z');
    expect(runnerUp?.start).toBe('2026-11-24T08:30:00Z');
    expect(runnerUp?.customer.name).toBe('Bob Stone');
    await first.close();
    await second.close();
  });
});
