import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { listTasks } from '#functions/app/journeys';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeListTasks = (deps: AppDeps) =>
  httpRoute(routes.listTasks, async ({ params }) => ({ statusCode: 200, body: await listTasks(deps, params.tenantId) }), { users: deps.store });

export const handler = lambdaEntry(makeListTasks);
