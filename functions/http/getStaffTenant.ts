import { routes } from '#shared/api/routes';
import { actingRole } from '#shared/domain/staff';
import { staffTenant } from '#functions/app/tenants';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetStaffTenant = (deps: AppDeps) =>
  httpRoute(
    routes.getStaffTenant,
    async ({ params, principal }) => {
      const config = await deps.store.requireConfig(params.tenantId, deps.clock.now());
      return { statusCode: 200, body: staffTenant(config, principal, actingRole(principal)) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeGetStaffTenant);
