import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, expectAccessible, hasChromium, launchChromium, newContext, screenshot } from './support/browser.ts';
import { bookOnline, callApi, english, eventually, seedStaff, signInWithForm, staffEmails, staffToken } from './support/staff.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * Merging probable matches at the desk (decision 66, 113): two customers who booked with the same
 * phone but different e-mails. Reception meets a refusal at the button (the other one was merged
 * elsewhere in the meantime), then merges them from the card after a dialog naming both; the admin
 * undoes it. Each step is checked against the API.
 */
const NOW = '2026-11-23T09:30:00Z';
const STAFF = '/v1/staff/tenants/demo';

describe.skipIf(!hasChromium())('merging probable matches at the desk', () => {
  let stack: E2eStack;
  let browser: Browser;
  let admin: string;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack({ now: NOW }), launchChromium()]);
    await seedStaff(stack);
    admin = await staffToken(stack, staffEmails.admin);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function openCard(email: string, customerId: string): Promise<Page> {
    const context = await newContext(browser, { size: desktop, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/desk/customers/${customerId}`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await signInWithForm(page, email, english);
    return page;
  }

  const card = (customerId: string) => callApi(stack, 'GET', `${STAFF}/customers/${customerId}`, { token: admin });

  it('merges a probable match after a dialog naming both, shows a refusal at the button, and the admin undoes it', async () => {
    const run = Date.now().toString(36);
    const phone = '+49 171 5550101';
    const [marta, mv] = [`marta.${run}@example.com`, `m.vogel.${run}@example.com`];
    await bookOnline(stack, { serviceId: 'treatment', providerId: 'anna', start: '2026-11-24T09:00:00Z', customer: { name: 'Marta Vogel', email: marta, phone } });
    await bookOnline(stack, { serviceId: 'treatment', providerId: 'anna', start: '2026-11-24T10:00:00Z', customer: { name: 'M. Vogel', email: mv, phone } });
    const lookup = (email: string) => callApi(stack, 'GET', `${STAFF}/customers/lookup?email=${encodeURIComponent(email)}`, { token: admin });
    // The later booking's customer records the phone-only match (decision 48): that card offers the merge.
    const winner = (await eventually(() => lookup(mv), (r) => r.status === 200 && r.body.customer.probableMatches.length === 1, 'the probable match')).body.customer;
    const loserId = winner.probableMatches[0].id as string;
    expect((await lookup(marta)).body.customer.id).toBe(loserId);

    // Reception opens the card: the match has its button; nothing offers an undo.
    const page = await openCard(staffEmails.reception, winner.id);
    await page.getByRole('heading', { level: 1, name: 'M. Vogel' }).waitFor();
    const mergeButton = page.getByRole('button', { name: 'Same person — merge: Marta Vogel' });
    await mergeButton.waitFor();

    // Meanwhile someone merged this customer into the other record (the API, as another desk
    // would): the dialog's merge is refused, and says so at its button.
    const elsewhere = await callApi(stack, 'POST', `${STAFF}/customers/${loserId}/merge`, { token: admin, body: { otherCustomerId: winner.id } });
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
    await mergeButton.click();
    const dialog = page.getByRole('dialog', { name: 'Merge Marta Vogel into M. Vogel?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Yes, the same person: merge' }).click();
    await dialog.getByRole('alert').getByText('One of the two has already been merged into another customer.', { exact: false }).waitFor();
    expect(await dialog.getByRole('alert').innerText()).toContain('customer_merged');
    await expectAccessible(page, 'merge dialog with a refusal');
    await screenshot(page, 'desk-merge-refused-desktop');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const undoneElsewhere = await callApi(stack, 'POST', `${STAFF}/customers/${loserId}/merges/${winner.id}/undo`, { token: admin });
    expect(undoneElsewhere.status, JSON.stringify(undoneElsewhere.body)).toBe(200);

    // Now for real: the dialog names both, the merge goes through, and the card lists it.
    await page.reload();
    await page.getByRole('button', { name: 'Same person — merge: Marta Vogel' }).click();
    await expectAccessible(page, 'merge dialog');
    await screenshot(page, 'desk-merge-dialog-desktop');
    await page.getByRole('dialog', { name: 'Merge Marta Vogel into M. Vogel?' }).getByRole('button', { name: 'Yes, the same person: merge' }).click();
    await page.getByRole('status').getByText('Merged: Marta Vogel is now part of this card.').waitFor();
    const merged = page.locator('.merges');
    await merged.getByText(/^Marta Vogel, merged /).waitFor();
    expect(await merged.getByRole('button').count(), 'reception cannot undo').toBe(0);
    const after = await card(winner.id);
    expect(after.body.customer.merges.map((m: { customerId: string }) => m.customerId)).toEqual([loserId]);
    expect(after.body.customer.emails.sort()).toEqual([marta, mv].sort());
    expect(after.body.customer.probableMatches).toEqual([]);
    expect((await card(loserId)).body.customer.id, 'the merged id opens the card it went into').toBe(winner.id);
    await expectAccessible(page, 'card after a merge');
    await screenshot(page, 'desk-merged-card-desktop');

    // The admin undoes it from the same card (a new tab: the merged one is listed by id).
    const adminPage = await openCard(staffEmails.admin, winner.id);
    await adminPage.getByRole('heading', { level: 1, name: 'M. Vogel' }).waitFor();
    await adminPage.getByRole('button', { name: `Undo the merge of ${loserId}` }).click();
    await adminPage.getByRole('status').getByText(`Split again: ${loserId} has a card of their own again.`).waitFor();
    await adminPage.getByRole('button', { name: 'Same person — merge: Marta Vogel' }).waitFor();
    const split = await card(winner.id);
    expect(split.body.customer.merges).toEqual([]);
    expect(split.body.customer.emails).toEqual([mv]);
    expect((await card(loserId)).body.customer).toMatchObject({ id: loserId, emails: [marta] });
    await expectAccessible(adminPage, 'card after the undo');
    await screenshot(adminPage, 'desk-merge-undone-desktop');
  });
});
