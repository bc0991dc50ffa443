import { describe, expect, it } from 'vitest';
import { customerCatalogues, customerLocales } from '#shared/customers/messages/index';
import { assignBadges, type BadgeCode, badgeCodes, DEFAULT_PERSONA_THRESHOLDS, type PersonaThresholds, personaThresholdsSchema } from '#shared/customers/personas';
import { computeTraits, type Traits } from '#shared/customers/traits';
import type { CustomerEvent } from '#shared/customers/types';

/**
 * Badge rules at and around each threshold (defaults unless a test says otherwise), the
 * thresholds' schema, and the badges' words in German, English and Spanish.
 */

const T = DEFAULT_PERSONA_THRESHOLDS;

/** A customer with no history; each test adds what its rule reads. */
function traits(overrides: Partial<Traits> = {}): Traits {
  return {
    visits: 0,
    bookings: 0,
    upcomingBookings: 0,
    cancellations: 0,
    lateCancellations: 0,
    noShows: 0,
    decidedBookings: 0,
    noShowRate: undefined,
    daysSinceLastNoShow: undefined,
    avgLeadTimeHours: undefined,
    leadTimeSamples: 0,
    afterHoursShare: undefined,
    afterHoursBookings: 0,
    afterHoursKnown: 0,
    usualProviderId: undefined,
    usualWeekday: undefined,
    usualTimeOfDay: undefined,
    avgIntervalDays: undefined,
    daysSinceLastVisit: undefined,
    lastVisitAt: undefined,
    nextBookingAt: undefined,
    spend: undefined,
    ...overrides,
  };
}

/** A customer with `visits` attended visits every `interval` days, the last `since` days ago. */
const regularCustomer = (visits: number, interval: number, since: number, extra: Partial<Traits> = {}): Traits =>
  traits({ visits, bookings: visits, decidedBookings: visits, noShowRate: 1 / (visits + 10), avgIntervalDays: visits >= 2 ? interval : undefined, daysSinceLastVisit: since, ...extra });

const codes = (input: Traits, thresholds: PersonaThresholds = T): BadgeCode[] => assignBadges(input, thresholds, 'en').map((badge) => badge.code);
const badge = (input: Traits, code: BadgeCode, locale: 'de' | 'en' | 'es' = 'en', thresholds: PersonaThresholds = T) =>
  assignBadges(input, thresholds, locale).find((found) => found.code === code);

describe('the persona thresholds', () => {
  it('default every field, so an empty tenant config is valid', () => {
    expect(personaThresholdsSchema.parse({})).toEqual(T);
    expect(T).toMatchObject({ cadenceMinVisits: 3, fallbackCadenceDays: 42, lapsingFactor: 1.5, lostFactor: 3, noShowRiskRate: 0.2, topSpender: { EUR: 500 } });
  });

  it('reject a lost factor not above the lapsing factor, unknown keys and bad currency codes', () => {
    expect(personaThresholdsSchema.safeParse({ lapsingFactor: 2, lostFactor: 2 }).success).toBe(false);
    expect(personaThresholdsSchema.safeParse({ lastMinuteMaxLeadHours: 400 }).success).toBe(false);
    expect(personaThresholdsSchema.safeParse({ lapsingFactr: 2 }).success).toBe(false);
    expect(personaThresholdsSchema.safeParse({ topSpender: { euro: 100 } }).success).toBe(false);
    expect(personaThresholdsSchema.safeParse({ regularMinVisits: 1 }).success).toBe(false);
  });
});

