import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links in customer mails. A booking's manage token is derived from a server secret and the
 * booking id (HMAC-SHA256), so every later mail — a reschedule made by reception, a reminder —
 * can carry the manage link without the token being stored anywhere: the table keeps only its
 * SHA-256, as before. Rotating the secret invalidates outstanding links (see decisions).
 */
export class Links {
  constructor(
    private readonly secret: string,
    /** Where the web apps are served, e.g. https://book.example.com. */
    readonly publicBaseUrl: string,
  ) {
    if (secret.length < 32) throw new Error('The link secret must be at least 32 characters');
  }

  manageToken(bookingId: string): string {
    return createHmac('sha256', this.secret).update(`manage\u0000${bookingId}`, 'utf8').digest('base64url');
  }

  /** The token travels in the fragment, which browsers never send to a server or put in logs. */
  manageUrl(bookingId: string): string {
    return `${this.base}/manage/${encodeURIComponent(bookingId)}#token=${this.manageToken(bookingId)}`;
  }

  /** "Book again": the booking page, pre-filled from that booking's rebook suggestions (which the manage token opens). */
  rebookUrl(tenantId: string, bookingId: string): string {
    return `${this.base}/book/${encodeURIComponent(tenantId)}?rebook=${encodeURIComponent(bookingId)}#token=${this.manageToken(bookingId)}`;
  }

  /**
   * A customer's mail-preferences token: `<tenant>.<customer>.<mac>`. Ids are lower-case letters,
   * digits, "-" and "_", so the dots separate them unambiguously; the MAC binds both, and like the
   * manage token it is derived, never stored.
   */
  preferencesToken(tenantId: string, customerId: string): string {
    return `${tenantId}.${customerId}.${this.preferencesMac(tenantId, customerId)}`;
  }

  /** The tenant and customer a preferences token names, or undefined when it is not one of ours. */
  readPreferencesToken(token: string): { tenantId: string; customerId: string } | undefined {
    const [tenantId, customerId, mac, ...rest] = token.split('.');
    if (!tenantId || !customerId || !mac || rest.length > 0) return undefined;
    const expected = Buffer.from(this.preferencesMac(tenantId, customerId));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { tenantId, customerId } : undefined;
  }

  /** The preferences page (web app; token in the fragment). */
  preferencesUrl(tenantId: string, customerId: string): string {
    return `${this.base}/preferences/#token=${this.preferencesToken(tenantId, customerId)}`;
  }

  /**
   * The footer's "unsubscribe" link: the preferences page, which asks before it withdraws (a GET
   * must never unsubscribe: mail scanners open every link).
   */
  unsubscribePageUrl(tenantId: string, customerId: string): string {
    return `${this.base}/preferences/?unsubscribe=1#token=${this.preferencesToken(tenantId, customerId)}`;
  }

  /** RFC 8058 one-click unsubscribe: the List-Unsubscribe header's URL, which mail providers POST to. */
  unsubscribeUrl(tenantId: string, customerId: string): string {
    return `${this.base}/v1/preferences/${this.preferencesToken(tenantId, customerId)}/unsubscribe`;
  }

  private get base(): string {
    return this.publicBaseUrl.replace(/\/$/, '');
  }

  private preferencesMac(tenantId: string, customerId: string): string {
    return createHmac('sha256', this.secret).update(`preferences\u0000${tenantId}\u0000${customerId}`, 'utf8').digest('base64url');
  }
}

/** For the local stack and tests: a fixed, obviously non-production secret. */
export const LOCAL_LINK_SECRET = 'kairos-local-development-link-secret-not-for-production';
