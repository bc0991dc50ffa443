import { beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, type ResponseSpec, type RouteContract } from '#shared/api/contract';
import { routeList, type RouteId } from '#shared/api/routes';
import { customer, testTenant, weekdays9to17 } from '#tests/support/fixtures';
import { CustomerStore } from '#functions/adapters/customer-store';
import { applyBookingIdentity } from '#shared/customers/golden-record';
import { customerIdSeed, newCustomerId } from '#shared/customers/identity';
import { useTestStack, type TokenRequest } from '#tests/support/stack';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_JOURNEYS } from '#shared/journeys/rules';
import { taskItem } from '#functions/adapters/entities/journey';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';

/**
 * Who may call what: every route of the route table against every kind of caller, through the
 * real gateway (JWT verification) and the real handlers (policy, ownership, account record).
 * The expected statuses are written out by hand from each route's declared `auth`, not derived
 * from it, so a handler that ignores its policy, or a policy changed without this table, fails.
 */

// Monday 2026-11-23 08:00 Berlin; both tenants' providers work 09:00-17:00 Berlin (08:00-16:00 UTC) on weekdays.
const NOW = '2026-11-23T07:00:00Z';
const stack = useTestStack({ now: NOW, tenants: [testTenant(), testTenant({ id: 'other', name: 'Other Clinic' })] });

const principals = [
  'anonymous',
  'manageToken',
  'providerOwn',
  'providerOther',
  'reception',
  'admin',
  'adminOtherTenant',
  'expired',
  'foreignKey',
] as const;
type Principal = (typeof principals)[number];
type Row = Record<Principal, number>;

/** A tuple of the same length as T (a mapped type over a type parameter keeps tuples tuples). */
type Each<T extends readonly unknown[], V> = { -readonly [K in keyof T]: V };

/** One status per principal, in the order of `principals` (the column header of the table below). */
const row = (...statuses: Each<typeof principals, number>): Row =>
  Object.fromEntries(principals.map((principal, i) => [principal, statuses[i]])) as Row;

/**
 * The matrix. Targets are p1's resources in tenant acme. Staff routes: no or a non-staff token,
 * an expired one, or one signed by another key → 401 at the gateway; another tenant's admin or a
 * role the route does not list → 403; provider p2 on p1's provider path or booking → 403.
 * Manage routes: only that booking's manage token; anything else looks like no booking (404).
 */
