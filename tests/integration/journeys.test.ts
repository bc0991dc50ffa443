import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CustomerStore } from '#functions/adapters/customer-store';
import { JourneyStore } from '#functions/adapters/journey-store';
import { createSesClient, SesMailer } from '#functions/adapters/mailer';
import { runDueJourneys } from '#functions/app/journeys';
import { sweepOutbox, type SenderDeps } from '#functions/app/outbox';
import { withMailboxSimulator } from '#infra/local/notifier';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import { DEFAULT_JOURNEYS, type JourneyRule } from '#shared/journeys/rules';
import { testTenant } from '#tests/support/fixtures';
import { inboxMessages, parseRaw } from '#tests/support/ses-inbox';
import { useProjector } from '#tests/support/projector';
import { useTestStack } from '#tests/support/stack';

/**
 * Journeys on real parts with a moving clock: booking changes reach the projector through the
 * table's stream (DynamoDB Local), which starts runs; the runner decides them when the test's
 * clock says they are due; the outbox sender mails through the local SES. Berlin is UTC+1 in
 * November: 22:30 local is 21:30Z, 09:00 local is 08:00Z.
 */
const week = [['08:00', '20:00']] as Array<[string, string]>;
const everyDay = { mon: week, tue: week, wed: week, thu: week, fri: week, sat: week, sun: week };
const stack = useTestStack({
  now: '2026-11-23T07:00:00Z',
  tenants: [
    testTenant({
      country: 'DE',
      reminders: { before: [] },
      providers: [
        { id: 'p1', name: 'Pat One', weeklyHours: everyDay },
        { id: 'p2', name: 'Pia Two', weeklyHours: everyDay },
      ],
    }),
  ],
});

const poller = useProjector(stack);
let customers: CustomerStore;
let journeys: JourneyStore;
beforeAll(() => {
  customers = new CustomerStore(stack.store.db, stack.tableName);
  journeys = new JourneyStore(stack.store.db, stack.tableName);
});

const sesEndpoint = () => inject('sesEndpoint');
const sender = (): SenderDeps => ({
  store: stack.store,
  clock: stack.clock,
  links: stack.deps.links,
  mailer: new SesMailer(createSesClient({ region: 'eu-central-1', endpoint: sesEndpoint() })),
});
const runner = () => ({ store: stack.store, clock: stack.clock, mailFrom: 'bookings@kairos.localhost' });
/** The runner, then the sender: what the two schedules do every minute. */
async function tick(at: string) {
  stack.clock.set(at);
  const runs = await runDueJourneys(runner());
  const mails = await sweepOutbox(sender());
  return { runs, mails };
}

