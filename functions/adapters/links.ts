import { createHmac } from 'node:crypto';

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
    return `${this.publicBaseUrl.replace(/\/$/, '')}/manage/${encodeURIComponent(bookingId)}#token=${this.manageToken(bookingId)}`;
  }
}

/** For the local stack and tests: a fixed, obviously non-production secret. */
export const LOCAL_LINK_SECRET = 'kairos-local-development-link-secret-not-for-production';
