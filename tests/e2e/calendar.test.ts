import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, expectAccessible, expectNoHorizontalScroll, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { callApi, english, seedStaff, signInWithForm, staffEmails, staffToken } from './support/staff.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * Anna, a provider, on a Monday morning: she blocks Wednesday afternoon for a training, and a
 * customer on the booking page no longer sees those times; she adds Friday afternoon hours and a
 * day off, and subscribes to her calendar with a feed URL that a new one turns off.
 */
const NOW = '2026-11-23T09:30:00Z';
const STAFF = '/v1/staff/tenants/demo';

describe.skipIf(!hasChromium())('the provider calendar', () => {
  let stack: E2eStack;
  let browser: Browser;
  let anna: string;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
    await seedStaff(stack);
    anna = await staffToken(stack, staffEmails.anna);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function signedIn(size: typeof phone | typeof desktop, path = '/calendar/'): Promise<Page> {
    const context = await newContext(browser, { size, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}${path}`);
    await signInWithForm(page, staffEmails.anna, english);
    return page;
  }

  /** Anna's open times for a treatment on a day, as a customer sees them on the booking page. */
  async function customerTimes(day: string): Promise<string[]> {
    const context = await newContext(browser, { size: phone, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/book/demo`);
    await page.getByRole('button', { name: /Physiotherapie \(30 min\)/ }).click();
    await page.getByRole('button', { name: /^Anna Schneider/ }).click();
    await page.locator('table[role="grid"][aria-busy="false"]').waitFor();
    await page.getByRole('gridcell', { name: `${day}, times available` }).click();
    const times = await page.getByRole('list', { name: day }).getByRole('button').allTextContents();
    await context.close();
    return times;
  }

  it('blocks Wednesday afternoon, and those times vanish from the booking page', async () => {
    const before = await customerTimes('Wednesday, 25 November 2026');
    expect(before, 'the afternoon is open before').toEqual(expect.arrayContaining(['13:00', '14:00', '16:30']));

    const page = await signedIn(desktop);
    await page.getByRole('heading', { level: 1, name: 'Calendar of Anna Schneider' }).waitFor();
    await page.getByRole('button', { name: 'Block time' }).click();
    const dialog = page.getByRole('dialog', { name: 'Block time' });
    await dialog.getByLabel('From (date)').fill('2026-11-25');
    await dialog.getByLabel('From', { exact: true }).fill('13:00');
    await dialog.getByLabel('Until (date)').fill('2026-11-25');
    await dialog.getByLabel('Until', { exact: true }).fill('17:00');
    await dialog.getByLabel('Reason (optional)').fill('Fortbildung');
    await expectAccessible(page, 'block dialog');
    await dialog.getByRole('button', { name: 'Block this time' }).click();
    await page.getByText(/^Blocked: Wednesday,? 25 November 2026 at 13:00–17:00\.$/).waitFor();
    // The week shows it in Wednesday's column.
    const wednesday = page.getByRole('region', { name: /^Wed,? 25 Nov/ });
    await wednesday.getByRole('button', { name: '13:00–17:00 Blocked: Fortbildung' }).waitFor();
    await screenshot(page, 'calendar-week-desktop');

    const calendar = await callApi(stack, 'GET', `${STAFF}/bookings?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z&providerId=anna`, { token: anna });
    expect(calendar.body.blocks).toEqual([expect.objectContaining({ providerId: 'anna', start: '2026-11-25T12:00:00Z', end: '2026-11-25T16:00:00Z', reason: 'Fortbildung' })]);

    const after = await customerTimes('Wednesday, 25 November 2026');
    expect(after.filter((time) => time >= '13:00'), 'nothing left in the blocked afternoon').toEqual([]);
    expect(after, 'the morning is untouched').toEqual(before.filter((time) => time < '13:00'));

    // The day view has it too, and removing the block gives the times back.
    await wednesday.getByRole('link', { name: /^Wed,? 25 Nov/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendar of Anna Schneider' }).waitFor();
    await page.getByRole('button', { name: '13:00–17:00 Blocked: Fortbildung' }).click();
    await page.getByRole('dialog', { name: 'Blocked time' }).getByRole('button', { name: 'Remove block' }).click();
    await page.getByText('The block is removed; the time can be booked again.').waitFor();
    expect(await customerTimes('Wednesday, 25 November 2026')).toEqual(before);
    await page.context().close();
  });

  it('changes weekly hours and adds a day off, both read back from the API', async () => {
    const page = await signedIn(phone, '/calendar/hours');
    await page.getByRole('heading', { level: 1, name: 'Working hours of Anna Schneider' }).waitFor();
    const friday = page.getByRole('group', { name: 'Friday' });
    await friday.getByRole('button', { name: 'Add hours on Friday' }).click();
    await friday.getByLabel('From (2)').fill('14:00');
    await friday.getByLabel('Until (2)').fill('16:00');
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await page.getByText('Weekly hours saved.').waitFor();

    await page.getByLabel('Date', { exact: true }).fill('2026-12-07');
    await page.getByLabel('Note (optional)').fill('Fortbildung');
    await page.getByRole('button', { name: 'Save exception' }).click();
    await page.getByText(/^Saved for Monday,? 7 December 2026\.$/).waitFor();
    await expectAccessible(page, 'working hours');
    await expectNoHorizontalScroll(page, 'working hours');
    await screenshot(page, 'calendar-hours-phone');

    const tenant = await callApi(stack, 'GET', STAFF, { token: anna });
    const provider = tenant.body.providers.find((p: any) => p.id === 'anna');
    expect(provider.weeklyHours.fri).toEqual([
      ['08:00', '13:00'],
      ['14:00', '16:00'],
    ]);
    expect(provider.weeklyHours.mon, 'other days kept').toEqual([
      ['08:00', '12:00'],
      ['13:00', '17:00'],
    ]);
    expect(provider.exceptions).toEqual(expect.arrayContaining([{ date: '2026-12-07', hours: [], note: 'Fortbildung' }]));
    await page.context().close();
  });

  it('makes a feed URL that serves the calendar, and a new one turns the old one off', async () => {
    const page = await signedIn(desktop, '/calendar/feed');
    await page.getByRole('heading', { level: 1, name: 'Calendar feed' }).waitFor();
    const make = async () => {
      await page.getByRole('button', { name: /^Create (a|a new) feed address$/ }).click();
      await page.getByRole('button', { name: 'Yes, create a new address' }).click();
      await page.getByText('New feed address created. The previous one no longer works.').waitFor();
      return page.getByLabel('Your feed address').inputValue();
    };
    const first = await make();
    expect(first).toMatch(new RegExp(`^${stack.baseUrl}/v1/feeds/[A-Za-z0-9_-]+/calendar\\.ics$`));
    const feed = await fetch(first);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await expectAccessible(page, 'feed');
    await screenshot(page, 'calendar-feed-desktop');

    const second = await make();
    expect(second).not.toBe(first);
    expect((await fetch(first)).status, 'the old address is off').toBe(404);
    expect((await fetch(second)).status).toBe(200);
    await page.context().close();
  });
});