const expected: Record<RouteId, Row> = {
  //                        anonymous manageToken providerOwn providerOther reception admin adminOtherTenant expired foreignKey
  getTenant:              row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  getAvailability:        row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  createBooking:          row(201,      201,        201,        201,          201,      201,  201,             201,    201),
  getBooking:             row(404,      200,        404,        404,          404,      404,  404,             404,    404),
  getRebookSuggestions:   row(404,      200,        404,        404,          404,      404,  404,             404,    404),
  rescheduleBooking:      row(404,      200,        404,        404,          404,      404,  404,             404,    404),
  cancelBooking:          row(404,      200,        404,        404,          404,      404,  404,             404,    404),
  getOpenApi:             row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  // Every role, no provider in the path: p2 may read the tenant too.
  getStaffTenant:         row(401,      401,        200,        200,          200,      200,  403,             401,    401),
  updateSettings:         row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  // Asks for p1's calendar (providerId=p1), so p2 is refused.
  listStaffBookings:      row(401,      401,        200,        403,          200,      200,  403,             401,    401),
  createStaffBooking:     row(401,      401,        403,        403,          201,      201,  403,             401,    401),
  getStaffBooking:        row(401,      401,        200,        403,          200,      200,  403,             401,    401),
  rescheduleStaffBooking: row(401,      401,        200,        403,          200,      200,  403,             401,    401),
  cancelStaffBooking:     row(401,      401,        200,        403,          200,      200,  403,             401,    401),
  markAttendance:         row(401,      401,        200,        403,          200,      200,  403,             401,    401),
  getBookingHistory:      row(401,      401,        200,        403,          200,      200,  403,             401,    401),
  createService:          row(401,      401,        403,        403,          403,      201,  403,             401,    401),
  updateService:          row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  deactivateService:      row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  createProvider:         row(401,      401,        403,        403,          403,      201,  403,             401,    401),
  updateProvider:         row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  deactivateProvider:     row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  // admin + provider (own): reception is not among the roles.
  putWeeklyHours:         row(401,      401,        200,        403,          403,      200,  403,             401,    401),
  putException:           row(401,      401,        200,        403,          403,      200,  403,             401,    401),
  deleteException:        row(401,      401,        200,        403,          403,      200,  403,             401,    401),
  createBlock:            row(401,      401,        201,        403,          201,      201,  403,             401,    401),
  deleteBlock:            row(401,      401,        204,        403,          204,      204,  403,             401,    401),
  rotateFeedToken:        row(401,      401,        201,        403,          403,      201,  403,             401,    401),
  listStaffUsers:         row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  listOutbox:             row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  lookupCustomer:         row(401,      401,        403,        403,          200,      200,  403,             401,    401),
  getCustomer:            row(401,      401,        403,        403,          200,      200,  403,             401,    401),
  searchCustomers:        row(401,      401,        403,        403,          200,      200,  403,             401,    401),
  exportCustomer:         row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  // Erasing twice answers 200 again, so every allowed call may target the same customer.
  eraseCustomer:          row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  // Merging is the caller card's decision (admin, reception); taking it back is the admin's.
  mergeCustomers:         row(401,      401,        403,        403,          200,      200,  403,             401,    401),
  undoMerge:              row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  // Only mails the link to the customer's address; each call books afresh (one request per booking an hour).
  requestDataExport:      row(404,      202,        404,        404,          404,      404,  404,             404,    404),
  // The signed link is the credential, as the feed's URL is; whatever Authorization header comes along is irrelevant.
  getDataExport:          row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  getJourneys:            row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  putJourneys:            row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  listTasks:              row(401,      401,        403,        403,          200,      200,  403,             401,    401),
  completeTask:           row(401,      401,        403,        403,          200,      200,  403,             401,    401),
  // The token is the path, like the feed: the Authorization header is irrelevant.
  getPreferences:         row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  updatePreferences:      row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  unsubscribe:            row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  getInsights:            row(401,      401,        403,        403,          403,      200,  403,             401,    401),
  inviteStaffUser:        row(401,      401,        403,        403,          403,      201,  403,             401,    401),
  removeStaffUser:        row(401,      401,        403,        403,          403,      204,  403,             401,    401),
  // The secret is the path; whatever Authorization header comes along is irrelevant.
  getProviderFeed:        row(200,      200,        200,        200,          200,      200,  200,             200,    200),
  // Anyone may wait (each call a customer of its own); leaving takes the entry's manage token, a
  // claim its offer token (the manageToken column sends the one of the entry in the path).
  joinWaitlist:           row(201,      201,        201,        201,          201,      201,  201,             201,    201),
  leaveWaitlist:          row(404,      204,        404,        404,          404,      404,  404,             404,    404),
  claimWaitlistOffer:     row(404,      201,        404,        404,          404,      404,  404,             404,    404),
  // Reception's list and phone bookings: admin and reception of the tenant.
  listWaitlist:           row(401,      401,        403,        403,          200,      200,  403,             401,    401),
  bookFromWaitlist:       row(401,      401,        403,        403,          201,      201,  403,             401,    401),
};

