/**
 * Day sheets: one item per provider per provider-local day. Each taken 5-minute unit is one
 * top-level attribute named after its UTC instant ("U2026-03-29T01:05Z") whose value is the
 * owner (booking or block id). Top-level attributes, not a map, because a conditional write can
 * then test and set each unit directly and no parent map has to exist first.
 */
export const providerPk = (tenantId: string, providerId: string) => `T#${tenantId}#PRV#${providerId}`;
export const daySk = (localDate: string) => `DAY#${localDate}`;
/** Bookings (not blocks) that start on this sheet's day, for the per-day maximum. */
export const BOOKING_COUNT_ATTR = 'bookingCount';

const UNIT_PREFIX = 'U';

export const unitAttr = (unit: number): string => `${UNIT_PREFIX}${new Date(unit).toISOString().slice(0, 16)}Z`;

export const isUnitAttr = (name: string): boolean => name.startsWith(UNIT_PREFIX) && name.endsWith('Z') && name.length === 18;

export const unitFromAttr = (name: string): number => Date.parse(`${name.slice(1, 17)}:00Z`);

export interface DaySheet {
  localDate: string;
  taken: Map<number, string>;
  bookingCount: number;
}

export function sheetFromItem(item: Record<string, unknown>): DaySheet {
  const taken = new Map<number, string>();
  for (const [name, value] of Object.entries(item)) {
    if (isUnitAttr(name)) taken.set(unitFromAttr(name), String(value));
  }
  return {
    localDate: String(item.SK).slice(4),
    taken,
    bookingCount: typeof item[BOOKING_COUNT_ATTR] === 'number' ? (item[BOOKING_COUNT_ATTR] as number) : 0,
  };
}