describe('the new badge', () => {
  it('goes to a first visit with nothing before it, and to a first booking not yet visited', () => {
    expect(codes(traits({ visits: 1, bookings: 1, decidedBookings: 1, daysSinceLastVisit: 3 }))).toContain('new');
    expect(codes(traits({ bookings: 1, upcomingBookings: 1 }))).toContain('new');
    expect(codes(traits({ visits: 1, bookings: 2, upcomingBookings: 1, daysSinceLastVisit: 3 }))).toContain('new');
  });

  it('does not go to a second visit, to older cancellations or no-shows, or to nobody', () => {
    expect(codes(regularCustomer(2, 20, 3))).not.toContain('new');
    expect(codes(traits({ visits: 1, bookings: 2, cancellations: 1, daysSinceLastVisit: 3 }))).not.toContain('new');
    expect(codes(traits({ bookings: 2, noShows: 1, upcomingBookings: 1 }))).not.toContain('new');
    expect(codes(traits())).toEqual([]);
  });

  it('gives way to lapsing when the one visit is long ago', () => {
    // One visit: the fallback cadence of 42 days applies; 42 × 1.5 = 63.
    expect(codes(traits({ visits: 1, bookings: 1, daysSinceLastVisit: 64 }))).toEqual(['lapsing']);
  });
});

describe('regular, lapsing and lost against the customer’s own cadence', () => {
  // Three visits every 20 days: lapsing after 20 × 1.5 = 30 days, lost after 20 × 3 = 60.
  it.each([
    [10, ['regular']],
    [30, ['regular']],
    [31, ['lapsing']],
    [60, ['lapsing']],
    [61, ['lost']],
  ])('after %i days says %j', (since, expected) => {
    expect(codes(regularCustomer(3, 20, since)).filter((code) => ['regular', 'lapsing', 'lost'].includes(code))).toEqual(expected);
  });

  it('uses the fallback cadence below the minimum visits, and says so', () => {
    // Two visits 10 days apart: too few for their own cadence; 42 × 1.5 = 63, 42 × 3 = 126.
    expect(codes(regularCustomer(2, 10, 63))).toEqual([]);
    expect(codes(regularCustomer(2, 10, 64))).toEqual(['lapsing']);
    expect(codes(regularCustomer(2, 10, 127))).toEqual(['lost']);
    expect(badge(regularCustomer(2, 10, 64), 'lapsing')?.reason).toBe(
      'Last visit 64 days ago; too few visits for a rhythm of their own, and we expect one every 42 days.',
    );
  });

  it('needs the minimum visits for regular', () => {
    expect(codes(regularCustomer(2, 20, 5))).not.toContain('regular');
    expect(codes(regularCustomer(2, 20, 5), personaThresholdsSchema.parse({ regularMinVisits: 2 }))).toContain('regular');
  });

  it('does not call someone with an appointment ahead lapsing or lost', () => {
    expect(codes(regularCustomer(5, 20, 200, { upcomingBookings: 1, nextBookingAt: '2026-06-10T08:00:00.000Z' }))).toEqual(['regular']);
  });

  it('follows tenant factors', () => {
    const strict = personaThresholdsSchema.parse({ lapsingFactor: 1.1, lostFactor: 2 });

    expect(codes(regularCustomer(3, 20, 23), strict)).toEqual(['lapsing']);
    expect(codes(regularCustomer(3, 20, 41), strict)).toEqual(['lost']);
  });
});

describe('the after-hours badge', () => {
  it.each([
    [2, 2, false, 'too few bookings'],
    [2, 4, true, 'exactly half'],
    [1, 3, false, 'a third'],
    [7, 9, true, 'most'],
  ])('with %i of %i bookings after hours is %s (%s)', (afterHours, known, expected) => {
    const input = traits({ afterHoursBookings: afterHours, afterHoursKnown: known, afterHoursShare: afterHours / known });

    expect(codes(input).includes('after_hours')).toBe(expected);
  });
});

describe('planner and last minute', () => {
  it.each([
    [336, 2, ['planner']],
    [335.9, 2, []],
    [400, 1, []],
    [24, 2, ['last_minute']],
    [24.1, 2, []],
  ])('an average lead of %f h over %i bookings gives %j', (hours, samples, expected) => {
    expect(codes(traits({ avgLeadTimeHours: hours, leadTimeSamples: samples }))).toEqual(expected);
  });
});

