import type { Role } from '#shared/domain/staff';

/**
 * Staff accounts of a tenant, one item each in the tenant's staff partition. Cognito (or the local
 * issuer) holds the credentials; this record is what makes a verified token count: a token whose
 * user has no record here (removed, or never invited to this tenant) is refused at once, without
 * waiting for the token to expire.
 */
export interface StaffUser {
  /** The token's `sub`. */
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  providerId?: string | undefined;
  createdAt: string;
}

export const staffPk = (tenantId: string) => `T#${tenantId}#STAFF`;
export const staffSk = (userId: string) => `USER#${userId}`;

export const staffUserItem = (user: StaffUser): Record<string, unknown> => ({
  PK: staffPk(user.tenantId),
  SK: staffSk(user.id),
  type: 'staffUser',
  ...user,
});

export function staffUserFromItem(item: Record<string, unknown>): StaffUser {
  const { PK: _pk, SK: _sk, type: _type, ...user } = item;
  return user as unknown as StaffUser;
}