/** The code a refusal must carry: staff routes say who you are (401) or that you may not (403); a manage route only "no such booking". */
function refusalCode(route: RouteContract, status: number): string {
  if (route.auth.kind === 'manageToken' && status === 404) return route.path.startsWith('/v1/waitlist/') ? 'waitlist_entry_not_found' : 'booking_not_found';
  if (route.auth.kind === 'staff' && status === 401) return 'unauthorized';
  if (route.auth.kind === 'staff' && status === 403) return 'forbidden';
  throw new Error(`${route.id}: no refusal ${status} is expected for a ${route.auth.kind} route`);
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Distinct 30-minute starts inside p1's hours (08:00-16:00 UTC on weekdays), from `first` on. */
function slots(first: string, last: string) {
  let next = Date.parse(first);
  return () => {
    for (;;) {
      const at = new Date(next);
      next += 30 * MINUTE;
      if (at.getTime() > Date.parse(last)) throw new Error(`ran out of slots before ${last}`);
      const weekday = at.getUTCDay() >= 1 && at.getUTCDay() <= 5;
      if (weekday && at.getUTCHours() >= 8 && at.getUTCHours() < 16) return iso(at.getTime());
    }
  };
}
/** Bookable by a customer: tomorrow on, inside the 30-day horizon of 'cut'. */
const futureSlot = slots('2026-11-24T08:00:00Z', '2026-12-22T15:30:00Z');
/** Already started: only staff with an override can book these, which is what attendance needs. */
const pastSlot = slots('2026-11-16T08:00:00Z', '2026-11-20T15:30:00Z');

/** A customer as the stream projector would have left one (the test stack runs no projector). */
async function knownCustomer() {
  const customers = new CustomerStore(stack.store.db, stack.tableName);
  const email = 'matrix.caller@example.com';
  const customerId = newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));
  await customers.claimIdentity('acme', 'email', email, customerId, NOW);
  const record = applyBookingIdentity(undefined, { customerId, tenantId: 'acme', name: 'Matrix Caller', email, source: 'online', at: NOW });
  await customers.putProfile({ record, updatedAt: NOW }, (await customers.getProfile('acme', customerId))?.revision ?? null);
  return { email, customerId };
}

/** An open reception task, as the journey runner writes one (each call a new one: completing twice is a 404). */
async function openTask(): Promise<string> {
  const { customerId } = await knownCustomer();
  const id = fresh('call-to-confirm');
  await stack.store.db.send(
    new PutCommand({
      TableName: stack.tableName,
      Item: taskItem({ id, tenantId: 'acme', customerId, ruleId: 'call-to-confirm', title: 'Call to confirm', status: 'open', dueAt: NOW, createdAt: NOW }),
    }),
  );
  return id;
}

async function preferencesToken(): Promise<string> {
  return new Links(LOCAL_LINK_SECRET, 'http://localhost:3000').preferencesToken('acme', (await knownCustomer()).customerId);
}

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${++counter}`;

/** A customer of its own (as the projector would leave one), for routes that change or merge it. */
async function freshCustomer(): Promise<string> {
  const customers = new CustomerStore(stack.store.db, stack.tableName);
  const email = `${fresh('matrix.merge')}@example.com`;
  const customerId = newCustomerId(customerIdSeed('acme', { kind: 'email', value: email }));
  await customers.claimIdentity('acme', 'email', email, customerId, NOW);
  const record = applyBookingIdentity(undefined, { customerId, tenantId: 'acme', name: 'Matrix Merge', email, source: 'online', at: NOW });
  await customers.putProfile({ record, updatedAt: NOW }, null);
  return customerId;
}

type StaffPrincipal = Exclude<Principal, 'anonymous' | 'manageToken'>;
const tokenRequests: Record<StaffPrincipal, TokenRequest> = {
  providerOwn: { tenantId: 'acme', role: 'provider', providerId: 'p1', userId: 'matrix-provider-p1' },
  providerOther: { tenantId: 'acme', role: 'provider', providerId: 'p2', userId: 'matrix-provider-p2' },
  reception: { tenantId: 'acme', role: 'reception', userId: 'matrix-reception' },
  admin: { tenantId: 'acme', role: 'admin', userId: 'matrix-admin' },
  adminOtherTenant: { tenantId: 'other', role: 'admin', userId: 'matrix-admin-other' },
  expired: { tenantId: 'acme', role: 'admin', userId: 'matrix-admin-expired' },
  foreignKey: { tenantId: 'acme', role: 'admin', userId: 'matrix-admin-foreign' },
};
const tokens = {} as Record<StaffPrincipal, string>;
/** A valid acme admin token whose staff record was never written. */
let unknownUserToken = '';
/** The manage token of a p1 booking, for routes whose request has no booking of its own. */
let someManageToken = '';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type Response = Awaited<ReturnType<typeof stack.request>>;

/** A fixture step's response, or an error saying which step went wrong and why. */
function expectFixture(response: Response, status: number, what: string): any {
  if (response.status !== status) throw new Error(`fixture "${what}" answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

