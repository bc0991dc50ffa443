import { JwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError, JwtInvalidAudienceError, JwtInvalidIssuerError, JwtNotBeforeError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { assertIsJwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Json } from 'aws-jwt-verify/safe-json-parse';

/** What the gateway puts in `event.requestContext.authorizer` after a token passed. */
export interface JwtAuthorizerContext {
  jwt: { claims: Record<string, string>; scopes: string[] | null };
}

export type AuthorizerResult = { ok: true; context: JwtAuthorizerContext } | { ok: false; message: string };

/** The gateway's side of a JWT authorizer: the Authorization header in, verified claims or a refusal out. */
export interface JwtAuthorizer {
  authorize(authorization: string | undefined): Promise<AuthorizerResult>;
}

export interface JwtAuthorizerOptions {
  /** Read at the first request: the issuer URL is known only once the server listens. */
  issuer: () => string;
  audience: string;
  jwksUri: () => string;
  /** The JWKS as the issuer serves it, handed over up front so no request waits on a fetch. */
  initialJwks?: () => { keys: object[] };
}

/**
 * aws-jwt-verify's own fetcher goes through `node:https` and refuses http: URLs (`Protocol "http:"
 * not supported`), and the local issuer only speaks http. This one uses fetch(), which speaks both.
 * It runs when a token names a key id the cached JWKS lacks, as after a key rotation.
 */
const httpFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) throw new Error(`${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

/**
 * A claim value the way API Gateway HTTP APIs hand it to the function: every value is a string;
 * numbers and booleans in their JSON spelling, arrays flattened Go-style as "[admin reception]".
 */
export function gatewayClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(gatewayClaimValue).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value !== undefined && value !== null) claims[name] = gatewayClaimValue(value);
  }
  return claims;
}

function refusal(error: unknown): string {
  if (error instanceof JwtExpiredError) return 'The token has expired; sign in again.';
  if (error instanceof JwtNotBeforeError) return 'The token is not valid yet.';
  if (error instanceof JwtInvalidIssuerError) return 'The token was not issued by this stack’s issuer.';
  if (error instanceof JwtInvalidAudienceError) return 'The token was issued for another client (aud).';
  return `The token is not valid: ${(error as Error).message}`;
}

/**
 * Verifies `Authorization: Bearer <jwt>` as API Gateway's JWT authorizer does (signature against
 * the issuer's JWKS, `iss`, `aud`, `exp`, `nbf`, `iat`), with aws-jwt-verify, the library AWS
 * publishes for exactly this check.
 */
export function createJwtAuthorizer(options: JwtAuthorizerOptions): JwtAuthorizer {
  let verifier: ReturnType<typeof makeVerifier> | undefined;
  function makeVerifier() {
    const made = JwtVerifier.create(
      {
        issuer: options.issuer(),
        audience: options.audience,
        jwksUri: options.jwksUri(),
        // API Gateway also refuses a token issued in the future.
        customJwtCheck: ({ payload }) => {
          if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) throw new Error('The token was issued in the future (iat).');
        },
      },
      { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) },
    );
    if (options.initialJwks) {
      // Through JSON, as a fetched JWKS would arrive; the assertion checks it is one.
      const jwks = JSON.parse(JSON.stringify(options.initialJwks())) as Json;
      assertIsJwks(jwks);
      made.cacheJwks(jwks);
    }
    return made;
  }
  return {
    async authorize(authorization) {
      if (!authorization?.trim()) return { ok: false, message: 'Sign in: this route needs a staff token (Authorization: Bearer <id token>).' };
      // API Gateway takes the token with or without the "Bearer " prefix; so do we.
      const token = authorization.trim().replace(/^Bearer\s+/i, '');
      if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { ok: false, message: 'The Authorization header does not hold a JWT (Authorization: Bearer <id token>).' };
      try {
        verifier ??= makeVerifier();
        const payload = (await verifier.verify(token)) as Record<string, unknown>;
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
        return { ok: true, context: { jwt: { claims: gatewayClaims(payload), scopes } } };
      } catch (error) {
        return { ok: false, message: refusal(error) };
      }
    },
  };
}
