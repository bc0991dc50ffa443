import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AppDeps } from '#functions/app/deps';
import { eventEntry } from '#functions/app/event-entry';
import { depsFromEnv } from '#functions/app/runtime';
import { freedSpanOf, offerFreedSpan } from '#functions/app/waitlist';

/**
 * Table stream → waitlist offers: every change that frees a provider's time is offered to the
 * customers waiting for it. A failed record is reported so Lambda retries from it; offers already
 * queued for it are not queued again (their ids are per entry and change).
 */
const processor = new BatchProcessor(EventType.DynamoDBStreams);

export const offerFromRecords = (deps: AppDeps, event: DynamoDBStreamEvent) =>
  processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      const freed = freedSpanOf(record);
      if (freed) await offerFreedSpan(deps, freed);
    },
    processor,
    // In stream order: a cancellation and the claim that takes its slot again are seen as they happened.
    { processInParallel: false },
  );

export const handler = eventEntry(depsFromEnv, offerFromRecords);
