import { randomUUID } from 'node:crypto';
import {
  AccountSendingPausedException,
  ConfigurationSetDoesNotExistException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SendRawEmailCommand,
  SESClient,
  SESServiceException,
} from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { composeMime, createSesClient, PermanentMailError, SesMailer, type OutgoingMail } from '#functions/adapters/mailer';
import { inboxMessages, parseRaw } from '#tests/support/ses-inbox';

const invite = (method: 'REQUEST' | 'CANCEL') =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kairos//Bookings//DE',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    'UID:bk_7f3a@kairos.test',
    `SEQUENCE:${method === 'CANCEL' ? 2 : 1}`,
    'DTSTAMP:20261123T070000Z',
    'DTSTART:20261124T090000Z',
    'DTEND:20261124T094500Z',
    'SUMMARY:Krankengymnastik bei Jürgen Größe – Señora Muñoz',
    'LOCATION:Physiotherapie am Park\\, Straße des 17. Juni 1\\, Berlin',
    ...(method === 'CANCEL' ? ['STATUS:CANCELLED'] : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  from: 'Physiotherapie Müller & Señora <bookings@kairos.test>',
  to: 'Jürgen Größe <juergen@example.com>',
  replyTo: 'praxis@kairos.test',
  subject: 'Termin bestätigt: Dienstag, 24. November – mañana a las 10:00 (ñ, ß, €)',
  text: 'Guten Tag Herr Größe,\n\nIhr Termin ist bestätigt. ¡Hasta mañana, señor!\n',
  html: '<p>Guten Tag Herr Größe,</p><p>Ihr Termin ist bestätigt. ¡Hasta mañana, señor!</p>',
  calendar: { method: 'REQUEST', content: invite('REQUEST'), filename: 'termin.ics' },
  ...overrides,
});

interface MimePart {
  headers: Record<string, string>;
  type: string;
  params: Record<string, string>;
  children: MimePart[];
}

