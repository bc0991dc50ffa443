import { type CustomerLocale, customerCatalogues, type CustomerMessageValues, formatCustomerMessage } from './messages/index.ts';
import { type Badge, type BadgeCode, cadenceOf, DEFAULT_PERSONA_THRESHOLDS, type PersonaThresholds } from './personas.ts';
import type { Traits } from './traits.ts';

/**
 * The one thing the team should do next for a customer, with the reason on screen. Rules, not a
 * model: the first rule that applies wins, in this order (`actionOrder`):
 *
 *   1. confirm_by_phone       a no-show risk with an appointment ahead: the appointment at stake
 *                             is the most concrete loss, and a call is the cheapest fix.
 *   2. offer_usual_slot       lapsing or lost, nothing booked, marketing consent, and their usual
 *                             slot is free: a specific offer beats a generic one.
 *   3. win_back               lapsing or lost, nothing booked, marketing consent, no free usual slot.
 *   4. ask_marketing_consent  a regular without marketing consent: they come anyway, so asking costs
 *                             little and opens 2 and 3 for later.
 *   5. welcome                new: ask how they found us while the answer is fresh.
 *
 * 2 and 3 need marketing consent because an unsolicited offer to come back is direct marketing
 * (GDPR art. 21, UWG § 7 for calls and mails); without it nothing is suggested, since asking a
 * lapsed customer for consent would be the same unsolicited contact.
 */

export type ActionCode = 'confirm_by_phone' | 'offer_usual_slot' | 'win_back' | 'ask_marketing_consent' | 'welcome';

export const actionOrder: readonly ActionCode[] = ['confirm_by_phone', 'offer_usual_slot', 'win_back', 'ask_marketing_consent', 'welcome'];

export interface NextBestAction {
  code: ActionCode;
  label: string;
  reason: string;
}

export interface FreeSlot {
  /** UTC ISO-8601. */
  start: string;
  providerId: string;
  providerName: string;
}

export interface NextBestActionInput {
  traits: Traits;
  badges: ReadonlyArray<Pick<Badge, 'code'>>;
  consent: { marketing: boolean };
  /** Whether the customer has an appointment ahead (the caller's view, which may be fresher than the traits). */
  upcoming: boolean;
  /** A free slot matching the customer's usual provider, weekday and time of day, when the caller found one. */
  freeUsualSlot?: FreeSlot | undefined;
  locale: CustomerLocale;
  /** The zone dates and times are written in. */
  zone: string;
  /** The thresholds the badges were assigned with (for the cadence a reason quotes). */
  thresholds?: PersonaThresholds | undefined;
}

/** Weekday and time ("Tuesday 08:00"), and with the date ("Tuesday, March 3 at 08:00"), in `zone`. */
function formatSlot(iso: string, locale: CustomerLocale, zone: string, withDate: boolean): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: "${iso}"`);
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone };
  return new Intl.DateTimeFormat(locale, withDate ? { ...options, day: 'numeric', month: 'long' } : options).format(ms).replace(/[\u202F\u2009]/g, ' ');
}

/** The values of the action's messages, or undefined when its rule does not apply. */
function actionValues(code: ActionCode, input: NextBestActionInput, has: (badge: BadgeCode) => boolean): CustomerMessageValues | undefined {
  const { traits, consent, upcoming, freeUsualSlot, locale, zone } = input;
  const slipping = (has('lapsing') || has('lost')) && !upcoming && traits.daysSinceLastVisit !== undefined;
  const cadence = cadenceOf(traits, input.thresholds ?? DEFAULT_PERSONA_THRESHOLDS);
  const since = { days: traits.daysSinceLastVisit ?? 0, cadence: Math.round(cadence.days), basis: cadence.basis };
  switch (code) {
    case 'confirm_by_phone':
      return has('no_show_risk') && upcoming
        ? {
            noShows: traits.noShows,
            decided: traits.decidedBookings,
            rate: traits.noShowRate ?? 0,
            when: traits.nextBookingAt === undefined ? 'none' : formatSlot(traits.nextBookingAt, locale, zone, true),
            zone,
          }
        : undefined;
    case 'offer_usual_slot':
      return slipping && consent.marketing && freeUsualSlot
        ? {
            ...since,
            slot: formatSlot(freeUsualSlot.start, locale, zone, false),
            slotDate: formatSlot(freeUsualSlot.start, locale, zone, true),
            provider: freeUsualSlot.providerName,
            zone,
          }
        : undefined;
    case 'win_back':
      return slipping && consent.marketing ? since : undefined;
    case 'ask_marketing_consent':
      return has('regular') && !consent.marketing ? { visits: traits.visits } : undefined;
    case 'welcome':
      return has('new') ? { visits: traits.visits } : undefined;
  }
}

export function nextBestAction(input: NextBestActionInput): NextBestAction | undefined {
  const catalogue = customerCatalogues[input.locale];
  if (!catalogue) throw new RangeError(`no customer catalogue for locale "${input.locale}"`);
  const codes = new Set(input.badges.map((badge) => badge.code));
  const has = (badge: BadgeCode) => codes.has(badge);
  for (const code of actionOrder) {
    const values = actionValues(code, input, has);
    if (!values) continue;
    const messages = catalogue.action[code];
    return { code, label: formatCustomerMessage(input.locale, messages.label, values), reason: formatCustomerMessage(input.locale, messages.reason, values) };
  }
  return undefined;
}
