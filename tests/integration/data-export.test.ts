import { describe, expect, inject, it } from 'vitest';
import { customerExportSchema } from '#shared/api/staff-routes';
import { dataExportRequestedSchema } from '#shared/api/routes';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import { createSesClient, SesMailer } from '#functions/adapters/mailer';
import { sweepOutbox, type SenderDeps } from '#functions/app/outbox';
import { testTenant } from '#tests/support/fixtures';
import { parseRaw, waitForMessages } from '#tests/support/ses-inbox';
import { useProjector } from '#tests/support/projector';
import { useTestStack } from '#tests/support/stack';

/**
 * The customer's own export (decisions 68, 69): the manage link only asks for it; the export
 * arrives as a 24-hour link in a mail to the customer's address, through the outbox, the sender
 * and the local SES. Now is Monday 2026-11-23 08:00 in Berlin.
 */
const NOW = '2026-11-23T07:00:00Z';
const stack = useTestStack({ now: NOW, tenants: [testTenant({ country: 'DE' })] });
const sesEndpoint = () => inject('sesEndpoint');
const sender = (): SenderDeps => ({
  store: stack.store,
  clock: stack.clock,
  links: stack.deps.links,
  mailer: new SesMailer(createSesClient({ region: 'eu-central-1', endpoint: sesEndpoint() })),
});

const poller = useProjector(stack);

let counter = 0;
/** An address only this test writes to: test files share one local SES. */
const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}.${++counter}@example.com`;
const customerOf = (email: string) => newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function book(customer: Record<string, unknown>, start: string) {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', { body: { serviceId: 'cut', providerId: 'p1', start, customer } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { bookingId: response.body.booking.id as string, manageToken: response.body.manageToken as string };
}

const requestExport = (bookingId: string, manageToken: string) => stack.request('POST', `/v1/bookings/${bookingId}/data-export`, { headers: bearer(manageToken) });
const open = (token: string) => stack.request('GET', `/v1/data-exports/${token}`);

/** The export token in a mail's text part. */
async function tokenIn(mail: Parameters<typeof parseRaw>[0]): Promise<string> {
  const text = (await parseRaw(mail)).text ?? '';
  const token = /\/v1\/data-exports\/([A-Za-z0-9._-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no export link in: ${text}`);
  return token;
}

async function later<T>(minutes: number, run: () => Promise<T>): Promise<T> {
  stack.clock.advance(minutes);
  try {
    return await run();
  } finally {
    stack.clock.set(NOW);
  }
}

