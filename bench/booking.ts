import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bookingItem, type StoredBooking } from '#functions/adapters/entities/booking';
import { BOOKING_COUNT_ATTR, SHEET_VERSION_ATTR, daySk, providerPk, unitAttr } from '#functions/adapters/entities/day-sheet';
import { historyItem } from '#functions/adapters/entities/history';
import { messageItem } from '#functions/adapters/entities/message';
import { planNotifications } from '#shared/domain/notifications';
import { hashToken, newId, newManageToken } from '#functions/adapters/ids';
import { customerActor, historyEntry } from '#shared/domain/staff';
import { claimSpan, localDateOf, unitsCovering } from '#shared/domain/slots';
import { benchTenant, customer, SERVICE_ID, slotsByProvider, TENANT_ID, ZONE, type AvailabilityBody } from './fixtures.ts';

const BENCH_CONFIG = benchTenant();
import { directHandler } from './lambda.ts';
import { http, type Api } from './stack.ts';
import { interleave, pairedDiffs, summarize, type Summary } from './stats.ts';

const DURATION_MIN = 30;
/** Fresh slots one round of the booking benchmark books. */
export const SLOTS_PER_ROUND = 3;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export interface Slot {
  providerId: string;
  start: string;
}

/**
 * Open slots to book, none overlapping another: every second open slot of each provider (so day
 * sheets fill to about half, like the seeded month), providers taken in turn.
 */
export function bookableSlots(body: AvailabilityBody): Slot[] {
  const perProvider = [...slotsByProvider(body)].map(([providerId, starts]) =>
    starts.filter((_, i) => i % 2 === 0).map((start) => ({ providerId, start })),
  );
  const out: Slot[] = [];
  for (let i = 0; perProvider.some((list) => i < list.length); i += 1) {
    for (const list of perProvider) {
      const slot = list[i];
      if (slot) out.push(slot);
    }
  }
  return out;
}

/** The provider a bare transaction writes for `providerId`: its own partitions, so it never meets the API's claims. */
export const mirrorProvider = (providerId: string, tag = 'bare') => `${providerId}-${tag}`;

/**
 * A booking as the API stores it (same fields, same item builder), and the sheet update the API
 * sends for it: one attribute per 5-minute unit, each conditional on being absent, plus the count.
 */
