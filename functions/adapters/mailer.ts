import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface OutgoingMail {
  /** `Display Name <address>`; a non-ASCII name is sent as an RFC 2047 encoded-word. */
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** An iTIP message (RFC 5546); `method` must equal the METHOD property inside `content`. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string; filename: string };
  /** SES message tags (tenant, message id) — echoed in bounce/complaint notifications. */
  tags?: Record<string, string>;
  /**
   * Extra headers, e.g. List-Unsubscribe. SES replaces any Message-ID and Date with its own
   * (docs: "Amazon SES header fields"), so correlate by the returned messageId and the tags.
   */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * SES refused the mail for a reason no retry can fix (rejected content, unverified domain, bad
 * parameter, missing configuration set, a mail that cannot be composed): park it at once. Every
 * other error (throttling, 5xx, network) is thrown as it is and is worth a retry.
 */
export class PermanentMailError extends Error {
  override readonly name = 'PermanentMailError';
  constructor(
    /** SES's error name, e.g. `MessageRejected`, or `MailNotComposable`. */
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Error names SendRawEmail answers with that retrying cannot change. The SDK names modelled
 * errors after their class (`…Exception`) and unmodelled ones after the query-protocol code, so
 * both spellings are listed. Not here on purpose: AccountSendingPausedException and
 * ConfigurationSetSendingPausedException (sending resumes when someone re-enables it; until then
 * retries with backoff keep the mails), and credential/permission errors (expired tokens pass,
 * and a fixed IAM policy should let queued mails go out without a manual redrive).
 */
const permanentSesErrors = new Set([
  'MessageRejected',
  'MailFromDomainNotVerified',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExist',
  'ConfigurationSetDoesNotExistException',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'ValidationError',
]);

/** The MIME message: mixed( alternative(text, html[, text/calendar]) [, .ics attachment] ), UTF-8. */
export async function composeMime(mail: OutgoingMail): Promise<Buffer> {
  if (mail.calendar) assertMethodMatches(mail.calendar);
  const headers = { ...mail.headers };
  const messageIdKey = Object.keys(headers).find((key) => key.toLowerCase() === 'message-id');
  const messageId = messageIdKey ? headers[messageIdKey] : undefined;
  if (messageIdKey) delete headers[messageIdKey];
  const composer = new MailComposer({
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    // icalEvent puts the calendar both into the alternative (`text/calendar; charset=utf-8;
    // method=…`, what Outlook and Gmail act on) and into an `application/ics` attachment with
    // the filename (what other clients offer to import) — the shape DESIGN.md asks for.
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: mail.calendar.filename, content: mail.calendar.content } } : {}),
    ...(messageId ? { messageId } : {}),
    headers,
  });
  return composer.compile().build();
}

/** RFC 6047 §2.4: the Content-Type's method parameter must be the METHOD of the iCalendar object. */
function assertMethodMatches(calendar: NonNullable<OutgoingMail['calendar']>) {
  const method = /^METHOD:(.*?)\r?$/m.exec(calendar.content)?.[1]?.trim().toUpperCase();
  if (method !== calendar.method) {
    throw new Error(`The calendar's METHOD is ${method ?? 'missing'}, the mail says ${calendar.method}`);
  }
}

/** SES with SendRawEmail: the whole MIME message as built by composeMime. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly options: { configurationSetName?: string | undefined } = {},
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    let raw: Buffer;
    try {
      raw = await composeMime(mail);
    } catch (error) {
      throw new PermanentMailError('MailNotComposable', `The mail cannot be composed: ${(error as Error).message}`, { cause: error });
    }
    const tags = Object.entries(mail.tags ?? {}).map(([Name, Value]) => ({ Name, Value }));
    let messageId: string | undefined;
    try {
      const sent = await this.client.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          ...(this.options.configurationSetName ? { ConfigurationSetName: this.options.configurationSetName } : {}),
          ...(tags.length ? { Tags: tags } : {}),
        }),
      );
      messageId = sent.MessageId;
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (typeof name === 'string' && permanentSesErrors.has(name)) {
        throw new PermanentMailError(name, `SES refused the mail: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
    // SES's model makes MessageId required. Should one ever be missing, the mail went out: park it
    // rather than send it twice.
    if (!messageId) throw new PermanentMailError('MissingMessageId', 'SES accepted the mail but returned no MessageId');
    return { messageId };
  }
}

/** The SES client, as the DynamoDB one: no logger middleware; local SES gets dummy credentials. */
export function createSesClient(options: { region: string; endpoint?: string | undefined }): SESClient {
  const client = new SESClient({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  // Same reason as in dynamo.ts: the logger middleware filters every response for sensitive
  // data even though we never log SDK calls.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
