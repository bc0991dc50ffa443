import type { ActionCode } from '../next-best-action.ts';
import type { BadgeCode } from '../personas.ts';

/**
 * The words of the customer badges and the next best action, one catalogue per language. Each
 * entry is one ICU MessageFormat message (intl-messageformat): a whole label or a whole sentence
 * with named arguments, plural forms inside the message, so a translator sees the sentence and no
 * code glues fragments together. Numbers arrive already rounded; amounts, dates and times arrive
 * already formatted for the locale.
 *
 * Arguments (each message names only what it needs):
 *   {visits}                 attended visits
 *   {interval}               the customer's mean days between visits, rounded
 *   {days}                   whole days since the last visit
 *   {cadence}, {basis}       the expected days between visits, and `own` (the customer's mean
 *                            interval) or `fallback` (the tenant's default: too few visits)
 *   {noShows}, {decided}     no-shows, and appointments with a known outcome
 *   {rate}                   the smoothed no-show rate, 0…1 (written with `number, percent`)
 *   {afterHours}, {total}    bookings made outside opening hours, out of bookings where it is known
 *   {leadDays}, {leadHours}  the mean lead time, rounded
 *   {amount}                 money spent, formatted with its currency
 *   {when}                   the next appointment, formatted, or `none`
 *   {slot}, {slotDate}       a free slot as weekday and time, and with its date
 *   {zone}                   the IANA zone {when} and {slotDate} are written in
 *   {provider}               the staff member's name
 */
export interface CustomerCatalogue {
  badge: Record<BadgeCode, LabelAndReason>;
  action: Record<ActionCode, LabelAndReason>;
}

export interface LabelAndReason {
  /** A short caption for a chip or a button. */
  label: string;
  /** One or two sentences with the numbers behind it. */
  reason: string;
}