let counter = 0;
const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}.${++counter}@example.com`;
const customerOf = (email: string) => newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));
const mailsTo = (email: string) => inboxMessages(sesEndpoint(), { to: email });

async function book(email: string, start: string, extra: Record<string, unknown> = {}) {
  const response = await stack.request('POST', '/v1/tenants/acme/bookings', {
    body: { serviceId: 'cut', providerId: 'p1', start, customer: { name: 'Ana García', email, timeZone: 'Europe/Berlin', ...extra } },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { booking: { id: string }; manageToken: string };
}

async function cancel(booking: { booking: { id: string }; manageToken: string }) {
  const response = await stack.request('POST', `/v1/bookings/${booking.booking.id}/cancel`, { headers: { authorization: `Bearer ${booking.manageToken}` }, body: {} });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

const adminHeaders = () => stack.identity.authHeader({ tenantId: 'acme', role: 'admin' });

async function saveJourneys(rules: readonly JourneyRule[], reviewUrl?: string) {
  const response = await stack.request('PUT', '/v1/staff/tenants/acme/journeys', { headers: await adminHeaders(), body: { rules, ...(reviewUrl ? { reviewUrl } : {}) } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

describe('the rebook invitation after a cancellation', () => {
  it('goes out at 09:00 local the next morning after a cancel at 22:30 — not a minute earlier — with a book-again link and one-click unsubscribe', async () => {
    const email = uniqueEmail('rebook');
    stack.clock.set('2026-11-23T07:00:00Z');
    const booking = await book(email, '2026-11-26T10:00:00Z', { marketingConsent: true, consentTextVersion: 'v1' });
    stack.clock.set('2026-11-24T21:30:00Z');
    await cancel(booking);
    await poller.drain();

    const [run] = (await journeys.listRuns('acme', customerOf(email))).filter((r) => r.ruleId === 'rebook-after-cancel');
    expect(run).toMatchObject({ status: 'waiting', dueAt: Date.parse('2026-11-25T08:00:00Z') });

    await tick('2026-11-25T07:59:00Z');
    expect((await journeys.getRun('acme', customerOf(email), run!.key))?.status).toBe('waiting');
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain('Book a new time at Acme Clinic?');

    await tick('2026-11-25T08:00:00Z');
    const mails = await mailsTo(email);
    const invitation = mails.find((m) => m.subject === 'Book a new time at Acme Clinic?');
    expect(invitation, mails.map((m) => m.subject).join(' | ')).toBeDefined();
    expect(invitation!.body.text).toContain(`http://localhost:3000/book/acme?rebook=${booking.booking.id}#token=`);

    const parsed = await parseRaw(invitation!);
    const header = (name: string) => parsed.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '');
    const unsubscribeUrl = header('list-unsubscribe')?.replace(/^<|>$/g, '');
    expect(unsubscribeUrl).toMatch(/^http:\/\/localhost:3000\/v1\/preferences\/acme\.cus_[0-9a-z]+\.[\w-]{43}\/unsubscribe$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    // The run is over, and the timeline says so (the journey step and the mail).
    expect((await journeys.getRun('acme', customerOf(email), run!.key))?.status).toBe('sent');
    const timeline = await customers.listEvents('acme', customerOf(email));
    expect(timeline.filter((e) => e.type === 'journey_step').map((e) => e.detail)).toEqual(['rebook-after-cancel: sent']);
    expect(timeline.filter((e) => e.type === 'mail_sent').map((e) => e.detail)).toContain('rebook-invitation');

    // Another minute: nothing more.
    await tick('2026-11-25T08:01:00Z');
    expect((await mailsTo(email)).filter((m) => m.subject === invitation!.subject)).toHaveLength(1);

    // One-click unsubscribe, as a mail provider does it (RFC 8058): POST, form body, no credentials.
    const path = new URL(unsubscribeUrl!).pathname;
    const response = await stack.request('POST', path, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(200);
    expect(response.body.email).toEqual({ marketing: false, reviews: false });
    const ledger = (await customers.getProfile('acme', customerOf(email)))!.record.consents.filter((c) => c.purpose === 'marketing');
    expect(ledger.map((c) => [c.granted, c.source])).toEqual([
      [true, 'online'],
      [false, 'preferences'],
    ]);
  });

  it('is not sent when the customer books again first: the run ends at once', async () => {
    const email = uniqueEmail('rebooked');
    stack.clock.set('2026-11-23T07:00:00Z');
    const first = await book(email, '2026-11-26T11:00:00Z', { marketingConsent: true });
    stack.clock.set('2026-11-24T21:30:00Z');
    await cancel(first);
    await poller.drain();
    stack.clock.set('2026-11-24T22:10:00Z');
    await book(email, '2026-11-27T11:00:00Z');
    await poller.drain();

    const [run] = (await journeys.listRuns('acme', customerOf(email))).filter((r) => r.ruleId === 'rebook-after-cancel');
    expect(run).toMatchObject({ status: 'exited', reason: { code: 'exit_event' } });
    await tick('2026-11-25T08:00:00Z');
    expect((await journeys.getRun('acme', customerOf(email), run!.key))?.status).toBe('exited');
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain('Book a new time at Acme Clinic?');
  });

  it('needs marketing consent: none without the opt-in, and none when it is withdrawn before the run is due', async () => {
    const never = uniqueEmail('no-optin');
    const withdrawn = uniqueEmail('withdrawn');
    stack.clock.set('2026-11-23T07:00:00Z');
    const a = await book(never, '2026-11-26T12:00:00Z');
    const b = await book(withdrawn, '2026-11-26T12:30:00Z', { marketingConsent: true });
    stack.clock.set('2026-11-24T21:30:00Z');
    await cancel(a);
    await cancel(b);
    await poller.drain();
    expect(await journeys.listRuns('acme', customerOf(never))).toEqual([]);

    // The customer opens the preferences page from an earlier mail and says no more offers.
    const token = stack.deps.links.preferencesToken('acme', customerOf(withdrawn));
    const page = await stack.request('GET', `/v1/preferences/${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ business: { name: 'Acme Clinic' }, customer: { firstName: 'Ana', email: 'w***@example.com' }, email: { marketing: true, reviews: false } });
    const saved = await stack.request('PUT', `/v1/preferences/${token}`, { body: { marketing: false } });
    expect(saved.body.email).toEqual({ marketing: false, reviews: false });

    await tick('2026-11-25T08:00:00Z');
    const [run] = await journeys.listRuns('acme', customerOf(withdrawn));
    expect(run).toMatchObject({ status: 'skipped', reason: { code: 'no_consent' } });
    expect((await mailsTo(withdrawn)).map((m) => m.subject)).not.toContain('Book a new time at Acme Clinic?');
  });

  it('never answers the preferences routes with a 5xx, whatever token or body comes', async () => {
    const valid = stack.deps.links.preferencesToken('acme', customerOf('nobody@example.com'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 120 }), fc.constant(valid), fc.constant(`${valid}x`), fc.constant(valid.replace('acme', 'evil'))),
        fc.oneof(fc.anything(), fc.record({ marketing: fc.anything(), reviews: fc.anything() }, { requiredKeys: [] })),
        fc.constantFrom('GET', 'PUT', 'POST'),
        async (token, body, method) => {
          const path = `/v1/preferences/${encodeURIComponent(token)}${method === 'POST' ? '/unsubscribe' : ''}`;
          const response = await stack.request(method, path, method === 'GET' ? {} : { body });
          expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
          if (response.status >= 400) expect(response.body.error.code).toEqual(expect.any(String));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('opens, from an old link of a customer merged into another, the customer they became', async () => {
    const kept = uniqueEmail('kept');
    const merged = uniqueEmail('merged');
    stack.clock.set('2026-11-23T07:00:00Z');
    await book(kept, '2026-11-26T15:00:00Z', { marketingConsent: true });
    await book(merged, '2026-11-26T15:30:00Z');
    await poller.drain();
    const headers = await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
    const merge = await stack.request('POST', `/v1/staff/tenants/acme/customers/${customerOf(kept)}/merge`, { headers, body: { otherCustomerId: customerOf(merged) } });
    expect(merge.status, JSON.stringify(merge.body)).toBe(200);

    const oldLink = stack.deps.links.preferencesToken('acme', customerOf(merged));
    // The merge kept the stricter answer (the merged customer never opted in): marketing is off.
    expect((await stack.request('GET', `/v1/preferences/${oldLink}`)).body.email).toEqual({ marketing: false, reviews: false });
    const saved = await stack.request('PUT', `/v1/preferences/${oldLink}`, { body: { reviews: true } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const record = (await customers.getProfile('acme', customerOf(kept)))!.record;
    expect(record.consents.filter((c) => c.purpose === 'reviews').map((c) => [c.granted, c.source])).toEqual([[true, 'preferences']]);
  });

  it('refuses a forged or altered preferences token', async () => {
    const email = uniqueEmail('forged');
    const token = stack.deps.links.preferencesToken('acme', customerOf(email));
    const other = token.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    expect((await stack.request('GET', `/v1/preferences/${other}`)).body.error.code).toBe('preferences_not_found');
    // Valid signature, but nobody behind it (never booked, or erased).
    expect((await stack.request('GET', `/v1/preferences/${token}`)).status).toBe(404);
    expect((await stack.request('GET', '/v1/preferences/not-a-token')).status).toBe(400);
  });
});

describe('tenant-defined journeys', () => {
  it('asks for a review a few hours after a visit, only with review consent, linking to the review page', async () => {
    const consenting = uniqueEmail('review-yes');
    const silent = uniqueEmail('review-no');
    await saveJourneys(DEFAULT_JOURNEYS, 'https://reviews.example/acme');
    stack.clock.set('2026-11-23T07:00:00Z');
    const a = await book(consenting, '2026-11-25T12:00:00Z');
    const b = await book(silent, '2026-11-25T12:30:00Z');
    await poller.drain();
    const token = stack.deps.links.preferencesToken('acme', customerOf(consenting));
    expect((await stack.request('PUT', `/v1/preferences/${token}`, { body: { reviews: true } })).status).toBe(200);

    stack.clock.set('2026-11-25T13:10:00Z');
    for (const booking of [a, b]) {
      const marked = await stack.request('POST', `/v1/staff/tenants/acme/bookings/${booking.booking.id}/attendance`, {
        headers: await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' }),
        body: { status: 'attended' },
      });
      expect(marked.status).toBe(200);
    }
    await poller.drain();
    expect(await journeys.listRuns('acme', customerOf(silent))).toEqual(expect.not.arrayContaining([expect.objectContaining({ ruleId: 'review-after-visit' })]));

    expect((await tick('2026-11-25T16:09:00Z')).runs.sent).toBe(0);
    expect((await tick('2026-11-25T16:10:00Z')).runs.sent).toBe(1);
    const review = (await mailsTo(consenting)).find((m) => m.subject === 'How was your visit to Acme Clinic?');
    expect(review?.body.text).toContain('https://reviews.example/acme');
    expect((await mailsTo(silent)).map((m) => m.subject)).not.toContain('How was your visit to Acme Clinic?');
  });

  it('opens a task for reception, which reception closes', async () => {
    const callBack: JourneyRule = {
      id: 'call-after-no-show',
      name: 'Call after a missed appointment',
      enabled: true,
      trigger: { event: 'no_show' },
      wait: { after: 'PT1H' },
      action: { kind: 'task', title: 'Call to ask what happened and offer a new time' },
      sendWindow: { start: '09:00', end: '18:00' },
      instanceKey: 'booking',
    };
    await saveJourneys([...DEFAULT_JOURNEYS, callBack], 'https://reviews.example/acme');
    const email = uniqueEmail('missed');
    stack.clock.set('2026-11-23T07:00:00Z');
    const booking = await book(email, '2026-11-27T16:00:00Z');
    stack.clock.set('2026-11-27T16:20:00Z');
    const reception = await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
    expect((await stack.request('POST', `/v1/staff/tenants/acme/bookings/${booking.booking.id}/attendance`, { headers: reception, body: { status: 'no_show' } })).status).toBe(200);
    await poller.drain();

    // An hour later is 18:20 local, after the 09:00–18:00 window: due at 09:00 the next morning.
    const [run] = (await journeys.listRuns('acme', customerOf(email))).filter((r) => r.ruleId === 'call-after-no-show');
    expect(run).toMatchObject({ status: 'waiting', dueAt: Date.parse('2026-11-28T08:00:00Z') });
    await tick('2026-11-28T07:59:00Z');
    expect((await journeys.getRun('acme', customerOf(email), run!.key))?.status).toBe('waiting');
    expect((await tick('2026-11-28T08:00:00Z')).runs.task).toBe(1);

    const list = await stack.request('GET', '/v1/staff/tenants/acme/tasks', { headers: reception });
    const task = list.body.tasks.find((t: { customerId: string }) => t.customerId === customerOf(email));
    expect(task).toMatchObject({ title: 'Call to ask what happened and offer a new time', bookingId: booking.booking.id, status: 'open' });
    const done = await stack.request('POST', `/v1/staff/tenants/acme/tasks/${task.id}/done`, { headers: reception });
    expect(done.body).toMatchObject({ status: 'done', doneBy: 'test-reception' });
    const after = await stack.request('GET', '/v1/staff/tenants/acme/tasks', { headers: reception });
    expect(after.body.tasks.map((t: { id: string }) => t.id)).not.toContain(task.id);
    expect((await stack.request('POST', `/v1/staff/tenants/acme/tasks/${task.id}/done`, { headers: reception })).body.error.code).toBe('task_not_found');
  });

  it('refuses rules that would bypass consent, and a save over a newer version', async () => {
    const headers = await adminHeaders();
    const current = await stack.request('GET', '/v1/staff/tenants/acme/journeys', { headers });
    expect(current.status).toBe(200);
    const sneaky = { ...DEFAULT_JOURNEYS[2]!, action: { kind: 'mail', template: 'win-back', purpose: 'service' } };
    const refused = await stack.request('PUT', '/v1/staff/tenants/acme/journeys', { headers, body: { rules: [sneaky] } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error.details)).toContain('purpose');

    const stale = await stack.request('PUT', '/v1/staff/tenants/acme/journeys', { headers, body: { rules: DEFAULT_JOURNEYS, revision: current.body.revision - 1 } });
    expect(stale.status).toBe(409);
    const fine = await stack.request('PUT', '/v1/staff/tenants/acme/journeys', { headers, body: { rules: DEFAULT_JOURNEYS, reviewUrl: 'https://reviews.example/acme', revision: current.body.revision } });
    expect(fine.body).toMatchObject({ customised: true, revision: current.body.revision + 1 });
  });
});

describe('the extra reminder for a customer who tends to miss appointments', () => {
  it('goes out at 18:00 the evening before, as a service mail (no marketing consent needed), and not after a cancellation', async () => {
    const email = uniqueEmail('no-show-risk');
    stack.clock.set('2026-11-23T07:00:00Z');
    // Two missed appointments of two: the smoothed no-show rate passes the 20 % threshold.
    const missed = [await book(email, '2026-11-23T09:00:00Z'), await book(email, '2026-11-23T09:30:00Z')];
    stack.clock.set('2026-11-23T09:40:00Z');
    const reception = await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
    for (const booking of missed) {
      expect((await stack.request('POST', `/v1/staff/tenants/acme/bookings/${booking.booking.id}/attendance`, { headers: reception, body: { status: 'no_show' } })).status).toBe(200);
    }
    await poller.drain();
    const next = await book(email, '2026-11-30T10:00:00Z');
    const cancelled = await book(email, '2026-12-01T10:00:00Z');
    await poller.drain();
    const profile = await customers.getProfile('acme', customerOf(email));
    expect(profile?.badges?.map((b) => b.code), JSON.stringify(profile?.traits)).toContain('no_show_risk');
    stack.clock.set('2026-11-24T12:00:00Z');
    await cancel(cancelled);
    await poller.drain();

    const runs = (await journeys.listRuns('acme', customerOf(email))).filter((r) => r.ruleId === 'no-show-risk-reminder');
    expect(runs.find((r) => r.bookingId === next.booking.id)).toMatchObject({ status: 'waiting', dueAt: Date.parse('2026-11-29T17:00:00Z') });
    expect(runs.find((r) => r.bookingId === cancelled.booking.id)).toMatchObject({ status: 'exited' });

    await tick('2026-11-29T17:00:00Z');
    const reminder = (await mailsTo(email)).find((m) => m.subject.startsWith('Your appointment at Acme Clinic'));
    expect(reminder?.body.text).toContain(`/manage/${next.booking.id}#token=`);
    // A service message: no unsubscribe footer or header.
    const parsed = await parseRaw(reminder!);
    expect(parsed.headerLines.some((line) => line.key === 'list-unsubscribe')).toBe(false);
  });
});