const asAdmin = (method: string, path: string, body?: unknown) =>
  stack.request(method, path, { headers: bearer(tokens.admin), ...(body !== undefined ? { body } : {}) });

async function bookP1(): Promise<{ bookingId: string; manageToken: string }> {
  const body = expectFixture(
    await stack.request('POST', '/v1/tenants/acme/bookings', { body: { serviceId: 'cut', providerId: 'p1', start: futureSlot(), customer: customer() } }),
    201,
    'book p1',
  );
  return { bookingId: body.booking.id, manageToken: body.manageToken };
}

/** A p1 booking that has already started (attendance can only be marked then). */
async function startedBookingOfP1(): Promise<string> {
  const body = expectFixture(
    await asAdmin('POST', '/v1/staff/tenants/acme/bookings', {
      serviceId: 'cut',
      providerId: 'p1',
      start: pastSlot(),
      customer: customer(),
      override: { reason: 'entered after the visit' },
    }),
    201,
    'staff booking in the past',
  );
  return body.booking.id;
}

async function freshService(): Promise<string> {
  const id = fresh('svc');
  expectFixture(await asAdmin('POST', '/v1/staff/tenants/acme/services', { id, name: 'Fresh', durationMinutes: 30, providerIds: ['p1'] }), 201, 'create service');
  return id;
}

async function blockOfP1(): Promise<string> {
  const start = futureSlot();
  const body = expectFixture(
    await asAdmin('POST', '/v1/staff/tenants/acme/providers/p1/blocks', { start, end: iso(Date.parse(start) + 30 * MINUTE) }),
    201,
    'create block',
  );
  return body.block.id;
}

async function feedTokenOfP1(): Promise<string> {
  return expectFixture(await asAdmin('POST', '/v1/staff/tenants/acme/providers/p1/feed-token'), 201, 'rotate feed token').feedToken;
}

/** Deactivating p1 is the admin's success case; every later request needs p1 working again. */
async function reactivateP1(): Promise<void> {
  const record = await stack.store.getConfigRecord('acme', 'provider', 'p1');
  if (record && !record.data.active) {
    await stack.store.putConfigRecord('acme', 'provider', { ...record.data, active: true }, iso(stack.clock.now()), record.revision);
  }
}

// ---------------------------------------------------------------------------------------------
// One request per route, with its own fresh fixtures, valid enough that only authorisation can refuse it

interface Call {
  params: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** The manage token of the booking in the path; otherwise the manageToken principal sends some other p1 booking's. */
  manageToken?: string;
  /** Undo what a success did to shared fixtures. */
  after?: () => Promise<void>;
}

const acme = { tenantId: 'acme' };
const p1 = { tenantId: 'acme', providerId: 'p1' };

const bookingCall = async (body?: unknown): Promise<Call> => {
  const { bookingId, manageToken } = await bookP1();
  return { params: { ...acme, bookingId }, manageToken, ...(body !== undefined ? { body } : {}) };
};

