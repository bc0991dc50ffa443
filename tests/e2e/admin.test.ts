import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#infra/local/identity/demo-users';
import { desktop, hasChromium, launchChromium, newContext } from './support/browser.ts';
import { bookOnline, callApi, english, eventually, seedStaff, signInWithForm, staffEmails, staffToken } from './support/staff.ts';
import { startE2eStack, type E2eStack } from './support/stack.ts';

/**
 * The admin's screens do what they say: each change is read back from the API, and what the
 * server refuses is shown with the field it names.
 */
const NOW = '2026-11-23T09:30:00Z';
const STAFF = '/v1/staff/tenants/demo';

describe.skipIf(!hasChromium())('the admin screens and booking on behalf', () => {
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

  async function asAdmin(path: string, title: string | RegExp): Promise<Page> {
    const context = await newContext(browser, { size: desktop, locale: 'en-GB', timezoneId: 'Europe/Berlin', now: NOW });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}${path}`);
    await signInWithForm(page, staffEmails.admin, english);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    return page;
  }

  it('journeys: a switch turns a rule off; raw JSON the server refuses shows every field it names and changes nothing', async () => {
    const page = await asAdmin('/desk/admin/journeys', 'Journeys');
    const review = page.getByRole('switch', { name: /^Ask for a review after a visit/ });
    expect(await review.isChecked()).toBe(true);
    expect(await page.getByText(/After a visit · wait 3 hours · mail: review-request · needs consent: reviews/).count()).toBe(1);
    await review.uncheck();
    await page.getByLabel('Review page').fill('https://g.page/physio-am-park/review');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Journeys saved.').waitFor();
    const saved = await callApi(stack, 'GET', `${STAFF}/journeys`, { token: admin });
    expect(saved.body).toMatchObject({ customised: true, reviewUrl: 'https://g.page/physio-am-park/review' });
    expect(saved.body.rules.find((r: any) => r.id === 'review-after-visit').enabled).toBe(false);
    expect(saved.body.rules.filter((r: any) => r.enabled).map((r: any) => r.id)).toEqual(['rebook-after-cancel', 'win-back-lapsing', 'no-show-risk-reminder']);

    // Two mistakes in the JSON: a month as a wait, and a marketing purpose on a review request.
    const json = page.getByLabel('Journeys (JSON)');
    const settings = JSON.parse(await json.inputValue());
    settings.rules[0].wait = { after: 'P1M' };
    settings.rules[1].action.purpose = 'marketing';
    await json.fill(JSON.stringify(settings, null, 2));
    await page.getByRole('button', { name: 'Save JSON' }).click();
    const alert = page.locator('form', { has: page.getByLabel('Journeys (JSON)') }).getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('body.rules.0.wait');
    expect(text).toContain('body.rules.1.action.purpose');
    expect((await callApi(stack, 'GET', `${STAFF}/journeys`, { token: admin })).body.revision, 'nothing was saved').toBe(saved.body.revision);

    await json.fill('{ "rules": [ ');
    await page.getByRole('button', { name: 'Save JSON' }).click();
    await page.getByText(/^This is not valid JSON:/).waitFor();
    await page.context().close();
  });

  it('consent texts, reminder policy and a service change are saved and read back; a refused value is shown at its field', async () => {
    const page = await asAdmin('/desk/admin/consent', 'Consent texts');
    await page.getByLabel('Version', { exact: true }).fill('2026-12');
    await page.getByLabel('Opt-in text (Deutsch)').fill('Ja, die Praxis darf mir Angebote per E-Mail schicken. Abmelden geht jederzeit.');
    await page.getByLabel('Opt-in text (English)').fill('Yes, the practice may e-mail me offers. I can unsubscribe at any time.');
    await page.getByLabel('Privacy notice (address)').fill('https://physio-am-park.example/datenschutz');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Consent texts saved.').waitFor();
    const tenant = await callApi(stack, 'GET', '/v1/tenants/demo');
    expect(tenant.body.consent).toEqual({
      version: '2026-12',
      marketing: {
        de: 'Ja, die Praxis darf mir Angebote per E-Mail schicken. Abmelden geht jederzeit.',
        en: 'Yes, the practice may e-mail me offers. I can unsubscribe at any time.',
      },
      privacyUrl: 'https://physio-am-park.example/datenschutz',
    });
    // The booking page shows the business's own text now.
    const customer = await page.context().newPage();
    await customer.goto(`${stack.baseUrl}/book/demo?lang=en&service=treatment&provider=any&date=2026-11-24&start=2026-11-24T10:00:00Z`);
    await customer.getByText('Yes, the practice may e-mail me offers. I can unsubscribe at any time.').waitFor();
    await customer.close();

    await page.getByRole('link', { name: 'Reminders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reminders' }).waitFor();
    await page.getByRole('button', { name: 'Remove reminder 2' }).click();
    await page.getByLabel('Reminder 1').fill('2');
    await page.getByLabel('From', { exact: true }).fill('22:00');
    await page.getByLabel('Until', { exact: true }).fill('07:00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Reminder policy saved.').waitFor();
    expect((await callApi(stack, 'GET', STAFF, { token: admin })).body.tenant.reminders).toEqual({ before: ['P2D'], quietHours: { start: '22:00', end: '07:00' } });

    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('button', { name: 'Edit Physiotherapie (30 min)' }).click();
    const form = page.getByRole('form', { name: 'Edit Physiotherapie (30 min)' });
    await form.getByLabel('Duration (minutes)').fill('32');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByText('must be a multiple of 5', { exact: true }).waitFor();
    expect(await form.getByLabel('Duration (minutes)').getAttribute('aria-describedby'), 'the message is tied to its field').toBeTruthy();
    await form.getByLabel('Duration (minutes)').fill('30');
    await form.getByLabel('Price (optional)').fill('45');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved: Physiotherapie (30 min).').waitFor();
    const service = (await callApi(stack, 'GET', STAFF, { token: admin })).body.services.find((s: any) => s.id === 'treatment');
    expect(service).toMatchObject({ durationMinutes: 30, price: { amount: 45, currency: 'EUR' }, providerIds: ['anna', 'ben', 'clara'], maxPerDayPerProvider: 12, active: true });
    await page.context().close();
  });

  it('invites a staff member who can then sign in, and removes them again', async () => {
    const page = await asAdmin('/desk/admin/staff', 'Staff');
    const email = `rita.${Date.now().toString(36)}@demo.kairos.test`;
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Rita Rezeption');
    await page.getByLabel('Role').selectOption('reception');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByText(`Temporary password for ${email}`, { exact: false }).waitFor();
    const password = await page.locator('code.secret').innerText();
    const signIn = await callApi(stack, 'POST', '/auth/sign-in', { body: { email, password } });
    expect(signIn.status, 'the shown password signs in').toBe(200);
    expect(password).not.toBe(DEMO_PASSWORD);

    await page.getByRole('button', { name: `Remove ${email}` }).click();
    await page.getByRole('button', { name: `Yes, remove ${email}` }).click();
    await page.getByText(`Removed: ${email}.`, { exact: false }).waitFor();
    const users = await callApi(stack, 'GET', `${STAFF}/users`, { token: admin });
    expect(users.body.users.map((u: any) => u.email)).not.toContain(email);
    expect((await callApi(stack, 'GET', STAFF, { token: signIn.body.idToken })).status, 'their token stops working').toBe(401);
    await page.context().close();
  });

  it('books a caller on behalf outside the hours with an override and its reason', async () => {
    const page = await asAdmin('/desk/book?date=2026-11-24', 'New booking');
    await page.getByLabel('Service').selectOption('treatment');
    await page.getByLabel('Provider', { exact: true }).selectOption('anna');
    await page.getByRole('list', { name: 'Open times' }).waitFor();
    await page.getByLabel('Outside the rules (working hours, notice, horizon)').check();
    await page.getByLabel('Time', { exact: true }).fill('17:30');
    await page.getByLabel('Name', { exact: true }).fill('Jonas Weber');
    const email = `jonas.${Date.now().toString(36)}@example.com`;
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByLabel('Phone (optional)').fill('030 1234567');
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'An override needs a reason of at least 3 characters.' }).waitFor();
    expect((await callApi(stack, 'GET', `${STAFF}/bookings?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z&providerId=anna`, { token: admin })).body.bookings, 'nothing booked without a reason').toEqual([]);
    await page.getByLabel('Why the rules are overridden').fill('only free after work');
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await page.getByText(new RegExp(`^Booked: Jonas Weber on Tuesday,? 24 November 2026 at 17:30\\. The confirmation is on its way to ${email.replace(/\./g, '\\.')}\\.$`)).waitFor();

    const calendar = await callApi(stack, 'GET', `${STAFF}/bookings?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z&providerId=anna`, { token: admin });
    const booking = calendar.body.bookings.find((b: any) => b.customer.email === email);
    expect(booking).toMatchObject({ start: '2026-11-24T16:30:00Z', channel: 'staff', override: { reason: 'only free after work' }, customer: { name: 'Jonas Weber', phone: '030 1234567' } });
    await page.context().close();
  });

  it('downloads a customer’s data export and erases them only with the name typed and a reason', async () => {
    const email = `erin.${Date.now().toString(36)}@example.com`;
    await bookOnline(stack, { serviceId: 'treatment', providerId: 'clara', start: '2026-11-24T10:00:00Z', customer: { name: 'Erin Gone', email } });
    const card = await eventually(() => callApi(stack, 'GET', `${STAFF}/customers/lookup?email=${encodeURIComponent(email)}`, { token: admin }), (r) => r.status === 200, 'the projected customer');
    const customerId = card.body.customer.id as string;

    const page = await asAdmin('/desk/admin/data', 'Data requests');
    await page.getByLabel('Phone, name or e-mail').fill('Erin');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'Erin Gone' }).click();
    await page.getByRole('heading', { level: 1, name: 'Erin Gone' }).waitFor();
    await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.textContent), { message: 'the card opens at its data rights' }).toBe('Data rights');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the data export' }).click()]);
    expect(download.suggestedFilename()).toBe(`${customerId}-export.json`);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const exported = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(exported).toMatchObject({ customerId, tenantId: 'demo' });
    expect(exported.bookings[0].booking.customer.email).toBe(email);

    await page.getByLabel('Type “Erin Gone” to confirm').fill('Erin');
    await page.getByLabel('Reason (kept in the audit log)').fill('Asked by phone on 23 November');
    await page.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByText('Type the name exactly as shown: Erin Gone').waitFor();
    expect((await callApi(stack, 'GET', `${STAFF}/customers/${customerId}`, { token: admin })).status, 'nothing erased yet').toBe(200);
    await page.getByLabel('Type “Erin Gone” to confirm').fill('Erin Gone');
    await page.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer erased' }).waitFor();
    expect(await page.getByRole('status').first().innerText()).toMatch(/^Erased: 1 booking\(s\) anonymised/);
    expect((await callApi(stack, 'GET', `${STAFF}/customers/lookup?email=${encodeURIComponent(email)}`, { token: admin })).status).toBe(404);
    await page.context().close();
  });
});
