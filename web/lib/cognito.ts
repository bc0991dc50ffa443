import { ApiError } from './api.ts';
import type { ChallengeStep, SignInStep, StaffAuthProvider } from './auth.ts';

/**
 * Staff sign-in against the Cognito user pool (decisions 37, 115–119), without an SDK: Cognito's
 * JSON API over fetch. The calls used here are the unauthenticated ones (a public client, no
 * secret), so nothing is signed: `InitiateAuth` with `USER_PASSWORD_AUTH` (the password goes to
 * Cognito over TLS; decision 115), then the pool's challenges — `NEW_PASSWORD_REQUIRED` after an
 * invitation, `MFA_SETUP` until an authenticator app is added (`AssociateSoftwareToken`,
 * `VerifySoftwareToken`), and `SOFTWARE_TOKEN_MFA` on every later sign-in — until an ID token.
 */

export interface CognitoConfig {
  region: string;
  /** The user pool's web client (public: no secret). */
  userPoolClientId: string;
}

/** The name an authenticator app shows for the account, and the otpauth:// issuer. */
export const TOTP_ISSUER = 'Kairos';

/** Cognito's regional endpoint; the cloud CSP's connect-src allows exactly this origin. */
export const cognitoOrigin = (region: string) => `https://cognito-idp.${region}.amazonaws.com`;

/** The key URI authenticator apps read from a QR code or a link: `otpauth://totp/Kairos:<email>?secret=…&issuer=Kairos`. */
export const otpauthUri = (email: string, secret: string) =>
  `otpauth://totp/${TOTP_ISSUER}:${encodeURIComponent(email)}?secret=${encodeURIComponent(secret)}&issuer=${TOTP_ISSUER}`;

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

interface AuthResult {
  AuthenticationResult?: { IdToken?: string; ExpiresIn?: number };
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}

/** Which call failed: a wrong password means something else than a refused challenge answer. */
type Phase = 'signIn' | 'answer';

const WRONG_CREDENTIALS = 'Wrong e-mail or password.';

/**
 * Cognito's error types → what the sign-in form can show. 401 is the form's "wrong e-mail or
 * password" (its own translated text), so only a refused password gets it: an unknown account
 * reads the same (the client hides user existence, and so does this), and a challenge answer
 * refused for an expired session is a 400 the form shows as it is.
 */
export function cognitoError(type: string, message: string, phase: Phase): ApiError {
  switch (type) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return phase === 'signIn'
        ? new ApiError(401, 'wrong_credentials', WRONG_CREDENTIALS)
        : new ApiError(400, 'sign_in_expired', 'This sign-in has expired. Reload the page and sign in again.');
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return new ApiError(400, 'wrong_code', 'The code is not right. Type the six digits your authenticator app shows now.');
    case 'ExpiredCodeException':
      return new ApiError(400, 'code_expired', 'That code has expired or was used already. Wait for the next code and type it.');
    case 'InvalidPasswordException':
      // Cognito's message names the rule the new password breaks (length, a digit, a symbol…).
      return new ApiError(400, 'invalid_password', message || 'The new password does not meet the password rules.');
    case 'PasswordResetRequiredException':
      return new ApiError(403, 'password_reset_required', 'The password of this account must be reset. Ask an admin of your business.');
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return new ApiError(429, 'too_many_requests', 'Too many attempts. Wait a minute, then try again.');
    default:
      return new ApiError(400, 'cognito_error', message || type || 'Cognito refused the sign-in.');
  }
}

/** `com.amazonaws…#NotAuthorizedException` or `NotAuthorizedException:http://…` → `NotAuthorizedException`. */
const errorType = (raw: string) => raw.slice(raw.lastIndexOf('#') + 1).split(':')[0]!.trim();

export function cognitoProvider(config: CognitoConfig, fetchImpl: Fetch = (input, init) => fetch(input, init)): StaffAuthProvider {
  const endpoint = `${cognitoOrigin(config.region)}/`;
  const ClientId = config.userPoolClientId;

  async function post<T>(action: string, body: Record<string, unknown>, phase: Phase): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'network', (error as Error).message);
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (!response.ok) {
      const raw = typeof json.__type === 'string' ? json.__type : (response.headers.get('x-amzn-errortype') ?? '');
      const message = typeof json.message === 'string' ? json.message : typeof json.Message === 'string' ? json.Message : '';
      if (!raw && response.status >= 500) throw new ApiError(response.status, 'cognito_unavailable', 'Cognito did not answer. Try again in a moment.');
      throw cognitoError(errorType(raw), message, phase);
    }
    return json as T;
  }

  /** An answer of InitiateAuth or RespondToAuthChallenge → the next step. */
  async function next(result: AuthResult, email: string, phase: Phase): Promise<SignInStep> {
    const token = result.AuthenticationResult;
    if (token?.IdToken) return { kind: 'signedIn', idToken: token.IdToken, expiresIn: token.ExpiresIn ?? 3600 };
    const session = result.Session ?? '';
    // Answers must name the account as Cognito knows it; with e-mail sign-in that is the
    // generated user name it sends back here, not the e-mail typed.
    const username = result.ChallengeParameters?.USER_ID_FOR_SRP ?? email;
    switch (result.ChallengeName) {
      case 'SOFTWARE_TOKEN_MFA':
        return { kind: 'totp', session, username, email };
      case 'NEW_PASSWORD_REQUIRED':
        return { kind: 'newPassword', session, username, email };
      case 'MFA_SETUP': {
        const associated = await post<{ SecretCode: string; Session?: string }>('AssociateSoftwareToken', { Session: session }, phase);
        return { kind: 'totpSetup', session: associated.Session ?? session, secret: associated.SecretCode, uri: otpauthUri(email, associated.SecretCode), username, email };
      }
      default:
        throw new ApiError(400, 'unsupported_challenge', `This sign-in asks for ${result.ChallengeName ?? 'nothing known'}, which these apps cannot answer.`);
    }
  }

  const respond = (step: ChallengeStep, ChallengeName: string, extra: Record<string, string>, session = step.session) =>
    post<AuthResult>('RespondToAuthChallenge', { ClientId, ChallengeName, Session: session, ChallengeResponses: { USERNAME: step.username ?? step.email ?? '', ...extra } }, 'answer');

  return {
    name: 'cognito',
    async signIn(email, password) {
      const result = await post<AuthResult>('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId, AuthParameters: { USERNAME: email, PASSWORD: password } }, 'signIn');
      return next(result, email, 'signIn');
    },
    async answer(step, answer) {
      const email = step.email ?? step.username ?? '';
      switch (step.kind) {
        case 'totp':
          return next(await respond(step, 'SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: answer.trim() }), email, 'answer');
        case 'newPassword':
          return next(await respond(step, 'NEW_PASSWORD_REQUIRED', { NEW_PASSWORD: answer }), email, 'answer');
        case 'totpSetup': {
          const verified = await post<{ Status?: string; Session?: string }>('VerifySoftwareToken', { Session: step.session, UserCode: answer.trim(), FriendlyDeviceName: TOTP_ISSUER }, 'answer');
          if (verified.Status !== 'SUCCESS') throw cognitoError('EnableSoftwareTokenMFAException', '', 'answer');
          return next(await respond(step, 'MFA_SETUP', {}, verified.Session ?? step.session), email, 'answer');
        }
      }
    },
  };
}
