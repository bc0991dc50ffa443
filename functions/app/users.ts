import type * as z from 'zod';
import type { inviteBodySchema } from '#shared/api/staff-routes';
import { DomainError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/staff';
import type { StaffUser } from '#functions/adapters/entities/staff-user';
import type { AppDeps } from './deps.ts';
import { isoInstant } from '#shared/domain/instant';


export const listStaffUsers = (deps: AppDeps, tenantId: string) => deps.store.listStaffUsers(tenantId);

/**
 * Creates the sign-in account in the directory, then the staff record that makes its tokens
 * count. If the record cannot be written the account is removed again, so no one can hold an
 * account that works nowhere.
 */
export async function inviteStaffUser(deps: AppDeps, tenantId: string, body: z.output<typeof inviteBodySchema>) {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  if (body.providerId !== undefined && !config.providers.some((p) => p.id === body.providerId && p.active)) {
    throw new DomainError('unknown_provider', `No active provider "${body.providerId}" in this tenant.`, { field: 'body.providerId' });
  }
  const email = body.email.toLowerCase();
  const { userId, temporaryPassword } = await deps.directory.invite({ tenantId, email, name: body.name, role: body.role, providerId: body.providerId });
  const user: StaffUser = {
    id: userId,
    tenantId,
    email,
    name: body.name,
    role: body.role,
    ...(body.providerId !== undefined ? { providerId: body.providerId } : {}),
    createdAt: isoInstant(now),
  };
  try {
    await deps.store.putStaffUser(user);
  } catch (error) {
    await deps.directory.remove({ tenantId, userId, email }).catch(() => undefined);
    throw error;
  }
  return { user, ...(temporaryPassword ? { temporaryPassword } : {}) };
}

export async function removeStaffUser(deps: AppDeps, principal: Principal, tenantId: string, userId: string): Promise<void> {
  if (userId === principal.userId) {
    throw new DomainError('forbidden', 'You cannot remove your own account; ask another admin.', { field: 'userId' });
  }
  const user = await deps.store.getStaffUser(tenantId, userId);
  if (!user) throw new DomainError('user_not_found', 'No such staff account in this business.', { field: 'userId' });
  // The record first: from this moment the user's unexpired tokens are refused.
  await deps.store.deleteStaffUser(tenantId, userId);
  await deps.directory.remove({ tenantId, userId, email: user.email });
}
