import { personaThresholdsOf } from '#shared/domain/schemas';
import { DateTime } from 'luxon';
import type * as z from 'zod';
import type { insightsQuerySchema } from '#shared/api/staff-routes';
import { computeInsights, insightWindow, lateCancelMinutes } from '#shared/customers/insights';
import { DomainError } from '#shared/domain/errors';
import { isoInstant } from '#shared/domain/instant';
import { resolveMailLocale } from '#shared/mail/locale';
import { CustomerStore } from '#functions/adapters/customer-store';
import type { AppDeps } from './deps.ts';

/**
 * The tenant's insights for a range of months (shared/customers/insights.ts computes them). The
 * read is bounded by the range, not by the tenant's age: the month partitions of the event index
 * from a year before `from` to 30 days after `to` (decision 60).
 */
export async function tenantInsights(deps: AppDeps, tenantId: string, query: z.output<typeof insightsQuerySchema>) {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const zone = config.tenant.timeZone;
  // A month that has not begun has nothing to say, and "lapsing at its end" would be a forecast.
  const thisMonth = DateTime.fromMillis(now, { zone }).toFormat('yyyy-MM');
  if (query.to > thisMonth) {
    throw new DomainError('invalid_request', `query.to: ${query.to} has not begun yet in ${zone}`, { field: 'query.to' });
  }
  const window = insightWindow(query.from, query.to, zone, now);
  const customers = new CustomerStore(deps.store.db, deps.store.tableName);
  const events = await customers.listTenantEvents(tenantId, window.utcMonths, window.readFrom, window.readTo);
  const lateMinutes = lateCancelMinutes(config.tenant.policy);
  const months = computeInsights(events, {
    months: window.months,
    zone,
    now,
    lateCancelMinutes: lateMinutes,
    locale: resolveMailLocale(undefined, config.tenant.locale),
    thresholds: personaThresholdsOf(config.tenant),
  });
  return { tenantId, timeZone: zone, generatedAt: isoInstant(now), lateCancelMinutes: lateMinutes, months };
}
