import { describe, expect, it } from 'vitest';
import { routeList, type RouteId } from '#shared/api/routes';
import { roles } from '#shared/domain/staff';
import { COGNITO_DIRECTORY_ACTIONS } from '#functions/adapters/cognito-directory';
import { PROVIDER_CLAIM, TENANT_CLAIM } from '#functions/lib/auth';
import { STAFF_DIRECTORY_ROUTES } from '#infra/cdk/kairos-stack';
import { actionsOf, logicalId, statementsOfRole, synthTemplate, type CfnResource } from './synth.ts';

/**
 * Staff sign-in in the cloud: the Cognito user pool, its groups and web client, the JWT authorizer
 * on every staff route, and who may manage accounts. Every list is derived from the route table,
 * so a route added later is checked without touching this file.
 */

const { stack, template } = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, CfnResource] => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

const [poolId, pool] = only('AWS::Cognito::UserPool');
const [clientId, client] = only('AWS::Cognito::UserPoolClient');
const [authorizerId, authorizer] = only('AWS::ApiGatewayV2::Authorizer');

const staffRoutes = routeList.filter((route) => route.auth.kind === 'staff');
const otherRoutes = routeList.filter((route) => route.auth.kind !== 'staff');

function routeResource(route: (typeof routeList)[number]): CfnResource {
  const matches = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties?.RouteKey === `${route.method} ${route.path}`);
  expect(matches).toHaveLength(1);
  return matches[0]![1];
}

const roleLogicalId = (routeId: RouteId) => logicalId(stack.functionFor(routeId).role.node.defaultChild!);
const cognitoStatements = (routeId: RouteId) =>
  statementsOfRole(template, roleLogicalId(routeId)).filter((statement) => actionsOf([statement]).some((action) => /^cognito/i.test(action)));
const environmentOf = (routeId: RouteId) =>
  (resources[logicalId(stack.functionFor(routeId).function.node.defaultChild!)]?.Properties?.Environment as { Variables: Record<string, unknown> })
    .Variables;

describe('the staff user pool', () => {
  it('lets only admins create accounts, and signs in by e-mail', () => {
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('requires a strong password and a TOTP second factor', () => {
    expect(pool.Properties).toMatchObject({
      Policies: {
        PasswordPolicy: {
          MinimumLength: expect.any(Number),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    const { MinimumLength } = (pool.Properties?.Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy;
    expect(MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('has e-mail (required) and name, and the tenant and provider attributes the token claims come from', () => {
    const schema = pool.Properties?.Schema as Array<{ Name: string; Required?: boolean; Mutable?: boolean; AttributeDataType?: string }>;
    expect(schema).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'email', Required: true }),
        expect.objectContaining({ Name: 'name' }),
        expect.objectContaining({ Name: TENANT_CLAIM.replace(/^custom:/, ''), AttributeDataType: 'String', Mutable: false }),
        expect.objectContaining({ Name: PROVIDER_CLAIM.replace(/^custom:/, ''), AttributeDataType: 'String' }),
      ]),
    );
  });

  it('is kept when the stack is deleted or the pool replaced, and cannot be deleted by accident', () => {
    expect(pool).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(pool.Properties?.DeletionProtection).toBe('ACTIVE');
  });

  it('has one group per staff role, named exactly as the roles in shared/domain/staff.ts', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, r]) => r.Properties!);
    expect(groups.map((group) => group.GroupName).sort()).toEqual([...roles].sort());
    for (const group of groups) expect(group.UserPoolId).toEqual({ Ref: poolId });
  });

  it('outputs the pool and client ids', () => {
    template.hasOutput('UserPoolId', { Value: { Ref: poolId } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: clientId } });
  });
});

