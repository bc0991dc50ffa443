import type { DynamoStore } from '#functions/adapters/store';
import { LocalDirectory } from './accounts.ts';
import { createJwtAuthorizer, type JwtAuthorizer } from './authorizer.ts';
import { createAuthEndpoints } from './endpoints.ts';
import { LocalIssuer, LOCAL_CLIENT_ID } from './issuer.ts';

/** Everything the local stack needs in place of Cognito and API Gateway's JWT authorizer. */
export interface LocalIdentity {
  issuer: LocalIssuer;
  /** deps.directory of the local app. */
  directory: LocalDirectory;
  /** For the gateway: verifies the tokens of staff routes. */
  authorizer: JwtAuthorizer;
  /** For the gateway, before its 404: /auth/.well-known/jwks.json, /auth/sign-in, /auth/dev-token. */
  endpoints: ReturnType<typeof createAuthEndpoints>;
  /** Call once the server listens: the issuer URL (`iss`) is `<baseUrl>/auth`. */
  setBaseUrl(baseUrl: string): void;
}

export async function createLocalIdentity(options: { store: DynamoStore; clientId?: string; now?: () => number }): Promise<LocalIdentity> {
  const now = options.now ?? Date.now;
  const issuer = await LocalIssuer.create({ clientId: options.clientId ?? LOCAL_CLIENT_ID, now });
  const directory = new LocalDirectory(options.store, now);
  const authorizer = createJwtAuthorizer({
    issuer: () => issuer.issuerUrl,
    audience: issuer.clientId,
    jwksUri: () => issuer.jwksUrl,
    initialJwks: () => issuer.jwks(),
  });
  return {
    issuer,
    directory,
    authorizer,
    endpoints: createAuthEndpoints({ issuer, directory, store: options.store, now }),
    setBaseUrl: (baseUrl) => issuer.setBaseUrl(baseUrl),
  };
}
