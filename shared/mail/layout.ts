import type { MailLocale } from './types.ts';

/**
 * One mail's content, already formatted, and its two renderings: plain text and simple HTML.
 * Both are made from the same data, so the text part carries everything the HTML part does.
 */

export interface MailDetail {
  label: string;
  value: string;
  /** The text part's line, from the catalogue's `detail` message. */
  line: string;
}

export interface MailBody {
  locale: MailLocale;
  subject: string;
  greeting?: string | undefined;
  intro: string;
  details: readonly MailDetail[];
  manage?: { text: string; button: string; url: string } | undefined;
  /** Paragraphs after the manage link (what the attached invitation does). */
  notes: readonly string[];
  closing?: string | undefined;
  /** May span lines. */
  signOff?: string | undefined;
  /** Small print under the card: why the reader gets this mail and the links to stop it (marketing mails). */
  footer?: { text: string; links: ReadonlyArray<{ label: string; url: string }> } | undefined;
}

export function renderText(body: MailBody): string {
  const blocks: string[] = [];
  if (body.greeting) blocks.push(body.greeting);
  blocks.push(body.intro);
  // A value that spans lines (customer notes) is indented under its label, so the next label
  // still starts a line of its own.
  if (body.details.length > 0) blocks.push(body.details.map((detail) => detail.line.replace(/\r\n|\r|\n/g, '\n  ')).join('\n'));
  if (body.manage) blocks.push(`${body.manage.text}\n${body.manage.url}`);
  blocks.push(...body.notes);
  if (body.closing) blocks.push(body.closing);
  if (body.signOff) blocks.push(body.signOff);
  if (body.footer) blocks.push(['--', body.footer.text, ...body.footer.links.map((link) => `${link.label}: ${link.url}`)].join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text as HTML text or attribute content. Every interpolated value goes through here, quotes
 * included, so a customer's name can neither open a tag nor leave an attribute.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Escaped, with line breaks kept. */
const htmlLines = (text: string): string => escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>');

/**
 * Inline styles only, and a layout of paragraphs and one table: mail clients drop <style> blocks
 * and external CSS unevenly, and this much renders the same everywhere.
 */
const STYLE = {
  body: 'margin:0;padding:0;background-color:#f4f4f5;',
  outer: 'max-width:560px;margin:0 auto;padding:24px 16px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#18181b;',
  card: 'background-color:#ffffff;border-radius:8px;padding:24px;',
  paragraph: 'margin:0 0 16px;',
  table: 'border-collapse:collapse;margin:0 0 16px;',
  label: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:bold;white-space:nowrap;',
  value: 'vertical-align:top;padding:4px 0;',
  button: 'display:inline-block;padding:12px 20px;background-color:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;',
  footer: 'margin:16px 0 0;font-size:13px;line-height:1.4;color:#52525b;',
  footerLink: 'color:#52525b;',
} as const;

export function renderHtml(body: MailBody): string {
  const paragraph = (text: string) => `<p style="${STYLE.paragraph}">${htmlLines(text)}</p>`;
  const parts: string[] = [];
  if (body.greeting) parts.push(paragraph(body.greeting));
  parts.push(paragraph(body.intro));
  if (body.details.length > 0) {
    parts.push(
      `<table style="${STYLE.table}">`,
      ...body.details.map(
        (detail) => `<tr><th scope="row" style="${STYLE.label}">${htmlLines(detail.label)}</th><td style="${STYLE.value}">${htmlLines(detail.value)}</td></tr>`,
      ),
      '</table>',
    );
  }
  if (body.manage) {
    parts.push(
      paragraph(body.manage.text),
      `<p style="${STYLE.paragraph}"><a href="${escapeHtml(body.manage.url)}" style="${STYLE.button}">${htmlLines(body.manage.button)}</a></p>`,
    );
  }
  parts.push(...body.notes.map(paragraph));
  if (body.closing) parts.push(paragraph(body.closing));
  if (body.signOff) parts.push(paragraph(body.signOff));

  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(body.locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(body.subject)}</title>`,
    '</head>',
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.outer}">`,
    `<div style="${STYLE.card}">`,
    ...parts,
    '</div>',
    ...(body.footer
      ? [
          `<p style="${STYLE.footer}">${htmlLines(body.footer.text)}<br>${body.footer.links
            .map((link) => `<a href="${escapeHtml(link.url)}" style="${STYLE.footerLink}">${htmlLines(link.label)}</a>`)
            .join(' · ')}</p>`,
        ]
      : []),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
