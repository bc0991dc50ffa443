import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DomainError } from '#shared/domain/errors';
import type { AppDeps } from '#functions/app/deps';
import type { StaffDirectory } from '#functions/app/directory';
import type { Env } from '#functions/lib/env';
import { PROVIDER_CLAIM, TENANT_CLAIM } from '#functions/lib/auth';

/**
 * The IAM actions this adapter calls, and nothing else. The CDK stack grants exactly these on the
 * staff user pool to the functions that manage accounts, so a call added here without a grant
 * fails in a test (tests/integration/cognito-directory.test.ts), not with AccessDenied in AWS.
 */
export const COGNITO_DIRECTORY_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  // Removal, and the compensation when an invitation cannot be finished.
  'cognito-idp:AdminDeleteUser',
] as const;

export function createCognitoClient(options: { region: string }): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({ region: options.region });
  // As for DynamoDB (functions/adapters/dynamo.ts): we never log SDK calls, and this middleware
  // would still run every request through its sensitive-data filter.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

const isNamed = (error: unknown, name: string): boolean => error instanceof Error && error.name === name;

/**
 * Staff sign-in accounts in the Cognito user pool. The pool signs in by e-mail, so the e-mail is
 * the name given to AdminCreateUser and Cognito makes the account's own username (its `sub`).
 * Tenant and provider are custom attributes that only this admin path can write (the web client
 * may not), and the role is the group of the same name: both end up as claims in the ID token.
 */
export class CognitoDirectory implements StaffDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async invite(input: Parameters<StaffDirectory['invite']>[0]): Promise<{ userId: string }> {
    const created = await this.client
      .send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: input.email,
          UserAttributes: [
            { Name: 'email', Value: input.email },
            // The admin vouches for the address; Cognito mails the temporary password to it, and
            // an unverified address could not receive a password reset.
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: input.name },
            { Name: TENANT_CLAIM, Value: input.tenantId },
            ...(input.providerId ? [{ Name: PROVIDER_CLAIM, Value: input.providerId }] : []),
          ],
          // No TemporaryPassword and no MessageAction: Cognito generates the password and e-mails
          // the invitation itself, so the password never passes through our API or logs.
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      )
      .catch((error: unknown) => {
        if (isNamed(error, 'UsernameExistsException')) {
          throw new DomainError('id_taken', 'This e-mail address already has a staff account.', { field: 'email' });
        }
        throw error;
      });

    const username = created.User?.Username;
    if (!username) throw new Error('Cognito AdminCreateUser returned no user');
    try {
      const userId = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      if (!userId) throw new Error('Cognito AdminCreateUser returned a user without a sub');
      await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: input.role }));
      return { userId };
    } catch (error) {
      // An account without its group could sign in yet hold no role, and would block a second
      // invitation of the same address with id_taken: undo the creation before reporting.
      await this.deleteUser(username).catch((cleanup: unknown) => {
        throw new AggregateError([error, cleanup], `Inviting ${username} failed and the half-created account could not be deleted`);
      });
      throw error;
    }
  }

  async remove(input: Parameters<StaffDirectory['remove']>[0]): Promise<void> {
    // By `sub` rather than e-mail: admin APIs accept it as the username, and it names exactly the
    // account whose tokens the staff record was made for, even if the address has changed since.
    await this.deleteUser(input.userId).catch((error: unknown) => {
      if (!isNamed(error, 'UserNotFoundException')) throw error;
    });
  }

  private async deleteUser(username: string): Promise<void> {
    await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }));
  }
}

/**
 * For `lambdaEntry`: the deps of the functions that manage staff accounts, with this directory
 * when the stack gave them USER_POOL_ID (only invite and remove get it, with the IAM to use it).
 */
export const withCognitoDirectory = (deps: AppDeps, env: Env): AppDeps =>
  env.USER_POOL_ID ? { ...deps, directory: new CognitoDirectory(createCognitoClient({ region: env.AWS_REGION }), env.USER_POOL_ID) } : deps;
