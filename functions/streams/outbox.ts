import type { DynamoDBStreamEvent } from 'aws-lambda';
import { deliverFromStream } from '#functions/app/outbox';
import { eventEntry, senderDepsFromEnv } from '#functions/app/sender-runtime';

/** Table stream → send outbox messages that are due now (ReportBatchItemFailures on the mapping). */
export const handler = eventEntry((event: DynamoDBStreamEvent) => deliverFromStream(senderDepsFromEnv(), event));
