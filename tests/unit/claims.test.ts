import { describe, expect, it } from 'vitest';
import { sheetChanges, spanClaims } from '#shared/domain/claims';
import type { Service } from '#shared/domain/schemas';

const t = (iso: string) => Date.parse(iso);
const service = { maxPerDayPerProvider: 8 } as Service;
const units = (from: string, count: number) => Array.from({ length: count }, (_, i) => t(from) + i * 300_000);

describe('spanClaims', () => {
  it('puts every unit on the sheet of its provider-local date and marks the start day', () => {
    // 23:30-00:30 Berlin (UTC+1 in winter) = 22:30Z-23:30Z.
    const claims = spanClaims('p1', 'Europe/Berlin', t('2026-12-01T22:30:00Z'), [t('2026-12-01T22:30:00Z'), t('2026-12-01T23:30:00Z')]);
    expect(claims).toEqual([
      { providerId: 'p1', localDate: '2026-12-01', units: units('2026-12-01T22:30:00Z', 6), startsHere: true },
      { providerId: 'p1', localDate: '2026-12-02', units: units('2026-12-01T23:00:00Z', 6), startsHere: false },
    ]);
  });
});

describe('sheetChanges', () => {
  const span = (from: string, to: string, providerId = 'p1') => spanClaims(providerId, 'UTC', t(from), [t(from), t(to)]);

  it('claims a new booking and counts it against the daily maximum', () => {
    expect(sheetChanges('bk_1', service, [], span('2026-12-01T09:00:00Z', '2026-12-01T09:15:00Z'))).toEqual([
      { providerId: 'p1', localDate: '2026-12-01', owner: 'bk_1', claim: units('2026-12-01T09:00:00Z', 3), release: [], countDelta: 1, maxCount: 8 },
    ]);
  });

  it('releases a cancelled booking without any maximum', () => {
    expect(sheetChanges('bk_1', service, span('2026-12-01T09:00:00Z', '2026-12-01T09:10:00Z'), [])).toEqual([
      { providerId: 'p1', localDate: '2026-12-01', owner: 'bk_1', claim: [], release: units('2026-12-01T09:00:00Z', 2), countDelta: -1 },
    ]);
  });

  it('moves only the difference when old and new spans overlap, and the count stays put on the same day', () => {
    const [change, ...rest] = sheetChanges('bk_1', service, span('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z'), span('2026-12-01T09:30:00Z', '2026-12-01T10:30:00Z'));
    expect(rest).toEqual([]);
    expect(change).toMatchObject({ claim: units('2026-12-01T10:00:00Z', 6), release: units('2026-12-01T09:00:00Z', 6), countDelta: 0 });
  });

  it('moves the count between days and providers', () => {
    const changes = sheetChanges('bk_1', service, span('2026-12-01T09:00:00Z', '2026-12-01T09:05:00Z'), span('2026-12-02T09:00:00Z', '2026-12-02T09:05:00Z', 'p2'));
    expect(changes.map((c) => [c.providerId, c.localDate, c.countDelta, c.maxCount])).toEqual([
      ['p1', '2026-12-01', -1, undefined],
      ['p2', '2026-12-02', 1, 8],
    ]);
  });

  it('changes nothing when rescheduled onto itself', () => {
    const same = span('2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z');
    expect(sheetChanges('bk_1', service, same, same)).toEqual([]);
  });
});
