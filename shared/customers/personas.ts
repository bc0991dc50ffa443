import type { PersonaThresholds } from './persona-thresholds.ts';
import { type CustomerLocale, customerCatalogues, type CustomerMessageValues, formatCustomerMessage, formatMoney } from './messages/index.ts';
import type { Traits } from './traits.ts';

/**
 * Badges: a handful of words a receptionist can read at a glance, each with the sentence and the
 * numbers that earned it. Rules only read traits and the tenant's thresholds, so a badge is as
 * recomputable as the traits are, and "why does it say lapsing?" always has an answer on screen.
 */

export type BadgeCode = 'new' | 'regular' | 'lapsing' | 'lost' | 'no_show_risk' | 'after_hours' | 'planner' | 'last_minute' | 'top_spender';

/** The order badges are returned in: who they are, whether they are slipping away, then habits. */
export const badgeCodes: readonly BadgeCode[] = ['new', 'regular', 'lapsing', 'lost', 'no_show_risk', 'after_hours', 'planner', 'last_minute', 'top_spender'];

export { DEFAULT_PERSONA_THRESHOLDS, personaThresholdsSchema, type PersonaThresholds, type PersonaThresholdsInput } from './persona-thresholds.ts';

export interface Badge {
  code: BadgeCode;
  label: string;
  reason: string;
}

export interface Cadence {
  /** Days expected between visits. */
  days: number;
  /** `own`: the customer's mean interval; `fallback`: too few visits, the tenant's default. */
  basis: 'own' | 'fallback';
}

export function cadenceOf(traits: Traits, thresholds: PersonaThresholds): Cadence {
  return traits.avgIntervalDays !== undefined && traits.visits >= thresholds.cadenceMinVisits
    ? { days: traits.avgIntervalDays, basis: 'own' }
    : { days: thresholds.fallbackCadenceDays, basis: 'fallback' };
}

/**
 * Where the customer stands against their own rhythm. Someone with a booking ahead is not slipping
 * away, whatever the gap: they have already come back.
 */
export function recency(traits: Traits, thresholds: PersonaThresholds): 'lost' | 'lapsing' | 'active' | undefined {
  if (traits.daysSinceLastVisit === undefined) return undefined;
  if (traits.upcomingBookings > 0) return 'active';
  const { days } = cadenceOf(traits, thresholds);
  if (traits.daysSinceLastVisit > days * thresholds.lostFactor) return 'lost';
  if (traits.daysSinceLastVisit > days * thresholds.lapsingFactor) return 'lapsing';
  return 'active';
}

/** The values a badge's reason is written with, or undefined when the badge does not apply. */
function badgeValues(code: BadgeCode, traits: Traits, t: PersonaThresholds, locale: CustomerLocale): CustomerMessageValues | undefined {
  const standing = recency(traits, t);
  const cadence = cadenceOf(traits, t);
  switch (code) {
    case 'new':
      // Every booking is the one visit or still ahead: no cancellation, no no-show, nothing older.
      return traits.bookings >= 1 && traits.visits <= 1 && traits.bookings === traits.visits + traits.upcomingBookings && standing !== 'lapsing' && standing !== 'lost'
        ? { visits: traits.visits }
        : undefined;
    case 'regular':
      return traits.visits >= t.regularMinVisits && traits.avgIntervalDays !== undefined && standing === 'active'
        ? { visits: traits.visits, interval: Math.round(traits.avgIntervalDays) }
        : undefined;
    case 'lapsing':
    case 'lost':
      return standing === code && traits.daysSinceLastVisit !== undefined
        ? { days: traits.daysSinceLastVisit, cadence: Math.round(cadence.days), basis: cadence.basis }
        : undefined;
    case 'no_show_risk': {
      const rate = traits.noShowRate;
      const enough = traits.decidedBookings >= t.noShowMinBookings;
      const recent = traits.daysSinceLastNoShow !== undefined && traits.daysSinceLastNoShow <= t.noShowRecentDays;
      return rate !== undefined && rate >= t.noShowRiskRate && traits.noShows > 0 && (enough || recent)
        ? { noShows: traits.noShows, decided: traits.decidedBookings, rate }
        : undefined;
    }
    case 'after_hours':
      return traits.afterHoursShare !== undefined && traits.afterHoursKnown >= t.afterHoursMinBookings && traits.afterHoursShare >= t.afterHoursMinShare
        ? { afterHours: traits.afterHoursBookings, total: traits.afterHoursKnown }
        : undefined;
    case 'planner':
      return traits.avgLeadTimeHours !== undefined && traits.leadTimeSamples >= t.leadTimeMinBookings && traits.avgLeadTimeHours >= t.plannerMinLeadHours
        ? { leadDays: Math.round(traits.avgLeadTimeHours / 24) }
        : undefined;
    case 'last_minute':
      return traits.avgLeadTimeHours !== undefined && traits.leadTimeSamples >= t.leadTimeMinBookings && traits.avgLeadTimeHours <= t.lastMinuteMaxLeadHours
        ? { leadHours: Math.round(Math.max(0, traits.avgLeadTimeHours)) }
        : undefined;
    case 'top_spender': {
      // With several currencies, the one furthest past its threshold explains the badge.
      const best = Object.entries(traits.spend ?? {})
        .flatMap(([currency, amount]) => {
          const threshold = t.topSpender[currency];
          return threshold !== undefined && amount >= threshold ? [{ currency, amount, ratio: amount / threshold }] : [];
        })
        .sort((a, b) => b.ratio - a.ratio || (a.currency < b.currency ? -1 : 1))[0];
      return best ? { amount: formatMoney(locale, best.amount, best.currency), visits: traits.visits } : undefined;
    }
  }
}

export function assignBadges(traits: Traits, thresholds: PersonaThresholds, locale: CustomerLocale): Badge[] {
  const catalogue = customerCatalogues[locale];
  if (!catalogue) throw new RangeError(`no customer catalogue for locale "${locale}"`);
  return badgeCodes.flatMap((code) => {
    const values = badgeValues(code, traits, thresholds, locale);
    if (!values) return [];
    const messages = catalogue.badge[code];
    return [{ code, label: formatCustomerMessage(locale, messages.label, values), reason: formatCustomerMessage(locale, messages.reason, values) }];
  });
}
