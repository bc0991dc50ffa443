import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { roles, type Role } from '#shared/domain/staff';
import { COGNITO_DIRECTORY_ACTIONS } from '#functions/adapters/cognito-directory';

/** The Cognito groups: the staff roles of shared/domain/staff.ts, one group per role, same name. */
export const STAFF_GROUPS: readonly Role[] = roles;

/**
 * The custom attributes a staff token carries as `custom:<name>` claims (functions/lib/auth.ts).
 * Only the admin API (the invite function) writes them: a user who could write `tenantId` could
 * move themself into another business.
 */
export const STAFF_CUSTOM_ATTRIBUTES = ['tenantId', 'providerId'] as const;

/** How long an ID token (the one the API accepts) lives; a removed user is also refused at once by the handler's account check. */
export const ID_TOKEN_VALIDITY = Duration.hours(1);

/**
 * Sign-in for the staff of every tenant: one Cognito user pool (admins invite, nobody signs up),
 * one group per role, a public web client, and the JWT authorizer that staff routes use.
 *
 * Staff send the **ID token**: it carries the custom attributes (tenant, provider), the e-mail and
 * the groups, while Cognito's access token carries no custom attributes.
 */
export class StaffIdentity extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  readonly groups: ReadonlyMap<Role, UserPoolGroup>;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are made by an admin of the business (inviteStaffUser), never by the public.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        // Immutable: an account belongs to one business for life; moving means a new invitation.
        // (Custom attributes can never be changed or removed once the pool exists.)
        tenantId: new StringAttribute({ minLen: 1, maxLen: 63, mutable: false }),
        // Mutable, so an admin can link the account to a different provider record later.
        providerId: new StringAttribute({ minLen: 1, maxLen: 63, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        // An invitation is usually accepted within days; an expired one is re-sent by an admin.
        tempPasswordValidity: Duration.days(7),
      },
      // Staff reach every customer's personal data in their business: a password alone is not
      // enough. TOTP (an authenticator app) costs nothing and needs no SMS role or phone numbers.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Essentials, not Plus: see the COG8 acknowledgement below and docs/decisions.md.
      featurePlan: FeaturePlan.ESSENTIALS,
      userInvitation: {
        emailSubject: 'Your Kairos staff account',
        emailBody:
          'You have been invited to Kairos. Sign in with {username} and the temporary password {####} within 7 days; you will then choose your own password and set up an authenticator app.',
      },
      // Like the table: accounts are not recreated by a redeploy, so never delete them with the stack.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials plan on purpose: threat protection (Plus) bills every staff MAU with no free tier, while its main defences overlap what this pool already has: every account must pass TOTP MFA, passwords are 12+ characters with history, user existence is not revealed, and Cognito locks out repeated failures. Revisit if staff accounts are ever allowed without MFA.',
    });

    const groups = new Map<Role, UserPoolGroup>();
    for (const [precedence, role] of STAFF_GROUPS.entries()) {
      groups.set(
        role,
        this.userPool.addGroup(`${role[0]!.toUpperCase()}${role.slice(1)}Group`, {
          groupName: role,
          description: `Kairos ${role} staff; the handler reads the role from cognito:groups`,
          // The strongest role first, in the order of `roles` (as actingRole picks it).
          precedence,
        }),
      );
    }
    this.groups = groups;

    const staffClaims = new ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(...STAFF_CUSTOM_ATTRIBUTES);
    this.webClient = this.userPool.addClient('WebClient', {
      // The desk and calendar apps run in the browser: a secret there would be public.
      generateSecret: false,
      // USER_PASSWORD_AUTH (decision 115): the apps call Cognito's JSON API over fetch
      // (web/lib/cognito.ts) and send the password to Cognito over TLS, as to any sign-in form.
      // SRP would need a big-number SRP implementation or the Cognito SDK inside a 100 KB budget;
      // no client uses it, so it is off. No admin flows; the refresh-token flow CDK always adds.
      authFlows: { userPassword: true },
      // The apps sign in through the API, not the hosted UI: no OAuth flows and no callback URLs to abuse.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: ID_TOKEN_VALIDITY,
      accessTokenValidity: ID_TOKEN_VALIDITY,
      // About one working day, so a forgotten session on a shared desk ends overnight.
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      readAttributes: staffClaims,
      // Users may change their display name only. Tenant and provider are written by the invite
      // function with admin APIs; the e-mail is the sign-in name an admin invited and the staff
      // record holds, so changing it is an admin action too.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    this.authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', this.userPool, {
      // The gateway checks signature, issuer, expiry and that `aud` is this client (ID tokens).
      userPoolClients: [this.webClient],
      identitySource: ['$request.header.Authorization'],
      authorizerName: 'staff-jwt',
    });
  }

  /** Lets a function create, group and delete staff accounts in this pool: what functions/adapters/cognito-directory.ts calls, nothing more. */
  grantManageStaff(grantee: iam.IGrantable): iam.Grant {
    return this.userPool.grant(grantee, ...COGNITO_DIRECTORY_ACTIONS);
  }
}
