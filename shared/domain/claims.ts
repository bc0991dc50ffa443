import type { Service } from './schemas.ts';
import { localDateOf, unitsBySheet, unitsCovering } from './slots.ts';

/**
 * What a booking (or a block) does to the day sheets, as data: which units to claim and release on
 * which provider-local day sheet, and how the day's booking count moves. The store turns each
 * change into one conditional update; the transaction, not this module, decides if it succeeds.
 */

/** One change to one day sheet: units to claim and release for an owner, and the day's count. */
export interface SheetChange {
  providerId: string;
  localDate: string;
  owner: string;
  claim: number[];
  release: number[];
  countDelta: number;
  /** With a positive countDelta: the sheet may hold at most this many bookings. */
  maxCount?: number | undefined;
  /**
   * Version-checked mode, for blocks (a day can be 288 units, and one condition per unit would
   * exceed DynamoDB's 4 KB expression limit): the caller has read the sheet at this version and
   * checked the units itself; the write succeeds only if nothing changed since. `null`: the sheet
   * had no version (did not exist). Without it, each claimed unit carries its own condition.
   */
  expectedVersion?: number | null | undefined;
}

export interface SpanClaim {
  providerId: string;
  localDate: string;
  units: number[];
  startsHere: boolean;
}

/** The units of a span, grouped by the provider-local day sheet each falls on. */
export function spanClaims(providerId: string, zone: string, start: number, span: readonly [number, number]): SpanClaim[] {
  const startDate = localDateOf(start, zone);
  const sheets = unitsBySheet(unitsCovering(span[0], span[1]), zone);
  return [...sheets].map(([localDate, units]) => ({ providerId, localDate, units, startsHere: localDate === startDate }));
}

/** Claim the new span and release the old one, merged per sheet (one update per item). */
export function sheetChanges(
  owner: string,
  service: Service,
  release: readonly SpanClaim[],
  claim: readonly SpanClaim[],
): SheetChange[] {
  const byKey = new Map<string, SheetChange>();
  const get = (c: SpanClaim) => {
    const key = `${c.providerId}|${c.localDate}`;
    let change = byKey.get(key);
    if (!change) {
      change = { providerId: c.providerId, localDate: c.localDate, owner, claim: [], release: [], countDelta: 0 };
      byKey.set(key, change);
    }
    return change;
  };
  const released = new Set(release.flatMap((c) => c.units.map((u) => `${c.providerId}|${u}`)));
  const claimed = new Set(claim.flatMap((c) => c.units.map((u) => `${c.providerId}|${u}`)));
  for (const c of release) {
    const change = get(c);
    // Units both released and claimed stay as they are: they already belong to this owner.
    change.release.push(...c.units.filter((u) => !claimed.has(`${c.providerId}|${u}`)));
    if (c.startsHere) change.countDelta -= 1;
  }
  for (const c of claim) {
    const change = get(c);
    change.claim.push(...c.units.filter((u) => !released.has(`${c.providerId}|${u}`)));
    if (c.startsHere) {
      change.countDelta += 1;
      change.maxCount = service.maxPerDayPerProvider;
    }
  }
  return [...byKey.values()].filter((c) => c.claim.length > 0 || c.release.length > 0 || c.countDelta !== 0);
}


/** A block's claim (or, with `release`, its removal): the same units, no booking count. */
export function blockChanges(owner: string, claims: readonly SpanClaim[], mode: 'claim' | 'release'): SheetChange[] {
  return claims.map((c) => ({
    providerId: c.providerId,
    localDate: c.localDate,
    owner,
    claim: mode === 'claim' ? [...c.units] : [],
    release: mode === 'release' ? [...c.units] : [],
    countDelta: 0,
  }));
}
