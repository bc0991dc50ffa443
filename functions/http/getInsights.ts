import { routes } from '#shared/api/routes';
import { tenantInsights } from '#functions/app/insights';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetInsights = (deps: AppDeps) =>
  httpRoute(routes.getInsights, async ({ params, query }) => ({ statusCode: 200, body: await tenantInsights(deps, params.tenantId, query) }), { users: deps.store });

export const handler = lambdaEntry(makeGetInsights);