describe('the no-show risk badge', () => {
  const risky = (rate: number, decided: number, daysSinceLastNoShow: number) => traits({ noShows: 1, decidedBookings: decided, noShowRate: rate, daysSinceLastNoShow });

  it.each([
    [0.2, 3, 400, true, 'at the rate, with enough appointments'],
    [0.1999, 3, 400, false, 'just below the rate'],
    [0.25, 2, 90, true, 'few appointments, but a no-show 90 days ago'],
    [0.25, 2, 91, false, 'few appointments and the no-show 91 days ago'],
  ])('at %f over %i appointments, last no-show %i days ago: %s (%s)', (rate, decided, days, expected) => {
    expect(codes(risky(rate, decided, days)).includes('no_show_risk')).toBe(expected);
  });

  it('is not given for one no-show out of one appointment, thanks to the smoothing, but is for two out of two', () => {
    const NOW = Date.parse('2026-06-01T12:00:00Z');
    const missed = (id: string, start: string): CustomerEvent[] => [
      { id: `${id}.b`, tenantId: 'acme', customerId: 'c', type: 'booked', at: start, bookingId: id, bookingVersion: 1, start },
      { id: `${id}.n`, tenantId: 'acme', customerId: 'c', type: 'no_show', at: start, bookingId: id, bookingVersion: 2, start },
    ];

    expect(codes(computeTraits(missed('bk_1', '2026-05-20T08:00:00Z'), NOW, 'Europe/Berlin'))).not.toContain('no_show_risk');
    expect(codes(computeTraits([...missed('bk_1', '2026-05-20T08:00:00Z'), ...missed('bk_2', '2026-05-27T08:00:00Z')], NOW, 'Europe/Berlin'))).toContain('no_show_risk');
  });
});

describe('the top spender badge', () => {
  it('goes to spend at the currency’s threshold, not below it, and not in a currency without one', () => {
    expect(codes(traits({ visits: 6, spend: { EUR: 500 } }))).toContain('top_spender');
    expect(codes(traits({ visits: 6, spend: { EUR: 499.99 } }))).not.toContain('top_spender');
    expect(codes(traits({ visits: 6, spend: { CHF: 10_000 } }))).not.toContain('top_spender');
    expect(codes(traits({ visits: 6, spend: { CHF: 300 } }), personaThresholdsSchema.parse({ topSpender: { CHF: 300 } }))).toContain('top_spender');
  });
});

