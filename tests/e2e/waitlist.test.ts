import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxMessages, type InboxMessage } from '#tests/support/ses-inbox';
import { desktop, expectAccessible, expectNoHorizontalScroll, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { bookOnline, callApi, eventually, seedStaff, staffEmails, staffToken } from './support/staff.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * The waitlist mail's pages on the whole stack (decision 103, 110–114): a booking is cancelled, the
 * waitlist's stream consumer queues offers for the two customers waiting for that time (the
 * second ten minutes later), the sender mails both into the local SES; the first customer opens
 * the link from the inbox and books it, the second one's link then says the time is taken and
 * leaves her on the list, and her leave link takes her off. Monday 10:30 in Berlin.
 */
const NOW = '2026-11-23T09:30:00Z';
/** Tuesday 10:00 in Berlin, with Anna. */
const SLOT = '2026-11-24T09:00:00Z';
const STAFF = '/v1/staff/tenants/demo';

describe.skipIf(!hasChromium())('the waitlist pages', () => {
  let stack: E2eStack;
  let browser: Browser;
  let reception: string;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW, waitlist: true }), launchChromium()]);
    await seedStaff(stack);
    reception = await staffToken(stack, staffEmails.reception);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const run = Date.now().toString(36);
  const first = `ines.${run}@example.com`;
  const second = `jonas.${run}@example.com`;

  async function join(email: string, name: string, locale: string): Promise<string> {
    const answer = await callApi(stack, 'POST', '/v1/tenants/demo/waitlist', {
      body: { serviceId: 'treatment', providerId: 'anna', from: '2026-11-24', to: '2026-11-24', timeZone: 'Europe/Berlin', customer: { name, email, locale } },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.entry.id as string;
  }

  const waiting = async () => {
    const answer = await callApi(stack, 'GET', `${STAFF}/waitlist?date=2026-11-24`, { token: reception });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return (answer.body.entries as Array<{ id: string; customer: { email: string } }>).map((e) => e.customer.email);
  };

  async function offerMail(email: string): Promise<InboxMessage> {
    const mails = await eventually(
      () => inboxMessages(stack.sesEndpoint, { to: email }),
      (list) => list.some((m) => m.body.text?.includes('/waitlist/')),
      `the offer mail to ${email}`,
    );
    return mails.find((m) => m.body.text?.includes('/waitlist/'))!;
  }

  /** The links in a mail's text, as the customer would follow them. */
  function linksOf(mail: InboxMessage) {
    const base = stack.baseUrl.replace(/[.]/g, '\\.');
    const offer = new RegExp(`${base}/waitlist/wl_[0-9a-z]+/offer\\?tenant=demo&service=[\\w-]+#token=[\\w.-]+`).exec(mail.body.text ?? '')?.[0];
    const leave = new RegExp(`${base}/waitlist/wl_[0-9a-z]+#token=[\\w.-]+`).exec(mail.body.text ?? '')?.[0];
    if (!offer || !leave) throw new Error(`no waitlist links in: ${mail.body.text}`);
    return { offer, leave };
  }

  /** The inbox page npm start prints: the mail is there and its text carries the link. */
  async function openFromInbox(page: Page, email: string, link: string) {
    await page.goto(stack.sesEndpoint);
    const mail = page.locator('.email', { hasText: `To: ${email}` }).filter({ hasText: /waitlist|Warteliste/i }).first();
    await mail.waitFor();
    await mail.getByRole('button', { name: 'Toggle text view' }).click();
    expect(await mail.locator('.email-text').innerText()).toContain(link);
    await page.goto(link);
  }

  it('books a freed time from the offer mail; the next one in line is told it is taken and stays listed; the leave link takes her off', async () => {
    const holder = await bookOnline(stack, { serviceId: 'treatment', providerId: 'anna', start: SLOT, customer: { name: 'Slot Holder', email: `holder.${run}@example.com` } });
    const firstEntry = await join(first, 'Ines Roth', 'en');
    stack.clock.advance(1);
    const secondEntry = await join(second, 'Jonas Weber', 'de');
    stack.clock.advance(1);
    expect(await waiting()).toEqual([first, second]);

    // The holder cancels: the stream consumer offers the slot to both, the first at once.
    const cancelled = await callApi(stack, 'POST', `/v1/bookings/${holder}/cancel`, { token: stack.links.manageToken(holder), body: {} });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const firstLinks = linksOf(await offerMail(first));
    expect(firstLinks.offer).toContain(`/waitlist/${firstEntry}/offer?tenant=demo&service=`);
    // Jonas's offer is ten minutes behind (decision 101); it must be mailed before Ines books, or
    // her claim withdraws it.
    stack.clock.advance(11);
    const secondLinks = linksOf(await offerMail(second));
    expect(secondLinks.leave).toContain(`/waitlist/${secondEntry}#token=`);

    // 1. Ines opens the link from the inbox on her phone: the page shows the time and books nothing yet.
    const context = await newContext(browser, { size: phone, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: new Date(stack.clock.now()).toISOString() });
    const page = await context.newPage();
    await openFromInbox(page, first, firstLinks.offer);
    await page.getByRole('heading', { level: 1, name: 'A time has become free' }).waitFor();
    const when = await page.getByRole('region', { name: 'The time from your e-mail' }).innerText();
    expect(when).toMatch(/Tuesday,? 24 November 2026,? (at )?10:00/);
    expect(when).toContain('Times are shown in Europe/Berlin');
    // The link names the business and service (not secret): the page names them and the person.
    expect(when).toMatch(/ · Anna Schneider/);
    expect(await waiting(), 'opening the link books nothing').toEqual([first, second]);
    await expectAccessible(page, 'waitlist offer');
    await expectNoHorizontalScroll(page, 'waitlist offer');
    await screenshot(page, 'waitlist-offer-phone');

    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.getByText(`Booked! A confirmation with a calendar invitation is on its way to ${first}.`).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toMatch(/^\/manage\/bk_[0-9a-z]+$/);
    expect(url.searchParams.get('confirmed')).toBe('1');
    const bookingId = url.pathname.split('/')[2]!;
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    const booked = await callApi(stack, 'GET', `/v1/bookings/${bookingId}`, { token });
    expect(booked.status).toBe(200);
    expect(booked.body.booking).toMatchObject({ status: 'confirmed', start: SLOT, providerId: 'anna', serviceId: 'treatment', customer: { email: first } });
    expect(await waiting(), 'the claim took her off the list').toEqual([second]);
    await screenshot(page, 'waitlist-booked-phone');
    await context.close();

    // 2. Jonas opens his mail later: his link finds the time taken.
    const late = await newContext(browser, { size: desktop, locale: 'de-DE', timezoneId: 'Europe/Berlin', now: new Date(stack.clock.now()).toISOString() });
    const other = await late.newPage();
    await openFromInbox(other, second, secondLinks.offer);
    await other.getByRole('heading', { level: 1, name: 'Ein Termin ist frei geworden' }).waitFor();
    // Keyboard alone: Tab to the button (past the language switch and the zone's "Ändern"), Enter.
    const button = other.getByRole('button', { name: 'Diesen Termin buchen' });
    for (let i = 0; i < 10 && !(await button.evaluate((el) => el === el.ownerDocument.activeElement)); i++) await other.keyboard.press('Tab');
    await other.keyboard.press('Enter');
    const taken = other.getByRole('alert');
    await taken.getByText('Jemand war schneller: Dieser Termin ist vergeben.', { exact: false }).waitFor();
    expect(await taken.evaluate((el) => el === el.ownerDocument.activeElement), 'the outcome takes the focus').toBe(true);
    expect(await waiting(), 'he stays on the list').toEqual([second]);
    await expectAccessible(other, 'waitlist offer taken');
    await screenshot(other, 'waitlist-taken-desktop');

    // 3. His leave link asks first, then takes him off.
    await other.goto(secondLinks.leave);
    await other.getByRole('heading', { level: 2, name: 'Warteliste verlassen?' }).waitFor();
    expect(await waiting(), 'opening the leave link changes nothing').toEqual([second]);
    await expectAccessible(other, 'waitlist leave');
    await screenshot(other, 'waitlist-leave-desktop');
    await other.getByRole('button', { name: 'Ja, Warteliste verlassen' }).click();
    await other.getByText('Erledigt: Sie stehen nicht mehr auf der Warteliste.').waitFor();
    expect(await waiting()).toEqual([]);
    const again = await callApi(stack, 'DELETE', `/v1/waitlist/${secondEntry}`, { token: stack.links.manageToken(secondEntry) });
    expect(again.status, 'the entry is gone').toBe(404);
    await other.reload();
    await other.getByRole('button', { name: 'Ja, Warteliste verlassen' }).click();
    await other.getByText('Dieser Link öffnet keinen Platz auf einer Warteliste.', { exact: false }).waitFor();
    await late.close();
  });

  it('says so when an offer link is not one, in Spanish', async () => {
    const context = await newContext(browser, { size: phone, locale: 'es-ES', timezoneId: 'Europe/Madrid', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/waitlist/wl_0123456789abcdef/offer#token=anna.${Date.parse(SLOT) / 1000}.${'A'.repeat(43)}`);
    await page.getByRole('heading', { level: 1, name: 'Se ha liberado una hora' }).waitFor();
    await page.getByRole('button', { name: 'Reservar esta hora' }).click();
    await page.getByText('Este enlace no abre ninguna oferta.', { exact: false }).waitFor();
    await expectAccessible(page, 'waitlist offer, bad link');
    await page.goto(`${stack.baseUrl}/waitlist/wl_0123456789abcdef/offer`);
    await page.getByText('Este enlace no abre ninguna oferta.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Reservar esta hora' }).count(), 'no token, no button').toBe(0);
    await context.close();
  });
});
