import { ApiError, call } from './api.ts';

/**
 * How staff sign in, as steps. Locally the issuer of `npm start` answers e-mail and password with
 * an ID token at once. In the cloud the user pool requires TOTP (decision 37), so Cognito answers
 * the password with a challenge first: `SOFTWARE_TOKEN_MFA` (a six-digit code from the
 * authenticator app), on the first sign-in `NEW_PASSWORD_REQUIRED` (the invitation's temporary
 * password) and then `MFA_SETUP` (scan a secret into the app). The sign-in form renders whatever
 * step a provider returns and hands the answer back, so a Cognito provider (SRP through the
 * Cognito SDK, the web client allows no other flow) plugs in here without touching the form.
 */
export type SignInStep =
  | { kind: 'signedIn'; idToken: string; expiresIn: number }
  /** Cognito `SOFTWARE_TOKEN_MFA`: ask for the current code of the authenticator app. */
  | { kind: 'totp'; session: string }
  /** Cognito `MFA_SETUP`: show the secret (and its otpauth:// URI) to add to an authenticator app, then ask for a code. */
  | { kind: 'totpSetup'; session: string; secret: string; uri: string }
  /** Cognito `NEW_PASSWORD_REQUIRED`: the invitation's temporary password must be replaced. */
  | { kind: 'newPassword'; session: string };

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

/** The provider of this build. Only the local issuer exists yet; the Cognito one comes with the cloud hosting (see decision 81). */
export const authProvider: StaffAuthProvider = localIssuer;
