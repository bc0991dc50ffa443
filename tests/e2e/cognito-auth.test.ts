import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticSite, localRuntimeConfig, RUNTIME_CONFIG_PATH as LOCAL_RUNTIME_CONFIG_PATH, securityHeaders } from '#infra/local/web';
import { ApiError } from '../../web/lib/api.ts';
import { loadAuthProvider, localIssuer, providerOf, RUNTIME_CONFIG_PATH, type ChallengeStep, type SignInStep } from '../../web/lib/auth.ts';
import { cognitoError, cognitoOrigin, cognitoProvider, otpauthUri } from '../../web/lib/cognito.ts';

/**
 * The Cognito sign-in provider (web/lib/cognito.ts) against a fake fetch that answers as
 * Cognito's JSON API does: what is sent for each step, which step each answer becomes, and how
 * Cognito's errors reach the form. Not against a real user pool (see decision 119).
 */

interface Sent {
  url: string;
  target: string;
  contentType: string;
  body: Record<string, unknown>;
}

type Reply = { status?: number; json: unknown; headers?: Record<string, string> };

/** A fetch that records each request and answers with the next reply, in order. */
function fakeCognito(...replies: Reply[]) {
  const sent: Sent[] = [];
  const fetchImpl = (url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    sent.push({ url, target: headers.get('x-amz-target') ?? '', contentType: headers.get('content-type') ?? '', body: JSON.parse(String(init.body)) as Record<string, unknown> });
    const reply = replies.shift();
    if (!reply) throw new Error(`unexpected request ${headers.get('x-amz-target')}`);
    return Promise.resolve(new Response(JSON.stringify(reply.json), { status: reply.status ?? 200, headers: { 'content-type': 'application/x-amz-json-1.1', ...reply.headers } }));
  };
  return { sent, fetchImpl, left: () => replies.length };
}

const config = { region: 'eu-central-1', userPoolClientId: 'client123' };
const ID_TOKEN = 'eyJ.id.token';
const signedIn = { AuthenticationResult: { IdToken: ID_TOKEN, AccessToken: 'eyJ.access', RefreshToken: 'r', ExpiresIn: 3600, TokenType: 'Bearer' }, ChallengeParameters: {} };
const challenge = (ChallengeName: string, Session: string, extra: Record<string, string> = {}) => ({ ChallengeName, Session, ChallengeParameters: { USER_ID_FOR_SRP: 'user-uuid-1', ...extra } });
const failure = (type: string, message: string, status = 400): Reply => ({ status, json: { __type: type, message } });
const target = (action: string) => `AWSCognitoIdentityProviderService.${action}`;

