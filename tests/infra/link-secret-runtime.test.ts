import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import type { AppDeps } from '#functions/app/deps';

/**
 * How the functions get the link secret in Lambda (functions/app/runtime.ts, the sender's
 * runtime, functions/adapters/link-secret.ts): read from Secrets Manager once per cold start —
 * started during init, awaited by the first invocation, never again — and a failure that names
 * LINK_SECRET_ARN. Secrets Manager is mocked (aws-sdk-client-mock); no table is touched.
 */

const secretsManager = mockClient(SecretsManagerClient);
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:kairos-link-AbCdEf';
const SECRET = 'a-generated-secret-of-sixty-four-characters-0123456789abcdefghij';
const event = {} as APIGatewayProxyEventV2;
const context = { awsRequestId: 'r1', functionName: 'kairos-test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const ok = (body: string): APIGatewayProxyStructuredResultV2 => ({ statusCode: 200, body });

/** runtime.ts and link-secret.ts keep per-process state: load fresh copies after stubbing the env. */
async function freshModules() {
  vi.resetModules();
  const [runtime, linkSecret, sender, entry] = await Promise.all([
    import('#functions/app/runtime'),
    import('#functions/adapters/link-secret'),
    import('#functions/app/sender-runtime'),
    import('#functions/app/event-entry'),
  ]);
  return { lambdaEntry: runtime.lambdaEntry, depsFromEnv: runtime.depsFromEnv, withLinkSecret: linkSecret.withLinkSecret, eventEntry: entry.eventEntry, ...sender };
}

/** A handler factory that answers with the manage token its deps derive for booking b1. */
const tokenHandler = (deps: AppDeps) => () => Promise.resolve().then(() => ok(deps.links.manageToken('b1')));
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  secretsManager.reset();
  vi.stubEnv('TABLE_NAME', 'kairos-test');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('LINK_SECRET', undefined);
  vi.stubEnv('SES_CONFIGURATION_SET', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('in Lambda, with LINK_SECRET_ARN', () => {
  beforeEach(() => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'kairos-createBooking');
    vi.stubEnv('LINK_SECRET_ARN', SECRET_ARN);
  });

  it('reads the secret during init, once, and derives every token from it', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
    const { lambdaEntry, withLinkSecret } = await freshModules();

    const handler = lambdaEntry(tokenHandler, withLinkSecret);
    await settle();
    // Before any invocation: the read started with the module (Lambda's init phase).
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    const answers = await Promise.all([handler(event, context), handler(event, context)]);
    answers.push(await handler(event, context));
    expect(answers.map((answer) => answer.body)).toEqual(Array(3).fill(new Links(SECRET, 'http://localhost:3000').manageToken('b1')));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN });
  });

  it('calls the built handler directly once warm: no promise added in front of it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const { lambdaEntry, withLinkSecret } = await freshModules();
    const answer = Promise.resolve(ok('warm'));
    const handler = lambdaEntry(() => () => answer, withLinkSecret);

    await handler(event, context);
    expect(handler(event, context)).toBe(answer);
  });

  it('fails the invocation naming LINK_SECRET_ARN when the secret cannot be read, and tries again on the next', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('User is not authorized to perform: secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: SECRET });
    const { lambdaEntry, withLinkSecret } = await freshModules();
    const handler = lambdaEntry(tokenHandler, withLinkSecret);

    await expect(handler(event, context)).rejects.toThrow(/LINK_SECRET_ARN.*AccessDeniedException/);
    await expect(handler(event, context)).resolves.toMatchObject({ statusCode: 200 });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a secret shorter than 32 characters, naming LINK_SECRET_ARN', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'too-short' });
    const { lambdaEntry, withLinkSecret } = await freshModules();
    await expect(lambdaEntry(tokenHandler, withLinkSecret)(event, context)).rejects.toThrow(/LINK_SECRET_ARN.*at least 32 characters/);
  });

  it('leaves the functions that do not ask for it without the secret, and without a read', async () => {
    const { lambdaEntry } = await freshModules();
    const handler = lambdaEntry(tokenHandler);
    await expect(handler(event, context)).rejects.toThrow(/no link secret.*LINK_SECRET_ARN/);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('the sender reads it once too, before its first event', async () => {
    vi.stubEnv('SES_CONFIGURATION_SET', 'kairos-mail');
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const { eventEntry, initSenderDeps } = await freshModules();
    const handler = eventEntry(initSenderDeps, (deps) => Promise.resolve(deps.links.manageToken('b1')));

    expect([await handler({}, context), await handler({}, context)]).toEqual(Array(2).fill(new Links(SECRET, 'http://localhost:3000').manageToken('b1')));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
});

describe('in Lambda, without LINK_SECRET_ARN', () => {
  beforeEach(() => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'kairos-createBooking');
    vi.stubEnv('LINK_SECRET_ARN', undefined);
  });

  it('stops the cold start of a function that needs the secret, naming LINK_SECRET_ARN', async () => {
    const { lambdaEntry, withLinkSecret } = await freshModules();
    expect(() => lambdaEntry(tokenHandler, withLinkSecret)).toThrow(/LINK_SECRET_ARN/);
  });

  it('stops the cold start of a function that sends mail (SES_CONFIGURATION_SET), naming LINK_SECRET_ARN', async () => {
    vi.stubEnv('SES_CONFIGURATION_SET', 'kairos-mail');
    const { eventEntry, initSenderDeps } = await freshModules();
    expect(() => eventEntry(initSenderDeps, () => Promise.resolve('sent'))).toThrow(/LINK_SECRET_ARN/);
  });

  it('lets the bounce/complaint function (no SES_CONFIGURATION_SET) start without the secret or a read', async () => {
    const { eventEntry, depsFromEnv } = await freshModules();
    const handler = eventEntry(depsFromEnv, () => Promise.resolve('suppressed'));
    await expect(handler({}, context)).resolves.toBe('suppressed');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('rejects an ARN that is not a Secrets Manager secret, naming the variable', async () => {
    vi.stubEnv('LINK_SECRET_ARN', 'arn:aws:ssm:eu-central-1:123456789012:parameter/kairos');
    const { lambdaEntry, withLinkSecret } = await freshModules();
    expect(() => lambdaEntry(tokenHandler, withLinkSecret)).toThrow(/LINK_SECRET_ARN: must be a Secrets Manager secret ARN/);
  });
});

describe('outside Lambda (local stack, tests)', () => {
  beforeEach(() => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    vi.stubEnv('LINK_SECRET_ARN', undefined);
  });

  it('uses the development secret and never calls Secrets Manager', async () => {
    const { lambdaEntry, withLinkSecret } = await freshModules();
    const answer = await lambdaEntry(tokenHandler, withLinkSecret)(event, context);
    expect(answer.body).toBe(new Links(LOCAL_LINK_SECRET, 'http://localhost:3000').manageToken('b1'));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('uses LINK_SECRET when it is set', async () => {
    vi.stubEnv('LINK_SECRET', 'a-local-secret-that-is-long-enough-0123456789');
    const { lambdaEntry, withLinkSecret } = await freshModules();
    const answer = await lambdaEntry(tokenHandler, withLinkSecret)(event, context);
    expect(answer.body).toBe(new Links('a-local-secret-that-is-long-enough-0123456789', 'http://localhost:3000').manageToken('b1'));
  });
});
