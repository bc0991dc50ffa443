import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForMessages } from '#tests/support/ses-inbox';
import { desktop, expectAccessible, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { german, seedStaff, signInWithForm, staffEmails } from './support/staff.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * Issue 7's "done when", in one real browser: a newcomer books as a customer, sees the mail in
 * the local inbox, then signs in as reception and finds that customer by phone.
 */
const NOW = '2026-11-23T09:30:00Z';

describe.skipIf(!hasChromium())('a newcomer, end to end', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
    await seedStaff(stack);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('books as a customer, sees the mail, signs in as reception and finds the customer by phone', async () => {
    const email = `lea.${Date.now().toString(36)}@example.com`;

    // 1. The customer books on her phone, in German, with her mobile number.
    const customer = await newContext(browser, { size: phone, locale: 'de-DE', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await customer.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.getByRole('button', { name: /Physiotherapie \(30 min\)/ }).click();
    await page.getByRole('button', { name: /^Clara Weiß/ }).click();
    await page.getByRole('gridcell', { name: 'Dienstag, 24. November 2026, freie Zeiten' }).click();
    await page.getByRole('button', { name: '11:00', exact: true }).click();
    await page.getByLabel('Vor- und Nachname').fill('Lea Neumann');
    await page.getByLabel('E-Mail', { exact: true }).fill(email);
    await page.getByLabel('Telefon (freiwillig)').fill('+49 171 2345678');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByRole('button', { name: 'Verbindlich buchen' }).click();
    await page.getByText(`Gebucht! Die Bestätigung mit Kalendereinladung ist unterwegs an ${email}.`).waitFor();
    const bookingId = new URL(page.url()).pathname.split('/')[2]!;

    // 2. The mail arrives, and she sees it in the local inbox (the web page npm start prints).
    await waitForMessages(stack.sesEndpoint, { to: email, timeoutMs: 15_000 });
    await page.goto(stack.sesEndpoint);
    const mail = page.locator('.email', { hasText: `To: ${email}` });
    await mail.waitFor();
    expect(await mail.locator('p', { hasText: 'Subject:' }).innerText()).toContain('Termin bestätigt: Physiotherapie (30 min)');
    expect(await mail.innerText(), 'the invitation is attached').toContain('invite.ics');
    await mail.getByRole('button', { name: 'Toggle text view' }).click();
    const text = await mail.locator('.email-text').innerText();
    expect(text, 'the mail carries her manage link').toContain(`/manage/${bookingId}#token=`);
    await screenshot(page, 'newcomer-inbox-phone');
    await customer.close();

    // 3. Reception signs in at the desk and finds her by phone, typed the way she would say it.
    const desk = await newContext(browser, { size: desktop, locale: 'de-DE', timezoneId: 'Europe/Berlin', now: NOW });
    const reception = await desk.newPage();
    await reception.goto(`${stack.baseUrl}/desk/`);
    await reception.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await signInWithForm(reception, staffEmails.reception, german);
    await reception.getByRole('heading', { level: 1, name: 'Anrufende finden' }).waitFor();
    // The projector puts her on file from the booking's stream record; until then the number is unknown.
    await expect
      .poll(
        async () => {
          await reception.getByLabel('Telefon, Name oder E-Mail').fill('0171 234 56 78');
          await reception.getByRole('button', { name: 'Suchen', exact: true }).click();
          await reception.waitForLoadState('networkidle');
          return reception.getByRole('heading', { level: 1 }).innerText();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe('Lea Neumann');
    const card = reception.getByRole('article');
    expect(await card.locator('dl.summary').first().innerText()).toContain(email);
    expect(await card.locator('dl.summary').first().innerText()).toContain('+491712345678');
    const upcoming = await reception.getByRole('region', { name: 'Kommende Termine' }).innerText();
    expect(upcoming).toMatch(/Dienstag, 24\. November 2026 um 11:00–11:30/);
    expect(upcoming).toContain('Clara Weiß');
    expect(await reception.getByRole('list').filter({ has: reception.locator('.badge') }).innerText(), 'a first-time customer').toContain('Neu dabei');
    await expectAccessible(reception, 'newcomer card');
    await screenshot(reception, 'newcomer-card-desktop');
    await desk.close();
  });
});
