import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Role } from '#shared/domain/staff';

/** The app client id of the local "user pool"; ID tokens carry it as `aud`, like Cognito's. */
export const LOCAL_CLIENT_ID = 'kairos-local';

/** Cognito ID tokens live an hour by default; so do ours. */
export const ID_TOKEN_SECONDS = 3600;

/** Whom a token is about: the account's attributes, as Cognito would put them in an ID token. */
export interface TokenSubject {
  userId: string;
  tenantId: string;
  role: Role;
  providerId?: string | undefined;
  email: string;
  name: string;
}

export interface IssueOptions {
  /** Lifetime from `now`; negative mints a token that has already expired. */
  expiresInSeconds?: number;
  /** Claims set last, over the computed ones (tests: a wrong `aud`, a foreign `iss`). */
  claims?: Record<string, unknown>;
}

/** The body of a successful sign-in (and of /auth/dev-token). */
export interface SignInResult {
  idToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface IssuerOptions {
  clientId?: string;
  /** Real time by default: the issuer plays Cognito, whose clock is not the app's test clock. */
  now?: () => number;
  /** The key id; tests use the local issuer's kid with another key to forge a look-alike. */
  kid?: string;
}

/**
 * The local stand-in for a Cognito user pool's token endpoint: one RS256 key pair made when the
 * stack starts (tokens do not outlive a restart, which is what we want locally), a JWKS to verify
 * them with, and ID tokens with the claims Cognito puts in them.
 *
 * The issuer URL is `<base url>/auth`, so it is only known once the server listens (a test stack
 * listens on port 0): call {@link setBaseUrl} before issuing or verifying.
 */
export class LocalIssuer {
  private baseUrl: string | undefined;

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    readonly kid: string,
    readonly clientId: string,
    private readonly now: () => number,
  ) {}

  static async create(options: IssuerOptions = {}): Promise<LocalIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = options.kid ?? `local-${randomUUID()}`;
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new LocalIssuer(privateKey, publicJwk, kid, options.clientId ?? LOCAL_CLIENT_ID, options.now ?? Date.now);
  }

  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** `iss` of every token, as Cognito's is `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  get issuerUrl(): string {
    if (!this.baseUrl) throw new Error('The local issuer has no base URL yet: call setBaseUrl() once the server listens');
    return `${this.baseUrl}/auth`;
  }

  get jwksUrl(): string {
    return `${this.issuerUrl}/.well-known/jwks.json`;
  }

  /** The public keys, as served at {@link jwksUrl}. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  /** An ID token shaped like Cognito's for the subject. */
  async issue(subject: TokenSubject, options: IssueOptions = {}): Promise<SignInResult> {
    const lifetime = options.expiresInSeconds ?? ID_TOKEN_SECONDS;
    const now = Math.floor(this.now() / 1000);
    // An expired token was, like any real one, issued an hour before it expired.
    const issuedAt = lifetime > 0 ? now : now + lifetime - ID_TOKEN_SECONDS;
    const claims: Record<string, unknown> = {
      iss: this.issuerUrl,
      aud: this.clientId,
      sub: subject.userId,
      token_use: 'id',
      email: subject.email,
      email_verified: true,
      name: subject.name,
      'cognito:username': subject.userId,
      'cognito:groups': [subject.role],
      'custom:tenantId': subject.tenantId,
      ...(subject.providerId ? { 'custom:providerId': subject.providerId } : {}),
      auth_time: issuedAt,
      iat: issuedAt,
      exp: now + lifetime,
      jti: randomUUID(),
      ...options.claims,
    };
    const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid }).sign(this.privateKey);
    return { idToken, expiresIn: Math.max(0, lifetime), tokenType: 'Bearer' };
  }
}
