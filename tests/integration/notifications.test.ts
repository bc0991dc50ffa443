import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import ICAL from 'ical.js';
import { describe, expect, inject, it } from 'vitest';
import { createSesClient, SesMailer, type Mailer } from '#functions/adapters/mailer';
import { deliverFromStream, sweepOutbox, type SenderDeps } from '#functions/app/outbox';
import { recordSesNotification } from '#functions/app/suppressions';
import { withMailboxSimulator } from '#infra/local/notifier';
import { testTenant } from '#tests/support/fixtures';
import { inboxMessages, parseRaw, type InboxMessage } from '#tests/support/ses-inbox';
import { useTestStack } from '#tests/support/stack';

/**
 * Booking mails end to end on real parts: the booking transaction writes the outbox item, the
 * sender leases, renders and sends it through the local SES, and the raw MIME and its invitation
 * are read back. Now is Monday 2026-11-23 08:00 in Berlin.
 */
const allWeek = [['08:00', '20:00']] as Array<[string, string]>;
const stack = useTestStack({
  now: '2026-11-23T07:00:00Z',
  tenants: [
    testTenant({
      reminders: { before: ['P1D', 'PT2H'], quietHours: { start: '21:00', end: '08:00' } },
      providers: [
        { id: 'p1', name: 'Pat One', email: 'pat@acme.example', notifyOnBookingChanges: true, weeklyHours: { mon: allWeek, tue: allWeek, wed: allWeek, thu: allWeek, fri: allWeek, sat: allWeek, sun: allWeek } },
        { id: 'p2', name: 'Pia Two', weeklyHours: { mon: allWeek, tue: allWeek, wed: allWeek, thu: allWeek, fri: allWeek, sat: allWeek, sun: allWeek } },
      ],
    }),
  ],
});

const sesEndpoint = () => inject('sesEndpoint');
const realMailer = () => new SesMailer(createSesClient({ region: 'eu-central-1', endpoint: sesEndpoint() }));
const sender = (mailer: Mailer = realMailer()): SenderDeps => ({ store: stack.store, clock: stack.clock, links: stack.deps.links, mailer });

