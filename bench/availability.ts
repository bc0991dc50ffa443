import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { daySk, providerPk, sheetStateFromItems } from '#functions/adapters/entities/day-sheet';
import { slotRules } from '#shared/domain/booking';
import { availabilityWindow, computeOpenSlots, mergeAvailability, sheetDateRange, type ProviderCalendar } from '#shared/domain/slots';
import type { TenantConfig } from '#shared/domain/schemas';
import {
  availabilityPath,
  customer,
  SERVICE_ID,
  slotsByProvider,
  TENANT_ID,
  ZONE,
  type AvailabilityBody,
  type DateRange,
} from './fixtures.ts';
import { directHandler } from './lambda.ts';
import { http, httpJson, queryPages, type Api } from './stack.ts';
import { interleave, pairedDiffs, summarize, type Summary } from './stats.ts';

/**
 * The day-sheet key range getAvailability reads for a provider, from the same shared functions
 * it uses: the clipped window's provider-local dates with one day of margin either side.
 */
export function sheetDates(config: TenantConfig, range: DateRange, now: number): { fromDate: string; toDate: string } {
  const service = config.services.find((s) => s.id === SERVICE_ID)!;
  const window = availabilityWindow(range.from, range.to, ZONE, now, service.horizonDays);
  return sheetDateRange(window.from, window.to, ZONE);
}

export interface SheetQueryResult {
  providerId: string;
  items: Record<string, unknown>[];
  capacity: number;
}

/** The per-provider day-sheet Queries the endpoint issues, in parallel, as bare document-client calls. */
export function bareSheetQueries(
  doc: DynamoDBDocumentClient,
  tableName: string,
  providerIds: readonly string[],
  dates: { fromDate: string; toDate: string },
  returnCapacity = false,
): Promise<SheetQueryResult[]> {
  return Promise.all(
    providerIds.map(async (providerId) => {
      const { items, capacity } = await queryPages(
        doc,
        {
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': providerPk(TENANT_ID, providerId), ':from': daySk(dates.fromDate), ':to': daySk(dates.toDate) },
        },
        returnCapacity,
      );
      return { providerId, items, capacity };
    }),
  );
}

/**
 * Books every second open slot of each provider in `range` through the API (POST, provider and
 * start taken from availability), one worker per provider so no two requests share a day sheet.
 */
export async function seedHalfBooked(baseUrl: string, range: DateRange): Promise<{ booked: number; open: number }> {
  const body = await httpJson<AvailabilityBody>('GET', `${baseUrl}${availabilityPath(range)}`, 200);
  const byProvider = slotsByProvider(body);
  let booked = 0;
  let n = 0;
  await Promise.all(
    [...byProvider].map(async ([providerId, starts]) => {
      for (let i = 0; i < starts.length; i += 2) {
        const result = await http('POST', `${baseUrl}/v1/tenants/${TENANT_ID}/bookings`, {
          body: { serviceId: SERVICE_ID, providerId, start: starts[i], customer: customer((n += 1)) },
        });
        if (result.status !== 201) throw new Error(`seeding ${providerId} ${starts[i]} answered ${result.status}: ${result.text}`);
        booked += 1;
      }
    }),
  );
  const open = [...byProvider.values()].reduce((sum, list) => sum + list.length, 0);
  return { booked, open };
}

export interface AvailabilityResult {
  api: Summary;
  /** The Lambda handler called in-process: the API minus the local HTTP hop. */
  handler: Summary;
  bare: Summary;
  ratio: number;
  handlerRatio: number;
  overheadP50: number;
  sheetsPerProvider: number;
  /** How long the timed rounds took: the API re-read the tenant config about once per cache TTL of it. */
  durationMs: number;
  slotsReturned: number;
  responseBytes: number;
  dates: { fromDate: string; toDate: string };
}

/**
 * GET availability for a month through the local API vs the bare Queries under it, interleaved.
 * First checks that the bare Queries really are the endpoint's data: the slots computed from
 * them must equal the endpoint's answer.
 */
export async function measureAvailability(options: {
  api: Api;
  doc: DynamoDBDocumentClient;
  tableName: string;
  config: TenantConfig;
  range: DateRange;
  warmup: number;
  iterations: number;
  budgetMs: number;
}): Promise<AvailabilityResult> {
  const { doc, tableName, config, range } = options;
  const url = `${options.api.baseUrl}${availabilityPath(range)}`;
  const invoke = directHandler(options.api.deps, 'getAvailability');
  const query = { serviceId: SERVICE_ID, from: range.from, to: range.to };
  const providerIds = config.providers.map((p) => p.id);
  const now = Date.now();
  const dates = sheetDates(config, range, now);

  const first = await http('GET', url);
  if (first.status !== 200) throw new Error(`availability answered ${first.status}: ${first.text}`);
  const apiBody = JSON.parse(first.text) as AvailabilityBody;
  const sheets = await bareSheetQueries(doc, tableName, providerIds, dates);
  const service = config.services.find((s) => s.id === SERVICE_ID)!;
  const from = DateTime.fromISO(range.from, { zone: ZONE }).startOf('day').toMillis();
  const to = DateTime.fromISO(range.to, { zone: ZONE }).plus({ days: 1 }).startOf('day').toMillis();
  const recomputed = mergeAvailability(
    sheets.map(({ providerId, items }) => {
      const provider = config.providers.find((p) => p.id === providerId)!;
      const { taken } = sheetStateFromItems(items);
      const calendar: ProviderCalendar = { providerId, timeZone: ZONE, weeklyHours: provider.weeklyHours, exceptions: provider.exceptions, taken };
      return { providerId, slots: computeOpenSlots(calendar, slotRules(service), { from: Math.max(from, now), to, now }) };
    }),
  );
  if (recomputed.length !== apiBody.slots.length) {
    throw new Error(`the bare Queries do not explain the endpoint: ${recomputed.length} slots from them, ${apiBody.slots.length} from the API`);
  }

  const timedFrom = performance.now();
  const samples = await interleave(
    [
      {
        name: 'api',
        run: async () => {
          const result = await http('GET', url);
          if (result.status !== 200) throw new Error(`availability answered ${result.status}`);
        },
      },
      { name: 'bare', run: async () => void (await bareSheetQueries(doc, tableName, providerIds, dates)) },
      {
        name: 'handler',
        run: async () => {
          const result = await invoke({ params: { tenantId: TENANT_ID }, query });
          if (result.statusCode !== 200) throw new Error(`availability handler answered ${result.statusCode}`);
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
  return {
    api: apiSummary,
    handler: handlerSummary,
    bare: bareSummary,
    ratio: apiSummary.p50 / bareSummary.p50,
    handlerRatio: handlerSummary.p50 / bareSummary.p50,
    overheadP50: summarize(pairedDiffs(api, bare)).p50,
    sheetsPerProvider: sheets[0]?.items.length ?? 0,
    durationMs,
    slotsReturned: apiBody.slots.length,
    responseBytes: Buffer.byteLength(first.text),
    dates,
  };
}