describe("the customer's own data export", () => {
  it('mails a link to the customer\'s address instead of answering with the data, and the link opens the export for 24 hours', async () => {
    const email = uniqueEmail('lena');
    const { bookingId, manageToken } = await book({ name: 'Lena Export', email: `  ${email.toUpperCase()}`, phone: '030 7777777' }, '2026-11-24T09:00:00Z');
    await poller.drain();

    const response = await requestExport(bookingId, manageToken);

    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(dataExportRequestedSchema.parse(response.body)).toEqual({ sentTo: 'l***@example.com', expiresAt: '2026-11-24T07:00:00Z' });
    expect(JSON.stringify(response.body)).not.toContain('Lena');
    await sweepOutbox(sender());
    // The booking's confirmation goes out in the same sweep; the two may arrive in either order.
    const mail = (await waitForMessages(sesEndpoint(), { to: email, count: 2 })).find((m) => !m.subject.startsWith('Booking confirmed'));
    expect(mail!.subject).toBe('Your data at Acme Clinic');
    const token = await tokenIn(mail!);

    const opened = await open(token);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.headers.get('content-disposition')).toMatch(/^attachment; filename="data-export-acme-2026-11-23\.json"$/);
    const data = customerExportSchema.parse(opened.body);
    expect(data.customerId).toBe(customerOf(email));
    expect(data.bookings.map((b) => b.booking.id)).toEqual([bookingId]);
    expect(data.identities.map((i) => i.kind).sort()).toEqual(['email', 'phone']);
    // The export lists the mail that carried the link, without the link.
    expect(JSON.stringify(data.messages)).not.toContain(token);

    const justBefore = await later(24 * 60 - 1, () => open(token));
    const expired = await later(24 * 60, () => open(token));
    expect(justBefore.status).toBe(200);
    expect([expired.status, expired.body.error.code]).toEqual([410, 'export_link_expired']);
  });

  it('writes the mail in the customer\'s language and names when the link ends, in their zone', async () => {
    const email = uniqueEmail('lucia');
    const { bookingId, manageToken } = await book({ name: 'Lucía Datos', email, locale: 'es', timeZone: 'Atlantic/Canary' }, '2026-11-24T10:00:00Z');
    await poller.drain();

    expect((await requestExport(bookingId, manageToken)).status).toBe(202);
    await sweepOutbox(sender());
    const mail = (await waitForMessages(sesEndpoint(), { to: email, count: 2 })).find((m) => !m.subject.startsWith('Cita confirmada'));
    const text = (await parseRaw(mail!)).text ?? '';

    expect(mail!.subject).toBe('Sus datos en Acme Clinic');
    expect(text).toContain('Hola, Lucía Datos:');
    // 07:00 UTC the next day is 07:00 on the Canaries in November.
    expect(text).toMatch(/24 de noviembre de 2026.*7:00.*\(Atlantic\/Canary\)/);
  });

  it('mails one export per booking an hour: a second request within the hour is refused with when to ask again', async () => {
    const email = uniqueEmail('hugo');
    const { bookingId, manageToken } = await book({ name: 'Hugo Hourly', email }, '2026-11-24T11:00:00Z');
    await poller.drain();
    expect((await requestExport(bookingId, manageToken)).status).toBe(202);

    const again = await later(30, () => requestExport(bookingId, manageToken));
    const anHourOn = await later(60, () => requestExport(bookingId, manageToken));

    expect([again.status, again.body.error.code]).toEqual([429, 'data_export_already_requested']);
    expect(again.body.error.details.retryAfterSeconds).toBe(30 * 60);
    expect(anHourOn.status, JSON.stringify(anHourOn.body)).toBe(202);
    expect(anHourOn.body.expiresAt).toBe('2026-11-24T08:00:00Z');
  });

  it('opens nothing for the holder of another booking\'s manage link, an altered link, or a link whose expiry was moved', async () => {
    const mine = await book({ name: 'Tina Tamper', email: uniqueEmail('tina') }, '2026-11-24T12:00:00Z');
    const someoneElse = await book({ name: 'Otto Other', email: uniqueEmail('otto') }, '2026-11-24T12:30:00Z');
    const token = stack.deps.links.dataExportToken({ tenantId: 'acme', customerId: customerOf('x@example.com'), bookingId: mine.bookingId, expiresAt: '2026-11-24T07:00:00Z' });
    const [tenant, customer, booking, expires, mac] = token.split('.');

    const wrongManage = await requestExport(mine.bookingId, someoneElse.manageToken);
    const altered = await open([tenant, customer, someoneElse.bookingId, expires, mac].join('.'));
    const extended = await open([tenant, customer, booking, String(Number(expires) + 86_400), mac].join('.'));
    const garbage = await open('not-a-token');

    expect([wrongManage.status, wrongManage.body.error.code]).toEqual([404, 'booking_not_found']);
    for (const response of [altered, extended, garbage]) expect([response.status, response.body.error.code]).toEqual([401, 'export_link_invalid']);
  });

  it('is erased with the customer: the queued mail goes, and the booking\'s page can no longer ask', async () => {
    const email = uniqueEmail('erin');
    const { bookingId, manageToken } = await book({ name: 'Erin Erased', email }, '2026-11-25T09:00:00Z');
    await poller.drain();
    expect((await requestExport(bookingId, manageToken)).status).toBe(202);
    expect(await stack.store.getMessage(`${bookingId}.data-export`)).toMatchObject({ status: 'pending', to: email });

    const erased = await stack.request('POST', `/v1/staff/tenants/acme/customers/${customerOf(email)}/erase`, {
      headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'admin' }),
      body: { reason: 'asked by the customer' },
    });
    await poller.drain();
    const afterwards = await later(61, () => requestExport(bookingId, manageToken));

    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(await stack.store.getMessage(`${bookingId}.data-export`)).toBeUndefined();
    expect([afterwards.status, afterwards.body.error.code]).toEqual([404, 'customer_not_found']);
  });
});
