import { sweepOutbox } from '#functions/app/outbox';
import { eventEntry, senderDepsFromEnv } from '#functions/app/sender-runtime';
import { logger } from '#functions/lib/logger';

/** Every minute (EventBridge): reminders that came due, retries, and anything the stream missed. */
export const handler = eventEntry(async () => {
  const result = await sweepOutbox(senderDepsFromEnv());
  logger.info('outbox sweep', { ...result });
  return result;
});
