import { buildOpenApi } from '#shared/api/openapi';
import { routeList, routes } from '#shared/api/routes';
import { httpRoute } from '#functions/lib/http';

let document: Record<string, unknown> | undefined;

/** Needs nothing from the outside world: the document is built from the route table. */
export const makeGetOpenApi = () =>
  httpRoute(routes.getOpenApi, async () => {
    document ??= buildOpenApi(routeList);
    return { statusCode: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
  });

export const handler = makeGetOpenApi();