let counter = 0;
/** A recipient only this test writes to: test files share one local SES. */
const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}.${++counter}@example.com`;

async function book(email: string, start: string, extra: Record<string, unknown> = {}) {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', {
    body: { serviceId: 'cut', providerId: 'p2', start, customer: { name: 'Zoë Müller', email, locale: 'de', timeZone: 'Europe/Berlin' }, ...extra },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { booking: { id: string }; manageToken: string };
}

async function invitationOf(message: InboxMessage) {
  const parsed = await parseRaw(message);
  const ics = parsed.attachments.find((a) => a.filename === 'invite.ics');
  expect(ics, 'the .ics attachment').toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(ics!.content.toString('utf8')));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    parsed,
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    status: event.getFirstPropertyValue('status'),
    start: new ICAL.Event(event).startDate.toJSDate().toISOString(),
  };
}

const mailsTo = (email: string) => inboxMessages(sesEndpoint(), { to: email });

describe('booking mails', () => {
  it('confirms, moves and cancels with one invitation whose UID stays and whose SEQUENCE rises', async () => {
    const email = uniqueEmail('flow');
    const { booking, manageToken } = await book(email, '2026-11-25T09:00:00Z');
    expect((await sweepOutbox(sender())).sent).toBeGreaterThanOrEqual(1);

    const headers = { authorization: `Bearer ${manageToken}` };
    await stack.request('POST', `/v1/bookings/${booking.id}/reschedule`, { headers, body: { start: '2026-11-25T10:00:00Z' } });
    await sweepOutbox(sender());
    await stack.request('POST', `/v1/bookings/${booking.id}/cancel`, { headers, body: { reason: 'Krank' } });
    await sweepOutbox(sender());

    const mails = await mailsTo(email);
    expect(mails.map((m) => m.subject)).toHaveLength(3);
    const [confirmed, moved, cancelled] = await Promise.all(mails.map(invitationOf));
    expect([confirmed!.method, moved!.method, cancelled!.method]).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
    expect(new Set([confirmed!.uid, moved!.uid, cancelled!.uid])).toEqual(new Set([`${booking.id}@kairos`]));
    expect(confirmed!.sequence).toBeLessThan(moved!.sequence);
    expect(moved!.sequence).toBeLessThan(cancelled!.sequence);
    expect(confirmed!.start).toBe('2026-11-25T09:00:00.000Z');
    expect(moved!.start).toBe('2026-11-25T10:00:00.000Z');
    expect(cancelled!.status).toBe('CANCELLED');
    // German, with the time in the customer's zone and the zone named.
    expect(confirmed!.parsed.text).toContain('Europe/Berlin');
    expect(confirmed!.parsed.text).toMatch(/Mittwoch, 25\. November 2026/);
    const calendarPart = confirmed!.parsed.attachments.find((a) => a.contentType === 'text/calendar');
    expect(calendarPart?.contentType).toBe('text/calendar');
  });

  it('carries a manage link whose token opens the booking', async () => {
    const email = uniqueEmail('link');
    const { booking } = await book(email, '2026-11-25T12:00:00Z');
    await sweepOutbox(sender());
    const [mail] = await mailsTo(email);
    const token = /#token=([\w-]+)/.exec((await parseRaw(mail!)).text ?? '')?.[1];
    expect(token).toBeDefined();
    const opened = await stack.request('GET', `/v1/bookings/${booking.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(opened.status).toBe(200);
  });

  it('sends the provider a copy when the provider asked for one', async () => {
    const email = uniqueEmail('copy');
    const response = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', providerId: 'p1', start: '2026-11-26T09:00:00Z', customer: { name: 'Ana', email } },
    });
    expect(response.status).toBe(201);
    const message = await stack.store.getMessage(`${response.body.booking.id}.v1.provider`);
    expect(message).toMatchObject({ to: 'pat@acme.example', audience: 'provider', withManageLink: false });
  });

  it('is sent from the stream as soon as the booking is written', async () => {
    const email = uniqueEmail('stream');
    const { booking } = await book(email, '2026-11-27T09:00:00Z');
    const item = await stack.store.getMessage(`${booking.id}.v1.customer`);
    // What the stream record of that item looks like to the Lambda trigger.
    const result = await deliverFromStream(sender(), {
      Records: [
        {
          eventName: 'INSERT',
          dynamodb: {
            SequenceNumber: '1',
            NewImage: { type: { S: 'message' }, id: { S: item!.id }, status: { S: 'pending' }, nextAttemptAt: { S: item!.nextAttemptAt } },
          },
        },
      ],
    });
    expect(result.batchItemFailures).toEqual([]);
    expect(await mailsTo(email)).toHaveLength(1);
    expect((await stack.store.getMessage(item!.id))?.status).toBe('sent');
  });
});

