import type { DynamoDBStreamEvent } from 'aws-lambda';
import { eventEntry } from '#functions/app/event-entry';
import { deliverFromStream } from '#functions/app/outbox';
import { initSenderDeps } from '#functions/app/sender-runtime';

/** Table stream → send outbox messages that are due now (ReportBatchItemFailures on the mapping). */
export const handler = eventEntry(initSenderDeps, (deps, event: DynamoDBStreamEvent) => deliverFromStream(deps, event));