describe('the web client', () => {
  const readAttributes = client.Properties?.ReadAttributes as string[];
  const writeAttributes = client.Properties?.WriteAttributes as string[];

  it('is public (no secret) and signs in with the password flow the web apps call over fetch only (decision 115)', () => {
    expect(client.Properties?.GenerateSecret).not.toBe(true);
    // USER_PASSWORD_AUTH (web/lib/cognito.ts); no SRP nobody uses, no ADMIN_* or CUSTOM_AUTH.
    expect([...(client.Properties?.ExplicitAuthFlows as string[])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
    expect(client.Properties?.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
    expect(client.Properties?.CallbackURLs).toBeUndefined();
  });

  it('does not reveal whether an account exists, and issues ID tokens valid for at most an hour', () => {
    expect(client.Properties).toMatchObject({ PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true });
    const minutes = { minutes: 1, hours: 60, days: 1440 }[(client.Properties?.TokenValidityUnits as { IdToken: 'minutes' | 'hours' | 'days' }).IdToken];
    expect(Number(client.Properties?.IdTokenValidity) * minutes).toBeLessThanOrEqual(60);
  });

  it('may read the tenant, provider, e-mail and name, so the ID token carries them', () => {
    expect(readAttributes).toEqual(expect.arrayContaining([TENANT_CLAIM, PROVIDER_CLAIM, 'email', 'name']));
  });

  it('may not write the tenant or provider attribute (or any custom one), so no user can move themself to another business', () => {
    expect(writeAttributes.length).toBeGreaterThan(0);
    expect(writeAttributes).not.toContain(TENANT_CLAIM);
    expect(writeAttributes).not.toContain(PROVIDER_CLAIM);
    expect(writeAttributes.filter((name) => name.startsWith('custom:'))).toEqual([]);
    expect(writeAttributes.filter((name) => name === 'email_verified')).toEqual([]);
  });
});

describe('the JWT authorizer', () => {
  it('verifies tokens of this pool with this client as audience, from the Authorization header', () => {
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }],
        Issuer: expect.anything(),
      },
    });
    expect(JSON.stringify((authorizer.Properties?.JwtConfiguration as { Issuer: unknown }).Issuer)).toContain(poolId);
  });

  it('the route table has staff and non-staff routes, so the checks below check something', () => {
    expect(staffRoutes.length).toBeGreaterThan(0);
    expect(otherRoutes.length).toBeGreaterThan(0);
  });

  it.each(staffRoutes.map((route) => [route.id, route] as const))('guards the staff route %s', (_id, route) => {
    expect(routeResource(route).Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    // An ID token has no scopes: requiring any would reject every staff token.
    expect(routeResource(route).Properties?.AuthorizationScopes).toBeUndefined();
  });

  it.each(otherRoutes.map((route) => [route.id, route] as const))('leaves the %s route (public or token in the request) without a gateway authorizer', (_id, route) => {
    const properties = routeResource(route).Properties!;
    expect(properties.AuthorizerId).toBeUndefined();
    expect(properties.AuthorizationType ?? 'NONE').toBe('NONE');
  });
});

describe('who may manage staff accounts', () => {
  it('names routes that exist and are admin-only staff routes', () => {
    for (const routeId of STAFF_DIRECTORY_ROUTES) {
      const route = routeList.find((candidate) => candidate.id === routeId);
      expect(route?.auth, routeId).toMatchObject({ kind: 'staff', roles: ['admin'] });
    }
  });

  it.each(STAFF_DIRECTORY_ROUTES.map((id) => [id]))('%s may call exactly the directory adapter\'s Cognito actions, on this pool only', (routeId) => {
    const statements = cognitoStatements(routeId);
    expect(actionsOf(statements).sort()).toEqual([...COGNITO_DIRECTORY_ACTIONS].sort());
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [poolId, 'Arn'] });
    }
  });

  it.each(STAFF_DIRECTORY_ROUTES.map((id) => [id]))('%s is told which pool to use', (routeId) => {
    expect(environmentOf(routeId).USER_POOL_ID).toEqual({ Ref: poolId });
  });

  const others = routeList.filter((route) => !STAFF_DIRECTORY_ROUTES.includes(route.id));
  it.each(others.map((route) => [route.id]))('%s has no Cognito permission and no USER_POOL_ID', (routeId) => {
    expect(cognitoStatements(routeId)).toEqual([]);
    expect(environmentOf(routeId)).not.toHaveProperty('USER_POOL_ID');
  });

  it('no role anywhere in the stack holds a Cognito permission except those', () => {
    const allowed = new Set(STAFF_DIRECTORY_ROUTES.map(roleLogicalId));
    for (const [id] of ofType('AWS::IAM::Role')) {
      if (allowed.has(id)) continue;
      const actions = actionsOf(statementsOfRole(template, id));
      expect(actions.filter((action) => /^cognito/i.test(action)), id).toEqual([]);
    }
  });
});