describe('exactly once', () => {
  it('sends one mail when two sweeps race for it', async () => {
    const email = uniqueEmail('race');
    await book(email, '2026-11-27T11:00:00Z');
    await Promise.all([sweepOutbox(sender()), sweepOutbox(sender()), sweepOutbox(sender())]);
    expect(await mailsTo(email)).toHaveLength(1);
  });

  it('loses nothing while SES is down: the booking stands, the mail is retried with backoff and sent once SES is back', async () => {
    const email = uniqueEmail('outage');
    const { booking } = await book(email, '2026-11-27T13:00:00Z');
    const client = createSesClient({ region: 'eu-central-1', endpoint: sesEndpoint() });
    const forward = createSesClient({ region: 'eu-central-1', endpoint: sesEndpoint() });
    const ses = mockClient(client as SESClient);
    const outage = Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' });
    ses.on(SendRawEmailCommand).rejects(outage);
    try {
      const down = new SesMailer(client);
      const first = await sweepOutbox(sender(down));
      expect(first.retry).toBeGreaterThanOrEqual(1);
      const waiting = await stack.store.getMessage(`${booking.id}.v1.customer`);
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
      expect(waiting!.lastError).toContain('ServiceUnavailable');
      expect(Date.parse(waiting!.nextAttemptAt)).toBeGreaterThan(stack.clock.now());
      // Not due yet: a sweep right away sends nothing.
      await sweepOutbox(sender(down));
      expect((await stack.store.getMessage(waiting!.id))?.attempts).toBe(1);
      expect(await mailsTo(email)).toHaveLength(0);

      ses.on(SendRawEmailCommand).callsFake((input) => forward.send(new SendRawEmailCommand(input)));
      stack.clock.advance(2);
      await sweepOutbox(sender(down));
      await sweepOutbox(sender(down));
      expect(await mailsTo(email)).toHaveLength(1);
      expect((await stack.store.getMessage(waiting!.id))?.status).toBe('sent');
    } finally {
      ses.restore();
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });

  it('parks a message as failed after the attempt limit, for the admin to see', async () => {
    const email = uniqueEmail('parked');
    const { booking } = await book(email, '2026-11-27T15:00:00Z');
    const failing = { send: () => Promise.reject(Object.assign(new Error('throttled'), { name: 'Throttling' })) };
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await sweepOutbox({ ...sender(), mailer: failing, maxAttempts: 3 });
        stack.clock.advance(10);
      }
      const parked = await stack.store.getMessage(`${booking.id}.v1.customer`);
      expect(parked).toMatchObject({ status: 'failed', attempts: 3 });
      const listed = await stack.request('GET', '/v1/staff/tenants/acme/outbox?status=failed', {
        headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'admin' }),
      });
      expect(listed.status).toBe(200);
      expect(listed.body.messages).toContainEqual(expect.objectContaining({ id: parked!.id, to: email, attempts: 3, lastError: 'Throttling: throttled' }));
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });
});

