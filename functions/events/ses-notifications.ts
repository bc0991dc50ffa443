import type { SNSEvent } from 'aws-lambda';
import { eventEntry } from '#functions/app/event-entry';
import { depsFromEnv } from '#functions/app/runtime';
import { recordSesNotification } from '#functions/app/suppressions';
import { logger } from '#functions/lib/logger';

/**
 * SES configuration-set events via SNS: permanent bounces and complaints suppress the address.
 * It sends nothing, so it builds only the table deps (no SES client, no link secret).
 */
export const handler = eventEntry(depsFromEnv, async (deps, event: SNSEvent) => {
  for (const record of event.Records) {
    const suppressed = await recordSesNotification(deps.store, record.Sns.Message, deps.clock.now());
    if (suppressed.length > 0) logger.info('suppressed addresses', { count: suppressed.length });
  }
});
