import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  InternalErrorException,
  ResourceNotFoundException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '#shared/domain/errors';
import { COGNITO_DIRECTORY_ACTIONS, CognitoDirectory, createCognitoClient } from '#functions/adapters/cognito-directory';
import { readEnv } from '#functions/lib/env';

/**
 * The Cognito staff directory against a mocked SDK client. Cognito has no local emulator in this
 * stack, so this is the one adapter tested with mocks: what matters is the exact commands and
 * inputs it sends and how it reads Cognito's answers and errors.
 */

const POOL = 'eu-central-1_TestPool1';
const SUB = '7f3c2a10-5d4e-4b8a-9c61-0e2f4a6b8c90';
const cognito = mockClient(CognitoIdentityProviderClient);
const metadata = { $metadata: {} };

/** What AdminCreateUser answers for a pool that signs in by e-mail: a generated username, and the sub. */
const createdUser = {
  User: {
    Username: SUB,
    UserStatus: 'FORCE_CHANGE_PASSWORD' as const,
    Attributes: [
      { Name: 'sub', Value: SUB },
      { Name: 'email', Value: 'ana@example.com' },
    ],
  },
};

const invitation = { tenantId: 'acme', email: 'ana@example.com', name: 'Ana Lima', role: 'provider' as const, providerId: 'ana' };

/** Every command sent, in order, as [command name, input]. */
const sent = () => cognito.calls().map((call) => {
  const command = call.args[0] as { constructor: { name: string }; input: unknown };
  return [command.constructor.name, command.input] as const;
});

let directory: CognitoDirectory;

beforeEach(() => {
  cognito.reset();
  directory = new CognitoDirectory(createCognitoClient({ region: 'eu-central-1' }), POOL);
});

describe('invite', () => {
  it('creates the account with e-mail, name, tenant and provider attributes, then adds it to the role group', async () => {
    cognito.on(AdminCreateUserCommand).resolves(createdUser).on(AdminAddUserToGroupCommand).resolves({});

    await directory.invite(invitation);

    expect(sent()).toEqual([
      [
        'AdminCreateUserCommand',
        {
          UserPoolId: POOL,
          Username: 'ana@example.com',
          UserAttributes: [
            { Name: 'email', Value: 'ana@example.com' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: 'Ana Lima' },
            { Name: 'custom:tenantId', Value: 'acme' },
            { Name: 'custom:providerId', Value: 'ana' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        },
      ],
      ['AdminAddUserToGroupCommand', { UserPoolId: POOL, Username: SUB, GroupName: 'provider' }],
    ]);
  });

  it('lets Cognito generate and e-mail the temporary password instead of setting or suppressing it', async () => {
    cognito.on(AdminCreateUserCommand).resolves(createdUser).on(AdminAddUserToGroupCommand).resolves({});

    await directory.invite(invitation);

    const input = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(input).not.toHaveProperty('TemporaryPassword');
    expect(input).not.toHaveProperty('MessageAction');
  });

  it('returns the sub as the user id, and no temporary password', async () => {
    cognito.on(AdminCreateUserCommand).resolves(createdUser).on(AdminAddUserToGroupCommand).resolves({});

    await expect(directory.invite(invitation)).resolves.toEqual({ userId: SUB });
  });

  it('sends no provider attribute for staff who are not a provider', async () => {
    cognito.on(AdminCreateUserCommand).resolves(createdUser).on(AdminAddUserToGroupCommand).resolves({});

    await directory.invite({ tenantId: 'acme', email: 'rita@example.com', name: 'Rita', role: 'reception' });

    const attributes = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input.UserAttributes!;
    expect(attributes.map((attribute) => attribute.Name)).toEqual(['email', 'email_verified', 'name', 'custom:tenantId']);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input.GroupName).toBe('reception');
  });

  it('reports an e-mail that already has an account as id_taken on the email field, and creates nothing else', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'An account with the given email already exists.', ...metadata }));

    const error = await directory.invite(invitation).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'id_taken', details: { field: 'email' } });
    expect(sent().map(([name]) => name)).toEqual(['AdminCreateUserCommand']);
  });

  it('passes other Cognito failures on unchanged', async () => {
    const failure = new InternalErrorException({ message: 'boom', ...metadata });
    cognito.on(AdminCreateUserCommand).rejects(failure);

    await expect(directory.invite(invitation)).rejects.toBe(failure);
  });

  it('deletes the account it just created when adding it to the group fails, then rethrows', async () => {
    const failure = new ResourceNotFoundException({ message: 'Group not found.', ...metadata });
    cognito.on(AdminCreateUserCommand).resolves(createdUser).on(AdminAddUserToGroupCommand).rejects(failure).on(AdminDeleteUserCommand).resolves({});

    await expect(directory.invite(invitation)).rejects.toBe(failure);

    expect(sent()).toEqual([
      ['AdminCreateUserCommand', expect.anything()],
      ['AdminAddUserToGroupCommand', expect.anything()],
      ['AdminDeleteUserCommand', { UserPoolId: POOL, Username: SUB }],
    ]);
  });

  it('deletes the account when Cognito answers without a sub, instead of returning no user id', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: SUB, Attributes: [] } }).on(AdminDeleteUserCommand).resolves({});

    await expect(directory.invite(invitation)).rejects.toThrow(/without a sub/);

    expect(sent().map(([name]) => name)).toEqual(['AdminCreateUserCommand', 'AdminDeleteUserCommand']);
  });

  it('names both failures and the orphaned account when the compensation fails too', async () => {
    const groupFailure = new InternalErrorException({ message: 'group', ...metadata });
    const deleteFailure = new InternalErrorException({ message: 'delete', ...metadata });
    cognito.on(AdminCreateUserCommand).resolves(createdUser).on(AdminAddUserToGroupCommand).rejects(groupFailure).on(AdminDeleteUserCommand).rejects(deleteFailure);

    const error = await directory.invite(invitation).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toEqual([groupFailure, deleteFailure]);
    expect((error as AggregateError).message).toContain(SUB);
  });
});

