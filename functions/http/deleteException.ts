import { routes } from '#shared/api/routes';
import { deleteException } from '#functions/app/schedules';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeDeleteException = (deps: AppDeps) =>
  httpRoute(
    routes.deleteException,
    async ({ params }) => {
      return { statusCode: 200, body: await deleteException(deps, params.tenantId, params.providerId, params.date) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeDeleteException);
