import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { routeList, routes } from '#shared/api/routes';
import { parseTenantFile } from '#shared/domain/tenant-file';
import type { AppDeps } from '#functions/app/deps';
import type { DynamoStore } from '#functions/adapters/store';
import { handlerFactories } from '#functions/http/registry';
import type { HttpHandler } from '#functions/lib/http';
import type { RouteContract } from '#shared/api/contract';
import { createLocalGateway } from './api-gateway.ts';
import type { LocalIdentity } from './identity/identity.ts';
import type { StaticSite } from './web.ts';

export interface LocalApiOptions {
  /** The local issuer: verifies staff tokens and serves /auth/*. Without it, staff routes answer 401. */
  identity?: LocalIdentity;
  /** Other routes instead of the route table's (tests of the gateway itself). */
  routes?: ReadonlyArray<{ route: RouteContract; handler: HttpHandler }>;
  /** The web apps (infra/local/web.ts): served on the same origin, and `/` redirects to the booking page. */
  web?: StaticSite;
}

/**
 * The whole HTTP API on one local server, every route wired to its real handler, staff routes
 * behind the local issuer's JWT authorizer. Call `identity.setBaseUrl()` once it listens.
 */
export function createLocalApi(deps: AppDeps, options: LocalApiOptions = {}): Server {
  const { identity } = options;
  return createLocalGateway({
    routes: options.routes ?? routeList.map((route) => ({ route, handler: handlerFactories[route.id](deps) })),
    ...(identity ? { authorizer: identity.authorizer } : {}),
    fallback: async (req, res, url, body) => {
      if (identity && (await identity.endpoints(req, url, body, res))) return true;
      if (options.web && (await options.web(req, res, url))) return true;
      if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
        res.writeHead(302, { location: routes.getTenant.path.replace('{tenantId}', 'demo') });
        res.end();
        return true;
      }
      return false;
    },
  });
}

export class TenantFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(`${file} is not a valid tenant file:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  }
}

/** Reads, validates and applies a tenant file. Idempotent; never touches bookings. */
export async function applyTenantFile(store: DynamoStore, file: string, now: number) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new TenantFileError(file, [{ path: '$', message: (error as Error).message }]);
  }
  const parsed = parseTenantFile(json);
  if (!parsed.ok) throw new TenantFileError(file, parsed.problems);
  const result = await store.applyConfig(parsed.config, new Date(now).toISOString());
  return { tenantId: parsed.config.tenant.id, ...result, services: parsed.config.services.length, providers: parsed.config.providers.length };
}
