import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { providerPk } from '#functions/adapters/entities/day-sheet';
import { staffPk, staffSk } from '#functions/adapters/entities/staff-user';
import { MAX_BLOCK_DAYS } from '#shared/api/staff-routes';
import type { TenantConfig } from '#shared/domain/schemas';
import { TENANT_ID, ZONE, type DateRange } from './fixtures.ts';
import { directHandler } from './lambda.ts';
import { http, queryPages, type Api, type StaffSession } from './stack.ts';
import { interleave, pairedDiffs, summarize, type Summary } from './stats.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * listCalendar's look-backs (functions/app/calendar.ts): a booking lasts at most 8 hours (service
 * schema) and a block at most MAX_BLOCK_DAYS, so nothing starting earlier can reach `from`.
 */
const BOOKING_LOOKBACK_MS = 8 * HOUR_MS;
const BLOCK_LOOKBACK_MS = MAX_BLOCK_DAYS * DAY_MS;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const capacityOf = (c: ConsumedCapacity | undefined) => c?.CapacityUnits ?? 0;

/** A week view: Monday 00:00 to the next Monday 00:00 in the tenant's zone, as UTC instants. */
export interface CalendarWeek {
  monday: string;
  from: string;
  to: string;
}

/** The first full week (Monday to Sunday, local) inside `range`. */
export function firstWeekIn(range: DateRange): CalendarWeek {
  const start = DateTime.fromISO(range.from, { zone: ZONE }).startOf('day');
  const monday = start.plus({ days: (8 - start.weekday) % 7 });
  // Seven local days, not 168 hours: a week view that crosses a DST change still ends at midnight.
  const nextMonday = monday.plus({ days: 7 });
  if (nextMonday.minus({ days: 1 }).toISODate()! > range.to) throw new Error(`no full week inside ${range.from} … ${range.to}`);
  const instant = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true })!;
  return { monday: monday.toISODate()!, from: instant(monday), to: instant(nextMonday) };
}

export const calendarPath = (week: CalendarWeek) =>
  `/v1/staff/tenants/${TENANT_ID}/bookings?from=${encodeURIComponent(week.from)}&to=${encodeURIComponent(week.to)}`;

/** Every page of one GSI1 Query, with the store's key condition. */
async function gsi1Range(
  doc: DynamoDBDocumentClient,
  tableName: string,
  providerId: string,
  prefix: 'BK' | 'BL',
  fromIso: string,
  toIso: string,
  returnCapacity: boolean,
): Promise<{ items: Record<string, unknown>[]; capacity: number }> {
  return queryPages(
    doc,
    {
      TableName: tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      // As the store: "#" sorts before every digit, so "<prefix>#<to>#" stops just before items starting at `to`.
      ExpressionAttributeValues: { ':pk': providerPk(TENANT_ID, providerId), ':from': `${prefix}#${fromIso}`, ':to': `${prefix}#${toIso}#` },
    },
    returnCapacity,
  );
}

export interface BareCalendar {
  staffFound: boolean;
  bookings: Record<string, unknown>[];
  blocks: Record<string, unknown>[];
  /** Milliseconds of the staff GetItem and of the Queries after it (sequential order only). */
  staffMs: number;
  queriesMs: number;
  capacity: { staffGet: number; bookingQueries: number; blockQueries: number };
}

/**
 * The DynamoDB work under the week view, as bare document-client calls: the staff record's GetItem,
 * then per provider the bookings and the blocks Query on GSI1, all Queries in parallel. `sequential`
 * is the handler's order (the staff check finishes before listCalendar starts); `overlapped` starts
 * the GetItem together with the Queries, what the handler could do at best.
 */
