import { DateTime } from 'luxon';
import type { TenantConfig, TenantFileInput } from '#shared/domain/schemas';
import { parseTenantFile } from '#shared/domain/tenant-file';

export const TENANT_ID = 'bench';
export const SERVICE_ID = 'visit30';
export const ZONE = 'Europe/Berlin';
export const PROVIDER_COUNT = 5;
/** A month of availability: 30 local dates, inclusive. */
export const MONTH_DAYS = 30;

const nineToFive = [['09:00', '17:00']] as Array<[string, string]>;

export const providerIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `p${i + 1}`);

/** One 30-minute service, `providers` providers on weekdays 09:00-17:00 in Berlin. */
export function benchTenantFile(providers = PROVIDER_COUNT): TenantFileInput {
  const ids = providerIds(providers);
  return {
    id: TENANT_ID,
    name: 'Benchmark Praxis',
    timeZone: ZONE,
    locale: 'de',
    policy: { selfServiceCutoffMinutes: 60 },
    services: [{ id: SERVICE_ID, name: 'Termin (30 min)', durationMinutes: 30, minNoticeMinutes: 0, horizonDays: 120, providerIds: ids }],
    providers: ids.map((id, i) => ({
      id,
      name: `Provider ${i + 1}`,
      email: `${id}@bench.example`,
      weeklyHours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] },
    })),
  };
}

export function benchTenant(providers = PROVIDER_COUNT): TenantConfig {
  const parsed = parseTenantFile(benchTenantFile(providers));
  if (!parsed.ok) throw new Error(`bench tenant is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

/** A local date range [from, to] (inclusive, yyyy-mm-dd) in the tenant's zone. */
export interface DateRange {
  from: string;
  to: string;
}

/** `days` local dates starting `offsetDays` after today (Berlin). */
export function rangeFromToday(now: number, offsetDays: number, days: number): DateRange {
  const start = DateTime.fromMillis(now, { zone: ZONE }).startOf('day').plus({ days: offsetDays });
  return { from: start.toISODate() as string, to: start.plus({ days: days - 1 }).toISODate() as string };
}

export const customer = (n: number) => ({ name: `Kunde ${n}`, email: `kunde${n}@bench.example`, phone: '+49 30 1234567' });

/** The availability response body. */
export interface AvailabilityBody {
  slots: Array<{ start: string; end: string; providerIds: string[] }>;
}

/** Open slots of each provider, sorted by start, from a merged availability response. */
export function slotsByProvider(body: AvailabilityBody): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const slot of body.slots) {
    for (const providerId of slot.providerIds) {
      const list = out.get(providerId) ?? [];
      list.push(slot.start);
      out.set(providerId, list);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

export const availabilityPath = (range: DateRange) =>
  `/v1/tenants/${TENANT_ID}/availability?serviceId=${SERVICE_ID}&from=${range.from}&to=${range.to}`;