async function refused(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const asChallenge = (step: SignInStep): ChallengeStep => {
  if (step.kind === 'signedIn') throw new Error('expected a challenge');
  return step;
};

describe('the Cognito provider: requests', () => {
  it('starts with InitiateAuth, USER_PASSWORD_AUTH, the web client and the e-mail and password, as JSON 1.1 to the regional endpoint, unsigned', async () => {
    const cognito = fakeCognito({ json: signedIn });
    const step = await cognitoProvider(config, cognito.fetchImpl).signIn('alice@example.com', 'S3cret-password!');
    expect(step).toEqual({ kind: 'signedIn', idToken: ID_TOKEN, expiresIn: 3600 });
    expect(cognito.sent).toEqual([
      {
        url: 'https://cognito-idp.eu-central-1.amazonaws.com/',
        target: target('InitiateAuth'),
        contentType: 'application/x-amz-json-1.1',
        body: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client123', AuthParameters: { USERNAME: 'alice@example.com', PASSWORD: 'S3cret-password!' } },
      },
    ]);
    expect(cognitoOrigin('eu-central-1')).toBe('https://cognito-idp.eu-central-1.amazonaws.com');
  });

  it('sends no credentials of its own: no Authorization header, no AWS signature', async () => {
    let headers: Headers | undefined;
    await cognitoProvider(config, (_url, init) => {
      headers = new Headers(init.headers);
      return Promise.resolve(new Response(JSON.stringify(signedIn)));
    }).signIn('a@example.com', 'p');
    expect([...headers!.keys()].sort()).toEqual(['content-type', 'x-amz-target']);
  });
});

describe('the Cognito provider: challenges become steps', () => {
  it('SOFTWARE_TOKEN_MFA → totp; the code goes back with the session and Cognito\'s user name → signed in', async () => {
    const cognito = fakeCognito({ json: challenge('SOFTWARE_TOKEN_MFA', 'session-1') }, { json: signedIn });
    const provider = cognitoProvider(config, cognito.fetchImpl);
    const step = asChallenge(await provider.signIn('alice@example.com', 'pw'));
    expect(step).toMatchObject({ kind: 'totp', session: 'session-1' });
    expect(await provider.answer(step, ' 123456 ')).toEqual({ kind: 'signedIn', idToken: ID_TOKEN, expiresIn: 3600 });
    expect(cognito.sent[1]).toMatchObject({
      target: target('RespondToAuthChallenge'),
      body: { ClientId: 'client123', ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'session-1', ChallengeResponses: { USERNAME: 'user-uuid-1', SOFTWARE_TOKEN_MFA_CODE: '123456' } },
    });
  });

  it('falls back to the e-mail as USERNAME when Cognito names no user id', async () => {
    const cognito = fakeCognito({ json: { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's', ChallengeParameters: {} } }, { json: signedIn });
    const provider = cognitoProvider(config, cognito.fetchImpl);
    await provider.answer(asChallenge(await provider.signIn('alice@example.com', 'pw')), '123456');
    expect((cognito.sent[1]!.body.ChallengeResponses as Record<string, string>).USERNAME).toBe('alice@example.com');
  });

  it('NEW_PASSWORD_REQUIRED → newPassword; the new password goes back as NEW_PASSWORD', async () => {
    const cognito = fakeCognito(
      { json: challenge('NEW_PASSWORD_REQUIRED', 'session-1', { userAttributes: '{"email":"alice@example.com"}', requiredAttributes: '[]' }) },
      { json: signedIn },
    );
    const provider = cognitoProvider(config, cognito.fetchImpl);
    const step = asChallenge(await provider.signIn('alice@example.com', 'Temp-pass-1'));
    expect(step).toMatchObject({ kind: 'newPassword', session: 'session-1' });
    await provider.answer(step, 'A-new-passw0rd!');
    expect(cognito.sent[1]!.body).toEqual({
      ClientId: 'client123',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'session-1',
      ChallengeResponses: { USERNAME: 'user-uuid-1', NEW_PASSWORD: 'A-new-passw0rd!' },
    });
  });

  it('MFA_SETUP → AssociateSoftwareToken with the session → totpSetup with the secret and its otpauth URI; the code is verified, then MFA_SETUP answered with the newest session', async () => {
    const cognito = fakeCognito(
      { json: challenge('MFA_SETUP', 'session-1', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }) },
      { json: { SecretCode: 'JBSWY3DPEHPK3PXP', Session: 'session-2' } },
      { json: { Status: 'SUCCESS', Session: 'session-3' } },
      { json: signedIn },
    );
    const provider = cognitoProvider(config, cognito.fetchImpl);
    const step = asChallenge(await provider.signIn('alice@example.com', 'pw'));
    expect(step).toMatchObject({
      kind: 'totpSetup',
      session: 'session-2',
      secret: 'JBSWY3DPEHPK3PXP',
      uri: 'otpauth://totp/Kairos:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Kairos',
    });
    expect(await provider.answer(step, '654321')).toEqual({ kind: 'signedIn', idToken: ID_TOKEN, expiresIn: 3600 });
    expect(cognito.sent.map((s) => s.target)).toEqual([target('InitiateAuth'), target('AssociateSoftwareToken'), target('VerifySoftwareToken'), target('RespondToAuthChallenge')]);
    expect(cognito.sent[1]!.body).toEqual({ Session: 'session-1' });
    expect(cognito.sent[2]!.body).toMatchObject({ Session: 'session-2', UserCode: '654321' });
    expect(cognito.sent[3]!.body).toEqual({ ClientId: 'client123', ChallengeName: 'MFA_SETUP', Session: 'session-3', ChallengeResponses: { USERNAME: 'user-uuid-1' } });
  });

  it('the first sign-in of an invitation: temporary password → new password → authenticator set up → signed in', async () => {
    const cognito = fakeCognito(
      { json: challenge('NEW_PASSWORD_REQUIRED', 's1') },
      { json: challenge('MFA_SETUP', 's2') },
      { json: { SecretCode: 'SECRET', Session: 's3' } },
      { json: { Status: 'SUCCESS', Session: 's4' } },
      { json: signedIn },
    );
    const provider = cognitoProvider(config, cognito.fetchImpl);
    const first = asChallenge(await provider.signIn('bob@example.com', 'Temp-1'));
    const second = asChallenge(await provider.answer(first, 'A-new-passw0rd!'));
    expect(second).toMatchObject({ kind: 'totpSetup', session: 's3', uri: 'otpauth://totp/Kairos:bob%40example.com?secret=SECRET&issuer=Kairos' });
    expect(await provider.answer(second, '111111')).toMatchObject({ kind: 'signedIn' });
    expect(cognito.left()).toBe(0);
  });

  it('a wrong code at setup keeps the step: the same session may try again', async () => {
    const cognito = fakeCognito(
      { json: challenge('MFA_SETUP', 's1') },
      { json: { SecretCode: 'SECRET', Session: 's2' } },
      failure('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'),
      { json: { Status: 'SUCCESS', Session: 's3' } },
      { json: signedIn },
    );
    const provider = cognitoProvider(config, cognito.fetchImpl);
    const step = asChallenge(await provider.signIn('a@example.com', 'pw'));
    expect(await refused(provider.answer(step, '000000'))).toMatchObject({ status: 400, code: 'wrong_code' });
    expect(await provider.answer(step, '123456')).toMatchObject({ kind: 'signedIn' });
    expect(cognito.sent[3]!.body).toMatchObject({ Session: 's2', UserCode: '123456' });
  });

  it('a verification that is not SUCCESS is a wrong code, and MFA_SETUP is not answered', async () => {
    const cognito = fakeCognito({ json: challenge('MFA_SETUP', 's1') }, { json: { SecretCode: 'SECRET', Session: 's2' } }, { json: { Status: 'ERROR' } });
    const provider = cognitoProvider(config, cognito.fetchImpl);
    const step = asChallenge(await provider.signIn('a@example.com', 'pw'));
    expect(await refused(provider.answer(step, '000000'))).toMatchObject({ code: 'wrong_code' });
    expect(cognito.left()).toBe(0);
  });

  it('refuses a challenge the apps cannot answer (SMS, custom) instead of hanging', async () => {
    const cognito = fakeCognito({ json: challenge('SMS_MFA', 's1') });
    expect(await refused(cognitoProvider(config, cognito.fetchImpl).signIn('a@example.com', 'pw'))).toMatchObject({ status: 400, code: 'unsupported_challenge' });
  });
});

