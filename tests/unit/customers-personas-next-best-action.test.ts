import { describe, expect, it } from 'vitest';
import { customerLocales } from '#shared/customers/messages/index';
import { actionOrder, nextBestAction, type NextBestActionInput } from '#shared/customers/next-best-action';
import { assignBadges, type BadgeCode, DEFAULT_PERSONA_THRESHOLDS } from '#shared/customers/personas';
import type { Traits } from '#shared/customers/traits';

/**
 * The next best action: which rule wins when several apply, what each one needs, and its words.
 * Badges are passed in by code where a test is about the order of the rules, and assigned from
 * traits where it is about a real customer.
 */

const ZONE = 'Europe/Berlin';

const baseTraits: Traits = {
  visits: 6,
  bookings: 8,
  upcomingBookings: 0,
  cancellations: 0,
  lateCancellations: 0,
  noShows: 2,
  decidedBookings: 8,
  noShowRate: 3 / 18,
  daysSinceLastNoShow: 30,
  avgLeadTimeHours: 72,
  leadTimeSamples: 8,
  afterHoursShare: 0,
  afterHoursBookings: 0,
  afterHoursKnown: 8,
  usualProviderId: 'anna',
  usualWeekday: 'tue',
  usualTimeOfDay: 'morning',
  avgIntervalDays: 21,
  daysSinceLastVisit: 40,
  lastVisitAt: '2026-04-22T06:00:00.000Z',
  nextBookingAt: undefined,
  spend: { EUR: 360 },
};

// Tuesday 31 March 2026, 08:00 in Berlin: the first Tuesday after the change to CEST (UTC+2).
const SLOT = { start: '2026-03-31T06:00:00Z', providerId: 'anna', providerName: 'Anna' };

function input(badges: BadgeCode[], overrides: Partial<NextBestActionInput> = {}): NextBestActionInput {
  return { traits: baseTraits, badges: badges.map((code) => ({ code })), consent: { marketing: true }, upcoming: false, locale: 'en', zone: ZONE, ...overrides };
}

const code = (value: NextBestActionInput) => nextBestAction(value)?.code;

describe('the order of the rules', () => {
  it('is the documented one', () => {
    expect(actionOrder).toEqual(['confirm_by_phone', 'offer_usual_slot', 'win_back', 'ask_marketing_consent', 'welcome']);
  });

  it('puts a call to confirm a risky appointment before everything else', () => {
    const all: BadgeCode[] = ['no_show_risk', 'lapsing', 'regular', 'new'];

    expect(code(input(all, { upcoming: true, consent: { marketing: false }, freeUsualSlot: SLOT }))).toBe('confirm_by_phone');
  });

  it('offers the free usual slot before a generic invitation, and a generic one without a slot', () => {
    expect(code(input(['lapsing', 'no_show_risk'], { freeUsualSlot: SLOT }))).toBe('offer_usual_slot');
    expect(code(input(['lost'], { freeUsualSlot: SLOT }))).toBe('offer_usual_slot');
    expect(code(input(['lost']))).toBe('win_back');
  });

  it('asks a regular without marketing consent for it', () => {
    expect(code(input(['regular'], { consent: { marketing: false } }))).toBe('ask_marketing_consent');
    expect(code(input(['regular']))).toBeUndefined();
  });

  it('welcomes a new customer', () => {
    expect(code(input(['new']))).toBe('welcome');
    expect(code(input(['new'], { consent: { marketing: false } }))).toBe('welcome');
  });

  it('suggests nothing when no rule applies', () => {
    expect(nextBestAction(input([]))).toBeUndefined();
    expect(nextBestAction(input(['after_hours', 'planner', 'top_spender']))).toBeUndefined();
  });
});

describe('what each rule needs', () => {
  it('does not call about a no-show risk with nothing booked', () => {
    expect(code(input(['no_show_risk']))).toBeUndefined();
  });

  it('does not invite back someone with an appointment ahead', () => {
    expect(code(input(['lapsing'], { upcoming: true, freeUsualSlot: SLOT }))).toBeUndefined();
  });

  it('makes no offer to a lapsing customer without marketing consent', () => {
    expect(code(input(['lapsing'], { consent: { marketing: false }, freeUsualSlot: SLOT }))).toBeUndefined();
  });
});