describe('the win-back for a lapsing customer', () => {
  it('checks weekly from four weeks after the visit and writes once the customer is lapsing on their cadence (42 days × 1.5 without history)', async () => {
    const email = uniqueEmail('lapsing');
    stack.clock.set('2026-11-23T07:00:00Z');
    const visit = await book(email, '2026-11-23T10:00:00Z', { marketingConsent: true });
    stack.clock.set('2026-11-23T10:40:00Z');
    const reception = await stack.identity.authHeader({ tenantId: 'acme', role: 'reception' });
    expect((await stack.request('POST', `/v1/staff/tenants/acme/bookings/${visit.booking.id}/attendance`, { headers: reception, body: { status: 'attended' } })).status).toBe(200);
    await poller.drain();
    const [run] = (await journeys.listRuns('acme', customerOf(email))).filter((r) => r.ruleId === 'win-back-lapsing');
    expect(run).toMatchObject({ status: 'waiting', dueAt: Date.parse('2026-12-21T10:40:00Z') });

    // Weekly looks: 28, 35, … 63 days after the visit the customer is not lapsing (> 63 days is).
    for (const day of ['2026-12-21', '2026-12-28', '2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25']) {
      await tick(`${day}T10:40:00Z`);
      expect((await journeys.getRun('acme', customerOf(email), run!.key))?.status, day).toBe('waiting');
    }
    await tick('2027-02-01T10:40:00Z');
    expect((await journeys.getRun('acme', customerOf(email), run!.key))?.status).toBe('sent');
    const mail = (await mailsTo(email)).find((m) => m.subject === 'It has been a while, Ana García');
    expect(mail?.body.text).toContain(`/book/acme?rebook=${visit.booking.id}#token=`);
  });
});

