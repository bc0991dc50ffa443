import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CustomerStore } from '#functions/adapters/customer-store';
import { randomIds } from '#functions/adapters/ids';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import type { Mailer } from '#functions/adapters/mailer';
import { DynamoStore } from '#functions/adapters/store';
import type { AppDeps, Clock } from '#functions/app/deps';
import { noDirectory } from '#functions/app/directory';
import { deliverMessage } from '#functions/app/outbox';
import { projectBookingChange } from '#functions/app/projector';
import { recordCapacity, type CallCapacity } from './capacity.ts';
import { availabilityPath, customer, SERVICE_ID, TENANT_ID, type DateRange } from './fixtures.ts';
import { directHandler } from './lambda.ts';
import { CONFIG_TTL_MS } from './stack.ts';

/**
 * One booking's whole life in DynamoDB capacity and Lambda time, measured: what the cost model in
 * docs/scale.md multiplies. Each step runs the code the cloud runs (the route's handler in
 * process, the stream projector, the outbox sender) on clients that record the consumed capacity
 * of every call (ReturnConsumedCapacity: TOTAL), warm, one booking at a time.
 */

export type LifecycleStep = 'availability' | 'createBooking' | 'projector' | 'sendConfirmation' | 'sendReminder';

export interface StepMeasure {
  step: LifecycleStep;
  /** The Lambda function that does it in the cloud. */
  lambda: string;
  /** Mean over the measured bookings. */
  rcu: number;
  wcu: number;
  /** Median warm duration of the step in this process (ms): the Lambda's billed duration, roughly. */
  durationMs: number;
  calls: number;
  /** Per booking, how often the step runs (reminders: the tenant policy's two). */
  perBooking: number;
}

export interface LifecycleResult {
  bookings: number;
  steps: StepMeasure[];
  /** The booking's own items, for storage: booking, history, messages, sheet share, customer items. */
  note: string;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand', 'TransactGetItemsCommand']);

function split(calls: readonly CallCapacity[]): { rcu: number; wcu: number } {
  let rcu = 0;
  let wcu = 0;
  for (const call of calls) {
    if (READS.has(call.command)) rcu += call.capacity;
    else wcu += call.capacity;
  }
  return { rcu, wcu };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

/** A clock the sender can be moved to a reminder's time with. */
class MovableClock implements Clock {
  at: number | undefined;
  now(): number {
    return this.at ?? Date.now();
  }
}

/** SES is priced per mail, apart from the model's DynamoDB and Lambda: a mailer that accepts. */
const acceptingMailer: Mailer = { send: async () => ({ messageId: `bench-${Date.now().toString(36)}` }) };

export async function measureLifecycle(options: {
  newClients: () => { client: DynamoDBClient; doc: DynamoDBDocumentClient };
  tableName: string;
  /** Free slots (provider, start) to book, at least warmup + bookings of them. */
  slots: ReadonlyArray<{ providerId: string; start: string }>;
  /** A week around the slots, for the availability views. */
  week: DateRange;
  bookings: number;
  warmup: number;
  /** How many availability views a booking takes (a model input; the measure is per view). */
  viewsPerBooking: number;
}): Promise<LifecycleResult> {
  const { client, doc } = options.newClients();
  const recorder = recordCapacity(client);
  const store = new DynamoStore(client, doc, options.tableName, { configTtlMs: CONFIG_TTL_MS });
  const clock = new MovableClock();
  const links = new Links(LOCAL_LINK_SECRET, 'http://localhost:3000');
  const deps: AppDeps = { store, clock, ids: randomIds, directory: noDirectory, links, mailFrom: 'bookings@kairos.localhost' };
  const customers = new CustomerStore(doc, options.tableName);
  const availability = directHandler(deps, 'getAvailability');
  const create = directHandler(deps, 'createBooking');
  const week = new URLSearchParams(availabilityPath(options.week).split('?')[1]);

  const samples = new Map<LifecycleStep, Array<{ rcu: number; wcu: number; ms: number; calls: number }>>();
  const timed = async <T>(step: LifecycleStep, measured: boolean, run: () => Promise<T>): Promise<T> => {
    recorder.take();
    const started = performance.now();
    const result = await run();
    const ms = performance.now() - started;
    const calls = recorder.take();
    if (measured) {
      const list = samples.get(step) ?? [];
      list.push({ ...split(calls), ms, calls: calls.length });
      samples.set(step, list);
    }
    return result;
  };

  const total = options.warmup + options.bookings;
  if (options.slots.length < total) throw new Error(`lifecycle needs ${total} free slots, got ${options.slots.length}`);
  for (let i = 0; i < total; i += 1) {
    const measured = i >= options.warmup;
    const slot = options.slots[i]!;
    clock.at = undefined;
    await timed('availability', measured, async () => {
      const response = await availability({ params: { tenantId: TENANT_ID }, query: Object.fromEntries(week) });
      if (response.statusCode !== 200) throw new Error(`availability answered ${response.statusCode}`);
    });
    const created = await timed('createBooking', measured, async () => {
      const response = await create({
        params: { tenantId: TENANT_ID },
        headers: { 'idempotency-key': `bench-life-${Date.now().toString(36)}-${i}` },
        body: { serviceId: SERVICE_ID, providerId: slot.providerId, start: slot.start, customer: { ...customer(10_000 + i), email: `life${i}@bench.example` } },
      });
      if (response.statusCode !== 201) throw new Error(`booking answered ${response.statusCode}: ${String(response.body)}`);
      return JSON.parse(String(response.body)) as { booking: { id: string } };
    });
    const booking = await store.getBooking(created.booking.id);
    if (!booking) throw new Error('the booking just made is not there');
    await timed('projector', measured, () => projectBookingChange({ store, clock, customers }, { before: undefined, after: booking }));
    const sender = { store, clock, mailer: acceptingMailer, links };
    await timed('sendConfirmation', measured, async () => {
      if ((await deliverMessage(sender, `${booking.id}.v1.customer`)) !== 'sent') throw new Error('the confirmation was not sent');
    });
    for (const reminderId of booking.reminderIds ?? []) {
      const reminder = await store.getMessage(reminderId);
      if (!reminder) continue;
      clock.at = Date.parse(reminder.nextAttemptAt);
      await timed('sendReminder', measured, async () => {
        if ((await deliverMessage(sender, reminderId)) !== 'sent') throw new Error(`reminder ${reminderId} was not sent`);
      });
    }
  }
  client.destroy();

  const lambdaOf: Record<LifecycleStep, string> = {
    availability: 'getAvailability',
    createBooking: 'createBooking',
    projector: 'projector (stream)',
    sendConfirmation: 'sender (stream)',
    sendReminder: 'sweep (schedule)',
  };
  const reminders = (samples.get('sendReminder')?.length ?? 0) / options.bookings;
  const perBooking: Record<LifecycleStep, number> = { availability: options.viewsPerBooking, createBooking: 1, projector: 1, sendConfirmation: 1, sendReminder: reminders };
  const steps = ([...samples.keys()] as LifecycleStep[]).map((step) => {
    const list = samples.get(step)!;
    const mean = (pick: (s: (typeof list)[number]) => number) => list.reduce((sum, s) => sum + pick(s), 0) / list.length;
    return { step, lambda: lambdaOf[step], rcu: mean((s) => s.rcu), wcu: mean((s) => s.wcu), durationMs: median(list.map((s) => s.ms)), calls: mean((s) => s.calls), perBooking: perBooking[step] };
  });
  return { bookings: options.bookings, steps, note: `${options.bookings} bookings after ${options.warmup} warm-up` };
}
