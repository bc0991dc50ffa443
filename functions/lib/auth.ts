import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DomainError } from '#shared/domain/errors';
import { assertStaffPolicy, parseGroups, type Ownership, type Principal, type Role } from '#shared/domain/staff';
import type { StaffUser } from '#functions/adapters/entities/staff-user';

/** The claims of a token API Gateway's JWT authorizer (or the local gateway) has verified. */
type Claims = Record<string, string | number | boolean | string[] | undefined>;

export interface StaffUserLookup {
  getStaffUser(tenantId: string, userId: string): Promise<StaffUser | undefined>;
}

/** Cognito's names for the custom attributes a staff token carries. */
export const TENANT_CLAIM = 'custom:tenantId';
export const PROVIDER_CLAIM = 'custom:providerId';
export const GROUPS_CLAIM = 'cognito:groups';

export function verifiedClaims(event: APIGatewayProxyEventV2): Claims | undefined {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } };
  return context.authorizer?.jwt?.claims;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * Who is calling, from claims the gateway has already verified (signature, issuer, audience,
 * expiry). The handler still refuses claims that do not describe a staff member: a token without
 * a tenant (an access token, say) or without any known role.
 */
export function principalFromClaims(claims: Claims | undefined): Principal {
  if (!claims) throw new DomainError('unauthorized', 'Sign in: this route needs a staff token (Authorization: Bearer <id token>).');
  const userId = text(claims.sub);
  const tenantId = text(claims[TENANT_CLAIM]);
  if (!userId || !tenantId) throw new DomainError('unauthorized', 'The token does not name a staff member of a business; use the ID token from sign-in.');
  if (claims.token_use !== undefined && claims.token_use !== 'id') {
    throw new DomainError('unauthorized', 'Use the ID token from sign-in, not the access token.');
  }
  return {
    userId,
    tenantId,
    roles: parseGroups(claims[GROUPS_CLAIM]),
    providerId: text(claims[PROVIDER_CLAIM]),
    email: text(claims.email),
  };
}

/**
 * The staff check of every staff route: claims → principal, the route's policy (role, tenant,
 * own provider), and the account record, so a removed user is refused even with an unexpired
 * token. The record is also the source of truth for the role: a token minted before a role
 * change cannot keep the old one.
 */
export async function authenticateStaff(
  event: APIGatewayProxyEventV2,
  policy: { roles: readonly Role[]; ownership: Ownership },
  target: { tenantId: string; providerId?: string | undefined },
  users: StaffUserLookup,
): Promise<Principal> {
  const claimed = principalFromClaims(verifiedClaims(event));
  assertStaffPolicy(claimed, policy, target);
  const user = await users.getStaffUser(claimed.tenantId, claimed.userId);
  if (!user || !claimed.roles.has(user.role)) {
    throw new DomainError('unknown_user', 'This account no longer exists or has changed; sign in again.');
  }
  const principal: Principal = {
    userId: user.id,
    tenantId: user.tenantId,
    roles: new Set([user.role]),
    providerId: user.providerId,
    email: user.email,
  };
  assertStaffPolicy(principal, policy, target);
  return principal;
}
