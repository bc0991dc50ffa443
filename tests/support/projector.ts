import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, inject } from 'vitest';
import { CustomerStore } from '#functions/adapters/customer-store';
import { projectRecords } from '#functions/streams/projector';
import { startStreamPoller, type StreamPoller } from '#infra/local/stream-poller';
import type { TestStack } from './stack.ts';

/**
 * The customer projector on the test stack's table stream (DynamoDB Local, polled as Lambda is
 * triggered), for the file's lifetime. `drain()` waits until every change written so far is
 * projected; a record the projector fails on fails the drain instead of passing silently.
 */
export interface TestProjector {
  drain(): Promise<void>;
  /** Every stream batch seen, for replay tests. */
  readonly seen: DynamoDBStreamEvent[];
}

export function useProjector(stack: TestStack): TestProjector {
  let poller: StreamPoller | undefined;
  const seen: DynamoDBStreamEvent[] = [];
  beforeAll(async () => {
    const deps = { store: stack.store, clock: stack.clock, customers: new CustomerStore(stack.store.db, stack.tableName) };
    poller = await startStreamPoller({
      endpoint: inject('dynamoEndpoint'),
      tableName: stack.tableName,
      intervalMs: 50,
      handler: async (event) => {
        seen.push(event);
        const result = await projectRecords(deps, event);
        if (result.batchItemFailures.length > 0) throw new Error(`projection failed: ${JSON.stringify(result.batchItemFailures)}`);
      },
    });
  });
  afterAll(() => poller?.stop());
  return {
    seen,
    drain: () => {
      if (!poller) throw new Error('the projector starts in beforeAll: drain() belongs in a test');
      return poller.drain();
    },
  };
}