const requests: Record<RouteId, () => Promise<Call>> = {
  getTenant: async () => ({ params: acme }),
  getAvailability: async () => ({ params: acme, query: { serviceId: 'cut', providerId: 'p1', from: '2026-11-24', to: '2026-11-24' } }),
  createBooking: async () => ({ params: acme, body: { serviceId: 'cut', providerId: 'p1', start: futureSlot(), customer: customer() } }),
  getBooking: () => bookingCall(),
  getRebookSuggestions: () => bookingCall(),
  rescheduleBooking: () => bookingCall({ start: futureSlot() }),
  cancelBooking: () => bookingCall({ reason: 'cannot make it' }),
  getOpenApi: async () => ({ params: {} }),
  getStaffTenant: async () => ({ params: acme }),
  updateSettings: async () => ({ params: acme, body: { name: 'Acme Clinic' } }),
  listStaffBookings: async () => ({ params: acme, query: { from: '2026-11-23T00:00:00Z', to: '2026-12-07T00:00:00Z', providerId: 'p1' } }),
  createStaffBooking: async () => ({ params: acme, body: { serviceId: 'cut', providerId: 'p1', start: futureSlot(), customer: customer() } }),
  getStaffBooking: () => bookingCall(),
  rescheduleStaffBooking: () => bookingCall({ start: futureSlot() }),
  cancelStaffBooking: () => bookingCall({ reason: 'called the desk' }),
  markAttendance: async () => ({ params: { ...acme, bookingId: await startedBookingOfP1() }, body: { status: 'attended' } }),
  getBookingHistory: () => bookingCall(),
  createService: async () => ({ params: acme, body: { id: fresh('svc'), name: 'Fresh', durationMinutes: 30, providerIds: ['p1'] } }),
  updateService: async () => ({ params: { ...acme, serviceId: await freshService() }, body: { name: 'Fresh, longer', durationMinutes: 45, providerIds: ['p1'] } }),
  deactivateService: async () => ({ params: { ...acme, serviceId: await freshService() } }),
  createProvider: async () => ({ params: acme, body: { id: fresh('px'), name: 'New Provider', weeklyHours: weekdays9to17 } }),
  updateProvider: async () => ({ params: p1, body: { name: 'Pat One' } }),
  deactivateProvider: async () => ({ params: p1, after: reactivateP1 }),
  putWeeklyHours: async () => ({ params: p1, body: { weeklyHours: weekdays9to17 } }),
  putException: async () => ({ params: { ...p1, date: '2027-03-01' }, body: { hours: [], note: 'closed' } }),
  deleteException: async () => {
    expectFixture(await asAdmin('PUT', '/v1/staff/tenants/acme/providers/p1/exceptions/2027-03-02', { hours: [['10:00', '12:00']] }), 200, 'put exception');
    return { params: { ...p1, date: '2027-03-02' } };
  },
  createBlock: async () => {
    const start = futureSlot();
    return { params: p1, body: { start, end: iso(Date.parse(start) + 30 * MINUTE), reason: 'errand' } };
  },
  deleteBlock: async () => ({ params: { ...p1, blockId: await blockOfP1() } }),
  rotateFeedToken: async () => ({ params: p1 }),
  listStaffUsers: async () => ({ params: acme }),
  listOutbox: async () => ({ params: acme, query: { status: 'failed' } }),
  lookupCustomer: async () => ({ params: acme, query: { email: (await knownCustomer()).email } }),
  getCustomer: async () => ({ params: { ...acme, customerId: (await knownCustomer()).customerId } }),
  searchCustomers: async () => ({ params: acme, query: { q: 'matrix' } }),
  exportCustomer: async () => ({ params: { ...acme, customerId: (await knownCustomer()).customerId } }),
  eraseCustomer: async () => ({ params: { ...acme, customerId: (await knownCustomer()).customerId }, body: { reason: 'asked by the customer' } }),
  mergeCustomers: async () => ({ params: { ...acme, customerId: await freshCustomer() }, body: { otherCustomerId: await freshCustomer() } }),
  undoMerge: async () => {
    const [customerId, otherCustomerId] = [await freshCustomer(), await freshCustomer()];
    expectFixture(await asAdmin('POST', `/v1/staff/tenants/acme/customers/${customerId}/merge`, { otherCustomerId }), 200, 'merge two customers');
    return { params: { ...acme, customerId, otherCustomerId } };
  },
  requestDataExport: () => bookingCall(),
  getDataExport: async () => {
    const { bookingId } = await bookP1();
    const customerId = newCustomerId(customerIdSeed('acme', { kind: 'email', value: customer().email }));
    const expiresAt = iso(stack.clock.now() + 24 * 60 * MINUTE);
    return { params: { token: stack.deps.links.dataExportToken({ tenantId: 'acme', customerId, bookingId, expiresAt }) } };
  },
  getJourneys: async () => ({ params: acme }),
  putJourneys: async () => ({ params: acme, body: { rules: [...DEFAULT_JOURNEYS] } }),
  listTasks: async () => ({ params: acme }),
  completeTask: async () => ({ params: { ...acme, taskId: await openTask() } }),
  getPreferences: async () => ({ params: { token: await preferencesToken() } }),
  updatePreferences: async () => ({ params: { token: await preferencesToken() }, body: { marketing: true } }),
  unsubscribe: async () => ({ params: { token: await preferencesToken() } }),
  getInsights: async () => ({ params: acme, query: { from: '2026-10', to: '2026-11' } }),
  inviteStaffUser: async () => ({ params: acme, body: { email: `${fresh('invitee')}@acme.test`, name: 'New Person', role: 'reception' } }),
  removeStaffUser: async () => {
    const invited = expectFixture(
      await asAdmin('POST', '/v1/staff/tenants/acme/users', { email: `${fresh('leaver')}@acme.test`, name: 'Leaver', role: 'reception' }),
      201,
      'invite staff user',
    );
    return { params: { ...acme, userId: invited.user.id } };
  },
  getProviderFeed: async () => ({ params: { feedToken: await feedTokenOfP1() } }),
  joinWaitlist: async () => ({ params: acme, body: waitlistRequest(futureSlot().slice(0, 10)) }),
  leaveWaitlist: async () => {
    const joined = await waitingCustomer(futureSlot().slice(0, 10));
    return { params: { entryId: joined.entryId }, manageToken: joined.manageToken };
  },
  claimWaitlistOffer: async () => {
    const start = futureSlot();
    const { entryId } = await waitingCustomer(start.slice(0, 10));
    return { params: { entryId }, manageToken: stack.deps.links.waitlistOfferToken(entryId, 'p1', start) };
  },
  listWaitlist: async () => ({ params: acme, query: { date: '2026-11-25' } }),
  bookFromWaitlist: async () => {
    const start = futureSlot();
    const { entryId } = await waitingCustomer(start.slice(0, 10));
    return { params: { ...acme, entryId }, body: { start } };
  },
};