describe('the Cognito provider: errors the form can show', () => {
  it('a wrong password and an unknown account read the same: 401, which the form shows as "wrong e-mail or password"', async () => {
    for (const type of ['NotAuthorizedException', 'UserNotFoundException', 'com.amazonaws.cognito.identity.idp.model#NotAuthorizedException']) {
      const cognito = fakeCognito(failure(type, type.includes('UserNotFound') ? 'User does not exist.' : 'Incorrect username or password.'));
      const error = await refused(cognitoProvider(config, cognito.fetchImpl).signIn('a@example.com', 'wrong'));
      expect({ status: error.status, code: error.code, message: error.message }).toEqual({ status: 401, code: 'wrong_credentials', message: 'Wrong e-mail or password.' });
    }
  });

  it('reads the type from x-amzn-ErrorType when the body has none', async () => {
    const cognito = fakeCognito({ status: 400, json: {}, headers: { 'x-amzn-errortype': 'TooManyRequestsException:http://internal.amazon.com/coral/' } });
    expect(await refused(cognitoProvider(config, cognito.fetchImpl).signIn('a@example.com', 'pw'))).toMatchObject({ status: 429, code: 'too_many_requests' });
  });

  it('a wrong, reused or expired code, a weak new password and too many attempts each have their code', async () => {
    const cases: Array<[string, string, { status: number; code: string }]> = [
      ['CodeMismatchException', 'Invalid code received for user', { status: 400, code: 'wrong_code' }],
      ['ExpiredCodeException', 'Your software token has already been used once.', { status: 400, code: 'code_expired' }],
      ['InvalidPasswordException', 'Password does not conform to policy: Password must have symbol characters', { status: 400, code: 'invalid_password' }],
      ['TooManyRequestsException', 'Too many requests', { status: 429, code: 'too_many_requests' }],
      ['NotAuthorizedException', 'Invalid session for the user, session is expired.', { status: 400, code: 'sign_in_expired' }],
    ];
    for (const [type, message, expected] of cases) {
      const cognito = fakeCognito({ json: challenge('SOFTWARE_TOKEN_MFA', 's1') }, failure(type, message));
      const provider = cognitoProvider(config, cognito.fetchImpl);
      const error = await refused(provider.answer(asChallenge(await provider.signIn('a@example.com', 'pw')), '123456'));
      expect({ type, status: error.status, code: error.code }).toEqual({ type, ...expected });
    }
    // The password rule Cognito names is shown as it is.
    expect(cognitoError('InvalidPasswordException', 'Password not long enough', 'answer').message).toBe('Password not long enough');
  });

  it('a refused answer is never 401, so the form never says "wrong e-mail or password" on the code step', () => {
    for (const type of ['NotAuthorizedException', 'UserNotFoundException', 'CodeMismatchException', 'ExpiredCodeException', 'InvalidPasswordException', 'TooManyRequestsException', 'SomethingNew']) {
      expect(cognitoError(type, 'm', 'answer').status).not.toBe(401);
    }
  });

  it('a failed connection is status 0 (the form\'s network message), an empty 5xx is "Cognito did not answer"', async () => {
    const offline = cognitoProvider(config, () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await refused(offline.signIn('a@example.com', 'pw'))).toMatchObject({ status: 0, code: 'network' });
    const down = cognitoProvider(config, () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })));
    expect(await refused(down.signIn('a@example.com', 'pw'))).toMatchObject({ status: 502, code: 'cognito_unavailable' });
  });
});

