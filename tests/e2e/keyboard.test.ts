import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, hasChromium, launchChromium, newContext } from './support/browser.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * The whole booking with the keyboard alone: Tab, Enter, Space, arrows, Page Up/Down, typing —
 * no click, no locator action. What has the focus is read from the page after every key.
 */
const NOW = '2026-11-23T21:30:00Z';

/** The focused element as a person hears it: its aria-label, else its text or its label's text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const doc = (globalThis as any).document;
    const el = doc.activeElement;
    if (!el || el === doc.body) return '';
    const label = el.id ? doc.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
    return String(el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim();
  });

async function tabTo(page: Page, name: string | RegExp, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const current = await focused(page);
    if (typeof name === 'string' ? current === name : name.test(current)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

describe.skipIf(!hasChromium())('keyboard only', () => {
  let stack: E2eStack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('books from the first Tab to the confirmation, the date grid driven by arrows and Page Down', async () => {
    const email = `keys.${Date.now().toString(36)}@example.com`;
    const context = await newContext(browser, { size: desktop, locale: 'es-ES', timezoneId: 'Europe/Madrid', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/book/demo`);
    await page.getByRole('heading', { level: 2, name: '¿Qué desea reservar?' }).waitFor();

    await tabTo(page, /^Klassische Massage/);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Clara Weiß');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), { message: 'the new step takes the focus' }).toBe('¿Qué día?');

    // Into the grid: one Tab stop, on the first day with open times (Tuesday 24).
    await page.locator('table[role="grid"][aria-busy="false"]').waitFor();
    await tabTo(page, /, horas libres$|, sin horas libres$/);
    await expect.poll(() => focused(page)).toBe('martes, 24 de noviembre de 2026, horas libres');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focused(page), { message: 'Clara does not work on Wednesdays' }).toBe('miércoles, 25 de noviembre de 2026, sin horas libres');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).searchParams.get('date'), 'a day without times cannot be chosen').toBeNull();
    await page.keyboard.press('End');
    await expect.poll(() => focused(page)).toBe('domingo, 29 de noviembre de 2026, sin horas libres');
    await page.keyboard.press('PageDown');
    await page.locator('table[role="grid"][aria-busy="false"]').waitFor();
    await expect.poll(() => focused(page), { message: 'Page Down turns to the same day next month' }).toBe('martes, 29 de diciembre de 2026, horas libres');
    expect(await page.locator('.month-bar h3').innerText()).toBe('diciembre de 2026');
    // Fast, as a person holding keys would: each key must act on where the previous one went.
    for (const key of ['PageUp', 'Home', 'ArrowUp', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(key);
    await expect.poll(() => focused(page)).toBe('martes, 24 de noviembre de 2026, horas libres');
    await page.keyboard.press(' ');
    expect(new URL(page.url()).searchParams.get('date')).toBe('2026-11-24');

    // Clara on Tuesday, 09:00–15:00 Berlin, shown in Madrid time (same offset in winter).
    await tabTo(page, '10:15');
    await page.keyboard.press('Enter');

    await tabTo(page, 'Nombre y apellidos');
    await page.keyboard.type('Pilar Ortega');
    await tabTo(page, 'Correo electrónico');
    await page.keyboard.type('not-an-address');
    await tabTo(page, 'Continuar');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), { message: 'an invalid field takes the focus back' }).toBe('Correo electrónico');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(email);
    await tabTo(page, /^Sí, Physiotherapie am Park puede/);
    await page.keyboard.press('Space');
    await tabTo(page, 'Continuar');
    await page.keyboard.press('Enter');

    await expect.poll(() => focused(page)).toBe('Revisar y reservar');
    await tabTo(page, 'Reservar');
    await page.keyboard.press('Enter');
    await page.getByText(/^¡Reservado!/).waitFor();

    const booking = await stack.store.getBooking(new URL(page.url()).pathname.split('/')[2]!);
    expect(booking).toMatchObject({ serviceId: 'massage', providerId: 'clara', start: '2026-11-24T09:15:00Z' });
    expect(booking?.customer).toMatchObject({ name: 'Pilar Ortega', email, locale: 'es', timeZone: 'Europe/Madrid', marketingConsent: true, consentTextVersion: 'kairos-web-1-es' });
    await context.close();
  });
});
