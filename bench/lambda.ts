import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from '#infra/local/api-gateway';
import type { JwtAuthorizerContext } from '#infra/local/identity/authorizer';
import { routes, type RouteId } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { handlerFactories } from '#functions/http/registry';

/**
 * A route's Lambda handler called in-process with a payload 2.0 event, as the Lambda runtime
 * calls it: everything the function does (middy, validation, core, DynamoDB), without the local
 * HTTP hop that the gateway emulation adds. Same deps (store, config cache) as the local API.
 * A staff route needs `authorizer`: the verified claims the gateway would attach to the event.
 */
export function directHandler(deps: AppDeps, routeId: RouteId) {
  const handler = handlerFactories[routeId](deps);
  const route = routes[routeId];
  return async (request: {
    params: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: unknown;
    authorizer?: JwtAuthorizerContext;
  }): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = randomUUID();
    const now = Date.now();
    let rawPath: string = route.path;
    for (const [name, value] of Object.entries(request.params)) rawPath = rawPath.replace(`{${name}}`, encodeURIComponent(value));
    const routeKey = `${route.method} ${route.path}`;
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey,
      rawPath,
      rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
      headers: { host: 'localhost', ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
      ...(request.query ? { queryStringParameters: request.query } : {}),
      pathParameters: request.params,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
        requestId,
        routeKey,
        stage: '$default',
        time: new Date(now).toISOString(),
        timeEpoch: now,
        ...(request.authorizer ? { authorizer: request.authorizer } : {}),
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      isBase64Encoded: false,
    };
    return handler(event, lambdaContext(routeId, requestId));
  };
}
