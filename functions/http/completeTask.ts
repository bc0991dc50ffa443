import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { completeTask } from '#functions/app/journeys';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeCompleteTask = (deps: AppDeps) =>
  httpRoute(
    routes.completeTask,
    async ({ params, principal }) => ({ statusCode: 200, body: await completeTask(deps, params.tenantId, params.taskId, principal!.userId) }),
    { users: deps.store },
  );

export const handler = lambdaEntry(makeCompleteTask);
