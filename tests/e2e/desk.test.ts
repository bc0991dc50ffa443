import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJourneys } from '#functions/app/journeys';
import { desktop, expectAccessible, hasChromium, launchChromium, newContext, screenshot } from './support/browser.ts';
import { bookOnline, callApi, english, eventually, seedStaff, signInWithForm, staffEmails, staffToken } from './support/staff.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * Reception at the desk on a Monday morning in Berlin: a regular calls, is found by a phone number
 * typed differently from the one she booked with, and is moved to another day; the morning's
 * patients are marked attended and no-show; the no-show's follow-up task is done.
 */
const NOW = '2026-11-23T09:30:00Z';
const STAFF = '/v1/staff/tenants/demo';

describe.skipIf(!hasChromium())('the reception desk', () => {
  let stack: E2eStack;
  let browser: Browser;
  let reception: string;
  let admin: string;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
    await seedStaff(stack);
    [reception, admin] = await Promise.all([staffToken(stack, staffEmails.reception), staffToken(stack, staffEmails.admin)]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function openDesk(path = '/desk/'): Promise<Page> {
    const context = await newContext(browser, { size: desktop, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}${path}`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await signInWithForm(page, staffEmails.reception, english);
    return page;
  }

  it('finds a returning customer by a differently typed phone number, shows her badges with reasons, and reschedules her; the booking really moved', async () => {
    const email = `mara.${Date.now().toString(36)}@example.com`;
    const customer = { name: 'Mara Klein', email, phone: '+49 30 98765432', locale: 'de', timeZone: 'Europe/Berlin' };
    // Three visits four weeks apart, each booked the day before (Tuesdays 09:00 in Berlin), all attended.
    for (const [bookedAt, start] of [
      ['2026-09-07T10:00:00Z', '2026-09-08T07:00:00Z'],
      ['2026-10-05T10:00:00Z', '2026-10-06T07:00:00Z'],
      ['2026-11-02T10:00:00Z', '2026-11-03T08:00:00Z'],
    ] as const) {
      stack.clock.set(bookedAt);
      const id = await bookOnline(stack, { serviceId: 'treatment', providerId: 'anna', start, customer });
      stack.clock.set(new Date(Date.parse(start) + 40 * 60_000).toISOString());
      expect((await callApi(stack, 'POST', `${STAFF}/bookings/${id}/attendance`, { token: reception, body: { status: 'attended' } })).status).toBe(200);
    }
    stack.clock.set(NOW);
    const upcomingId = await bookOnline(stack, { serviceId: 'treatment', providerId: 'anna', start: '2026-11-24T08:00:00Z', customer });
    await eventually(
      () => callApi(stack, 'GET', `${STAFF}/customers/lookup?phone=${encodeURIComponent(customer.phone)}`, { token: reception }),
      (r) => r.status === 200 && r.body.upcoming.length === 1 && r.body.badges.some((b: any) => b.code === 'regular'),
      'the projected customer',
    );

    const page = await openDesk();
    await page.getByRole('heading', { level: 1, name: 'Find a caller' }).waitFor();
    // She booked with +49 30 98765432; reception types it the way she says it on the phone.
    await page.getByLabel('Phone, name or e-mail').fill('030 / 987 654 32');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Mara Klein' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/desk\/customers\/cus_/);

    const badges = page.locator('ul.badges > li');
    const texts = await badges.allInnerTexts();
    // The badge and its reason, in the business's language (German), with the numbers that earned it.
    expect(texts).toContain('Kommt regelmäßig War 3 Mal da, im Schnitt alle 28 Tage.');
    // Booked 21, 21, 22 and 22.5 hours ahead: 22 on average.
    expect(texts).toContain('Kurzfristig Bucht im Schnitt 22 Stunden vorher.');
    expect(await page.locator('ul.badges').getAttribute('lang')).toBe('de');
    const record = await page.locator('dl.summary').first().innerText();
    expect(record).toContain(email);
    expect(record).toContain('+493098765432');
    const recent = await page.getByRole('region', { name: 'Recent' }).innerText();
    expect(recent.match(/attended/g)?.length, 'the three visits, attended').toBe(3);
    await expectAccessible(page, 'caller card');
    await screenshot(page, 'desk-caller-card-desktop');

    const upcoming = page.getByRole('region', { name: 'Upcoming' });
    await upcoming.getByRole('button', { name: /^Reschedule: Tuesday,? 24 November 2026/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Move the booking' });
    await dialog.getByLabel('Date', { exact: true }).fill('2026-11-25');
    await dialog.getByRole('list', { name: 'Open times' }).getByRole('button', { name: '10:00', exact: true }).click();
    await expectAccessible(page, 'reschedule dialog');
    await screenshot(page, 'desk-reschedule-desktop');
    await dialog.getByRole('button', { name: 'Move booking' }).click();
    await page.getByText(/^Moved: Mara Klein is now booked for Wednesday,? 25 November 2026/).waitFor();

    const moved = await callApi(stack, 'GET', `${STAFF}/bookings/${upcomingId}`, { token: reception });
    expect(moved.body.booking).toMatchObject({ status: 'confirmed', providerId: 'anna', start: '2026-11-25T09:00:00Z', end: '2026-11-25T09:30:00Z' });
    const history = await callApi(stack, 'GET', `${STAFF}/bookings/${upcomingId}/history`, { token: reception });
    expect(history.body.entries.at(-1)).toMatchObject({ action: 'rescheduled', actor: { kind: 'staff', role: 'reception' } });
    // The card shows the new time once reloaded.
    await expect.poll(() => upcoming.innerText()).toMatch(/Wednesday,? 25 November 2026/);
    await page.context().close();
  });

  it('marks the morning’s patients attended and no-show from the day view, and completes the no-show’s follow-up task', async () => {
    // A follow-up for no-shows: a reception task five minutes later (rule added to the defaults).
    const journeys = await callApi(stack, 'GET', `${STAFF}/journeys`, { token: admin });
    const rule = { id: 'call-after-no-show', name: 'Call after a no-show', enabled: true, trigger: { event: 'no_show' }, wait: { after: 'PT5M' }, action: { kind: 'task', title: 'Call to rebook' }, instanceKey: 'booking' };
    const saved = await callApi(stack, 'PUT', `${STAFF}/journeys`, { token: admin, body: { rules: [...journeys.body.rules, rule], revision: journeys.body.revision } });
    expect(saved.status).toBe(200);

    // Booked yesterday for this morning: both have started by now (10:30 in Berlin).
    stack.clock.set('2026-11-22T10:00:00Z');
    const tag = Date.now().toString(36);
    const came = await bookOnline(stack, { serviceId: 'treatment', providerId: 'anna', start: '2026-11-23T08:00:00Z', customer: { name: 'Paul Came', email: `paul.${tag}@example.com` } });
    const missed = await bookOnline(stack, { serviceId: 'treatment', providerId: 'clara', start: '2026-11-23T08:30:00Z', customer: { name: 'Nina Missed', email: `nina.${tag}@example.com` } });
    stack.clock.set(NOW);

    const page = await openDesk('/desk/day?date=2026-11-23');
    await page.getByRole('heading', { level: 1, name: /^Day: Monday,? 23 November 2026$/ }).waitFor();
    const anna = page.getByRole('region', { name: 'Anna Schneider' });
    await anna.getByRole('button', { name: /^09:00–09:30 Paul Came/ }).click();
    let dialog = page.getByRole('dialog', { name: 'Booking' });
    await dialog.getByRole('button', { name: 'Attended', exact: true }).click();
    await page.getByText('Paul Came is marked as attended.').waitFor();
    expect((await callApi(stack, 'GET', `${STAFF}/bookings/${came}`, { token: reception })).body.booking.attendance).toBe('attended');
    // The grid says so too.
    await expect.poll(() => anna.getByRole('button', { name: /Paul Came/ }).innerText()).toContain('attended');

    await page.getByRole('region', { name: 'Clara Weiß' }).getByRole('button', { name: /^09:30–10:00 Nina Missed/ }).click();
    dialog = page.getByRole('dialog', { name: 'Booking' });
    await expectAccessible(page, 'booking dialog');
    await dialog.getByRole('button', { name: 'No-show', exact: true }).click();
    await page.getByText('Nina Missed is marked as a no-show.').waitFor();
    expect((await callApi(stack, 'GET', `${STAFF}/bookings/${missed}`, { token: reception })).body.booking.attendance).toBe('no_show');
    await screenshot(page, 'desk-day-desktop');

    // The projector starts the run from the no-show; ten minutes later the runner makes the task.
    stack.clock.advance(10);
    const tasks = await eventually(
      async () => {
        await runDueJourneys({ store: stack.store, clock: stack.clock, mailFrom: 'bookings@kairos.localhost' });
        return callApi(stack, 'GET', `${STAFF}/tasks`, { token: reception });
      },
      (r) => r.body.tasks.some((t: any) => t.bookingId === missed),
      'the follow-up task',
    );
    const task = tasks.body.tasks.find((t: any) => t.bookingId === missed);
    expect(task).toMatchObject({ title: 'Call to rebook', status: 'open' });

    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Open tasks' }).waitFor();
    await expectAccessible(page, 'tasks');
    await screenshot(page, 'desk-tasks-desktop');
    await page.getByRole('button', { name: 'Done: Call to rebook' }).click();
    await page.getByText('Done: Call to rebook', { exact: true }).waitFor();
    const after = await callApi(stack, 'GET', `${STAFF}/tasks`, { token: reception });
    expect(after.body.tasks.map((t: any) => t.id), 'the task is no longer open').not.toContain(task.id);
    await page.context().close();
  });

  it('works with the keyboard alone: sign in, find the caller, cancel her booking with a reason', async () => {
    const email = `kim.${Date.now().toString(36)}@example.com`;
    const bookingId = await bookOnline(stack, { serviceId: 'treatment', providerId: 'clara', start: '2026-11-26T14:00:00Z', customer: { name: 'Kim Keys', email, phone: '+49 40 7654321' } });
    await eventually(() => callApi(stack, 'GET', `${STAFF}/customers/lookup?email=${encodeURIComponent(email)}`, { token: reception }), (r) => r.status === 200, 'the projected customer');

    const context = await newContext(browser, { size: desktop, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/desk/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    /** Tab (at most 40 times) until the focused element is the one named; fails if the keyboard cannot reach it. */
    const tabTo = async (name: string | RegExp) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = (globalThis as any).document.activeElement;
          return `${element?.getAttribute('aria-label') ?? ''}|${element?.labels?.[0]?.textContent ?? ''}|${element?.textContent ?? ''}`;
        });
        if (focused.split('|').some((text) => (typeof name === 'string' ? text.trim() === name : name.test(text.trim())))) return;
      }
      throw new Error(`the keyboard did not reach ${name}`);
    };
    await tabTo('E-mail');
    await page.keyboard.type(staffEmails.reception);
    await page.keyboard.press('Tab');
    await page.keyboard.type('kairos-demo-2026');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Find a caller' }).waitFor();
    // The new screen starts at its heading; tab from there (not from wherever focus was before).
    await page.waitForFunction(() => (globalThis as any).document.activeElement?.tagName === 'H1');
    await tabTo('Phone, name or e-mail');
    await page.keyboard.type('040 7654321');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Kim Keys' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.tagName), 'the new screen starts at its heading').toBe('H1');

    await tabTo(/^Cancel booking: Thursday,? 26 November 2026/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Cancel the booking' });
    await dialog.waitFor();
    await tabTo('Reason for cancelling');
    await page.keyboard.type('Called in sick');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('The booking of Kim Keys is cancelled.').waitFor();
    const cancelled = await callApi(stack, 'GET', `${STAFF}/bookings/${bookingId}`, { token: reception });
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', cancelReason: 'Called in sick' });
    await context.close();
  });
});
