import { describe, expect, it } from 'vitest';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { PermanentMailError } from '#functions/adapters/mailer';
import { renderOutboxMessage } from '#functions/app/outbox';
import { maskEmail } from '#functions/app/mask';
import { LinksWithoutSecret } from '#functions/app/runtime';
import type { OutboxMessage } from '#shared/domain/notifications';
import { JOURNEY_TEMPLATES, type JourneyTemplate } from '#shared/journeys/rules';
import { journeyCatalogues, renderJourneyMail, type JourneyMailInput } from '#shared/mail/journey';
import { mailLocales } from '#shared/mail/types';

const booking = {
  id: 'bk_1',
  version: 2,
  status: 'cancelled' as const,
  start: '2026-11-26T10:00:00Z',
  end: '2026-11-26T10:30:00Z',
  updatedAt: '2026-11-24T21:30:00Z',
  serviceName: 'Haircut',
  providerName: 'Anna',
  customer: { name: 'Ana García', email: 'ana@example.com' },
};
const input = (template: JourneyTemplate, extra: Partial<JourneyMailInput> = {}): JourneyMailInput => ({
  template,
  locale: 'en',
  timeZone: 'Europe/Berlin',
  business: { name: 'Salon Süd', email: 'bookings@kairos.localhost', timeZone: 'Europe/Berlin' },
  booking,
  actionUrl: 'https://book.example/book/acme?rebook=bk_1#token=abc',
  ...extra,
});
const templates = Object.keys(JOURNEY_TEMPLATES) as JourneyTemplate[];
const links = new Links(LOCAL_LINK_SECRET, 'https://book.example');

