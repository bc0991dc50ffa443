import { routes } from '#shared/api/routes';
import { rotateFeedToken } from '#functions/app/feeds';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeRotateFeedToken = (deps: AppDeps) =>
  httpRoute(
    routes.rotateFeedToken,
    async ({ params }) => {
      return { statusCode: 201, body: await rotateFeedToken(deps, params.tenantId, params.providerId) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeRotateFeedToken);
