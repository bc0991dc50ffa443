import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRaw, waitForMessages, type InboxMessage } from '#tests/support/ses-inbox';
import { desktop, expectAccessible, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * The manage link from the confirmation mail: see the booking, move it with the same picker,
 * cancel it — each change reaching the customer's calendar through the next mail — and the
 * cutoff explained, before and after it has passed. Then "book again" from that link.
 */
const NOW = '2026-11-23T21:30:00Z';

async function invitation(message: InboxMessage) {
  const parsed = await parseRaw(message);
  const ics = parsed.attachments.find((a) => a.filename === 'invite.ics')!;
  const calendar = new ICAL.Component(ICAL.parse(ics.content.toString('utf8')));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return { method: calendar.getFirstPropertyValue('method'), sequence: Number(event.getFirstPropertyValue('sequence')), start: new ICAL.Event(event).startDate.toJSDate().toISOString() };
}

describe.skipIf(!hasChromium())('the manage link', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function bookByApi(email: string, start: string) {
    const response = await fetch(`${stack.baseUrl}/v1/tenants/demo/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 'treatment', providerId: 'anna', start, customer: { name: 'Maya Brooks', email, phone: '+49 30 1234567', locale: 'en', timeZone: 'Europe/Berlin' } }),
    });
    expect(response.status).toBe(201);
    const [mail] = await waitForMessages(stack.sesEndpoint, { to: email, timeoutMs: 15_000 });
    const text = (await parseRaw(mail!)).text ?? '';
    const link = /http:\/\/127\.0\.0\.1:\d+\/manage\/bk_[0-9a-z]+#token=[\w-]+/.exec(text)?.[0];
    expect(link, 'the confirmation mail carries the manage link').toBeDefined();
    return { link: link!, id: ((await response.json()) as { booking: { id: string } }).booking.id };
  }

  it('reschedules with the same picker and cancels, each change mailed as the same calendar event', async () => {
    const email = `maya.${Date.now().toString(36)}@example.com`;
    const { link, id } = await bookByApi(email, '2026-11-24T08:00:00Z');
    const context = await newContext(browser, { size: phone, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(link);

    await page.getByRole('heading', { level: 1, name: 'Your appointment' }).waitFor();
    const summary = await page.locator('dl.summary').innerText();
    expect(summary).toContain('Confirmed');
    expect(summary).toContain('Tuesday, 24 November 2026 at 09:00');
    expect(summary).toContain('Anna Schneider');
    await page.getByText('You can move or cancel online until 2 hours before the appointment, that is until Tuesday, 24 November 2026 at 07:00.').waitFor();
    await expectAccessible(page, 'manage');
    await screenshot(page, 'manage-1-booking-phone');

    await page.getByRole('button', { name: 'Move to another time' }).click();
    await page.getByRole('heading', { level: 2, name: 'Choose a new time' }).waitFor();
    await page.getByRole('gridcell', { name: 'Wednesday, 25 November 2026, times available' }).click();
    await page.getByRole('button', { name: '10:00', exact: true }).click();
    // The flow is in the URL: back returns to the day's times, forward to the confirmation step.
    await page.goBack();
    await page.getByRole('list', { name: 'Wednesday, 25 November 2026' }).waitFor();
    await page.goForward();
    await expectAccessible(page, 'reschedule confirm');
    await page.getByRole('button', { name: 'Move to Wednesday, 25 November 2026 at 10:00' }).click();
    await page.getByText('Done: your appointment is now on Wednesday, 25 November 2026 at 10:00.', { exact: false }).waitFor();
    expect(await page.locator('dl.summary').innerText()).toContain('Wednesday, 25 November 2026 at 10:00');
    expect(page.url(), 'the token stays in the fragment').toContain('#token=');

    const moved = await waitForMessages(stack.sesEndpoint, { to: email, count: 2, timeoutMs: 15_000 });
    const [confirmedInvite, movedInvite] = await Promise.all(moved.map(invitation));
    expect(movedInvite).toMatchObject({ method: 'REQUEST', start: '2026-11-25T09:00:00.000Z' });
    expect(movedInvite!.sequence).toBeGreaterThan(confirmedInvite!.sequence);

    await page.getByRole('button', { name: 'Cancel appointment' }).click();
    await page.getByRole('heading', { level: 2, name: 'Cancel this appointment?' }).waitFor();
    await expectAccessible(page, 'cancel question');
    await screenshot(page, 'manage-3-cancel-phone');
    await page.getByLabel('Reason (optional)').fill('Feeling better');
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText('Your appointment is cancelled.', { exact: false }).waitFor();
    expect(await page.locator('dl.summary').innerText()).toContain('Cancelled');
    expect(await page.getByRole('button', { name: 'Move to another time' }).count(), 'nothing left to change').toBe(0);
    await screenshot(page, 'manage-4-cancelled-phone');

    const all = await waitForMessages(stack.sesEndpoint, { to: email, count: 3, timeoutMs: 15_000 });
    expect((await invitation(all[2]!)).method).toBe('CANCEL');
    const stored = await stack.store.getBooking(id);
    expect(stored).toMatchObject({ status: 'cancelled', start: '2026-11-25T09:00:00Z', cancelReason: 'Feeling better' });
    await context.close();
  });

  it('explains that the cutoff has passed and offers no change', async () => {
    const email = `late.${Date.now().toString(36)}@example.com`;
    const { link } = await bookByApi(email, '2026-11-24T08:00:00Z');
    // 07:30 Berlin on the day: the cutoff (two hours before 09:00) was at 07:00.
    const context = await newContext(browser, { size: desktop, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: '2026-11-24T06:30:00Z' });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByText('Online changes closed at Tuesday, 24 November 2026 at 07:00 (2 hours before the appointment). Please contact Physiotherapie am Park directly.').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel appointment' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Move to another time' }).count()).toBe(0);
    await screenshot(page, 'manage-2-cutoff-passed-desktop');
    await context.close();
  });

  it('books again from the link: details filled in, the usual provider and times suggested', async () => {
    const email = `again.${Date.now().toString(36)}@example.com`;
    const { link } = await bookByApi(email, '2026-11-24T09:00:00Z');
    const context = await newContext(browser, { size: phone, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('link', { name: 'Book again' }).click();

    await page.getByRole('heading', { level: 3, name: 'Welcome back, Maya' }).waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('service'), 'the service of the last booking').toBe('treatment');
    expect(url.searchParams.get('provider'), 'the usual provider').toBe('anna');
    const suggested = await page.locator('.suggestions').getByRole('button').allTextContents();
    expect(suggested.length).toBeGreaterThan(0);
    // The habit of the one booking so far: Tuesday mornings.
    for (const label of suggested) expect(label).toMatch(/^Tuesday, .* at (0\d|1[01]):/);
    await expectAccessible(page, 'book again');
    await screenshot(page, 'book-3-rebook-phone');

    await page.locator('.suggestions').getByRole('button').first().click();
    await page.getByRole('heading', { level: 2, name: 'Your details' }).waitFor();
    expect(await page.getByLabel('Full name').inputValue()).toBe('Maya Brooks');
    expect(await page.getByLabel('E-mail', { exact: true }).inputValue()).toBe(email);
    expect(await page.getByLabel('Phone (optional)').inputValue()).toBe('+49 30 1234567');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Book now' }).click();
    await page.getByText(/^Booked!/).waitFor();
    await waitForMessages(stack.sesEndpoint, { to: email, count: 2, timeoutMs: 15_000 });
    await context.close();
  });
});
