import * as z from 'zod';
import type { DynamoStore } from '#functions/adapters/store';
import { logger } from '#functions/lib/logger';
import { recordMailEvent } from './mail-events.ts';

/**
 * SES bounce and complaint notifications (configuration-set event publishing through SNS, or
 * identity notifications — the first names the kind `eventType`, the second `notificationType`).
 * A permanent bounce or a complaint suppresses the address: no further mail goes there, and the
 * outbox parks messages to it as "suppressed" with the reason, which staff can see. Transient
 * bounces (a full mailbox) are not suppressed; SES itself retries those.
 */
const recipient = z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() });
const notificationSchema = z.object({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional(), bouncedRecipients: z.array(recipient) }).optional(),
  complaint: z.object({ complainedRecipients: z.array(recipient), complaintFeedbackType: z.string().optional() }).optional(),
  /** The sent mail: its SES message tags (tenant, outbox message id) say whose timeline the bounce belongs on. */
  mail: z.object({ tags: z.record(z.string(), z.array(z.string())).optional() }).optional(),
});

export async function recordSesNotification(store: DynamoStore, message: string, now: number): Promise<string[]> {
  let parsed: z.output<typeof notificationSchema>;
  try {
    parsed = notificationSchema.parse(JSON.parse(message));
  } catch {
    return [];
  }
  const kind = parsed.eventType ?? parsed.notificationType;
  const at = new Date(now).toISOString();
  const suppressed: string[] = [];
  if (kind === 'Bounce' && parsed.bounce?.bounceType === 'Permanent') {
    for (const r of parsed.bounce.bouncedRecipients) {
      await store.putSuppression({ email: r.emailAddress.toLowerCase(), reason: 'bounce', detail: r.diagnosticCode ?? parsed.bounce.bounceSubType, at });
      suppressed.push(r.emailAddress.toLowerCase());
    }
  }
  if (kind === 'Complaint' && parsed.complaint) {
    for (const r of parsed.complaint.complainedRecipients) {
      await store.putSuppression({ email: r.emailAddress.toLowerCase(), reason: 'complaint', detail: parsed.complaint.complaintFeedbackType, at });
      suppressed.push(r.emailAddress.toLowerCase());
    }
  }
  // Every bounce, transient ones too, goes on the customer's timeline ("mail bounced"), when the
  // tags name the tenant. Best effort: the suppression above is what protects the address.
  const tenantId = parsed.mail?.tags?.tenant?.[0];
  if (kind === 'Bounce' && parsed.bounce && tenantId) {
    const messageId = parsed.mail?.tags?.message?.[0] ?? 'unknown';
    for (const r of parsed.bounce.bouncedRecipients) {
      const detail = `${parsed.bounce.bounceType}${r.diagnosticCode ? `: ${r.diagnosticCode}` : ''}`;
      await recordMailEvent(store, { tenantId, email: r.emailAddress, type: 'mail_bounced', messageId, detail, at: now }).catch((error: unknown) =>
        logger.warn('recording a bounce on the timeline failed', { messageId, error: error as Error }),
      );
    }
  }
  return suppressed;
}