describe('the runtime config picks the provider', () => {
  const answering = (status: number, body: string) => () => Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));

  it('Cognito with a region and a client id; the local issuer for local, a missing file, bad JSON or a failed request', async () => {
    expect((await loadAuthProvider(answering(200, JSON.stringify({ auth: 'cognito', region: 'eu-west-1', userPoolClientId: 'abc' })))).name).toBe('cognito');
    expect(await loadAuthProvider(answering(200, '{"auth":"local"}'))).toBe(localIssuer);
    expect(await loadAuthProvider(answering(404, 'Not Found'))).toBe(localIssuer);
    expect(await loadAuthProvider(answering(200, '<html>'))).toBe(localIssuer);
    expect(await loadAuthProvider(() => Promise.reject(new TypeError('offline')))).toBe(localIssuer);
  });

  it('reads /kairos-config.json, the path the local server and the cloud deployment write', async () => {
    const asked: string[] = [];
    await loadAuthProvider((url) => {
      asked.push(url);
      return Promise.resolve(new Response('{"auth":"local"}'));
    });
    expect(asked).toEqual(['/kairos-config.json']);
    expect(RUNTIME_CONFIG_PATH).toBe(LOCAL_RUNTIME_CONFIG_PATH);
  });

  it('refuses a config whose region could put another host into the URL, or without a client id', () => {
    expect(providerOf({ auth: 'cognito', region: 'evil.example.org/x', userPoolClientId: 'abc' })).toBe(localIssuer);
    expect(providerOf({ auth: 'cognito', region: 'eu-central-1' })).toBe(localIssuer);
    expect(providerOf({ auth: 'cognito', region: 'us-gov-west-1', userPoolClientId: 'abc' }).name).toBe('cognito');
  });

  it('the provider it builds calls the configured region and client', async () => {
    const cognito = fakeCognito({ json: signedIn });
    await providerOf({ auth: 'cognito', region: 'ap-southeast-2', userPoolClientId: 'xyz' }, cognito.fetchImpl).signIn('a@example.com', 'pw');
    expect(cognito.sent[0]).toMatchObject({ url: 'https://cognito-idp.ap-southeast-2.amazonaws.com/', body: { ClientId: 'xyz' } });
  });

  it('otpauth URIs escape the e-mail', () => {
    expect(otpauthUri('a+b@example.com', 'ABC')).toBe('otpauth://totp/Kairos:a%2Bb%40example.com?secret=ABC&issuer=Kairos');
  });
});

describe('the local server serves the config', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const site = createStaticSite({ dir: '/nonexistent-kairos-web-dist' });
    server = createServer((req, res) => {
      void site(req, res, new URL(req.url ?? '/', 'http://localhost')).then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers { "auth": "local" }, uncached, with the pages\' headers, even before the apps are built', async () => {
    const response = await fetch(`${base}/kairos-config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(securityHeaders['content-security-policy']);
    expect(await response.json()).toEqual({ auth: 'local' });
    expect(localRuntimeConfig).toEqual({ auth: 'local' });
    // …which the apps read as the local issuer.
    expect(await loadAuthProvider((url, init) => fetch(`${base}${url}`, init))).toBe(localIssuer);
  });
});
