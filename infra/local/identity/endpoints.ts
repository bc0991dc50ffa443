import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { DomainError } from '#shared/domain/errors';
import { roles, type Role } from '#shared/domain/staff';
import type { DynamoStore } from '#functions/adapters/store';
import type { LocalDirectory } from './accounts.ts';
import type { LocalIssuer, SignInResult, TokenSubject } from './issuer.ts';

/**
 * The issuer's own HTTP endpoints. They are not in the route table: in the cloud they are
 * Cognito's (hosted UI / InitiateAuth and the user pool's JWKS), not part of our API.
 */
export const authPaths = {
  jwks: '/auth/.well-known/jwks.json',
  signIn: '/auth/sign-in',
  devToken: '/auth/dev-token',
} as const;

const signInBody = z.object({ email: z.string().trim().min(1), password: z.string().min(1) });
const devTokenBody = z.object({
  tenantId: z.string().trim().min(1),
  role: z.enum(roles, { message: `must be one of ${roles.join(', ')}` }),
  providerId: z.string().trim().min(1).optional(),
});

/** The deterministic user behind /auth/dev-token, so repeated calls reuse one staff record. */
export const devUserId = (role: Role, providerId?: string) => `dev-${role}${providerId ? `-${providerId}` : ''}`;

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const sendError = (res: ServerResponse, error: DomainError) =>
  send(res, error.status, { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });

function parseBody<T extends z.ZodType>(schema: T, body: Buffer): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new DomainError('invalid_request', 'The body is not valid JSON.', { field: 'body' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'body';
    throw new DomainError('invalid_request', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  return parsed.data;
}

export interface AuthEndpointDeps {
  issuer: LocalIssuer;
  directory: LocalDirectory;
  store: DynamoStore;
  now: () => number;
}

/** Issues a token for /auth/dev-token: any role of an existing tenant, with a staff record behind it. */
export async function devToken(deps: AuthEndpointDeps, input: z.output<typeof devTokenBody>): Promise<SignInResult> {
  const { tenantId, role, providerId } = input;
  if (role === 'provider' && !providerId) throw new DomainError('invalid_request', 'A provider token needs providerId.', { field: 'providerId' });
  if (role !== 'provider' && providerId) throw new DomainError('invalid_request', `A ${role} token has no providerId.`, { field: 'providerId' });
  const config = await deps.store.loadConfig(tenantId, deps.now());
  if (!config) throw new DomainError('tenant_not_found', `No tenant "${tenantId}".`, { field: 'tenantId' });
  if (providerId && !config.providers.some((p) => p.id === providerId)) {
    throw new DomainError('invalid_request', `Tenant "${tenantId}" has no provider "${providerId}".`, { field: 'providerId' });
  }
  const userId = devUserId(role, providerId);
  const subject: TokenSubject = { userId, tenantId, role, providerId, email: `${userId}@${tenantId}.kairos.local`, name: `Dev ${role}${providerId ? ` ${providerId}` : ''}` };
  await deps.store.putStaffUser({ id: userId, tenantId, email: subject.email, name: subject.name, role, providerId, createdAt: new Date(deps.now()).toISOString() });
  return deps.issuer.issue(subject);
}

/**
 * Serves /auth/*; returns false for any other path so the gateway can answer 404.
 * Sign-in answers a wrong password and an unknown e-mail identically (and equally slowly).
 */
export function createAuthEndpoints(deps: AuthEndpointDeps) {
  return async (req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse): Promise<boolean> => {
    const path = url.pathname;
    const allowed = path === authPaths.jwks ? 'GET' : path === authPaths.signIn || path === authPaths.devToken ? 'POST' : undefined;
    if (!allowed) return false;
    try {
      if (req.method !== allowed) throw new DomainError('method_not_allowed', `${path} takes ${allowed}.`);
      if (path === authPaths.jwks) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=300' });
        res.end(JSON.stringify(deps.issuer.jwks()));
      } else if (path === authPaths.signIn) {
        const { email, password } = parseBody(signInBody, body);
        const account = await deps.directory.verify(email, password);
        if (!account) return (send(res, 401, { error: { code: 'invalid_credentials', message: 'Wrong e-mail or password.' } }), true);
        send(res, 200, await deps.issuer.issue({ ...account }));
      } else {
        send(res, 200, await devToken(deps, parseBody(devTokenBody, body)));
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      sendError(res, error);
    }
    return true;
  };
}