describe('journey mails', () => {
  it.each(mailLocales.flatMap((locale) => templates.map((template) => [locale, template] as const)))('%s %s reads as written (snapshot)', (locale, template) => {
    const mail = renderJourneyMail(
      input(template, {
        locale,
        ...(JOURNEY_TEMPLATES[template] === 'service' ? {} : { unsubscribe: { preferencesUrl: 'https://book.example/preferences/#token=t', unsubscribeUrl: 'https://book.example/preferences/?unsubscribe=1#token=t' } }),
      }),
    );
    expect(`${mail.subject}\n\n${mail.text}`).toMatchSnapshot();
  });

  it('has every text in every language, and no placeholder left unfilled', () => {
    for (const locale of mailLocales) {
      expect(Object.keys(journeyCatalogues[locale].templates).sort()).toEqual([...templates].sort());
      for (const template of templates) {
        const mail = renderJourneyMail(input(template, { locale }));
        expect(mail.text).not.toMatch(/[{}]/);
        expect(mail.html).toContain('href="https://book.example/book/acme?rebook=bk_1#token=abc"');
      }
    }
  });

  it('writes dates in the reader zone, naming it', () => {
    const mail = renderJourneyMail(input('extra-reminder', { timeZone: 'Asia/Kolkata' }));
    expect(mail.text).toContain('(Asia/Kolkata)');
    expect(mail.text).toContain('3:30');
  });

  it('escapes what customers typed and keeps headers on one line', () => {
    const mail = renderJourneyMail(input('win-back', { booking: { ...booking, customer: { name: '<b>Eve</b>\r\nBcc: x@evil', email: 'e@x' } } }));
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<b>Eve</b>');
    expect(mail.html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
  });

  it('refuses a button link that is not http(s)', () => {
    expect(() => renderJourneyMail(input('review-request', { actionUrl: 'javascript:alert(1)' }))).toThrow(/http or https/);
  });

  it('shows the unsubscribe footer only when asked to (marketing and review mails)', () => {
    const plain = renderJourneyMail(input('extra-reminder'));
    expect(plain.text).not.toContain('Unsubscribe');
    const marketing = renderJourneyMail(input('win-back', { unsubscribe: { preferencesUrl: 'https://b.example/p#token=t', unsubscribeUrl: 'https://b.example/u' } }));
    expect(marketing.text).toContain('Unsubscribe: https://b.example/u');
    expect(marketing.html).toContain('href="https://b.example/p#token=t"');
  });
});

describe('journey messages in the outbox', () => {
  const message = (template: JourneyTemplate, extra: Partial<OutboxMessage['journey']> = {}): OutboxMessage => ({
    id: `journey.rule.bk_1`,
    tenantId: 'acme',
    bookingId: 'bk_1',
    kind: template,
    audience: 'customer',
    to: 'ana@example.com',
    journey: { template, ruleId: 'rule', customerId: 'cus_0123456789ab', purpose: JOURNEY_TEMPLATES[template], ...extra },
    mail: { ...input(template), kind: template, audience: 'customer' },
    withManageLink: false,
    dueAt: '2026-11-25T08:00:00Z',
    nextAttemptAt: '2026-11-25T08:00:00Z',
    status: 'pending',
    attempts: 0,
    createdAt: '2026-11-25T08:00:00Z',
  });

  it('gives marketing mails the RFC 8058 headers, pointing at the customer’s own token', () => {
    const { rendered, headers } = renderOutboxMessage(message('rebook-invitation'), links);
    const token = links.preferencesToken('acme', 'cus_0123456789ab');
    expect(headers).toEqual({ 'List-Unsubscribe': `<https://book.example/v1/preferences/${token}/unsubscribe>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(rendered.text).toContain(links.rebookUrl('acme', 'bk_1'));
    expect(rendered.text).toContain(links.preferencesUrl('acme', 'cus_0123456789ab'));
    // The footer's unsubscribe link opens the page (a GET must not unsubscribe), not the POST target.
    expect(rendered.text).toContain(links.unsubscribePageUrl('acme', 'cus_0123456789ab'));
    expect(rendered.text).not.toContain('/unsubscribe>');
    expect(rendered.text).not.toMatch(/\/v1\/preferences\/[^\s]+\/unsubscribe/);
  });

  it('links a service reminder to the manage page, without unsubscribe headers', () => {
    const { rendered, headers } = renderOutboxMessage(message('extra-reminder'), links);
    expect(headers).toBeUndefined();
    expect(rendered.text).toContain(links.manageUrl('bk_1'));
  });

  it('sends a review request to the review page, and parks one without it as not composable', () => {
    expect(renderOutboxMessage(message('review-request', { reviewUrl: 'https://reviews.example/acme' }), links).rendered.text).toContain('https://reviews.example/acme');
    expect(() => renderOutboxMessage(message('review-request'), links)).toThrow(PermanentMailError);
  });
});

describe('preferences tokens', () => {
  it('round-trips and refuses any change to tenant, customer or signature', () => {
    const token = links.preferencesToken('acme', 'cus_0123456789ab');
    expect(links.readPreferencesToken(token)).toEqual({ tenantId: 'acme', customerId: 'cus_0123456789ab' });
    const [tenant, customer, mac] = token.split('.') as [string, string, string];
    expect(links.readPreferencesToken(`other.${customer}.${mac}`)).toBeUndefined();
    expect(links.readPreferencesToken(`${tenant}.cus_0123456789ac.${mac}`)).toBeUndefined();
    expect(links.readPreferencesToken(`${tenant}.${customer}.${mac.slice(0, -1)}A`)).toBeUndefined();
    expect(links.readPreferencesToken(`${token}.extra`)).toBeUndefined();
    expect(new Links('another-secret-of-at-least-32-characters!', 'https://b.example').readPreferencesToken(token)).toBeUndefined();
  });

  it('masks the address the page shows', () => {
    expect(maskEmail('ana.garcia@example.com')).toBe('a***@example.com');
    expect(maskEmail('x@example.com')).toBe('x***@example.com');
    expect(maskEmail('broken')).toBe('***');
  });
});

describe('links in a function without the link secret', () => {
  it('refuse every kind of token, not only manage links (a wiring mistake must not mint tokens under a random key)', () => {
    const links = new LinksWithoutSecret('https://book.example');
    const claims = { tenantId: 'acme', customerId: 'cus_0123456789ab', bookingId: 'bk_1', expiresAt: '2026-11-24T00:00:00Z' };
    for (const make of [
      () => links.manageUrl('bk_1'),
      () => links.rebookUrl('acme', 'bk_1'),
      () => links.preferencesToken('acme', 'cus_0123456789ab'),
      () => links.readPreferencesToken('acme.cus_0123456789ab.x'),
      () => links.unsubscribeUrl('acme', 'cus_0123456789ab'),
      () => links.dataExportUrl(claims),
      () => links.waitlistOfferToken('wl_1', 'p1', '2026-11-24T09:00:00Z'),
    ]) {
      expect(make).toThrow(/no link secret/);
    }
  });
});