describe('the words', () => {
  it('offers “Tuesday 08:00 with Anna”, in Berlin time after the DST change', () => {
    const action = nextBestAction(input(['lapsing'], { freeUsualSlot: SLOT }));

    expect(action?.label).toBe('Offer Tuesday 08:00 with Anna');
    // Six visits every 21 days: the customer's own cadence.
    expect(action?.reason).toBe('Last visit 40 days ago, usually every 21 days, and nothing booked. Tuesday, March 31 at 08:00 (Europe/Berlin) with Anna is their usual slot, and it is free.');
  });

  it('says the same in German and Spanish', () => {
    const de = nextBestAction(input(['lapsing'], { freeUsualSlot: SLOT, locale: 'de' }));
    const es = nextBestAction(input(['lapsing'], { freeUsualSlot: SLOT, locale: 'es' }));

    expect(de).toEqual({
      code: 'offer_usual_slot',
      label: 'Dienstag, 08:00 bei Anna anbieten',
      reason: 'Letzter Besuch vor 40 Tagen, sonst alle 21 Tage, und nichts gebucht. Der übliche Termin, Dienstag, 31. März um 08:00 (Europe/Berlin) bei Anna, ist frei.',
    });
    expect(es).toEqual({
      code: 'offer_usual_slot',
      label: 'Ofrecer martes, 08:00 con Anna',
      reason: 'Última visita hace 40 días, suele venir cada 21 días y no tiene nada reservado. Su hora habitual, el martes, 31 de marzo, 08:00 (Europe/Berlin) con Anna, está libre.',
    });
  });

  it('quotes the fallback cadence without calling it the customer’s own', () => {
    const fewVisits = { ...baseTraits, visits: 2, avgIntervalDays: 10, daysSinceLastVisit: 70 };

    expect(nextBestAction(input(['lapsing'], { traits: fewVisits }))?.reason).toBe('Last visit 70 days ago and nothing booked. They agreed to hear from us.');
  });

  it('names the appointment to confirm, with the no-show numbers, in the tenant’s zone', () => {
    const traits = { ...baseTraits, upcomingBookings: 1, nextBookingAt: '2026-10-25T09:30:00.000Z' };
    const action = nextBestAction(input(['no_show_risk'], { traits, upcoming: true }));

    // 25 October 2026 is the change back to CET: 09:30 UTC is 10:30 in Berlin.
    expect(action?.reason).toBe(
      'Missed 2 of 8 appointments (estimated no-show risk 17%) and has an appointment on Sunday, October 25 at 10:30 (Europe/Berlin): a call makes a no-show less likely.',
    );
    expect(nextBestAction(input(['no_show_risk'], { upcoming: true }))?.reason).toContain('and has an appointment coming up:');
  });

  it.each(customerLocales)('leaves no placeholder in any action in %s', (locale) => {
    const texts = [
      nextBestAction(input(['no_show_risk'], { upcoming: true, locale, traits: { ...baseTraits, nextBookingAt: '2026-06-10T08:00:00Z' } })),
      nextBestAction(input(['no_show_risk'], { upcoming: true, locale })),
      nextBestAction(input(['lost'], { freeUsualSlot: SLOT, locale })),
      nextBestAction(input(['lost'], { locale })),
      nextBestAction(input(['regular'], { consent: { marketing: false }, locale })),
      nextBestAction(input(['new'], { locale, traits: { ...baseTraits, visits: 0 } })),
      nextBestAction(input(['new'], { locale, traits: { ...baseTraits, visits: 1 } })),
    ];

    expect(texts.map((text) => text?.code)).toEqual(['confirm_by_phone', 'confirm_by_phone', 'offer_usual_slot', 'win_back', 'ask_marketing_consent', 'welcome', 'welcome']);
    for (const text of texts) expect(`${text?.label} ${text?.reason}`).not.toMatch(/[{}#]|\n| {2}|undefined|none/);
  });

  it('follows from badges assigned to a real profile', () => {
    const traits = { ...baseTraits, noShows: 0, noShowRate: 1 / 16, daysSinceLastNoShow: undefined, daysSinceLastVisit: 5 };
    const badges = assignBadges(traits, DEFAULT_PERSONA_THRESHOLDS, 'en');

    expect(badges.map((badge) => badge.code)).toEqual(['regular']);
    expect(nextBestAction({ traits, badges, consent: { marketing: false }, upcoming: false, locale: 'en', zone: ZONE })).toEqual({
      code: 'ask_marketing_consent',
      label: 'Ask for marketing consent',
      reason: 'Comes regularly (6 visits) but has not agreed to hear from us about offers.',
    });
  });
});