export async function bareCalendar(
  doc: DynamoDBDocumentClient,
  tableName: string,
  request: { userId: string; providerIds: readonly string[]; week: CalendarWeek },
  options: { order: 'sequential' | 'overlapped'; returnCapacity?: boolean },
): Promise<BareCalendar> {
  const returnCapacity = options.returnCapacity ?? false;
  const from = Date.parse(request.week.from);
  const to = iso(Date.parse(request.week.to));
  const getStaff = () =>
    doc.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: staffPk(TENANT_ID), SK: staffSk(request.userId) },
        ...(returnCapacity ? { ReturnConsumedCapacity: 'TOTAL' as const } : {}),
      }),
    );
  const queries = () =>
    Promise.all(
      request.providerIds.map((providerId) =>
        Promise.all([
          gsi1Range(doc, tableName, providerId, 'BK', iso(from - BOOKING_LOOKBACK_MS), to, returnCapacity),
          gsi1Range(doc, tableName, providerId, 'BL', iso(from - BLOCK_LOOKBACK_MS), to, returnCapacity),
        ]),
      ),
    );
  const t0 = performance.now();
  let staffMs = Number.NaN;
  let queriesMs = Number.NaN;
  let staff: Awaited<ReturnType<typeof getStaff>>;
  let perProvider: Awaited<ReturnType<typeof queries>>;
  if (options.order === 'sequential') {
    staff = await getStaff();
    const t1 = performance.now();
    perProvider = await queries();
    staffMs = t1 - t0;
    queriesMs = performance.now() - t1;
  } else {
    [staff, perProvider] = await Promise.all([getStaff(), queries()]);
  }
  return {
    staffFound: staff.Item !== undefined,
    bookings: perProvider.flatMap(([bookings]) => bookings.items),
    blocks: perProvider.flatMap(([, blocks]) => blocks.items),
    staffMs,
    queriesMs,
    capacity: {
      staffGet: capacityOf(staff.ConsumedCapacity),
      bookingQueries: perProvider.reduce((sum, [bookings]) => sum + bookings.capacity, 0),
      blockQueries: perProvider.reduce((sum, [, blocks]) => sum + blocks.capacity, 0),
    },
  };
}

interface CalendarBody {
  bookings: Array<{ id: string }>;
  blocks: Array<{ id: string }>;
}

export interface CalendarResult {
  week: CalendarWeek;
  providers: number;
  api: Summary;
  /** GetItem, then the Queries in parallel: the handler's order. */
  bare: Summary;
  /** The two parts of `bare`, from the same runs. */
  bareStaffGet: Summary;
  bareQueries: Summary;
  /** GetItem and Queries all at once. */
  bareOverlapped: Summary;
  /** The listStaffBookings handler in-process with the claims the gateway attaches: no HTTP hop, no JWT check. */
  handler: Summary;
  /** The gateway's token check alone (aws-jwt-verify, in-process). */
  jwt: Summary;
  ratio: number;
  handlerRatio: number;
  overlappedRatio: number;
  overheadP50: number;
  bookingsReturned: number;
  blocksReturned: number;
  bookingItemsRead: number;
  blockItemsRead: number;
  responseBytes: number;
  durationMs: number;
  capacity: BareCalendar['capacity'];
}

/**
 * Reception's week view (all providers) through the local API, with a token the gateway verifies,
 * vs the bare DynamoDB calls under it, interleaved. First checks that the bare calls really are
 * the endpoint's data: the bookings they find in the week must be the ones the endpoint returns.
 */
