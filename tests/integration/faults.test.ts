import { customerActor, historyEntry } from '#shared/domain/staff';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { SheetChange } from '#shared/domain/claims';
import { DynamoStore } from '#functions/adapters/store';
import type { StoredBooking } from '#functions/adapters/entities/booking';

/**
 * Faults DynamoDB Local cannot produce: in AWS, two transactions racing for one day sheet may be
 * cancelled with TransactionConflict instead of ConditionalCheckFailed. These are injected.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const mock = mockClient(doc);
afterEach(() => mock.reset());

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const booking: StoredBooking = {
  id: 'bk_test',
  tenantId: 'acme',
  serviceId: 'cut',
  providerId: 'p1',
  start: '2026-11-24T09:00:00Z',
  end: '2026-11-24T09:30:00Z',
  timeZone: 'Europe/Berlin',
  status: 'confirmed',
  customer: { name: 'Ana', email: 'ana@example.com' },
  version: 1,
  createdAt: '2026-11-23T07:00:00Z',
  updatedAt: '2026-11-23T07:00:00Z',
  manageTokenHash: '0'.repeat(64),
  claimFrom: '2026-11-24T09:00:00Z',
  claimTo: '2026-11-24T09:30:00Z',
};
const claim: SheetChange = { providerId: 'p1', localDate: '2026-11-24', owner: 'bk_test', claim: [Date.parse('2026-11-24T09:00:00Z')], release: [], countDelta: 1 };
const created = historyEntry('created', customerActor, null, booking);
const store = () => new DynamoStore(new DynamoDBClient({ region: 'eu-central-1' }), doc, 'kairos', { configTtlMs: 0, sleep: async () => undefined });

describe('TransactionConflict handling', () => {
  it('retries a conflicted transaction and succeeds once the conflict clears', async () => {
    mock.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    await expect(store().insertBooking(booking, [claim], created)).resolves.toBeUndefined();
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('gives up after a bounded number of attempts and reports slot_taken', async () => {
    mock.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));
    await expect(store().insertBooking(booking, [claim], created)).rejects.toMatchObject({ code: 'slot_taken' });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  it('decides at once when the retry finds the slot taken', async () => {
    mock.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).rejects(cancelled('None', 'ConditionalCheckFailed'));
    await expect(store().insertBooking(booking, [claim], created)).rejects.toMatchObject({ code: 'slot_taken' });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('reports a version clash on the booking item as concurrent_modification', async () => {
    mock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(store().updateBooking({ ...booking, version: 2 }, 1, [], created)).rejects.toMatchObject({ code: 'concurrent_modification' });
  });

  it('lets other failures through untouched, so they surface as a 500 without detail', async () => {
    mock.on(TransactWriteCommand).rejects(new Error('socket hang up'));
    await expect(store().insertBooking(booking, [claim], created)).rejects.toThrow('socket hang up');
  });
});
