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
/** Incremented by every write to the sheet; version-checked writes (blocks) condition on it. */
export const SHEET_VERSION_ATTR = 'sheetVersion';

const UNIT_PREFIX = 'U';

export const unitAttr = (unit: number): string => `${UNIT_PREFIX}${new Date(unit).toISOString().slice(0, 16)}Z`;

const U = UNIT_PREFIX.charCodeAt(0);
const Z = 'Z'.charCodeAt(0);
export const isUnitAttr = (name: string): boolean => name.length === 18 && name.charCodeAt(0) === U && name.charCodeAt(17) === Z;

const digits2 = (s: string, at: number) => (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;

/**
 * "U2026-03-29T01:05Z" → epoch ms. A month of availability parses thousands of these, so the
 * date part (one of three per sheet) is computed once and the time of day read digit by digit.
 */
export function unitFromAttr(name: string, dayStarts: Map<string, number> = new Map()): number {
  const date = name.slice(1, 11);
  let dayStart = dayStarts.get(date);
  if (dayStart === undefined) {
    dayStart = Date.parse(`${date}T00:00:00Z`);
    dayStarts.set(date, dayStart);
  }
  return dayStart + (digits2(name, 12) * 60 + digits2(name, 15)) * 60_000;
}

/** What a run of one provider's day sheets says: every taken unit and the bookings per local date. */
export interface SheetState {
  taken: Map<number, string>;
  bookingsPerDay: Map<string, number>;
  /** Each read sheet's version by local date (absent: the sheet does not exist). */
  versions?: Map<string, number>;
}

/** Day-sheet items → one state (the units of all sheets in one map, as the slot engine reads them). */
export function sheetStateFromItems(items: readonly Record<string, unknown>[]): SheetState {
  const taken = new Map<number, string>();
  const bookingsPerDay = new Map<string, number>();
  const versions = new Map<string, number>();
  const dayStarts = new Map<string, number>();
  for (const item of items) {
    for (const name in item) {
      if (isUnitAttr(name)) taken.set(unitFromAttr(name, dayStarts), item[name] as string);
    }
    const count = item[BOOKING_COUNT_ATTR];
    const localDate = String(item.SK).slice(4);
    bookingsPerDay.set(localDate, typeof count === 'number' ? count : 0);
    const version = item[SHEET_VERSION_ATTR];
    if (typeof version === 'number') versions.set(localDate, version);
  }
  return { taken, bookingsPerDay, versions };
}
