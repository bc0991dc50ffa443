import { simpleParser, type ParsedMail } from 'mailparser';
import addressparser, { type Address } from 'nodemailer/lib/addressparser';

/** A mail as aws-ses-v2-local's `GET /store` returns it: mailparser's reading of what was sent. */
export interface InboxMessage {
  /** The id SendRawEmail returned (`ses-<9 digits>` locally). */
  messageId: string;
  /** The From header as mailparser prints it, e.g. `"Physiotherapie am Park" <bookings@…>`. */
  from: string;
  replyTo: string[];
  /** One entry per header, as printed (`"Name" <a@b>, c@d`); filter with `to`, not by equality. */
  destination: { to: string[]; cc: string[]; bcc: string[] };
  /** Decoded (RFC 2047 words resolved). */
  subject: string;
  body: { text?: string; html?: string };
  /**
   * Every non-body part, the text/calendar alternative included (contentType `text/calendar`,
   * no filename). `content` is base64. Part parameters such as `method=` are not kept here.
   */
  attachments: Array<{ content: string; contentType: string; filename?: string; contentDisposition?: string; size: number }>;
  /** When the local SES accepted it, in epoch seconds. */
  at: number;
  /** The MIME message exactly as sent, base64 (SendRawEmail only; added by startSesLocal). */
  raw?: string;
}

const addressesOf = (list: Address[]): string[] =>
  list.flatMap((entry) => (entry.group ? addressesOf(entry.group) : [entry.address.toLowerCase()]));

/** Every recipient address of a stored mail (To, Cc and Bcc), lower-cased. */
export function recipientsOf(message: InboxMessage): string[] {
  const { to, cc, bcc } = message.destination;
  return [...to, ...cc, ...bcc].flatMap((field) => addressesOf(addressparser(field)));
}

/**
 * The stored mails, oldest first. Test files run in parallel against one local SES, so pass
 * `to` (an address only your test sends to) to see only your test's mails. `since` is applied by
 * the server at one-second resolution, so it may include mails from earlier in that second.
 */
export async function inboxMessages(endpoint: string, options: { since?: Date; to?: string } = {}): Promise<InboxMessage[]> {
  const query = options.since ? `?since=${Math.floor(options.since.getTime() / 1000)}` : '';
  const response = await fetch(`${endpoint}/store${query}`);
  if (!response.ok) throw new Error(`GET ${endpoint}/store answered ${response.status}: ${await response.text()}`);
  const { emails } = (await response.json()) as { emails: InboxMessage[] };
  const to = options.to?.toLowerCase();
  return to ? emails.filter((message) => recipientsOf(message).includes(to)) : emails;
}

/** Polls until `count` mails to `to` are stored (for senders that send after the request returns). */
export async function waitForMessages(endpoint: string, options: { to: string; count?: number; since?: Date; timeoutMs?: number }): Promise<InboxMessage[]> {
  const count = options.count ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const messages = await inboxMessages(endpoint, options);
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) throw new Error(`Expected ${count} mail(s) to ${options.to}, found ${messages.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The raw MIME as sent, parsed with mailparser: headers, every part and its parameters. */
export async function parseRaw(message: InboxMessage): Promise<ParsedMail> {
  if (!message.raw) throw new Error(`Mail ${message.messageId} has no raw MIME (sent with SendEmail, or SES not started by startSesLocal)`);
  return simpleParser(Buffer.from(message.raw, 'base64'));
}

/**
 * Empties the whole local SES inbox (POST /clear-store; templates too). Every test file shares it,
 * so this is for a test that owns the server; everyone else filters by recipient.
 */
export async function clearInbox(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST ${endpoint}/clear-store answered ${response.status}`);
}
