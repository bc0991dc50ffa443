import { eventEntry } from '#functions/app/event-entry';
import { sweepOutbox } from '#functions/app/outbox';
import { initSenderDeps } from '#functions/app/sender-runtime';
import { logger } from '#functions/lib/logger';

/** Every minute (EventBridge): reminders that came due, retries, and anything the stream missed. */
export const handler = eventEntry(initSenderDeps, async (deps) => {
  const result = await sweepOutbox(deps);
  logger.info('outbox sweep', { ...result });
  return result;
});
