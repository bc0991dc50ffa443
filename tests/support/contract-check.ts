import { routeList, type RouteContract } from '#shared/api/routes';

/**
 * Validates every JSON response the tests receive against the schema the route table documents
 * for that route and status (STYLE.md: an invalid response is a failing test). Error bodies are
 * checked against the shared error shape and the route's declared error codes.
 */
const compiled = routeList.map((route) => ({
  route: route as RouteContract,
  pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`),
}));

export function routeFor(method: string, path: string): RouteContract | undefined {
  const pathname = new URL(path, 'http://localhost').pathname;
  return compiled.find((c) => c.route.method === method && c.pattern.test(pathname))?.route;
}

export function contractProblem(method: string, path: string, status: number, body: unknown): string | undefined {
  const route = routeFor(method, path);
  if (!route) return undefined;
  if (status >= 400) {
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (typeof code !== 'string') return `${route.id} ${status}: the error body has no error.code`;
    // Authorisation failures come from the gateway or the staff check, before the route's own logic.
    const preRoute = ['unauthorized', 'unknown_user', 'forbidden', 'route_not_found', 'invalid_request', 'payload_too_large'];
    if (!preRoute.includes(code) && !(route.errors as readonly string[]).includes(code)) {
      return `${route.id} answered error code "${code}", which its contract does not list`;
    }
    return undefined;
  }
  const spec = route.responses[status];
  if (!spec) return `${route.id} answered ${status}, which its contract does not document`;
  if (!spec.schema || (spec.contentType && spec.contentType !== 'application/json')) return undefined;
  const result = spec.schema.safeParse(body);
  return result.success ? undefined : `${route.id} ${status} does not match its schema: ${JSON.stringify(result.error.issues.slice(0, 3))}`;
}