export async function measureCalendar(options: {
  api: Api;
  staff: StaffSession;
  doc: DynamoDBDocumentClient;
  tableName: string;
  config: TenantConfig;
  week: CalendarWeek;
  warmup: number;
  iterations: number;
  budgetMs: number;
}): Promise<CalendarResult> {
  const { doc, tableName, config, week, staff } = options;
  const url = `${options.api.baseUrl}${calendarPath(week)}`;
  const headers = { authorization: staff.authorization };
  const invoke = directHandler(options.api.deps, 'listStaffBookings');
  const query = { from: week.from, to: week.to };
  const request = { userId: staff.userId, providerIds: config.providers.map((p) => p.id), week };
  const from = Date.parse(week.from);
  const to = Date.parse(week.to);

  const first = await http('GET', url, { headers });
  if (first.status !== 200) throw new Error(`the week view answered ${first.status}: ${first.text.slice(0, 500)}`);
  const body = JSON.parse(first.text) as CalendarBody;
  const check = await bareCalendar(doc, tableName, request, { order: 'sequential', returnCapacity: true });
  if (!check.staffFound) throw new Error(`no staff record for ${staff.userId}: the endpoint would answer 401`);
  const inWeek = (item: Record<string, unknown>) => Date.parse(String(item.start)) < to && Date.parse(String(item.end)) > from;
  const expected = check.bookings.filter((b) => inWeek(b) && b.status !== 'cancelled').map((b) => String(b.id)).sort();
  const answered = body.bookings.map((b) => b.id).sort();
  if (expected.length !== answered.length || expected.some((id, i) => id !== answered[i])) {
    throw new Error(`the bare Queries do not explain the endpoint: ${expected.length} bookings in the week from them, ${answered.length} from the API`);
  }
  if (answered.length === 0) throw new Error(`the week of ${week.monday} has no bookings: nothing to measure`);

  const staffParts: number[] = [];
  const queryParts: number[] = [];
  const timedFrom = performance.now();
  const samples = await interleave(
    [
      {
        name: 'api',
        run: async () => {
          const result = await http('GET', url, { headers });
          if (result.status !== 200) throw new Error(`the week view answered ${result.status}`);
        },
      },
      {
        name: 'bare',
        run: async (i) => {
          const result = await bareCalendar(doc, tableName, request, { order: 'sequential' });
          if (i < options.warmup) return;
          staffParts.push(result.staffMs);
          queryParts.push(result.queriesMs);
        },
      },
      { name: 'bareOverlapped', run: async () => void (await bareCalendar(doc, tableName, request, { order: 'overlapped' })) },
      {
        name: 'handler',
        run: async () => {
          const result = await invoke({ params: { tenantId: TENANT_ID }, query, headers, authorizer: staff.authorizerContext });
          if (result.statusCode !== 200) throw new Error(`the listStaffBookings handler answered ${result.statusCode}: ${result.body}`);
        },
      },
      {
        name: 'jwt',
        run: async () => {
          const result = await options.api.identity.authorizer.authorize(staff.authorization);
          if (!result.ok) throw new Error(`the gateway refused the token: ${result.message}`);
        },
      },
    ],
    { warmup: options.warmup, iterations: options.iterations, budgetMs: options.budgetMs, minIterations: 50 },
  );
  const durationMs = performance.now() - timedFrom;
  const api = samples.get('api')!;
  const bare = samples.get('bare')!;
  const apiSummary = summarize(api);
  const bareSummary = summarize(bare);
  const handlerSummary = summarize(samples.get('handler')!);
  const overlappedSummary = summarize(samples.get('bareOverlapped')!);
  return {
    week,
    providers: request.providerIds.length,
    api: apiSummary,
    bare: bareSummary,
    bareStaffGet: summarize(staffParts),
    bareQueries: summarize(queryParts),
    bareOverlapped: overlappedSummary,
    handler: handlerSummary,
    jwt: summarize(samples.get('jwt')!),
    ratio: apiSummary.p50 / bareSummary.p50,
    handlerRatio: handlerSummary.p50 / bareSummary.p50,
    overlappedRatio: overlappedSummary.p50 / bareSummary.p50,
    overheadP50: summarize(pairedDiffs(api, bare)).p50,
    bookingsReturned: body.bookings.length,
    blocksReturned: body.blocks.length,
    bookingItemsRead: check.bookings.length,
    blockItemsRead: check.blocks.length,
    responseBytes: Buffer.byteLength(first.text),
    durationMs,
    capacity: check.capacity,
  };
}
