import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { RouteContract } from '#shared/api/routes';
import type { HttpHandler } from '#functions/lib/http';
import type { JwtAuthorizer } from './identity/authorizer.ts';

/** API Gateway refuses larger payloads before a function sees them; so do we. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteContract;
  pattern: RegExp;
  names: string[];
  handler: HttpHandler;
}

const textual = /^(application\/([\w.+-]*\+)?json|text\/|application\/x-www-form-urlencoded)/i;

function compile(route: RouteContract, handler: HttpHandler): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((part) => {
      const match = /^\{(\w+)\}$/.exec(part);
      if (!match) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names, handler };
}

/** The request as an API Gateway HTTP API payload 2.0 event. */
export function toEvent(req: IncomingMessage, url: URL, body: Buffer, match: CompiledRoute, params: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // Repeated query parameters arrive comma-joined, as API Gateway does it.
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = body.length === 0 || textual.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const routeKey = `${match.route.method} ${match.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}

/** A Lambda context as the runtime passes it (the fields our handlers and Powertools read). */
export const lambdaContext = (routeId: string, requestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: `kairos-${routeId}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:kairos-${routeId}`,
  memoryLimitInMB: '512',
  awsRequestId: requestId,
  logGroupName: `/aws/lambda/kairos-${routeId}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

function sendJson(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

export interface LocalGatewayOptions {
  routes: ReadonlyArray<{ route: RouteContract; handler: HttpHandler }>;
  /**
   * The JWT authorizer of staff routes (the local issuer's). Without one, staff routes refuse
   * every request: like the cloud, a staff route is never open for want of configuration.
   */
  authorizer?: JwtAuthorizer;
  /** Requests no route matches (the issuer's /auth endpoints, static files, redirects) go here before the 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => boolean | Promise<boolean>;
}

/**
 * API Gateway's JWT authorizer, before the function: a staff route's token is verified here and
 * the handler never runs for a refused one. API Gateway answers 401 `{"message":"Unauthorized"}`,
 * a body HTTP APIs cannot customise; locally we answer in our own error shape instead, with a
 * message that says what is wrong with the token, because that is what a developer needs here.
 */
async function authorize(authorizer: JwtAuthorizer | undefined, route: RouteContract, event: APIGatewayProxyEventV2, res: ServerResponse): Promise<boolean> {
  if (route.auth.kind !== 'staff') return true;
  const result = authorizer
    ? await authorizer.authorize(event.headers.authorization)
    : { ok: false as const, message: 'This server has no token issuer, so staff routes are closed.' };
  if (!result.ok) {
    // RFC 6750 §3: a 401 for a bearer-token resource names the scheme.
    sendJson(res, 401, 'unauthorized', result.message, { 'www-authenticate': 'Bearer' });
    return false;
  }
  (event.requestContext as { authorizer?: unknown }).authorizer = result.context;
  return true;
}

/**
 * The local stand-in for API Gateway: matches the route table, turns each request into a
 * payload 2.0 event, calls the same handler the Lambda runs, and writes its result back.
 */
export function createLocalGateway(options: LocalGatewayOptions): Server {
  const compiled = options.routes.map(({ route, handler }) => compile(route, handler));
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      void (async () => {
        if (tooLarge) return sendJson(res, 413, 'payload_too_large', 'Request Entity Too Large');
        const url = new URL(req.url ?? '/', 'http://localhost');
        const path = url.pathname;
        let found: { match: CompiledRoute; params: Record<string, string> } | undefined;
        for (const match of compiled) {
          if (match.route.method !== req.method) continue;
          const result = match.pattern.exec(path);
          if (!result) continue;
          const params: Record<string, string> = {};
          try {
            match.names.forEach((name, i) => (params[name] = decodeURIComponent(result[i + 1]!)));
          } catch {
            return sendJson(res, 400, 'invalid_request', 'The path is not correctly percent-encoded.');
          }
          found = { match, params };
          break;
        }
        if (!found) {
          if (options.fallback && (await options.fallback(req, res, url, Buffer.concat(chunks)))) return;
          return sendJson(res, 404, 'route_not_found', `No route for ${req.method} ${path}`);
        }
        const event = toEvent(req, url, Buffer.concat(chunks), found.match, found.params);
        if (!(await authorize(options.authorizer, found.match.route, event, res))) return;
        const result = await found.match.handler(event, lambdaContext(found.match.route.id, event.requestContext.requestId));
        const body = result.body ?? '';
        res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
        res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
      })().catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) sendJson(res, 502, 'bad_gateway', 'The function failed.');
        else res.end();
      });
    });
  });
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
