import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import { expectAccessible, hasChromium, launchChromium, newContext, phone, screenshot } from './support/browser.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * The preferences link in marketing mails (decision 57): opened from the unsubscribe link, the
 * page asks before it withdraws anything; opened from the footer, it shows and saves both choices.
 */
const NOW = '2026-11-23T21:30:00Z';

describe.skipIf(!hasChromium())('the mail preferences page', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A customer who ticked the consent box when booking, once the projector has built the profile. */
  async function consentingCustomer(email: string) {
    const response = await fetch(`${stack.baseUrl}/v1/tenants/demo/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceId: 'treatment',
        start: '2026-11-25T09:00:00Z',
        customer: { name: 'Jonas Weber', email, locale: 'de', timeZone: 'Europe/Berlin', marketingConsent: true, consentTextVersion: 'kairos-web-1-de' },
      }),
    });
    expect(response.status).toBe(201);
    const token = stack.links.preferencesToken('demo', newCustomerId(customerIdSeed('demo', { kind: 'email', value: email })));
    const read = () => fetch(`${stack.baseUrl}/v1/preferences/${token}`).then(async (r) => (r.ok ? ((await r.json()) as { email: { marketing: boolean; reviews: boolean } }) : undefined));
    await expect.poll(read, { timeout: 15_000 }).toMatchObject({ email: { marketing: true } });
    return { token, read };
  }

  it('asks before unsubscribing, then withdraws offers and review requests', async () => {
    const { token, read } = await consentingCustomer(`jonas.${Date.now().toString(36)}@example.com`);
    const context = await newContext(browser, { size: phone, locale: 'de-DE', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/preferences/?unsubscribe=1#token=${token}`);
    await page.getByRole('heading', { level: 2, name: 'Keine Neuigkeiten, Angebote und Bewertungsbitten mehr von Physiotherapie am Park?' }).waitFor();
    expect((await read())?.email.marketing, 'opening the link changes nothing').toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Neuigkeiten und Angebote von Physiotherapie am Park' }).isChecked()).toBe(true);
    await expectAccessible(page, 'unsubscribe question');
    await screenshot(page, 'preferences-unsubscribe-phone');

    await page.getByRole('button', { name: 'Ja, abmelden' }).click();
    await page.getByText('Erledigt: Physiotherapie am Park schickt Ihnen keine Neuigkeiten', { exact: false }).waitFor();
    expect(await read()).toMatchObject({ email: { marketing: false, reviews: false } });
    expect(await page.getByRole('checkbox', { name: 'Neuigkeiten und Angebote von Physiotherapie am Park' }).isChecked()).toBe(false);
    expect(new URL(page.url()).searchParams.get('unsubscribe'), 'a refresh does not ask again').toBeNull();

    // Changing one's mind a minute later (the consent ledger orders entries by time): offers back on, saved.
    stack.clock.advance(1);
    await page.getByRole('checkbox', { name: 'Neuigkeiten und Angebote von Physiotherapie am Park' }).check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Gespeichert.').waitFor();
    expect(await read()).toMatchObject({ email: { marketing: true, reviews: false } });
    await context.close();
  });

  it('says so when the link is not one', async () => {
    const context = await newContext(browser, { size: phone, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/preferences/#token=demo.cus_0000000000.${'A'.repeat(43)}`);
    await page.getByText('This link does not open any e-mail preferences.').waitFor();
    await expectAccessible(page, 'preferences, bad link');
    await context.close();
  });
});
