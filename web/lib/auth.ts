import { ApiError, call } from './api.ts';
import { cognitoProvider } from './cognito.ts';

/**
 * How staff sign in, as steps. Locally the issuer of `npm start` answers e-mail and password with
 * an ID token at once. In the cloud the user pool requires TOTP (decision 37), so Cognito answers
 * the password with a challenge first: `SOFTWARE_TOKEN_MFA` (a six-digit code from the
 * authenticator app), on the first sign-in `NEW_PASSWORD_REQUIRED` (the invitation's temporary
 * password) and then `MFA_SETUP` (scan a secret into the app). The sign-in form renders whatever
 * step a provider returns and hands the answer back. Which provider a page uses is deployment
 * configuration, read at run time from {@link RUNTIME_CONFIG_PATH} (decision 116); the Cognito
 * one is lib/cognito.ts (Cognito's JSON API over fetch, `USER_PASSWORD_AUTH`, decision 115).
 */
export type SignInStep =
  | { kind: 'signedIn'; idToken: string; expiresIn: number }
  /** Cognito `SOFTWARE_TOKEN_MFA`: ask for the current code of the authenticator app. */
  | ({ kind: 'totp' } & ChallengeState)
  /** Cognito `MFA_SETUP`: show the secret (and its otpauth:// URI) to add to an authenticator app, then ask for a code. */
  | ({ kind: 'totpSetup'; secret: string; uri: string } & ChallengeState)
  /** Cognito `NEW_PASSWORD_REQUIRED`: the invitation's temporary password must be replaced. */
  | ({ kind: 'newPassword' } & ChallengeState);

/** What a provider needs back with the answer; the form passes the step back as it came. */
export interface ChallengeState {
  session: string;
  /** The account's name at the provider (Cognito's `USER_ID_FOR_SRP`), which answers repeat. */
  username?: string;
  /** The e-mail typed, for the authenticator app's label. */
  email?: string;
}

export type ChallengeStep = Exclude<SignInStep, { kind: 'signedIn' }>;

export interface StaffAuthProvider {
  /** Shown on the sign-in page, so nobody wonders which accounts work here. */
  name: 'local' | 'cognito';
  signIn(email: string, password: string): Promise<SignInStep>;
  /** The answer to a challenge: the code, or the new password. */
  answer(step: ChallengeStep, answer: string): Promise<SignInStep>;
}

/** The local issuer's endpoint (infra/local/identity/endpoints.ts; not in the route table, as Cognito's is not). */
export const LOCAL_SIGN_IN_PATH = '/auth/sign-in';

export const localIssuer: StaffAuthProvider = {
  name: 'local',
  async signIn(email, password) {
    const result = await call<{ idToken: string; expiresIn: number }>('POST', LOCAL_SIGN_IN_PATH, { body: { email, password } });
    return { kind: 'signedIn', idToken: result.idToken, expiresIn: result.expiresIn };
  },
  answer() {
    // The local issuer has no second factor; a challenge can only come from a Cognito provider.
    return Promise.reject(new ApiError(400, 'no_challenge', 'The local sign-in asks for no code.'));
  },
};

/** The deployment's choice of provider: `{ "auth": "local" }` from `npm start` (infra/local/web.ts), the Cognito pool's web client in the cloud (infra/cdk/web-hosting.ts). */
export const RUNTIME_CONFIG_PATH = '/kairos-config.json';

export type RuntimeConfig = { auth: 'local' } | { auth: 'cognito'; region: string; userPoolClientId: string };

/** The provider a runtime config names; anything else (missing, unreadable, unknown) is the local issuer. */
export function providerOf(config: unknown, fetchImpl?: (input: string, init: RequestInit) => Promise<Response>): StaffAuthProvider {
  const c = (config ?? {}) as Partial<Record<keyof Extract<RuntimeConfig, { auth: 'cognito' }>, unknown>>;
  if (c.auth === 'cognito' && typeof c.region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(c.region) && typeof c.userPoolClientId === 'string' && c.userPoolClientId) {
    return cognitoProvider({ region: c.region, userPoolClientId: c.userPoolClientId }, fetchImpl);
  }
  return localIssuer;
}

/** Reads {@link RUNTIME_CONFIG_PATH} once and picks the provider; falls back to the local issuer when the file cannot be read. */
export async function loadAuthProvider(fetchImpl: (input: string, init: RequestInit) => Promise<Response> = (input, init) => fetch(input, init)): Promise<StaffAuthProvider> {
  try {
    const response = await fetchImpl(RUNTIME_CONFIG_PATH, { headers: { accept: 'application/json' } });
    return providerOf(response.ok ? await response.json() : undefined);
  } catch {
    return localIssuer;
  }
}

let loaded: Promise<StaffAuthProvider> | undefined;

/** The provider of this deployment (decision 116): the runtime config is fetched on the first call only. */
export const authProvider = (): Promise<StaffAuthProvider> => (loaded ??= loadAuthProvider());
