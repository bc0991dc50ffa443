import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { daySk, providerPk } from '#functions/adapters/entities/day-sheet';
import { tenantPk } from '#functions/adapters/entities/tenant';
import { localDateOf } from '#shared/domain/slots';
import type { TenantConfig } from '#shared/domain/schemas';
import { bareSheetQueries, sheetDates } from './availability.ts';
import { bareBookingTransaction, mirrorProvider, type Slot } from './booking.ts';
import { availabilityPath, customer, SERVICE_ID, slotsByProvider, TENANT_ID, ZONE, type AvailabilityBody, type DateRange } from './fixtures.ts';
import { http, httpJson, startApi } from './stack.ts';

const sumCapacity = (c: ConsumedCapacity | ConsumedCapacity[] | undefined): number =>
  (Array.isArray(c) ? c : c ? [c] : []).reduce((sum, x) => sum + (x.CapacityUnits ?? 0), 0);

/** "table 6 + GSI1 4" from a ReturnConsumedCapacity: INDEXES answer. */
function capacitySplit(c: ConsumedCapacity | ConsumedCapacity[] | undefined): string {
  const parts: string[] = [];
  for (const x of Array.isArray(c) ? c : c ? [c] : []) {
    if (x.Table?.CapacityUnits !== undefined) parts.push(`table ${x.Table.CapacityUnits}`);
    for (const [name, index] of Object.entries(x.GlobalSecondaryIndexes ?? {})) parts.push(`${name} ${index.CapacityUnits ?? 0}`);
    for (const [name, index] of Object.entries(x.LocalSecondaryIndexes ?? {})) parts.push(`${name} ${index.CapacityUnits ?? 0}`);
  }
  return parts.join(' + ');
}

/** DynamoDB's item size rule, near enough: attribute name bytes + value bytes (numbers ~ digits/2 + 1). */
export function itemBytes(item: Record<string, unknown>): number {
  const valueBytes = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value);
    if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
    if (typeof value === 'boolean' || value === null) return 1;
    if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + valueBytes(v), 0);
    if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueBytes(v), 0);
    return 0;
  };
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

export interface CallCapacity {
  command: string;
  capacity: number;
}

export interface CapacityResult {
  /** Bare calls, as the brief asks. */
  bare: {
    sheetQueries: Array<{ providerId: string; items: number; capacity: number }>;
    sheetQueriesTotal: number;
    sheetItemBytes: number;
    tenantQuery: number;
    tenantItems: number;
    transaction: number;
    /** How the transaction's units split between the table and its indexes. */
    transactionSplit: string;
    bookingItemBytes: number;
    halfFullSheetBytes: number;
  };
  /** The same requests through the API, every DynamoDB call it made with ReturnConsumedCapacity forced on. */
  api: {
    availabilityColdConfig: CallCapacity[];
    availabilityWarm: CallCapacity[];
    bookingNoKey: CallCapacity[];
    bookingWithKey: CallCapacity[];
  };
}

/** Makes every call of this client ask for and record its consumed capacity. */
export function recordCapacity(client: DynamoDBClient): { take(): CallCapacity[] } {
  let calls: CallCapacity[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
      calls.push({ command: context.commandName ?? 'unknown', capacity: sumCapacity(output.ConsumedCapacity) });
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  return {
    take: () => {
      const out = calls;
      calls = [];
      return out;
    },
  };
}

/**
 * Consumed capacity of one month's availability and of one booking, on the half-booked month:
 * measured on the bare calls (ReturnConsumedCapacity: TOTAL) and, as a cross-check that also
 * covers the config read and the idempotency record, on every call the API itself makes.
 */
export async function measureCapacity(options: {
  baseUrl: string;
  doc: DynamoDBDocumentClient;
  tableName: string;
  config: TenantConfig;
  range: DateRange;
  newClients: () => { client: DynamoDBClient; doc: DynamoDBDocumentClient };
}): Promise<CapacityResult> {
  const { doc, tableName, config, range } = options;
  const providerIds = config.providers.map((p) => p.id);

  const sheets = await bareSheetQueries(doc, tableName, providerIds, sheetDates(config, range, Date.now()), true);
  const tenant = await doc.send(
    new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': tenantPk(TENANT_ID) }, ReturnConsumedCapacity: 'TOTAL' }),
  );
  const sheetSizes = sheets.flatMap((s) => s.items.map(itemBytes));

  // Two free slots in the half-booked month, on different providers.
  const open = slotsByProvider(await httpJson<AvailabilityBody>('GET', `${options.baseUrl}${availabilityPath(range)}`, 200));
  const pick = (providerId: string): Slot => {
    const start = open.get(providerId)?.[0];
    if (!start) throw new Error(`no free slot left for ${providerId}`);
    return { providerId, start };
  };
  const [slotA, slotB] = [pick(providerIds[0]!), pick(providerIds[1]!)];

  // The bare transaction books slot A on a copy of A's half-full day sheet, before the API books A itself.
  const sheetKey = { PK: providerPk(TENANT_ID, slotA.providerId), SK: daySk(localDateOf(Date.parse(slotA.start), ZONE)) };
  const sheet = (await doc.send(new GetCommand({ TableName: tableName, Key: sheetKey }))).Item;
  if (!sheet) throw new Error(`no day sheet ${sheetKey.PK} ${sheetKey.SK}`);
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...sheet, PK: providerPk(TENANT_ID, mirrorProvider(slotA.providerId, 'cu')) } }));
  const transaction = bareBookingTransaction(tableName, slotA, 0, { mirrorTag: 'cu', returnCapacity: true });
  const put = transaction.input.TransactItems?.[0]?.Put?.Item ?? {};
  const txResult = await doc.send(transaction);

  // The API path, on its own clients and a cold config cache, every call recorded.
  const clients = options.newClients();
  const recorder = recordCapacity(clients.client);
  const api = await startApi(clients.client, clients.doc, tableName);
  try {
    const get = async () => {
      const result = await http('GET', `${api.baseUrl}${availabilityPath(range)}`);
      if (result.status !== 200) throw new Error(`availability answered ${result.status}`);
      return recorder.take();
    };
    const book = async (slot: Slot, key?: string) => {
      const result = await http('POST', `${api.baseUrl}/v1/tenants/${TENANT_ID}/bookings`, {
        body: { serviceId: SERVICE_ID, providerId: slot.providerId, start: slot.start, customer: customer(0) },
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
      if (result.status !== 201) throw new Error(`booking answered ${result.status}: ${result.text}`);
      return recorder.take();
    };
    const availabilityColdConfig = await get();
    const availabilityWarm = await get();
    const bookingNoKey = await book(slotA);
    const bookingWithKey = await book(slotB, `bench-cu-${Date.now().toString(36)}`);
    return {
      bare: {
        sheetQueries: sheets.map((s) => ({ providerId: s.providerId, items: s.items.length, capacity: s.capacity })),
        sheetQueriesTotal: sheets.reduce((sum, s) => sum + s.capacity, 0),
        sheetItemBytes: Math.max(0, ...sheetSizes),
        tenantQuery: sumCapacity(tenant.ConsumedCapacity),
        tenantItems: tenant.Items?.length ?? 0,
        transaction: sumCapacity(txResult.ConsumedCapacity),
        transactionSplit: capacitySplit(txResult.ConsumedCapacity),
        bookingItemBytes: itemBytes(put),
        halfFullSheetBytes: itemBytes(sheet),
      },
      api: { availabilityColdConfig, availabilityWarm, bookingNoKey, bookingWithKey },
    };
  } finally {
    await api.close();
  }
}