/** Just enough of a MIME reader to see the tree: types, parameters and nesting. */
function mimeTree(source: string): MimePart {
  const split = source.search(/\r?\n\r?\n/);
  const head = split < 0 ? source : source.slice(0, split);
  const body = split < 0 ? '' : source.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const [type = 'text/plain', ...rest] = (headers['content-type'] ?? 'text/plain').split(';');
  const params = Object.fromEntries(
    rest.map((param) => param.trim().split('=')).map(([key = '', ...value]) => [key.toLowerCase(), value.join('=').replace(/^"|"$/g, '')]),
  );
  const children: MimePart[] = [];
  if (type.startsWith('multipart/') && params.boundary) {
    const parts = body.split(`--${params.boundary}`);
    for (const part of parts.slice(1)) {
      if (part.startsWith('--')) break;
      children.push(mimeTree(part.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
    }
  }
  return { headers, type: type.trim().toLowerCase(), params, children };
}

const calendarAlternative = (parsed: ParsedMail) => parsed.attachments.find((part) => part.contentType === 'text/calendar' && !part.filename);
const contentType = (part: Attachment) => part.headers.get('content-type') as { value: string; params: Record<string, string> };

describe('composeMime', () => {
  it('builds mixed(alternative(text, html, text/calendar; method=REQUEST), .ics attachment)', async () => {
    const tree = mimeTree((await composeMime(mail())).toString('latin1'));

    expect(tree.type).toBe('multipart/mixed');
    expect(tree.children.map((part) => part.type)).toEqual(['multipart/alternative', 'application/ics']);
    const [alternative, attachment] = tree.children;
    expect(alternative!.children.map((part) => part.type)).toEqual(['text/plain', 'text/html', 'text/calendar']);
    expect(alternative!.children.map((part) => part.params.charset)).toEqual(['utf-8', 'utf-8', 'utf-8']);
    expect(alternative!.children[2]!.params.method).toBe('REQUEST');
    expect(attachment!.headers['content-disposition']).toBe('attachment; filename=termin.ics');
  });

  it('keeps German and Spanish text intact: headers as RFC 2047 words, bodies in UTF-8', async () => {
    const raw = await composeMime(mail());
    const header = raw.subarray(0, raw.indexOf('\r\n\r\n'));
    expect([...header].every((byte) => byte < 0x80)).toBe(true);
    expect(header.toString()).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(mail().subject);
    expect(parsed.text).toBe(mail().text);
    expect(parsed.html).toBe(mail().html);
    expect(parsed.from?.value).toEqual([{ name: 'Physiotherapie Müller & Señora', address: 'bookings@kairos.test' }]);
    expect(parsed.to).toMatchObject({ value: [{ name: 'Jürgen Größe', address: 'juergen@example.com' }] });
    expect(parsed.replyTo?.value).toEqual([{ name: '', address: 'praxis@kairos.test' }]);
  });

  it('carries the same REQUEST calendar as the alternative and as the named attachment', async () => {
    const parsed = await simpleParser(await composeMime(mail()));

    const alternative = calendarAlternative(parsed);
    expect(alternative).toBeDefined();
    expect(contentType(alternative!).params).toMatchObject({ charset: 'utf-8', method: 'REQUEST' });
    expect(alternative!.content.toString('utf8')).toBe(invite('REQUEST'));

    const attachment = parsed.attachments.find((part) => part.filename === 'termin.ics');
    expect(attachment).toMatchObject({ contentDisposition: 'attachment' });
    expect(attachment!.contentType).toMatch(/^(application\/ics|text\/calendar)$/);
    expect(attachment!.content.toString('utf8')).toBe(invite('REQUEST'));
  });

  it('sends a cancellation as method=CANCEL in both places', async () => {
    const cancel = mail({ subject: 'Termin abgesagt – cancelación', calendar: { method: 'CANCEL', content: invite('CANCEL'), filename: 'absage.ics' } });
    const raw = await composeMime(cancel);
    const parsed = await simpleParser(raw);

    expect(parsed.subject).toBe('Termin abgesagt – cancelación');
    expect(contentType(calendarAlternative(parsed)!).params.method).toBe('CANCEL');
    expect(calendarAlternative(parsed)!.content.toString('utf8')).toBe(invite('CANCEL'));
    const attachment = parsed.attachments.find((part) => part.filename === 'absage.ics');
    expect(attachment!.content.toString('utf8')).toContain('STATUS:CANCELLED');
    expect(mimeTree(raw.toString('latin1')).children[0]!.children[2]!.params.method).toBe('CANCEL');
  });

  it('without a calendar is just text and HTML alternatives, with no attachment', async () => {
    const { calendar: _none, ...plain } = mail();
    const raw = await composeMime(plain);
    const tree = mimeTree(raw.toString('latin1'));
    expect(tree.type).toBe('multipart/alternative');
    expect(tree.children.map((part) => part.type)).toEqual(['text/plain', 'text/html']);
    expect((await simpleParser(raw)).attachments).toEqual([]);
  });

  it('passes extra headers through, a given Message-ID included', async () => {
    const parsed = await simpleParser(
      await composeMime(
        mail({ headers: { 'Message-ID': '<bk_7f3a.confirmation@kairos.test>', 'List-Unsubscribe': '<https://kairos.test/u/abc>', 'X-Kairos-Tenant': 'demo' } }),
      ),
    );
    expect(parsed.messageId).toBe('<bk_7f3a.confirmation@kairos.test>');
    expect(parsed.headers.get('x-kairos-tenant')).toBe('demo');
    expect(parsed.headerLines.find((header) => header.key === 'list-unsubscribe')?.line).toBe('List-Unsubscribe: <https://kairos.test/u/abc>');
  });

  it('refuses a calendar whose METHOD differs from the mail’s method (RFC 6047)', async () => {
    await expect(composeMime(mail({ calendar: { method: 'CANCEL', content: invite('REQUEST'), filename: 'x.ics' } }))).rejects.toThrow(
      "The calendar's METHOD is REQUEST, the mail says CANCEL",
    );
  });
});

describe('SesMailer against SES faults (mocked: local SES cannot produce them)', () => {
  const client = new SESClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const ses = mockClient(client);
  afterEach(() => ses.reset());
  const mailer = new SesMailer(client, { configurationSetName: 'kairos-mail' });

  it('sends the composed MIME with the configuration set and the tags, and returns the SES id', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: '0107019a-test' });
    const sent = await mailer.send(mail({ tags: { tenant: 'demo', message: 'msg_1' } }));

    expect(sent).toEqual({ messageId: '0107019a-test' });
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input.ConfigurationSetName).toBe('kairos-mail');
    expect(input.Tags).toEqual([
      { Name: 'tenant', Value: 'demo' },
      { Name: 'message', Value: 'msg_1' },
    ]);
    const parsed = await simpleParser(Buffer.from(input.RawMessage!.Data!));
    expect(parsed.subject).toBe(mail().subject);
    expect(parsed.attachments.map((part) => part.filename ?? part.contentType)).toEqual(['text/calendar', 'termin.ics']);
  });

  it('leaves out ConfigurationSetName and Tags when there are none', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'id' });
    await new SesMailer(client).send(mail());
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input).not.toHaveProperty('ConfigurationSetName');
    expect(input).not.toHaveProperty('Tags');
  });

  const unmodelled = (name: string, fault: 'client' | 'server', status: number) =>
    new SESServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name} from SES` });

  it.each([
    ['MessageRejected', new MessageRejected({ message: 'Email address is not verified.', $metadata: { httpStatusCode: 400 } })],
    ['MailFromDomainNotVerifiedException', new MailFromDomainNotVerifiedException({ message: 'not verified', $metadata: { httpStatusCode: 400 } })],
    ['ConfigurationSetDoesNotExistException', new ConfigurationSetDoesNotExistException({ message: 'no such set', $metadata: { httpStatusCode: 400 } })],
    ['InvalidParameterValue', unmodelled('InvalidParameterValue', 'client', 400)],
  ])('parks at once what no retry fixes: %s becomes a PermanentMailError', async (name, error) => {
    ses.on(SendRawEmailCommand).rejects(error);
    const thrown = await mailer.send(mail()).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(PermanentMailError);
    expect(thrown).toMatchObject({ code: name, cause: error });
  });

  it.each([
    ['Throttling (sending rate or daily quota)', unmodelled('Throttling', 'client', 400)],
    ['a 5xx', unmodelled('ServiceUnavailable', 'server', 503)],
    ['sending paused for the account', new AccountSendingPausedException({ message: 'paused', $metadata: { httpStatusCode: 400 } })],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('throws %s as it is, for the outbox to retry', async (_label, error) => {
    ses.on(SendRawEmailCommand).rejects(error);
    await expect(mailer.send(mail())).rejects.toBe(error);
  });

  it('parks a mail it cannot compose without calling SES', async () => {
    const thrown = await mailer.send(mail({ calendar: { method: 'CANCEL', content: invite('REQUEST'), filename: 'x.ics' } })).catch((caught: unknown) => caught);
    expect(thrown).toMatchObject({ name: 'PermanentMailError', code: 'MailNotComposable' });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });
});

describe('createSesClient', () => {
  it('removes the logger middleware, which a plain SES client has', () => {
    const plain = new SESClient({ region: 'eu-central-1' });
    expect(plain.middlewareStack.identify().some((entry) => entry.startsWith('loggerMiddleware'))).toBe(true);
    const client = createSesClient({ region: 'eu-central-1' });
    expect(client.middlewareStack.identify().some((entry) => entry.startsWith('loggerMiddleware'))).toBe(false);
  });

  it('gives the local SES dummy credentials, and AWS its own chain', async () => {
    const local = createSesClient({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:8005' });
    expect(await local.config.credentials()).toMatchObject({ accessKeyId: 'local', secretAccessKey: 'local' });
    const aws = createSesClient({ region: 'eu-central-1' });
    expect(aws.config.endpoint).toBeUndefined();
  });
});

describe('SesMailer through the local SES', () => {
  const endpoint = inject('sesEndpoint');
  const client = createSesClient({ region: 'eu-central-1', endpoint });
  const mailer = new SesMailer(client, { configurationSetName: 'kairos-local' });

  it('delivers the mail as sent: the inbox holds it, and its raw MIME parses to the same mail', async () => {
    const to = `patient-${randomUUID()}@example.com`;
    const { messageId } = await mailer.send(mail({ to: `Jürgen Größe <${to}>`, tags: { tenant: 'demo' } }));

    const messages = await inboxMessages(endpoint, { to });
    expect(messages).toHaveLength(1);
    const [stored] = messages;
    expect(stored).toMatchObject({ messageId, subject: mail().subject, body: { text: mail().text, html: mail().html } });

    const parsed = await parseRaw(stored!);
    expect(parsed.subject).toBe(mail().subject);
    expect(parsed.text).toBe(mail().text);
    expect(parsed.html).toBe(mail().html);
    expect(contentType(calendarAlternative(parsed)!).params.method).toBe('REQUEST');
    expect(calendarAlternative(parsed)!.content.toString('utf8')).toBe(invite('REQUEST'));
    const attachment = parsed.attachments.find((part) => part.filename === 'termin.ics');
    expect(attachment!.content.toString('utf8')).toBe(invite('REQUEST'));
  });

  it('shows each recipient only their own mail, whatever else the shared inbox holds', async () => {
    const [anna, ben] = [`anna-${randomUUID()}@example.com`, `ben-${randomUUID()}@example.com`];
    const since = new Date();
    await mailer.send(mail({ to: anna }));
    await mailer.send(mail({ to: `Ben <${ben}>`, calendar: { method: 'CANCEL', content: invite('CANCEL'), filename: 'absage.ics' } }));
    await mailer.send(mail({ to: `Ben <${ben}>`, subject: 'Erinnerung' }));

    expect(await inboxMessages(endpoint, { to: anna })).toHaveLength(1);
    const bens = await inboxMessages(endpoint, { to: ben.toUpperCase(), since });
    expect(bens.map((message) => message.subject)).toEqual([mail().subject, 'Erinnerung']);
    expect(contentType(calendarAlternative(await parseRaw(bens[0]!))!).params.method).toBe('CANCEL');
    expect(await inboxMessages(endpoint, { to: ben, since: new Date(Date.now() + 60_000) })).toEqual([]);
  });
});
