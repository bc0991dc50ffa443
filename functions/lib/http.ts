import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { DomainError, isDomainError } from '#shared/domain/errors';
import type { RouteContract } from '#shared/api/routes';
import type { Principal } from '#shared/domain/staff';
import { authenticateStaff, principalFromClaims, verifiedClaims, type StaffUserLookup } from './auth.ts';
import { logger } from './logger.ts';

/** The largest body a client may send; API Gateway would take 10 MB, we never need that much. */
export const MAX_BODY_BYTES = 16 * 1024;

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<R extends RouteContract> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  headers: Infer<R['headers']>;
  body: Infer<R['body']>;
  /** The signed-in staff member, on staff routes (policy already checked). */
  principal: R['auth'] extends { kind: 'staff' } ? Principal : undefined;
  event: APIGatewayProxyEventV2;
}

export interface HttpRouteOptions {
  /** Staff routes: where the account records are (the store). */
  users?: StaffUserLookup;
}

export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as it is (already serialised); otherwise it is JSON-encoded. */
  raw?: boolean;
}

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export const errorResponse = (error: DomainError): APIGatewayProxyStructuredResultV2 =>
  json(error.status, {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  });

/** zod issues → `details` that name each offending field as a dotted path. */
export function validationError(where: string, error: z.ZodError): DomainError {
  const issues = error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  return new DomainError('invalid_request', first ? `${first.field}: ${first.message}` : `Invalid ${where}.`, {
    field: first?.field,
    issues,
  });
}

/** Maps anything thrown to a response. Only client errors describe themselves; a 500 says nothing. */
export function toErrorResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (isDomainError(error)) return errorResponse(error);
  if (error instanceof IdempotencyValidationError) {
    return errorResponse(
      new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.', {
        field: 'headers.idempotency-key',
      }),
    );
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return errorResponse(
      new DomainError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.', {
        field: 'headers.idempotency-key',
      }),
    );
  }
  logger.error('unhandled error', { error: error as Error });
  return errorResponse(new DomainError('internal_error', 'Something went wrong on our side. Please try again.'));
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new DomainError('payload_too_large', `The request body must not exceed ${MAX_BODY_BYTES} bytes.`, {
      limitBytes: MAX_BODY_BYTES,
    });
  }
  if (text.trim() === '') return {};
  const contentType = event.headers?.['content-type'] ?? '';
  if (contentType && !/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
    throw new DomainError('unsupported_media_type', 'Send the request body as application/json.', { field: 'content-type' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DomainError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`, { field: 'body' });
  }
}

function validate<T extends z.ZodType | undefined>(schema: T, value: unknown, where: string): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(where, result.error);
  return result.data as Infer<T>;
}

const parse = <R extends RouteContract, K extends 'params' | 'query' | 'headers' | 'body'>(
  route: R,
  part: K,
  value: unknown,
  where: string,
): Infer<R[K]> => validate(route[part] as z.ZodType | undefined, value, where) as Infer<R[K]>;

/**
 * A route's Lambda handler: middy with header normalisation, request parsing and validation from
 * the route contract, the core function, and one error mapper that runs last.
 */
export function httpRoute<R extends RouteContract>(
  route: R,
  core: (input: RouteInput<R>, context: Context) => Promise<HttpResult>,
  options: HttpRouteOptions = {},
): HttpHandler {
  const auth = route.auth;
  const users = options.users;
  if (auth.kind === 'staff' && !users) throw new Error(`Route ${route.id} is a staff route: pass the staff user lookup`);
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use({
      onError: (request) => {
        request.response = toErrorResponse(request.error);
      },
    })
    .handler(async (event, context) => {
      // Order matters: who you are (401), what you address (400 on the path), whether you may
      // (403), and only then what you send, so a caller without rights learns nothing from validation.
      if (auth.kind === 'staff') principalFromClaims(verifiedClaims(event));
      const params = parse(route, 'params', event.pathParameters ?? {}, 'path');
      let principal: Principal | undefined;
      if (auth.kind === 'staff') {
        const target = params as { tenantId: string; providerId?: string };
        principal = await authenticateStaff(event, auth, { tenantId: target.tenantId, providerId: target.providerId }, users!);
      }
      const input = {
        params,
        query: parse(route, 'query', event.queryStringParameters ?? {}, 'query'),
        headers: parse(route, 'headers', event.headers ?? {}, 'headers'),
        body: parse(route, 'body', route.body ? parseBody(event) : undefined, 'body'),
        principal,
        event,
      } as RouteInput<R>;
      const result = await core(input, context);
      if (result.raw) {
        return { statusCode: result.statusCode, headers: result.headers ?? {}, body: String(result.body ?? '') };
      }
      return json(result.statusCode, result.body, result.headers);
    });
  return handler as unknown as HttpHandler;
}
