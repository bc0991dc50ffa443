import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { CustomerStore } from '#functions/adapters/customer-store';
import { eventEntry } from '#functions/app/event-entry';
import { bookingChangeOf, projectBookingChange, type ProjectorDeps } from '#functions/app/projector';
import { depsFromEnv } from '#functions/app/runtime';

/**
 * Table stream → customer profiles and timelines. Powertools' batch processor reports the
 * records that failed, so Lambda retries from the first of them and the rest of the batch is
 * not projected twice (it would be harmless: projection is idempotent).
 */
const processor = new BatchProcessor(EventType.DynamoDBStreams);

export const projectorDeps = (): ProjectorDeps => {
  const base = depsFromEnv();
  return { store: base.store, clock: base.clock, customers: new CustomerStore(base.store.db, base.store.tableName) };
};

export const projectRecords = (deps: ProjectorDeps, event: DynamoDBStreamEvent) =>
  processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      const change = bookingChangeOf(record);
      if (change) await projectBookingChange(deps, change);
    },
    processor,
    // In stream order: two changes of one customer's bookings must not race on the profile.
    { processInParallel: false },
  );

export const handler = eventEntry(projectorDeps, projectRecords);