/** A waitlist sign-up of a customer of its own for p1's 'cut' on one date (slots' UTC dates are Berlin's too: 09:00-17:00). */
const waitlistRequest = (date: string) => ({
  serviceId: 'cut',
  providerId: 'p1',
  from: date,
  to: date,
  timeZone: 'Europe/Berlin',
  customer: customer('Matrix Waiter', `${fresh('matrix.waiter')}@example.com`),
});

async function waitingCustomer(date: string): Promise<{ entryId: string; manageToken: string }> {
  const body = expectFixture(await stack.request('POST', '/v1/tenants/acme/waitlist', { body: waitlistRequest(date) }), 201, 'join the waitlist');
  return { entryId: body.entry.id, manageToken: body.manageToken };
}

/** The route's own path template with the call's values put in, so a path change in the table cannot leave this test behind. */
function pathOf(route: RouteContract, call: Call): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = call.params[name];
    if (value === undefined) throw new Error(`${route.id}: the request builder gives no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return call.query ? `${path}?${new URLSearchParams(call.query).toString()}` : path;
}

function authorizationOf(principal: Principal, call: Call): Record<string, string> {
  if (principal === 'anonymous') return {};
  if (principal === 'manageToken') return bearer(call.manageToken ?? someManageToken);
  return bearer(tokens[principal]);
}

async function send(route: RouteContract, call: Call, headers: Record<string, string>): Promise<Response> {
  try {
    return await stack.request(route.method, pathOf(route, call), { headers, ...(call.body !== undefined ? { body: call.body } : {}) });
  } finally {
    await call.after?.();
  }
}

/** Status plus, for a refusal, the error code: what a cell of the matrix is compared on. */
const outcome = (response: Response) =>
  response.status >= 400 ? { status: response.status, code: response.body?.error?.code as unknown } : { status: response.status };

function expectRefusalBody(route: RouteContract, principal: string, response: Response): void {
  const parsed = errorBodySchema.safeParse(response.body);
  expect(parsed.success, `${route.id} as ${principal}: error body ${JSON.stringify(response.body)}`).toBe(true);
  expect(response.body.error.message, `${route.id} as ${principal}: a refusal says why`).not.toBe('');
  expect(route.errors as readonly string[], `${route.id} declares the error it answered`).toContain(response.body.error.code);
}

function expectSuccessBody(route: RouteContract, principal: string, response: Response): void {
  const spec = (route.responses as Record<number, ResponseSpec>)[response.status];
  expect(spec, `${route.id} declares a ${response.status} response`).toBeDefined();
  if (spec?.schema) {
    const parsed = spec.schema.safeParse(response.body);
    expect(parsed.error?.issues ?? [], `${route.id} as ${principal}: response matches its schema`).toEqual([]);
  }
  if (spec?.contentType) expect(response.headers.get('content-type')).toContain(spec.contentType);
}

beforeAll(async () => {
  const { identity } = stack;
  for (const principal of ['providerOwn', 'providerOther', 'reception', 'admin', 'adminOtherTenant'] as const) {
    tokens[principal] = await identity.tokenFor(tokenRequests[principal]);
  }
  tokens.expired = await identity.expiredToken(tokenRequests.expired);
  tokens.foreignKey = await identity.foreignToken(tokenRequests.foreignKey);
  unknownUserToken = await identity.tokenFor({ tenantId: 'acme', role: 'admin', userId: 'matrix-admin-never-registered', register: false });
  someManageToken = (await bookP1()).manageToken;
});

describe('the authorisation matrix', () => {
  it('has an expectation and a request for every route in the route table, and no others', () => {
    const routeIds = routeList.map((route) => route.id).sort();
    expect(Object.keys(expected).sort()).toEqual(routeIds);
    expect(Object.keys(requests).sort()).toEqual(routeIds);
    for (const statuses of Object.values(expected)) expect(Object.keys(statuses)).toEqual([...principals]);
  });

  it.each(routeList.map((route) => [route.id, route.auth.kind, route] as const))(
    '%s (%s) answers each principal as its declared policy says',
    async (id, _kind, route) => {
      const observed: Record<string, ReturnType<typeof outcome>> = {};
      const wanted: Record<string, ReturnType<typeof outcome>> = {};
      const responses: Array<[Principal, Response]> = [];
      for (const principal of principals) {
        const call = await requests[id]();
        const response = await send(route, call, authorizationOf(principal, call));
        const status = expected[id][principal];
        wanted[principal] = status >= 400 ? { status, code: refusalCode(route, status) } : { status };
        observed[principal] = outcome(response);
        responses.push([principal, response]);
      }

      expect(observed).toEqual(wanted);
      for (const [principal, response] of responses) {
        if (response.status >= 400) expectRefusalBody(route, principal, response);
        else expectSuccessBody(route, principal, response);
      }
    },
  );

  it.each(routeList.filter((route) => route.auth.kind === 'staff').map((route) => [route.id, route] as const))(
    '%s refuses a valid token of a user without a staff record with 401 unknown_user',
    async (id, route) => {
      const response = await send(route, await requests[id](), bearer(unknownUserToken));

      expect(outcome(response)).toEqual({ status: 401, code: 'unknown_user' });
      expectRefusalBody(route, 'unknownUser', response);
    },
  );
});