describe('bounces', () => {
  it('puts a bounce on the timeline and keeps journey mail from a suppressed address', async () => {
    const email = 'bounce@simulator.amazonses.com';
    stack.clock.set('2026-11-23T07:00:00Z');
    const booking = await book(email, '2026-11-26T14:00:00Z', { marketingConsent: true });
    await poller.drain();
    const simulated: SenderDeps = { ...sender(), mailer: withMailboxSimulator(sender().mailer, { store: stack.store, clock: stack.clock }) };
    await sweepOutbox(simulated);
    const timeline = await customers.listEvents('acme', customerOf(email));
    expect(timeline.find((e) => e.type === 'mail_sent')?.detail).toBe('booking_confirmed');
    expect(timeline.find((e) => e.type === 'mail_bounced')?.detail).toMatch(/^Permanent: smtp; 550/);

    stack.clock.set('2026-11-24T21:30:00Z');
    await cancel(booking);
    await poller.drain();
    await tick('2026-11-25T08:00:00Z');
    const [run] = (await journeys.listRuns('acme', customerOf(email))).filter((r) => r.ruleId === 'rebook-after-cancel');
    expect(run).toMatchObject({ status: 'skipped', reason: { code: 'suppressed' } });
  });
});

describe('journeys and erasure', () => {
  it('erasing a customer removes their runs and the journey mail still waiting in the outbox', async () => {
    const email = uniqueEmail('erased');
    stack.clock.set('2026-11-23T07:00:00Z');
    const booking = await book(email, '2026-11-26T13:00:00Z', { marketingConsent: true });
    stack.clock.set('2026-11-24T21:30:00Z');
    await cancel(booking);
    await poller.drain();
    stack.clock.set('2026-11-25T08:00:00Z');
    expect((await runDueJourneys(runner())).sent).toBe(1); // queued, not yet sent
    const id = customerOf(email);
    const [run] = await journeys.listRuns('acme', id);
    expect(await stack.store.getMessage(run!.messageId!)).toBeDefined();

    const erased = await stack.request('POST', `/v1/staff/tenants/acme/customers/${id}/erase`, { headers: await adminHeaders(), body: { reason: 'asked by the customer' } });
    expect(erased.status).toBe(200);
    expect(await journeys.listRuns('acme', id)).toEqual([]);
    expect(await stack.store.getMessage(run!.messageId!)).toBeUndefined();
    await sweepOutbox(sender());
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain('Book a new time at Acme Clinic?');
  });
});
