import { DomainError } from './errors.ts';
import type { Booking } from './schemas.ts';

/** The staff roles; each is a Cognito group of the same name (and a role of the local issuer). */
export const roles = ['admin', 'reception', 'provider'] as const;
export type Role = (typeof roles)[number];

/**
 * How far a role reaches inside its tenant. `tenant`: everything the route does in the caller's
 * tenant. `ownProvider`: a caller whose only matching role is `provider` may act only on the
 * provider in the path that is themself. `ownBookings`: such a caller sees and changes only the
 * bookings of their own provider (checked once the booking is loaded).
 */
export type Ownership = 'tenant' | 'ownProvider' | 'ownBookings';

/** Who is calling a staff route, as the verified token says. */
export interface Principal {
  userId: string;
  tenantId: string;
  roles: ReadonlySet<Role>;
  /** For providers: the provider they are. */
  providerId?: string | undefined;
  email?: string | undefined;
}

/** Who made a change, as the booking history records it. */
export type Actor =
  | { kind: 'customer' }
  | { kind: 'staff'; userId: string; role: Role; email?: string | undefined }
  | { kind: 'system'; reason?: string | undefined };

export const customerActor: Actor = { kind: 'customer' };

/** The role a staff member acted in: the strongest one they hold. */
export const actingRole = (principal: Principal): Role => roles.find((role) => principal.roles.has(role)) ?? 'provider';

export const staffActor = (principal: Principal): Actor => ({
  kind: 'staff',
  userId: principal.userId,
  role: actingRole(principal),
  ...(principal.email ? { email: principal.email } : {}),
});

/**
 * `cognito:groups` as it arrives. Cognito puts a JSON array in the token, but API Gateway's JWT
 * authorizer flattens arrays in `claims` to a string such as "[admin reception]"; other issuers
 * send "admin,reception" or a JSON string. Anything unreadable counts as no group at all.
 */
export function parseGroups(value: unknown): Set<Role> {
  let names: unknown[] = [];
  if (Array.isArray(value)) names = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[') && text.includes('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        names = Array.isArray(parsed) ? parsed : [];
      } catch {
        names = [];
      }
    } else {
      names = text.replace(/^\[|\]$/g, '').split(/[\s,]+/);
    }
  }
  const known = new Set<string>(roles);
  return new Set(names.filter((name): name is Role => typeof name === 'string' && known.has(name)));
}

/** Whether a principal is limited to their own provider on a route that allows `allowed`. */
export function limitedToOwnProvider(principal: Principal, allowed: readonly Role[]): boolean {
  return !allowed.some((role) => role !== 'provider' && principal.roles.has(role));
}

/**
 * The policy check every staff route runs before its own logic: role, tenant, and for
 * `ownProvider` routes the provider in the path. `ownBookings` is finished by
 * {@link assertMayTouchBooking} once the booking is known.
 */
export function assertStaffPolicy(
  principal: Principal,
  policy: { roles: readonly Role[]; ownership: Ownership },
  target: { tenantId: string; providerId?: string | undefined },
): void {
  if (!policy.roles.some((role) => principal.roles.has(role))) {
    throw new DomainError('forbidden', `This needs one of the roles ${policy.roles.join(', ')}.`, { roles: policy.roles });
  }
  if (principal.tenantId !== target.tenantId) {
    throw new DomainError('forbidden', 'Your account belongs to another business.', { field: 'tenantId' });
  }
  if (policy.ownership === 'ownProvider' && limitedToOwnProvider(principal, policy.roles)) {
    if (!principal.providerId || principal.providerId !== target.providerId) {
      throw new DomainError('forbidden', 'Providers may only change their own calendar.', { field: 'providerId' });
    }
  }
}

/** For `ownBookings` routes: a provider may touch only bookings of their own calendar. */
export function assertMayTouchBooking(principal: Principal, allowed: readonly Role[], booking: Pick<Booking, 'providerId'>): void {
  if (limitedToOwnProvider(principal, allowed) && booking.providerId !== principal.providerId) {
    throw new DomainError('forbidden', 'Providers may only see and change their own bookings.', { field: 'bookingId' });
  }
}

/** What a history entry records of a booking before and after a change (no personal data). */
export interface BookingSnapshot {
  status: Booking['status'];
  serviceId: string;
  providerId: string;
  start: string;
  end: string;
  attendance?: Booking['attendance'];
}

export type HistoryAction = 'created' | 'rescheduled' | 'cancelled' | 'attendance_marked';

export interface HistoryEntry {
  bookingId: string;
  /** The booking's version after the change; one entry per version. */
  version: number;
  at: string;
  action: HistoryAction;
  actor: Actor;
  before: BookingSnapshot | null;
  after: BookingSnapshot;
  reason?: string | undefined;
  override?: { reason: string } | undefined;
}

export const snapshotOf = (booking: Booking): BookingSnapshot => ({
  status: booking.status,
  serviceId: booking.serviceId,
  providerId: booking.providerId,
  start: booking.start,
  end: booking.end,
  ...(booking.attendance ? { attendance: booking.attendance } : {}),
});

export function historyEntry(
  action: HistoryAction,
  actor: Actor,
  before: Booking | null,
  after: Booking,
  extra: { reason?: string | undefined; override?: { reason: string } | undefined } = {},
): HistoryEntry {
  return {
    bookingId: after.id,
    version: after.version,
    at: after.updatedAt,
    action,
    actor,
    before: before ? snapshotOf(before) : null,
    after: snapshotOf(after),
    ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
    ...(extra.override ? { override: extra.override } : {}),
  };
}