export function bareBookingTransaction(tableName: string, slot: Slot, n: number, options: { mirrorTag?: string; returnCapacity?: boolean } = {}) {
  const start = Date.parse(slot.start);
  const span = claimSpan(start, { durationMinutes: DURATION_MIN, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0, horizonDays: 120 });
  const providerId = mirrorProvider(slot.providerId, options.mirrorTag);
  const id = newId('bk');
  const now = iso(Date.now());
  const booking: StoredBooking = {
    id,
    tenantId: TENANT_ID,
    serviceId: SERVICE_ID,
    providerId,
    start: iso(start),
    end: iso(start + DURATION_MIN * 60_000),
    timeZone: ZONE,
    status: 'confirmed',
    customer: customer(n),
    version: 1,
    createdAt: now,
    updatedAt: now,
    manageTokenHash: hashToken(newManageToken()),
    claimFrom: iso(span[0]),
    claimTo: iso(span[1]),
  };
  const units = unitsCovering(span[0], span[1]);
  const names: Record<string, string> = { '#count': BOOKING_COUNT_ATTR, '#v': SHEET_VERSION_ATTR };
  units.forEach((unit, i) => (names[`#c${i}`] = unitAttr(unit)));
  return new TransactWriteCommand({
    // INDEXES: the total plus its split between the table and each index.
    ...(options.returnCapacity ? { ReturnConsumedCapacity: 'INDEXES' as const } : {}),
    TransactItems: [
      { Put: { TableName: tableName, Item: bookingItem(booking), ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Update: {
          TableName: tableName,
          Key: { PK: providerPk(TENANT_ID, providerId), SK: daySk(localDateOf(start, ZONE)) },
          UpdateExpression: `SET ${units.map((_, i) => `#c${i} = :owner`).join(', ')} ADD #count :delta, #v :one`,
          ConditionExpression: units.map((_, i) => `attribute_not_exists(#c${i})`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':owner': id, ':delta': 1, ':one': 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      // The history entry the store writes in the same transaction (docs/data-model.md, A5).
      {
        Put: {
          TableName: tableName,
          Item: historyItem(historyEntry('created', customerActor, null, booking)),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      // And its mails (A19): the confirmation and the reminders the tenant's policy schedules.
      ...planNotifications({ change: 'created', booking, previousReminderIds: [], config: BENCH_CONFIG, mailFrom: 'bookings@kairos.localhost', now: Date.now() }).put.map(
        (message) => ({ Put: { TableName: tableName, Item: messageItem(message) } }),
      ),
    ],
  });
}

export interface BookingResult {
  apiNoKey: Summary;
  apiKey: Summary;
  /** The Lambda handler called in-process, no key: the API minus the local HTTP hop. */
  handlerNoKey: Summary;
  bare: Summary;
  ratioNoKey: number;
  ratioKey: number;
  ratioHandler: number;
  overheadNoKeyP50: number;
  overheadKeyP50: number;
  slotsUsed: number;
}

/**
 * POST a booking through the API (without and with an Idempotency-Key) vs a bare
 * TransactWriteItems, interleaved; every operation on a slot (or key) of its own. The bare
 * transactions mirror the API's slots into partitions of their own, so item sizes grow alike.
 */
export async function measureBooking(options: {
  api: Api;
  doc: DynamoDBDocumentClient;
  tableName: string;
  slots: readonly Slot[];
  warmup: number;
  iterations: number;
  budgetMs: number;
}): Promise<BookingResult> {
  const { doc, tableName, slots } = options;
  const baseUrl = options.api.baseUrl;
  const invoke = directHandler(options.api.deps, 'createBooking');
  const needed = SLOTS_PER_ROUND * (options.warmup + options.iterations);
  if (slots.length < needed) throw new Error(`need ${needed} free slots for the booking benchmark, have ${slots.length}`);
  const slotAt = (i: number): Slot => slots[i]!;
  const post = async (slot: Slot, n: number, key?: string) => {
    const result = await http('POST', `${baseUrl}/v1/tenants/${TENANT_ID}/bookings`, {
      body: { serviceId: SERVICE_ID, providerId: slot.providerId, start: slot.start, customer: customer(n) },
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
    if (result.status !== 201) throw new Error(`booking ${slot.providerId} ${slot.start} answered ${result.status}: ${result.text}`);
  };
  const direct = async (slot: Slot, n: number) => {
    const result = await invoke({
      params: { tenantId: TENANT_ID },
      body: { serviceId: SERVICE_ID, providerId: slot.providerId, start: slot.start, customer: customer(n) },
    });
    if (result.statusCode !== 201) throw new Error(`booking handler ${slot.providerId} ${slot.start} answered ${result.statusCode}: ${result.body}`);
  };
  const bare = (slot: Slot, n: number) => doc.send(bareBookingTransaction(tableName, slot, n)).then(() => undefined);
  const runId = Date.now().toString(36);
  const k = SLOTS_PER_ROUND;
  // Round r books slot 3r (no key) and 3r+1 (with key) through the API, mirrors both bare, and
  // books 3r+2 through the handler in-process.
  const samples = await interleave(
    [
      { name: 'apiNoKey', run: (i) => post(slotAt(k * i), k * i) },
      { name: 'bareA', run: (i) => bare(slotAt(k * i), k * i) },
      { name: 'apiKey', run: (i) => post(slotAt(k * i + 1), k * i + 1, `bench-${runId}-${i}`) },
      { name: 'bareB', run: (i) => bare(slotAt(k * i + 1), k * i + 1) },
      { name: 'handlerNoKey', run: (i) => direct(slotAt(k * i + 2), k * i + 2) },
    ],
    { warmup: options.warmup, iterations: options.iterations, budgetMs: options.budgetMs, minIterations: 50 },
  );
  const apiNoKey = samples.get('apiNoKey')!;
  const apiKey = samples.get('apiKey')!;
  const bareA = samples.get('bareA')!;
  const bareB = samples.get('bareB')!;
  const bareAll = [...bareA, ...bareB];
  const bareSummary = summarize(bareAll);
  const noKey = summarize(apiNoKey);
  const key = summarize(apiKey);
  const handlerNoKey = summarize(samples.get('handlerNoKey')!);
  return {
    apiNoKey: noKey,
    apiKey: key,
    handlerNoKey,
    bare: bareSummary,
    ratioNoKey: noKey.p50 / bareSummary.p50,
    ratioKey: key.p50 / bareSummary.p50,
    ratioHandler: handlerNoKey.p50 / bareSummary.p50,
    overheadNoKeyP50: summarize(pairedDiffs(apiNoKey, bareA)).p50,
    overheadKeyP50: summarize(pairedDiffs(apiKey, bareB)).p50,
    slotsUsed: SLOTS_PER_ROUND * (options.warmup + apiNoKey.length),
  };
}
