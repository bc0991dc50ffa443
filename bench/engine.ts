import { DateTime } from 'luxon';
import { slotRules } from '#shared/domain/booking';
import { computeOpenSlots, mergeAvailability, unitsCovering, workingRanges, type ProviderCalendar } from '#shared/domain/slots';
import { benchTenant, MONTH_DAYS, rangeFromToday, SERVICE_ID, ZONE } from './fixtures.ts';
import { summarize, type Summary } from './stats.ts';

export interface EngineResult {
  engine: Summary;
  withMerge: Summary;
  providers: number;
  days: number;
  takenUnits: number;
  workingUnits: number;
  openSlots: number;
}

/**
 * The slot engine alone: computeOpenSlots for a month for each of `providers` providers whose
 * working time (weekdays 09:00-17:00, Berlin) is half taken (every second 30-minute slot), as
 * getAvailability calls it; and the same plus mergeAvailability. One sample = all providers.
 */
export function measureEngine(options: { providers: number; warmup: number; iterations: number }): EngineResult {
  const config = benchTenant(options.providers);
  const service = config.services.find((s) => s.id === SERVICE_ID)!;
  const rules = slotRules(service);
  const now = Date.now();
  const range = rangeFromToday(now, 1, MONTH_DAYS);
  const from = DateTime.fromISO(range.from, { zone: ZONE }).toMillis();
  const to = DateTime.fromISO(range.to, { zone: ZONE }).plus({ days: 1 }).toMillis();
  let takenUnits = 0;
  let workingUnits = 0;
  const calendars: ProviderCalendar[] = config.providers.map((provider) => {
    const calendar: ProviderCalendar = { providerId: provider.id, timeZone: ZONE, weeklyHours: provider.weeklyHours, exceptions: provider.exceptions, taken: new Map() };
    const taken = new Map<number, string>();
    for (let day = DateTime.fromMillis(from, { zone: ZONE }); day.toMillis() < to; day = day.plus({ days: 1 })) {
      for (const [rangeStart, rangeEnd] of workingRanges(calendar, day.toISODate() as string)) {
        workingUnits += (rangeEnd - rangeStart) / 300_000;
        for (let start = rangeStart, k = 0; start + 30 * 60_000 <= rangeEnd; start += 30 * 60_000, k += 1) {
          if (k % 2 !== 0) continue;
          for (const unit of unitsCovering(start, start + 30 * 60_000)) taken.set(unit, `bk_${provider.id}_${start}`);
        }
      }
    }
    takenUnits += taken.size;
    return { ...calendar, taken };
  });
  const window = { from, to, now };
  const engineOnly = () => calendars.map((calendar) => ({ providerId: calendar.providerId, slots: computeOpenSlots(calendar, rules, window) }));

  let openSlots = 0;
  for (let i = 0; i < options.warmup; i += 1) openSlots = engineOnly().reduce((sum, p) => sum + p.slots.length, 0);
  const engine: number[] = [];
  const withMerge: number[] = [];
  // Alternate the two variants, as everywhere else, so both see the same machine.
  for (let i = 0; i < options.iterations; i += 1) {
    let t0 = performance.now();
    engineOnly();
    engine.push(performance.now() - t0);
    t0 = performance.now();
    mergeAvailability(engineOnly());
    withMerge.push(performance.now() - t0);
  }
  return {
    engine: summarize(engine),
    withMerge: summarize(withMerge),
    providers: options.providers,
    days: MONTH_DAYS,
    takenUnits,
    workingUnits,
    openSlots,
  };
}
