import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { listWaitlist } from '#functions/app/waitlist';
import { httpRoute } from '#functions/lib/http';

export const makeListWaitlist = (deps: AppDeps) =>
  httpRoute(routes.listWaitlist, async ({ params, query }) => ({ statusCode: 200, body: await listWaitlist(deps, params.tenantId, query) }), { users: deps.store });

export const handler = lambdaEntry(makeListWaitlist);
