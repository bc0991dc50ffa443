import { randomUUID } from 'node:crypto';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { OutboxMessage } from '#shared/domain/notifications';
import { isJourneyTemplate } from '#shared/journeys/rules';
import { renderJourneyMail } from '#shared/mail/journey';
import { renderMail } from '#shared/mail/render';
import { renderWaitlistOfferMail } from '#shared/mail/waitlist';
import type { RenderedMail } from '#shared/mail/types';
import type { Links } from '#functions/adapters/links';
import { PermanentMailError, type Mailer } from '#functions/adapters/mailer';
import type { DynamoStore } from '#functions/adapters/store';
import { logger } from '#functions/lib/logger';
import type { Clock } from './deps.ts';
import { recordMailEvent } from './mail-events.ts';

/**
 * The sender: takes a due outbox message under a lease, renders and sends it, and settles it as
 * sent, retried later, parked as failed, or suppressed. Triggered by the table stream for mails
 * due now and by a sweep every minute for everything else (reminders, retries, missed records).
 */

export interface SenderDeps {
  store: DynamoStore;
  clock: Clock;
  mailer: Mailer;
  links: Links;
  /** How long a sender may hold a message before another may take it over. */
  leaseMs?: number;
  /** After this many attempts a message is parked as failed. */
  maxAttempts?: number;
}

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 8;
const DAY_MS = 86_400_000;
/** The sweep reads today's and yesterday's buckets: a message overdue by more than a day is found through its new bucket after a retry moves it. */
const SWEEP_DAYS = 2;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Exponential backoff with jitter: ~30 s, 1 min, 2 min … capped at 1 h. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'suppressed' | 'not_claimed' | 'lost_lease';

/** From address: the business's name, our sending address (a verified SES identity). */
const fromHeader = (message: OutboxMessage) => `"${message.mail.business.name.replace(/["\\\r\n]/g, '')}" <${message.mail.business.email}>`;

export async function deliverMessage(deps: SenderDeps, id: string): Promise<DeliveryOutcome> {
  const now = deps.clock.now();
  const leaseId = randomUUID();
  const message = await deps.store.leaseMessage(id, iso(now), iso(now + (deps.leaseMs ?? LEASE_MS)), leaseId);
  if (!message) return 'not_claimed';
  const settle = async (outcome: Parameters<DynamoStore['settleMessage']>[2], result: DeliveryOutcome) =>
    (await deps.store.settleMessage(message, leaseId, outcome)) ? result : 'lost_lease';

  const suppression = await deps.store.getSuppression(message.to);
  if (suppression) {
    return settle({ status: 'suppressed', at: iso(now), error: `${message.to} is suppressed (${suppression.reason}${suppression.detail ? `: ${suppression.detail}` : ''})` }, 'suppressed');
  }
  try {
    const { rendered, headers } = renderOutboxMessage(message, deps.links);
    const { messageId } = await deps.mailer.send({
      from: fromHeader(message),
      to: message.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      ...(rendered.calendar ? { calendar: rendered.calendar } : {}),
      tags: { tenant: message.tenantId, message: message.id.replace(/[^\w.@-]/g, '_') },
      ...(headers ? { headers } : {}),
    });
    const sentAt = deps.clock.now();
    const outcome = await settle({ status: 'sent', at: iso(sentAt), sesMessageId: messageId }, 'sent');
    if (outcome === 'sent' && message.audience === 'customer') await recordMailSent(deps, message, sentAt);
    return outcome;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (error instanceof PermanentMailError || message.attempts >= (deps.maxAttempts ?? MAX_ATTEMPTS)) {
      return settle({ status: 'failed', at: iso(deps.clock.now()), error: reason }, 'failed');
    }
    return settle({ status: 'pending', nextAttemptAt: iso(deps.clock.now() + retryDelayMs(message.attempts)), error: reason }, 'retry');
  }
}

/**
 * The message's mail with its links. Journey mails (a template, not a booking change) get the
 * button's link by template, and marketing and review mails the RFC 8058 one-click unsubscribe
 * headers plus a preferences link in the footer.
 */
