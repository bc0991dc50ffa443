import type { HistoryEntry } from '#shared/domain/staff';
import { bookingPk } from './booking.ts';

/**
 * A booking's history: one item per version in the booking's own partition, written in the same
 * transaction as the change it records, so a change without its entry (or the reverse) cannot
 * exist. The zero-padded version keeps the sort key in change order.
 */
export const historySk = (version: number) => `HIST#${String(version).padStart(6, '0')}`;
export const HISTORY_PREFIX = 'HIST#';

export const historyItem = (entry: HistoryEntry): Record<string, unknown> => ({
  PK: bookingPk(entry.bookingId),
  SK: historySk(entry.version),
  type: 'bookingHistory',
  ...entry,
});

export function historyFromItem(item: Record<string, unknown>): HistoryEntry {
  const { PK: _pk, SK: _sk, type: _type, ...entry } = item;
  return entry as unknown as HistoryEntry;
}
