import type { SNSEvent } from 'aws-lambda';
import { recordSesNotification } from '#functions/app/suppressions';
import { eventEntry, senderDepsFromEnv } from '#functions/app/sender-runtime';
import { logger } from '#functions/lib/logger';

/** SES configuration-set events via SNS: permanent bounces and complaints suppress the address. */
export const handler = eventEntry(async (event: SNSEvent) => {
  const deps = senderDepsFromEnv();
  for (const record of event.Records) {
    const suppressed = await recordSesNotification(deps.store, record.Sns.Message, deps.clock.now());
    if (suppressed.length > 0) logger.info('suppressed addresses', { count: suppressed.length });
  }
});
