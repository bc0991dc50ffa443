import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRaw, waitForMessages } from '#tests/support/ses-inbox';
import { expectAccessible, expectNoHorizontalScroll, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * A customer on a phone, late on a Monday evening in Berlin (22:30), books a treatment for the
 * next morning in German — the language her browser asks for — and gets the confirmation page
 * and the mail with its calendar invitation.
 */
const NOW = '2026-11-23T21:30:00Z';

describe.skipIf(!hasChromium())('booking on a phone at 22:30', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('books in German, shows the confirmation with calendar links, and the mail with the invitation arrives', async () => {
    const email = `lena.${Date.now().toString(36)}@example.com`;
    const context = await newContext(browser, { size: phone, locale: 'de-DE', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();

    await page.goto(`${stack.baseUrl}/`);
    expect(new URL(page.url()).pathname, 'the root leads to the demo booking page').toBe('/book/demo');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('de');
    await page.getByRole('heading', { level: 2, name: 'Was möchten Sie buchen?' }).waitFor();
    await expectNoHorizontalScroll(page, 'service');
    await screenshot(page, 'book-1-service-phone');

    await page.getByRole('button', { name: /Physiotherapie \(30 min\)/ }).click();
    await page.getByRole('button', { name: /Egal, wer frei ist/ }).click();

    await page.getByRole('heading', { level: 2, name: 'An welchem Tag?' }).waitFor();
    // The zone is named next to the times.
    await page.getByText('Uhrzeiten in Europe/Berlin (MEZ).').waitFor();
    // 22:30 on Monday: today has nothing left, Tuesday has.
    const monday = page.getByRole('gridcell', { name: 'Montag, 23. November 2026, keine freien Zeiten' });
    await monday.waitFor();
    expect(await monday.getAttribute('aria-disabled')).toBe('true');
    const tuesday = page.getByRole('gridcell', { name: 'Dienstag, 24. November 2026, freie Zeiten' });
    await tuesday.waitFor();
    await expectNoHorizontalScroll(page, 'date');
    await tuesday.click();

    await page.getByRole('heading', { level: 2, name: 'Um wie viel Uhr?' }).waitFor();
    const times = await page.getByRole('list', { name: 'Dienstag, 24. November 2026' }).getByRole('button').allTextContents();
    expect(times[0], 'Anna starts at 08:00 Berlin time').toBe('08:00');
    await page.getByRole('button', { name: '09:00', exact: true }).click();

    await page.getByRole('heading', { level: 2, name: 'Ihre Angaben' }).waitFor();
    const consent = page.getByRole('checkbox', { name: /Physiotherapie am Park darf mir Neuigkeiten/ });
    expect(await consent.isChecked(), 'marketing consent starts unticked').toBe(false);
    expect(await page.getByRole('link', { name: 'Wie wir mit Ihren Daten umgehen' }).getAttribute('href')).toBe('/book/demo/privacy?lang=de');
    await page.getByLabel('Vor- und Nachname').fill('Lena Schäfer');
    await page.getByLabel('E-Mail', { exact: true }).fill(email);
    await expectNoHorizontalScroll(page, 'details');
    await page.getByRole('button', { name: 'Weiter' }).click();

    await page.getByRole('heading', { level: 2, name: 'Prüfen und buchen' }).waitFor();
    const summary = await page.locator('dl.summary').innerText();
    expect(summary).toContain('Dienstag, 24. November 2026 um 09:00');
    expect(summary).toContain('Lena Schäfer');
    await page.getByRole('button', { name: 'Verbindlich buchen' }).click();

    await page.getByText(`Gebucht! Die Bestätigung mit Kalendereinladung ist unterwegs an ${email}.`).waitFor();
    const url = new URL(page.url());
    const bookingId = url.pathname.split('/')[2]!;
    expect(url.pathname).toMatch(/^\/manage\/bk_/);
    expect(page.url(), 'the confirmation is the manage page with the token in the fragment').toContain(`#token=${stack.links.manageToken(bookingId)}`);
    expect(await page.locator('dl.summary').innerText()).toContain('Bestätigt');
    await expectNoHorizontalScroll(page, 'confirmation');

    // Add to calendar: the .ics file carries the same UID as the mailed invitation, the links the right times.
    const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Kalenderdatei (.ics)' }).click()]).then(([d]) => d);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const event = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString('utf8'))).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('uid')).toBe(`${bookingId}@kairos`);
    expect(new ICAL.Event(event).startDate.toJSDate().toISOString()).toBe('2026-11-24T08:00:00.000Z');
    const google = new URL((await page.getByRole('link', { name: 'Google Kalender' }).getAttribute('href'))!);
    expect(google.searchParams.get('dates')).toBe('20261124T080000Z/20261124T083000Z');
    const outlook = new URL((await page.getByRole('link', { name: 'Outlook' }).getAttribute('href'))!);
    expect(outlook.searchParams.get('startdt')).toBe('2026-11-24T08:00:00.000Z');
    const shownManageLink = await page.locator('.manage-link a').getAttribute('href');
    await screenshot(page, 'book-7-confirmation-phone');

    // The mail, through the stream-driven sender into the local SES.
    const [mail] = await waitForMessages(stack.sesEndpoint, { to: email, timeoutMs: 15_000 });
    const parsed = await parseRaw(mail!);
    const invite = parsed.attachments.find((a) => a.filename === 'invite.ics');
    expect(invite, 'the mail carries the invitation').toBeDefined();
    const mailed = new ICAL.Component(ICAL.parse(invite!.content.toString('utf8')));
    expect(mailed.getFirstPropertyValue('method')).toBe('REQUEST');
    const mailedEvent = mailed.getFirstSubcomponent('vevent')!;
    expect(mailedEvent.getFirstPropertyValue('uid')).toBe(`${bookingId}@kairos`);
    expect(new ICAL.Event(mailedEvent).startDate.toJSDate().toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(parsed.text, 'the mail is in German, with the manage link the page showed').toContain(shownManageLink!);
    expect(stack.links.manageUrl(bookingId)).toBe(shownManageLink);

    // What was sent is what she chose: German, her zone, no marketing consent.
    const stored = await stack.store.getBooking(bookingId);
    expect(stored?.customer).toMatchObject({ name: 'Lena Schäfer', locale: 'de', timeZone: 'Europe/Berlin' });
    expect(stored?.customer.marketingConsent).toBeUndefined();
    await context.close();
  });

  it('passes axe on the booking and manage pages and the privacy notice', async () => {
    const context = await newContext(browser, { size: phone, locale: 'de-DE', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/book/demo/privacy?lang=de`);
    await page.getByRole('heading', { level: 1, name: 'Datenschutz bei der Online-Buchung' }).waitFor();
    await expectAccessible(page, 'privacy');
    await page.goto(`${stack.baseUrl}/manage/bk_0000000000nothing#token=wrong`);
    await page.getByText('Dieser Link öffnet keine Buchung.', { exact: false }).waitFor();
    await expectAccessible(page, 'manage with a wrong link');
    await context.close();
  });
});
