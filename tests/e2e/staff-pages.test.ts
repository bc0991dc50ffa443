import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, expectAccessible, expectNoHorizontalScroll, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { bookOnline, english, seedStaff, signInWithForm, staffEmails } from './support/staff.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * Every screen of the desk and the calendar, at phone and at desktop size: axe finds nothing
 * serious or critical, nothing is wider than the screen, and a screenshot of each is kept in
 * reports/e2e/. Pages are reloaded between screens, so the session surviving a reload (this
 * tab's sessionStorage) is exercised on the way.
 */
const NOW = '2026-11-23T09:30:00Z';

describe.skipIf(!hasChromium())('every staff page, phone and desktop', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
    await seedStaff(stack);
    await bookOnline(stack, {
      serviceId: 'treatment',
      providerId: 'anna',
      start: '2026-11-23T13:00:00Z',
      customer: { name: 'Sam Carter', email: `sam.${Date.now().toString(36)}@example.com`, phone: '+49 30 5550101', locale: 'en' },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  for (const [size, viewport] of [
    ['phone', phone],
    ['desktop', desktop],
  ] as const) {
    it(`passes axe and fits the screen on every desk and calendar page (${size})`, async () => {
      const context = await newContext(browser, { size: viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
      const page = await context.newPage();
      const check = async (name: string) => {
        await expectAccessible(page, `${name} (${size})`);
        await expectNoHorizontalScroll(page, `${name} (${size})`);
        await screenshot(page, `${name}-${size}`);
      };
      const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
      const open = async (path: string, title: string | RegExp) => {
        await page.goto(`${stack.baseUrl}${path}`);
        await heading(title);
      };

      await page.goto(`${stack.baseUrl}/desk/`);
      await heading('Sign in');
      await check('desk-sign-in');
      await signInWithForm(page, staffEmails.admin, english);
      await heading('Find a caller');
      await check('desk-search');
      await page.getByLabel('Phone, name or e-mail').fill('Sam');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('heading', { level: 2, name: '1 result(s) for “Sam”' }).waitFor();
      await check('desk-results');
      await page.getByRole('link', { name: 'Sam Carter' }).click();
      await heading('Sam Carter');
      await page.getByRole('heading', { level: 2, name: 'Data rights' }).waitFor();
      await check('desk-card');
      await page.getByRole('region', { name: 'Upcoming' }).getByRole('button', { name: /^Details:/ }).click();
      await page.getByRole('dialog', { name: 'Booking' }).waitFor();
      await check('desk-booking-dialog');
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel booking' }).click();
      await page.getByRole('dialog', { name: 'Cancel the booking' }).waitFor();
      await check('desk-cancel-dialog');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count(), { message: 'Escape closes the dialog' }).toBe(0);

      await open('/desk/day?date=2026-11-23', /^Day: Monday,? 23 November 2026$/);
      await page.getByRole('button', { name: /^14:00–14:30 Sam Carter/ }).waitFor();
      await check('desk-day');
      await open('/desk/book?date=2026-11-24', 'New booking');
      await page.getByRole('list', { name: 'Open times' }).waitFor();
      await check('desk-new-booking');
      await page.getByLabel('Outside the rules (working hours, notice, horizon)').check();
      await page.getByLabel('Why the rules are overridden').waitFor();
      await check('desk-new-booking-override');
      await open('/desk/tasks', 'Open tasks');
      await check('desk-tasks');

      for (const [section, title] of [
        ['services', 'Services'],
        ['providers', 'Providers'],
        ['staff', 'Staff'],
        ['reminders', 'Reminders'],
        ['journeys', 'Journeys'],
        ['consent', 'Consent texts'],
        ['insights', 'Insights'],
        ['data', 'Data requests'],
      ] as const) {
        await open(`/desk/admin/${section}`, title);
        if (section === 'staff') await page.getByRole('table').waitFor();
        if (section === 'journeys') await page.getByRole('switch').first().waitFor();
        if (section === 'insights') await page.getByRole('table').waitFor();
        await check(`desk-admin-${section}`);
      }
      await open('/desk/admin/services', 'Services');
      // The button sits at the end of a table that scrolls sideways on a phone; Chromium's phone
      // emulation hit-tests a click there at the unscrolled offset, the keyboard has no such offset.
      await page.getByRole('button', { name: /^Edit Physiotherapie/ }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('form', { name: /^Edit Physiotherapie/ }).waitFor();
      await check('desk-admin-service-form');

      // The same desk in German and Spanish: the page's language follows.
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await heading('Leistungen');
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      await check('desk-admin-services-de');
      await page.getByRole('button', { name: 'Español' }).click();
      await heading('Servicios');
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      await page.getByRole('button', { name: 'English' }).click();
      await heading('Services');

      // The provider's calendar, after signing out of the desk.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await heading('Sign in');
      await open('/calendar/', 'Sign in');
      await signInWithForm(page, staffEmails.anna, english);
      await heading('Calendar of Anna Schneider');
      await page.getByRole('button', { name: /Sam Carter/ }).waitFor();
      await check('calendar-week');
      await page.getByRole('link', { name: 'Day', exact: true }).click();
      await page.getByRole('button', { name: /^14:00–14:30 Physiotherapie/ }).waitFor();
      await check('calendar-day');
      await page.getByRole('button', { name: 'Block time' }).click();
      await page.getByRole('dialog', { name: 'Block time' }).waitFor();
      await check('calendar-block-dialog');
      await page.keyboard.press('Escape');
      await open('/calendar/hours', 'Working hours of Anna Schneider');
      await check('calendar-hours');
      await open('/calendar/feed', 'Calendar feed');
      await check('calendar-feed');
      // A provider on the desk is sent to the calendar.
      await open('/desk/', 'This is not your app');
      await check('desk-wrong-app');
      await context.close();
    });
  }
});
