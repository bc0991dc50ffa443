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
    return this.mac('manage', bookingId);
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

  /**
   * The customer's data-export token (decision 68): `<tenant>.<customer>.<booking>.<expiry>.<mac>`,
   * the expiry in epoch seconds. The MAC binds all four, so nothing is stored and a changed expiry
   * is as invalid as a changed id. The booking is the one the export was asked from: its data is
   * exported even when the projector has not made a customer of it yet.
   */
  dataExportToken(claims: DataExportClaims): string {
    const expires = Math.floor(Date.parse(claims.expiresAt) / 1000);
    return `${claims.tenantId}.${claims.customerId}.${claims.bookingId}.${expires}.${this.dataExportMac(claims.tenantId, claims.customerId, claims.bookingId, expires)}`;
  }

  /** What a data-export token says, if it is one of ours (expired or not: the caller holds the clock). */
  readDataExportToken(token: string): DataExportClaims | undefined {
    const [tenantId, customerId, bookingId, expires, mac, ...rest] = token.split('.');
    if (!tenantId || !customerId || !bookingId || !expires || !mac || rest.length > 0 || !/^\d{1,12}$/.test(expires)) return undefined;
    const expected = Buffer.from(this.dataExportMac(tenantId, customerId, bookingId, Number(expires)));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { tenantId, customerId, bookingId, expiresAt: new Date(Number(expires) * 1000).toISOString() };
  }

  /** The export itself (an API route answering JSON), token in the path: it must reach the server. */
  dataExportUrl(claims: DataExportClaims): string {
    return `${this.base}/v1/data-exports/${this.dataExportToken(claims)}`;
  }

  private dataExportMac(tenantId: string, customerId: string, bookingId: string, expires: number): string {
    return this.mac('data-export', tenantId, customerId, bookingId, String(expires));
  }

  /**
   * A waitlist offer's token (decision 103): `<provider>.<start, epoch seconds>.<mac>`, the MAC over
   * the entry, the provider and the slot's start. It books that one slot for that one entry and
   * no other; it expires when the slot begins (the claim checks, holding the clock). Derived,
   * never stored, like the manage token.
   */
  waitlistOfferToken(entryId: string, providerId: string, start: string): string {
    const seconds = Math.floor(Date.parse(start) / 1000);
    return `${providerId}.${seconds}.${this.offerMac(entryId, providerId, seconds)}`;
  }

  /** The provider and start an offer token for this entry names, if it is one of ours (expired or not). */
  readWaitlistOfferToken(entryId: string, token: string): { providerId: string; start: string } | undefined {
    const [providerId, seconds, mac, ...rest] = token.split('.');
    if (!providerId || !seconds || !mac || rest.length > 0 || !/^\d{1,12}$/.test(seconds)) return undefined;
    const expected = Buffer.from(this.offerMac(entryId, providerId, Number(seconds)));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { providerId, start: new Date(Number(seconds) * 1000).toISOString().replace('.000Z', 'Z') };
  }

  /**
   * The offer mail's button: a page that shows the slot and books it with one click (POST
   * /v1/waitlist/{entryId}/claim, the token as Bearer). A page, not the API: a GET must never book
   * — mail scanners open every link. The token travels in the fragment.
   */
  waitlistOfferUrl(entryId: string, providerId: string, start: string, names?: { tenantId: string; serviceId?: string | undefined }): string {
    // Tenant and service are not secret: with them the page names the service and the person
    // from the public tenant (the token itself carries only provider and start).
    const query = names ? `?${new URLSearchParams({ tenant: names.tenantId, ...(names.serviceId ? { service: names.serviceId } : {}) })}` : '';
    return `${this.base}/waitlist/${encodeURIComponent(entryId)}/offer${query}#token=${this.waitlistOfferToken(entryId, providerId, start)}`;
  }

  /** "Leave the waiting list": a page that asks, then DELETEs the entry with its manage token (an HMAC of the entry id, as a booking's is of its id). */
  waitlistLeaveUrl(entryId: string): string {
    return `${this.base}/waitlist/${encodeURIComponent(entryId)}#token=${this.manageToken(entryId)}`;
  }

  private offerMac(entryId: string, providerId: string, seconds: number): string {
    return this.mac('waitlist-offer', entryId, providerId, String(seconds));
  }

  /**
   * Every token is an HMAC-SHA256 under the link secret of its purpose and parts, NUL-separated
   * (no part contains NUL), so a token of one purpose is never valid for another. The one place
   * the secret is used: a Links without a secret refuses here (functions/app/runtime.ts).
   */
  protected mac(purpose: string, ...parts: string[]): string {
    return createHmac('sha256', this.secret).update([purpose, ...parts].join('\u0000'), 'utf8').digest('base64url');
  }

  private get base(): string {
    return this.publicBaseUrl.replace(/\/$/, '');
  }

  private preferencesMac(tenantId: string, customerId: string): string {
    return this.mac('preferences', tenantId, customerId);
  }
}

/** Whose data a data-export link opens, and until when (UTC ISO-8601, whole seconds). */
export interface DataExportClaims {
  tenantId: string;
  customerId: string;
  bookingId: string;
  expiresAt: string;
}

/** For the local stack and tests: a fixed, obviously non-production secret. */
export const LOCAL_LINK_SECRET = 'kairos-local-development-link-secret-not-for-production';
