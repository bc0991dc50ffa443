import { eventEntry } from '#functions/app/event-entry';
import { runDueJourneys } from '#functions/app/journeys';
import { depsFromEnv } from '#functions/app/runtime';
import { logger } from '#functions/lib/logger';

/**
 * Every minute (EventBridge): decide the journey runs that fell due. Mails go into the outbox
 * (the sender's stream trigger sends them); tasks appear on reception's list. It derives no links
 * and sends nothing itself, so it holds neither the link secret nor SES permissions.
 */
export const handler = eventEntry(depsFromEnv, async (deps) => {
  const result = await runDueJourneys(deps);
  logger.info('journey runner', { ...result });
  return result;
});
