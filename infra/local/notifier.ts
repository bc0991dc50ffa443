import { deliverFromStream, sweepOutbox, type SenderDeps } from '#functions/app/outbox';
import { recordSesNotification } from '#functions/app/suppressions';
import type { Mailer } from '#functions/adapters/mailer';
import { runDueJourneys } from '#functions/app/journeys';
import type { ProjectorDeps } from '#functions/app/projector';
import { projectRecords } from '#functions/streams/projector';
import type { AppDeps } from '#functions/app/deps';
import { offerFromRecords } from '#functions/streams/waitlist';
import { startStreamPoller } from './stream-poller.ts';

/**
 * The notification side of the local stack, as the cloud runs it: the sender on the table's
 * stream (here a poller of DynamoDB Local's stream) and the sweep on a timer (EventBridge every
 * minute in the cloud; more often here, so reminders and retries show up quickly).
 */
export interface LocalNotifier {
  /** Runs a sweep now (what the timer does). */
  sweep(): ReturnType<typeof sweepOutbox>;
  stop(): Promise<void>;
}

export async function startLocalNotifier(options: {
  deps: SenderDeps;
  dynamoEndpoint: string;
  tableName: string;
  sweepEveryMs?: number;
  log?: (line: string) => void;
}): Promise<LocalNotifier> {
  const { deps } = options;
  const poller = await startStreamPoller({
    endpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    handler: (event) => deliverFromStream(deps, event),
  });
  // One sweep at a time from this timer (overlapping sweeps are safe, just wasteful).
  let sweeping: ReturnType<typeof sweepOutbox> | undefined;
  const sweep = () => (sweeping ??= sweepOutbox(deps).finally(() => (sweeping = undefined)));
  const timer = setInterval(() => {
    void sweep()
      .then((result) => {
        if (result.due > 0) options.log?.(`outbox sweep: ${JSON.stringify(result)}`);
      })
      .catch((error: unknown) => options.log?.(`outbox sweep failed: ${(error as Error).message}`));
  }, options.sweepEveryMs ?? 5_000);
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
      await poller.stop();
    },
  };
}

/**
 * SES's mailbox simulator, locally: mail to bounce@simulator.amazonses.com is answered by a
 * permanent bounce and mail to complaint@… by a complaint, delivered to the same handler the SNS
 * subscription calls in the cloud. Everything else goes to the local SES unchanged.
 */
export function withMailboxSimulator(inner: Mailer, deps: Pick<SenderDeps, 'store' | 'clock'>): Mailer {
  return {
    async send(mail) {
      const result = await inner.send(mail);
      const address = mail.to.replace(/^.*<|>.*$/g, '').trim().toLowerCase();
      const kind = address === 'bounce@simulator.amazonses.com' ? 'Bounce' : address === 'complaint@simulator.amazonses.com' ? 'Complaint' : undefined;
      if (kind) {
        // SES echoes the message tags in configuration-set events.
        const mailPart = { mail: { tags: Object.fromEntries(Object.entries(mail.tags ?? {}).map(([key, value]) => [key, [value]])) } };
        const notification =
          kind === 'Bounce'
            ? { notificationType: kind, ...mailPart, bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: address, diagnosticCode: 'smtp; 550 5.1.1 user unknown (local simulator)' }] } }
            : { notificationType: kind, ...mailPart, complaint: { complainedRecipients: [{ emailAddress: address }], complaintFeedbackType: 'abuse' } };
        await recordSesNotification(deps.store, JSON.stringify(notification), deps.clock.now());
      }
      return result;
    },
  };
}

/**
 * The customer projector on the table's stream, as the cloud runs it (a second reader of the same
 * stream): every booking change updates its customer's profile and timeline.
 */
export async function startLocalProjector(options: {
  deps: ProjectorDeps;
  dynamoEndpoint: string;
  tableName: string;
  /** The journey runner on a timer (EventBridge every minute in the cloud): given the sender address, it runs. */
  journeys?: { mailFrom: string; everyMs?: number };
  log?: (line: string) => void;
}) {
  const poller = await startStreamPoller({
    endpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    handler: async (event) => {
      const result = await projectRecords(options.deps, event);
      if (result.batchItemFailures.length > 0) options.log?.(`projector: ${result.batchItemFailures.length} record(s) failed`);
    },
    onError: (error) => options.log?.(`projector failed: ${(error as Error).message}`),
  });
  const journeys = options.journeys;
  if (!journeys) return poller;
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= runDueJourneys({ store: options.deps.store, clock: options.deps.clock, mailFrom: journeys.mailFrom })
      .then((result) => {
        if (result.due > 0) options.log?.(`journey runner: ${JSON.stringify(result)}`);
      })
      .catch((error: unknown) => options.log?.(`journey runner failed: ${(error as Error).message}`))
      .finally(() => (running = undefined));
  }, journeys.everyMs ?? 5_000);
  return {
    ...poller,
    async stop() {
      clearInterval(timer);
      await running;
      await poller.stop();
    },
  };
}

/**
 * The waitlist's stream consumer, as the cloud runs it (another reader of the same stream): a
 * cancellation, a reschedule's old time or a removed block is offered to the customers waiting
 * for it, through the outbox the local notifier sends.
 */
export async function startLocalWaitlist(options: { deps: AppDeps; dynamoEndpoint: string; tableName: string; log?: (line: string) => void }) {
  return startStreamPoller({
    endpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    handler: async (event) => {
      const result = await offerFromRecords(options.deps, event);
      if (result.batchItemFailures.length > 0) options.log?.(`waitlist offers: ${result.batchItemFailures.length} record(s) failed`);
    },
    onError: (error) => options.log?.(`waitlist offers failed: ${(error as Error).message}`),
  });
}
