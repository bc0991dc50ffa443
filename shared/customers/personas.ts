import * as z from 'zod';
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

export interface Badge {
  code: BadgeCode;
  label: string;
  reason: string;
}

const positive = z.number().positive();
const count = z.number().int().min(1);
const share = z.number().min(0).max(1);

/** Part of the tenant config; every field has a default, so `{}` is a valid config. */
export const personaThresholdsSchema = z
  .strictObject({
    /** Visits before someone counts as a regular (two at least: a rhythm needs an interval). */
    regularMinVisits: z.number().int().min(2).default(3),
    /** Visits before the customer's own mean interval is trusted as their cadence. */
    cadenceMinVisits: z.number().int().min(2).default(3),
    /** The cadence assumed below `cadenceMinVisits`, in days. */
    fallbackCadenceDays: positive.default(42),
    /** Lapsing once days since the last visit exceed cadence × this… */
    lapsingFactor: positive.default(1.5),
    /** …and lost once they exceed cadence × this. */
    lostFactor: positive.default(3),
    /** After hours when at least this share of bookings (with a known flag) were made outside opening hours… */
    afterHoursMinShare: share.default(0.5),
    /** …out of at least this many. */
    afterHoursMinBookings: count.default(3),
    /** A planner books at least this far ahead on average… */
    plannerMinLeadHours: positive.default(14 * 24),
    /** …a last-minute customer at most this far. */
    lastMinuteMaxLeadHours: positive.default(24),
    /** Bookings with a known lead time before either is said. */
    leadTimeMinBookings: count.default(2),
    /** No-show risk when the smoothed no-show rate is at least this… */
    noShowRiskRate: share.default(0.2),
    /** …and there are this many appointments with a known outcome… */
    noShowMinBookings: count.default(3),
    /** …or the last no-show was at most this many days ago. */
    noShowRecentDays: positive.default(90),
    /** Top spender from this much spent, per currency (ISO 4217 code → amount). */
    topSpender: z.record(z.string().regex(/^[A-Z]{3}$/), positive).default({ EUR: 500 }),
  })
  .refine((t) => t.lostFactor > t.lapsingFactor, { message: 'lostFactor must be greater than lapsingFactor', path: ['lostFactor'] })
  .refine((t) => t.lastMinuteMaxLeadHours < t.plannerMinLeadHours, {
    message: 'lastMinuteMaxLeadHours must be less than plannerMinLeadHours',
    path: ['lastMinuteMaxLeadHours'],
  });

export type PersonaThresholds = z.output<typeof personaThresholdsSchema>;
export type PersonaThresholdsInput = z.input<typeof personaThresholdsSchema>;

export const DEFAULT_PERSONA_THRESHOLDS: PersonaThresholds = Object.freeze(personaThresholdsSchema.parse({}));

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
