import { buildOpenApi } from '#shared/api/openapi';
import { routeList, routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

let document: Record<string, unknown> | undefined;

export const makeGetOpenApi = (_deps: AppDeps) =>
  httpRoute(routes.getOpenApi, async () => {
    document ??= buildOpenApi(routeList);
    return { statusCode: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
  });

export const handler = lambdaEntry(makeGetOpenApi);
