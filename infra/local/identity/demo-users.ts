import type { Role } from '#shared/domain/staff';
import type { DynamoStore } from '#functions/adapters/store';
import type { LocalDirectory } from './accounts.ts';

/** The one password of every demo account (documented in the start banner and the README). */
export const DEMO_PASSWORD = 'kairos-demo-2026';

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  providerId?: string;
}

/** Staff of the demo tenant: one per role, and one per provider of infra/tenants/demo.json. */
export function demoUsers(tenantId: string, providers: ReadonlyArray<{ id: string; name: string }>): DemoUser[] {
  const domain = `${tenantId}.kairos.test`;
  return [
    { email: `admin@${domain}`, name: 'Demo Admin', role: 'admin' },
    { email: `reception@${domain}`, name: 'Demo Reception', role: 'reception' },
    ...providers.map((p) => ({ email: `${p.id}@${domain}`, name: p.name, role: 'provider' as const, providerId: p.id })),
  ];
}

/**
 * Gives each demo user a sign-in account and a staff record with the same user id. Idempotent: an
 * existing account (from a --persist run) keeps its id and password, and the staff record is only
 * created when missing.
 */
export async function seedDemoUsers(
  store: DynamoStore,
  directory: LocalDirectory,
  tenantId: string,
  now: number,
  password = DEMO_PASSWORD,
): Promise<Array<DemoUser & { userId: string }>> {
  const config = await store.loadConfig(tenantId, now);
  if (!config) throw new Error(`Cannot seed demo users: no tenant "${tenantId}"`);
  const seeded: Array<DemoUser & { userId: string }> = [];
  for (const user of demoUsers(tenantId, config.providers)) {
    const account = (await directory.create({ ...user, tenantId, password })) ?? (await directory.find(user.email));
    if (!account) throw new Error(`Cannot seed ${user.email}: its account vanished while seeding`);
    await store.putStaffUser({
      id: account.userId,
      tenantId: account.tenantId,
      email: account.email,
      name: account.name,
      role: account.role,
      providerId: account.providerId,
      createdAt: new Date(now).toISOString(),
    });
    seeded.push({ ...user, userId: account.userId });
  }
  return seeded;
}
