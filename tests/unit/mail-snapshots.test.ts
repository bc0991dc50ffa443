import { describe, expect, it } from 'vitest';
import { renderMail } from '#shared/mail/render';
import { type MailAudience, type MailInput, type MailKind, mailLocales } from '#shared/mail/types';

/**
 * Subject and text of every mail for one fixed booking, in every language, as snapshots meant to
 * be read: __snapshots__/mail-snapshots.test.ts.snap is where wording, grammar and the polite form
 * ("Sie", "usted") are reviewed. A changed message shows up there as a diff to read, not only as a
 * passing or failing assertion.
 */

const KINDS: readonly MailKind[] = ['booking_confirmed', 'booking_rescheduled', 'booking_cancelled', 'reminder'];
const AUDIENCES: readonly MailAudience[] = ['customer', 'provider'];

function fixedMail(kind: MailKind, audience: MailAudience, locale: MailInput['locale']): MailInput {
  const cancelled = kind === 'booking_cancelled';
  return {
    kind,
    audience,
    locale,
    timeZone: 'Europe/Berlin',
    business: { name: 'Salon Schnitt', email: 'hallo@salon-schnitt.example', timeZone: 'Europe/Berlin' },
    ...(audience === 'customer' ? { manageUrl: 'https://book.example/salon-schnitt/manage/bk_0001?token=abc123' } : {}),
    ...(kind === 'reminder' ? { reminderLead: 'P1D' } : {}),
    booking: {
      id: 'bk_0001',
      version: cancelled ? 3 : kind === 'booking_rescheduled' ? 2 : 1,
      status: cancelled ? 'cancelled' : 'confirmed',
      // Tuesday 1 December 2026, 10:00-11:00 in Berlin; before the move: Monday 30 November, 14:30.
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T10:00:00Z',
      ...(kind === 'booking_rescheduled' ? { previousStart: '2026-11-30T13:30:00Z' } : {}),
      updatedAt: '2026-11-20T08:00:00Z',
      serviceName: 'Balayage',
      providerName: 'Anna Berg',
      customer: { name: 'Maria García', email: 'maria@example.com', phone: '+34 600 123 456' },
      notes: 'Sensitive scalp',
      ...(cancelled ? { cancelReason: 'Anna is ill' } : {}),
    },
  };
}

describe.each(mailLocales)('mails in %s', (locale) => {
  it.each(KINDS.flatMap((kind) => AUDIENCES.map((audience) => [kind, audience] as const)))('%s to the %s', (kind, audience) => {
    const { subject, text } = renderMail(fixedMail(kind, audience, locale));

    expect(`Subject: ${subject}\n\n${text}`).toMatchSnapshot();
  });
  it('data_export to the customer', () => {
    const { manageUrl: _manage, ...mail } = fixedMail('booking_confirmed', 'customer', locale);
    const { subject, text, html, calendar } = renderMail({
      ...mail,
      kind: 'data_export',
      dataExport: { url: 'https://book.example/v1/data-exports/salon.cus_abc.bk_0001.1795500000.mac', expiresAt: '2026-11-21T08:00:00Z' },
    });

    expect(calendar).toBeUndefined();
    expect(html).toContain('href="https://book.example/v1/data-exports/salon.cus_abc.bk_0001.1795500000.mac"');
    expect(`Subject: ${subject}\n\n${text}`).toMatchSnapshot();
  });
});
