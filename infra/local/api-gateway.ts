import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { RouteContract } from '#shared/api/routes';
import type { HttpHandler } from '#functions/lib/http';

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

function sendJson(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: { code, message } }));
}

export interface LocalGatewayOptions {
  routes: ReadonlyArray<{ route: RouteContract; handler: HttpHandler }>;
  /** Requests no route matches (static files, redirects) go here before the 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
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
          if (options.fallback && (await options.fallback(req, res))) return;
          return sendJson(res, 404, 'route_not_found', `No route for ${req.method} ${path}`);
        }
        const event = toEvent(req, url, Buffer.concat(chunks), found.match, found.params);
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
