import type { Role } from '#shared/domain/staff';

/**
 * The signed-in staff member of this tab. The ID token lives in memory and in sessionStorage
 * (this tab only, gone when it closes), never in localStorage: a token that outlives the tab on a
 * shared reception PC would hand the next person every customer's data. The claims are read, not
 * verified: the API verifies every request, the app only needs the tenant and when to stop.
 */

export const SESSION_KEY = 'kairos:staff-session';

/** Sign out this long before the token expires, so no request races its expiry. */
const EXPIRY_MARGIN_MS = 30_000;

export interface StaffSession {
  idToken: string;
  /** ms since the epoch. */
  expiresAt: number;
  tenantId: string;
  userId: string;
  /** The strongest role in the token; the API's `me` (the staff record) is what the apps trust. */
  role: Role;
  providerId?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
}

const roleOrder: readonly Role[] = ['admin', 'reception', 'provider'];

function base64UrlJson(part: string): unknown {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * The session an ID token describes (Cognito's claim names; the local issuer uses the same), or
 * undefined when it is not one. `expiresAt` is counted on this device's clock from the lifetime
 * the sign-in answered with, not taken from `exp`: a desk PC whose clock is off by an hour would
 * otherwise sign out at once, or keep sending a dead token.
 */
export function sessionOf(idToken: string, expiresAt: number): StaffSession | undefined {
  const parts = idToken.split('.');
  if (parts.length !== 3) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = base64UrlJson(parts[1]!) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const tenantId = claims['custom:tenantId'];
  const userId = claims.sub;
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]) : [];
  const role = roleOrder.find((r) => groups.includes(r));
  if (typeof tenantId !== 'string' || typeof userId !== 'string' || !role) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    idToken,
    expiresAt,
    tenantId,
    userId,
    role,
    providerId: text(claims['custom:providerId']),
    email: text(claims.email),
    name: text(claims.name),
  };
}

export const isLive = (session: StaffSession, now: number) => session.expiresAt - EXPIRY_MARGIN_MS > now;

export function readSession(storage: Pick<Storage, 'getItem' | 'removeItem'>, now: number): StaffSession | undefined {
  const stored = storage.getItem(SESSION_KEY);
  if (!stored) return undefined;
  let session: StaffSession | undefined;
  try {
    const { idToken, expiresAt } = JSON.parse(stored) as { idToken?: unknown; expiresAt?: unknown };
    if (typeof idToken === 'string' && typeof expiresAt === 'number') session = sessionOf(idToken, expiresAt);
  } catch {
    session = undefined;
  }
  if (session && isLive(session, now)) return session;
  storage.removeItem(SESSION_KEY);
  return undefined;
}

/** Keeps a fresh sign-in for this tab; `expiresIn` is the answer's lifetime in seconds. */
export function saveSession(storage: Pick<Storage, 'setItem'>, idToken: string, expiresIn: number, now: number): StaffSession | undefined {
  const session = sessionOf(idToken, now + expiresIn * 1000);
  if (session) storage.setItem(SESSION_KEY, JSON.stringify({ idToken, expiresAt: session.expiresAt }));
  return session;
}

export const clearSession = (storage: Pick<Storage, 'removeItem'>) => storage.removeItem(SESSION_KEY);