describe('badge words', () => {
  /** Everything but new, lapsing and lost at once (those three exclude regular or each other). */
  const busy = regularCustomer(9, 28, 12, {
    bookings: 11,
    decidedBookings: 12,
    noShows: 3,
    noShowRate: 4 / 22,
    daysSinceLastNoShow: 20,
    afterHoursBookings: 7,
    afterHoursKnown: 9,
    afterHoursShare: 7 / 9,
    avgLeadTimeHours: 20 * 24 + 5,
    leadTimeSamples: 9,
    spend: { EUR: 512.5 },
  });
  const lenient = personaThresholdsSchema.parse({ noShowRiskRate: 0.15 });

  it.each(customerLocales)('leave no placeholder and no ICU syntax in %s', (locale) => {
    const badges = [...assignBadges(busy, lenient, locale), ...assignBadges(regularCustomer(3, 20, 45), T, locale), ...assignBadges(regularCustomer(3, 20, 90), T, locale), ...assignBadges(traits({ bookings: 1, upcomingBookings: 1 }), T, locale)];

    expect(badges.map((found) => found.code).sort()).toEqual([...badgeCodes].filter((code) => code !== 'last_minute').sort());
    for (const { label, reason } of badges) {
      expect(`${label} ${reason}`).not.toMatch(/[{}#]|\n| {2}/);
      expect(label.length).toBeGreaterThan(0);
      expect(reason).toMatch(/[.]$/);
    }
  });

  it('explain each badge with its numbers, in English', () => {
    const reasons = Object.fromEntries(assignBadges(busy, lenient, 'en').map((found) => [found.code, found.reason]));

    expect(reasons).toEqual({
      regular: 'Has visited 9 times, on average every 28 days.',
      no_show_risk: 'Missed 3 of 12 appointments; estimated no-show risk 18%.',
      after_hours: 'Booked 7 of 9 times outside opening hours.',
      planner: 'Books 20 days ahead on average.',
      top_spender: 'Has spent €512.50 over 9 visits.',
    });
  });

  // German and Spanish keep a number and its unit together with a no-break space (U+00A0).
  it('explain each badge with its numbers, in German', () => {
    const reasons = Object.fromEntries(assignBadges(busy, lenient, 'de').map((found) => [found.code, found.reason]));

    expect(reasons).toEqual({
      regular: 'War 9 Mal da, im Schnitt alle 28 Tage.',
      no_show_risk: 'Zu 3 von 12 Terminen nicht erschienen; geschätztes Ausfallrisiko 18\u00a0%.',
      after_hours: '7 von 9 Buchungen außerhalb der Öffnungszeiten gemacht.',
      planner: 'Bucht im Schnitt 20 Tage im Voraus.',
      top_spender: 'Hat bei 9 Besuchen 512,50\u00a0€ ausgegeben.',
    });
  });

  it('explain each badge with its numbers, in Spanish', () => {
    const reasons = Object.fromEntries(assignBadges(busy, lenient, 'es').map((found) => [found.code, found.reason]));

    expect(reasons).toEqual({
      regular: 'Ha venido 9 veces, de media cada 28 días.',
      no_show_risk: 'No se presentó a 3 de 12 citas; riesgo estimado de ausencia: 18\u00a0%.',
      after_hours: 'Reservó 7 de 9 veces fuera del horario de apertura.',
      planner: 'Reserva de media con 20 días de antelación.',
      top_spender: 'Ha gastado 512,50\u00a0€ en 9 visitas.',
    });
  });

  it('use the singular and plural forms of each language', () => {
    const oneDay = regularCustomer(3, 1, 2);
    const soon = traits({ avgLeadTimeHours: 1, leadTimeSamples: 2 });
    const now = traits({ avgLeadTimeHours: 0.25, leadTimeSamples: 2 });

    expect(badge(oneDay, 'lapsing', 'en')?.reason).toBe('Last visit 2 days ago; usually comes every 1 day.');
    expect(badge(oneDay, 'lapsing', 'de')?.reason).toBe('Letzter Besuch vor 2 Tagen; kommt sonst alle 1 Tag.');
    expect(badge(soon, 'last_minute', 'en')?.reason).toBe('Books 1 hour ahead on average.');
    expect(badge(soon, 'last_minute', 'de')?.reason).toBe('Bucht im Schnitt eine Stunde vorher.');
    expect(badge(soon, 'last_minute', 'es')?.reason).toBe('Reserva de media con 1 hora de antelación.');
    expect(badge(now, 'last_minute', 'en')?.reason).toBe('Books less than an hour ahead on average.');
    expect(badge(traits({ bookings: 1, upcomingBookings: 1 }), 'new', 'es')?.reason).toBe('Ha reservado por primera vez y aún no ha venido.');
  });

  it('label every badge differently in each language, and in words of that language', () => {
    for (const locale of customerLocales) {
      const labels = badgeCodes.map((code) => customerCatalogues[locale].badge[code].label);
      expect(new Set(labels).size).toBe(badgeCodes.length);
    }
    expect(customerCatalogues.de.badge.after_hours.label).not.toBe(customerCatalogues.en.badge.after_hours.label);
    expect(customerCatalogues.es.badge.after_hours.label).not.toBe(customerCatalogues.en.badge.after_hours.label);
  });

  it('reject a locale without a catalogue', () => {
    expect(() => assignBadges(busy, T, 'fr' as 'en')).toThrow(RangeError);
  });
});