describe('remove', () => {
  it('deletes the account by its sub', async () => {
    cognito.on(AdminDeleteUserCommand).resolves({});

    await directory.remove({ tenantId: 'acme', userId: SUB, email: 'ana@example.com' });

    expect(sent()).toEqual([['AdminDeleteUserCommand', { UserPoolId: POOL, Username: SUB }]]);
  });

  it('is idempotent: an account that is already gone is not an error', async () => {
    cognito.on(AdminDeleteUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', ...metadata }));

    await expect(directory.remove({ tenantId: 'acme', userId: SUB, email: 'ana@example.com' })).resolves.toBeUndefined();
  });

  it('passes other failures on, so the caller does not believe the account is gone', async () => {
    const failure = new InternalErrorException({ message: 'boom', ...metadata });
    cognito.on(AdminDeleteUserCommand).rejects(failure);

    await expect(directory.remove({ tenantId: 'acme', userId: SUB, email: 'ana@example.com' })).rejects.toBe(failure);
  });
});

describe('the IAM actions the stack grants (COGNITO_DIRECTORY_ACTIONS)', () => {
  it('are exactly the commands the adapter sends on its success, compensation and removal paths', async () => {
    cognito.on(AdminCreateUserCommand).resolves(createdUser).on(AdminDeleteUserCommand).resolves({});
    cognito.on(AdminAddUserToGroupCommand).resolvesOnce({}).rejects(new InternalErrorException({ message: 'group', ...metadata }));

    await directory.invite(invitation);
    await directory.invite(invitation).catch(() => undefined);
    await directory.remove({ tenantId: 'acme', userId: SUB, email: 'ana@example.com' });

    const actions = new Set(sent().map(([name]) => `cognito-idp:${name.replace(/Command$/, '')}`));
    expect([...actions].sort()).toEqual([...COGNITO_DIRECTORY_ACTIONS].sort());
  });
});

describe('the client', () => {
  it('has the SDK logger middleware removed, as the DynamoDB client does', () => {
    const names = createCognitoClient({ region: 'eu-central-1' }).middlewareStack.identify();
    expect(names.some((name) => name.startsWith('loggerMiddleware'))).toBe(false);
    expect(new CognitoIdentityProviderClient({ region: 'eu-central-1' }).middlewareStack.identify().some((name) => name.startsWith('loggerMiddleware'))).toBe(true);
  });
});

describe('configuration', () => {
  /** runtime.ts builds its deps once per module instance: load a fresh one after stubbing the env. */
  async function freshRuntime() {
    vi.resetModules();
    const [runtime, cognito, { noDirectory: refusing }, { readEnv: read }] = await Promise.all([
      import('#functions/app/runtime'),
      import('#functions/adapters/cognito-directory'),
      import('#functions/app/directory'),
      import('#functions/lib/env'),
    ]);
    // What lambdaEntry(make, withCognitoDirectory) builds for the invite and remove functions.
    const depsFromEnv = () => cognito.withCognitoDirectory(runtime.depsFromEnv(), read());
    return { depsFromEnv, plainDeps: runtime.depsFromEnv, directoryClass: cognito.CognitoDirectory, refusing };
  }

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('accepts a user pool id and leaves it unset by default', () => {
    expect(readEnv({ TABLE_NAME: 't', USER_POOL_ID: POOL }).USER_POOL_ID).toBe(POOL);
    expect(readEnv({ TABLE_NAME: 't' }).USER_POOL_ID).toBeUndefined();
  });

  it('fails fast, naming the variable, on something that is not a user pool id', () => {
    expect(() => readEnv({ TABLE_NAME: 't', USER_POOL_ID: 'arn:aws:cognito-idp:eu-central-1:1:userpool/x' })).toThrow(/USER_POOL_ID/);
    expect(() => readEnv({ TABLE_NAME: 't', USER_POOL_ID: '' })).toThrow(/USER_POOL_ID/);
  });

  it('wires the Cognito directory into the handlers when USER_POOL_ID is set', async () => {
    vi.stubEnv('TABLE_NAME', 'kairos-test');
    vi.stubEnv('USER_POOL_ID', POOL);
    const { depsFromEnv, directoryClass } = await freshRuntime();
    expect(depsFromEnv().directory).toBeInstanceOf(directoryClass);
  });

  it('gives every other function the refusing directory, even with USER_POOL_ID set', async () => {
    vi.stubEnv('TABLE_NAME', 'kairos-test');
    vi.stubEnv('USER_POOL_ID', POOL);
    const { plainDeps, refusing } = await freshRuntime();
    expect(plainDeps().directory).toBe(refusing);
  });

  it('keeps the directory that refuses every call when USER_POOL_ID is not set', async () => {
    vi.stubEnv('TABLE_NAME', 'kairos-test');
    vi.stubEnv('USER_POOL_ID', undefined);
    const { depsFromEnv, refusing } = await freshRuntime();
    expect(depsFromEnv().directory).toBe(refusing);
  });
});
