import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, expectAccessible, expectNoHorizontalScroll, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * Every page of the customer side, at phone and at desktop size: axe finds nothing serious or
 * critical, nothing is wider than the screen, and a screenshot of each is kept in reports/e2e/.
 */
const NOW = '2026-11-23T21:30:00Z';

describe.skipIf(!hasChromium())('every customer page, phone and desktop', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  // Each size books its own day, so the two runs do not take each other's times.
  for (const [size, viewport, day, isoDay, nextDay] of [
    ['phone', phone, 'Wednesday, 25 November 2026', '2026-11-25', 'Thursday, 26 November 2026'],
    ['desktop', desktop, 'Thursday, 26 November 2026', '2026-11-26', 'Friday, 27 November 2026'],
  ] as const) {
    it(`passes axe and fits the screen on every page (${size})`, async () => {
      const context = await newContext(browser, { size: viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
      const page = await context.newPage();
      const check = async (name: string) => {
        await expectAccessible(page, `${name} (${size})`);
        await expectNoHorizontalScroll(page, `${name} (${size})`);
        await screenshot(page, `${name}-${size}`);
      };
      const step = (title: string) => page.getByRole('heading', { level: 2, name: title }).waitFor();

      await page.goto(`${stack.baseUrl}/book/demo`);
      await step('What would you like to book?');
      await check('book-1-service');
      await page.getByRole('button', { name: /Erstbefundung/ }).click();
      await step('With whom?');
      await check('book-2-provider');
      await page.getByRole('button', { name: /^Ben Okafor/ }).click();
      await step('Which day?');
      await page.locator('table[role="grid"][aria-busy="false"]').waitFor();
      await check('book-3-date');
      await page.getByRole('button', { name: 'Change', exact: true }).click();
      await page.getByRole('combobox', { name: 'Time zone' }).waitFor();
      await check('book-3-date-zone');
      await page.getByRole('combobox', { name: 'Time zone' }).selectOption('America/New_York');
      await page.getByText(/^Times are shown in America\/New York \(GMT-5\)\./).waitFor();
      await page.getByRole('gridcell', { name: `${day}, times available` }).click();
      await step('Which time?');
      const times = await page.getByRole('list', { name: day }).getByRole('button').allTextContents();
      expect(times[0], "Ben's 11:00 in Berlin is 05:00 in New York").toBe('05:00');
      await check('book-4-time');
      await page.getByRole('button', { name: '05:30', exact: true }).click();
      await step('Your details');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('Please check the marked fields.').waitFor();
      await check('book-5-details-errors');
      await page.getByLabel('Full name').fill('Sam Carter');
      await page.getByLabel('E-mail', { exact: true }).fill(`sam.${size}.${Date.now()}@example.com`);
      await page.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await step('Check and book');
      expect(await page.locator('dl.summary').innerText()).toContain(`${day} at 05:30`);
      await check('book-6-review');
      // Refresh keeps the step and what was typed (sessionStorage, not the URL).
      await page.reload();
      await step('Check and book');
      expect(page.url()).not.toContain('Sam');
      expect(await page.locator('dl.summary').innerText()).toContain('Sam Carter');
      await page.getByRole('button', { name: 'Book now' }).click();
      await page.getByText(/^Booked!/).waitFor();
      await check('book-7-confirmation');
      const booking = await stack.store.getBooking(new URL(page.url()).pathname.split('/')[2]!);
      expect(booking).toMatchObject({ providerId: 'ben', start: `${isoDay}T10:30:00Z` });
      expect(booking?.customer).toMatchObject({ timeZone: 'America/New_York', marketingConsent: true, consentTextVersion: 'kairos-web-1-en' });

      await page.getByRole('button', { name: 'Move to another time' }).click();
      await page.locator('table[role="grid"][aria-busy="false"]').waitFor();
      await check('manage-reschedule-date');
      await page.getByRole('gridcell', { name: `${nextDay}, times available` }).click();
      await check('manage-reschedule-time');
      await page.goBack();
      await page.goBack();
      // After a same-document history step, Chromium's phone emulation hit-tests a click at the
      // restored scroll offset and lands on the paragraph above; the keyboard has no such offset.
      await page.getByRole('button', { name: 'Cancel appointment' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Cancel this appointment?' }).waitFor();
      await check('manage-cancel');

      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { level: 1, name: 'Su cita' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      await check('manage-es');

      await page.goto(`${stack.baseUrl}/book/demo/privacy?lang=de`);
      await check('privacy');
      await page.goto(`${stack.baseUrl}/manage/bk_0000000000missing#token=nope`);
      await page.getByText('This link does not open a booking.', { exact: false }).waitFor();
      await check('manage-invalid-link');
      await page.goto(`${stack.baseUrl}/book/no-such-business`);
      await page.getByText('This page does not exist.').waitFor();
      await check('book-unknown-tenant');
      await context.close();
    });
  }
});
