import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';
import { publicTenant } from '#functions/app/tenants';

export const makeGetTenant = (deps: AppDeps) =>
  httpRoute(routes.getTenant, async ({ params }) => {
    const config = await deps.store.requireConfig(params.tenantId, deps.clock.now());
    return { statusCode: 200, body: publicTenant(config), headers: { 'cache-control': 'public, max-age=60' } };
  });

export const handler = lambdaEntry(makeGetTenant);