export function renderOutboxMessage(message: OutboxMessage, links: Links): { rendered: RenderedMail; headers?: Record<string, string> } {
  const { mail, journey, waitlist } = message;
  if (waitlist) {
    // A service mail the customer asked for: no unsubscribe headers. Both links carry tokens, so
    // they are made here, by the holder of the link secret, and never stored (decision 103).
    const rendered = renderWaitlistOfferMail({
      locale: mail.locale,
      timeZone: mail.timeZone,
      business: mail.business,
      slot: mail.booking,
      until: waitlist.until,
      claimUrl: links.waitlistOfferUrl(waitlist.entryId, waitlist.providerId, mail.booking.start, { tenantId: message.tenantId, serviceId: waitlist.serviceId }),
      leaveUrl: links.waitlistLeaveUrl(waitlist.entryId),
    });
    return { rendered };
  }
  if (mail.kind === 'waitlist_offer') throw new RangeError(`message ${message.id} is a waitlist offer without its entry`);
  if (!journey) {
    if (isJourneyTemplate(mail.kind)) throw new RangeError(`message ${message.id} has a journey template but no journey`);
    return { rendered: renderMail({ ...mail, kind: mail.kind, ...(message.withManageLink ? { manageUrl: links.manageUrl(message.bookingId) } : {}) }) };
  }
  const actionUrl =
    journey.template === 'review-request'
      ? journey.reviewUrl
      : journey.template === 'extra-reminder'
        ? links.manageUrl(message.bookingId)
        : links.rebookUrl(message.tenantId, message.bookingId);
  // Permanent: retrying cannot make a review page appear; the runner does not schedule one without it.
  if (actionUrl === undefined) throw new PermanentMailError('MailNotComposable', `journey mail ${message.id} has no link for its button`);
  const marketing = journey.purpose !== 'service';
  const unsubscribeUrl = links.unsubscribeUrl(message.tenantId, journey.customerId);
  const rendered = renderJourneyMail({
    template: journey.template,
    locale: mail.locale,
    timeZone: mail.timeZone,
    business: mail.business,
    booking: mail.booking,
    actionUrl,
    ...(marketing
      ? { unsubscribe: { preferencesUrl: links.preferencesUrl(message.tenantId, journey.customerId), unsubscribeUrl: links.unsubscribePageUrl(message.tenantId, journey.customerId) } }
      : {}),
  });
  return marketing ? { rendered, headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : { rendered };
}

/**
 * The customer's timeline shows what was mailed to them. Best effort after the send: the mail is
 * out and settled, so a failure here is logged, never retried into a second mail.
 */
async function recordMailSent(deps: SenderDeps, message: OutboxMessage, sentAt: number): Promise<void> {
  try {
    await recordMailEvent(deps.store, {
      tenantId: message.tenantId,
      ...(message.journey ? { customerId: message.journey.customerId } : { email: message.to }),
      type: 'mail_sent',
      messageId: message.id,
      bookingId: message.bookingId,
      detail: message.kind,
      at: sentAt,
    });
  } catch (error) {
    logger.warn('recording a sent mail on the timeline failed', { id: message.id, error: error as Error });
  }
}

/** Sends everything due now; several sweeps may overlap, the leases keep each message to one of them. */
export async function sweepOutbox(deps: SenderDeps, options: { limit?: number; concurrency?: number } = {}) {
  const now = deps.clock.now();
  const days = Array.from({ length: SWEEP_DAYS }, (_, i) => iso(now - i * DAY_MS).slice(0, 10));
  const ids = await deps.store.dueMessageIds(iso(now), days, options.limit ?? 500);
  const outcomes: Record<DeliveryOutcome, number> = { sent: 0, retry: 0, failed: 0, suppressed: 0, not_claimed: 0, lost_lease: 0 };
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      outcomes[await deliverMessage(deps, id)] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, ids.length) }, worker));
  return { due: ids.length, ...outcomes };
}

/**
 * Ids of outbox messages a stream batch shows as pending and due by `now`, with the record's
 * sequence number (for partial batch failures). Future reminders and retries wait for the sweep.
 */
export function dueMessagesInStream(event: DynamoDBStreamEvent, now: number): Array<{ id: string; sequence: string }> {
  const due: Array<{ id: string; sequence: string }> = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image || record.eventName === 'REMOVE' || image.type?.S !== 'message' || image.status?.S !== 'pending') continue;
    const next = image.nextAttemptAt?.S;
    const id = image.id?.S;
    if (id && next && Date.parse(next) <= now) due.push({ id, sequence: record.dynamodb?.SequenceNumber ?? id });
  }
  return due;
}

/** The stream trigger: deliver what became due; a delivery that throws is reported for retry. */
export async function deliverFromStream(deps: SenderDeps, event: DynamoDBStreamEvent) {
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  for (const { id, sequence } of dueMessagesInStream(event, deps.clock.now())) {
    try {
      await deliverMessage(deps, id);
    } catch (error) {
      logger.error('delivering a message from the stream failed; Lambda retries the batch from it', { id, error: error as Error });
      batchItemFailures.push({ itemIdentifier: sequence });
    }
  }
  return { batchItemFailures };
}