describe('reminders', () => {
  it('fire once, at the right local time, and a reschedule replaces them', async () => {
    const email = uniqueEmail('reminder');
    // Thursday 2026-12-03 10:00 Berlin: reminders Wed 10:00 (P1D) and Thu 08:00 (PT2H).
    const { booking, manageToken } = await book(email, '2026-12-03T09:00:00Z');
    const ids = [`${booking.id}.reminder.P1D`, `${booking.id}.reminder.PT2H`];
    expect((await stack.store.getMessage(ids[0]!))?.dueAt).toBe('2026-12-02T09:00:00Z');
    expect((await stack.store.getMessage(ids[1]!))?.dueAt).toBe('2026-12-03T07:00:00Z');
    await sweepOutbox(sender()); // the confirmation
    try {
      stack.clock.set('2026-12-02T08:59:00Z');
      await sweepOutbox(sender());
      expect(await mailsTo(email)).toHaveLength(1);
      stack.clock.set('2026-12-02T09:00:00Z');
      await Promise.all([sweepOutbox(sender()), sweepOutbox(sender())]);
      await sweepOutbox(sender());
      expect(await mailsTo(email)).toHaveLength(2);

      // Move to Friday 14:00: the 2-hour reminder moves with it; the day-before one is scheduled again.
      const moved = await stack.request('POST', `/v1/bookings/${booking.id}/reschedule`, {
        headers: { authorization: `Bearer ${manageToken}` },
        body: { start: '2026-12-04T13:00:00Z' },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect((await stack.store.getMessage(ids[1]!))).toMatchObject({ dueAt: '2026-12-04T11:00:00Z', status: 'pending' });
      stack.clock.set('2026-12-03T07:00:00Z');
      await sweepOutbox(sender());
      // Only the reschedule mail: nothing for the old Thursday time.
      expect((await mailsTo(email)).length).toBe(3);
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });

  it('are removed when the booking is cancelled', async () => {
    const email = uniqueEmail('cancelled');
    const { booking, manageToken } = await book(email, '2026-12-08T09:00:00Z');
    await stack.request('POST', `/v1/bookings/${booking.id}/cancel`, { headers: { authorization: `Bearer ${manageToken}` }, body: {} });
    expect(await stack.store.getMessage(`${booking.id}.reminder.P1D`)).toBeUndefined();
    expect(await stack.store.getMessage(`${booking.id}.reminder.PT2H`)).toBeUndefined();
  });

  it('move out of quiet hours to the evening before, and say how long it really is', async () => {
    const email = uniqueEmail('quiet');
    // Tuesday 08:30 Berlin: the 2-hour reminder would be 06:30, inside 21:00-08:00.
    const { booking } = await book(email, '2026-12-08T07:30:00Z');
    const reminder = await stack.store.getMessage(`${booking.id}.reminder.PT2H`);
    expect(reminder?.dueAt).toBe('2026-12-07T19:59:00Z');
    expect(reminder?.mail.reminderLead).toBe('PT11H');
  });

  it('are skipped, not sent late, when their time has passed at booking', async () => {
    const email = uniqueEmail('late');
    // Today 12:00 Berlin, booked at 08:00: the day-before reminder is already in the past.
    const { booking } = await book(email, '2026-11-23T11:00:00Z');
    expect(await stack.store.getMessage(`${booking.id}.reminder.P1D`)).toBeUndefined();
    expect(await stack.store.getMessage(`${booking.id}.reminder.PT2H`)).toMatchObject({ dueAt: '2026-11-23T09:00:00Z' });
  });

  it('keep the local wall time across a DST change', async () => {
    const email = uniqueEmail('dst');
    // Sunday 2026-03-29 10:00 CEST (08:00Z); the day before, 10:00 is still CET (09:00Z).
    stack.clock.set('2026-03-20T07:00:00Z');
    try {
      const { booking } = await book(email, '2026-03-29T08:00:00Z');
      expect((await stack.store.getMessage(`${booking.id}.reminder.P1D`))?.dueAt).toBe('2026-03-28T09:00:00Z');
    } finally {
      stack.clock.set('2026-11-23T07:00:00Z');
    }
  });
});

describe('bounces and complaints', () => {
  it('suppress the address: later mails to it are not sent, and say why', async () => {
    const email = uniqueEmail('bounced');
    await recordSesNotification(
      stack.store,
      JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email, diagnosticCode: 'smtp; 550 no such user' }] } }),
      stack.clock.now(),
    );
    const { booking } = await book(email, '2026-12-09T09:00:00Z');
    await sweepOutbox(sender());
    expect(await mailsTo(email)).toHaveLength(0);
    const message = await stack.store.getMessage(`${booking.id}.v1.customer`);
    expect(message).toMatchObject({ status: 'suppressed' });
    expect(message!.lastError).toContain('550 no such user');
    expect((await stack.store.listSettledMessages('acme', 'suppressed')).map((m) => m.id)).toContain(message!.id);
  });

  it('are simulated locally: mail to bounce@simulator.amazonses.com comes back as a permanent bounce', async () => {
    const simulated = withMailboxSimulator(realMailer(), { store: stack.store, clock: stack.clock });
    const response = await stack.request('POST', '/v1/tenants/acme/bookings', {
      body: { serviceId: 'cut', providerId: 'p2', start: '2026-12-10T09:00:00Z', customer: { name: 'Bo Unce', email: 'bounce@simulator.amazonses.com' } },
    });
    expect(response.status).toBe(201);
    await sweepOutbox(sender(simulated));
    expect(await stack.store.getSuppression('bounce@simulator.amazonses.com')).toMatchObject({ reason: 'bounce' });
    // The next mail to that address (the cancellation) is held back, with the reason.
    await stack.request('POST', `/v1/bookings/${response.body.booking.id}/cancel`, { headers: { authorization: `Bearer ${response.body.manageToken}` }, body: {} });
    await sweepOutbox(sender(simulated));
    expect(await stack.store.getMessage(`${response.body.booking.id}.v2.customer`)).toMatchObject({ status: 'suppressed' });
  });

  it('ignore transient bounces and malformed notifications', async () => {
    const email = uniqueEmail('transient');
    expect(
      await recordSesNotification(stack.store, JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: email }] } }), stack.clock.now()),
    ).toEqual([]);
    expect(await recordSesNotification(stack.store, 'not json', stack.clock.now())).toEqual([]);
    expect(await stack.store.getSuppression(email)).toBeUndefined();
  });
});
