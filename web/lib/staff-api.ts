import type * as z from 'zod';
import type { journeySettingsViewSchema, taskListSchema } from '#shared/api/journey-routes';
import type { Routes } from '#shared/api/routes';
import type {
  blockSchema,
  calendarSchema,
  customerCardSchema,
  customerExportSchema,
  erasureResultSchema,
  historySchema,
  mergeResultSchema,
  undoMergeResultSchema,
  insightsSchema,
  scheduleChangeSchema,
  staffTenantSchema,
  staffUserSchema,
  tenantSettingsSchema,
} from '#shared/api/staff-routes';
import type { Booking } from './api.ts';
import { ApiError, call, fill } from './api.ts';

/**
 * The staff apps' client (desk and calendar), typed from the route table like the booking page's
 * (types only: zod and the route table stay out of the bundle). Each entry names the method and
 * the path, and the compiler checks both against the table, so a moved or re-verbed route breaks
 * the build instead of a screen.
 */
export type StaffTenant = z.infer<typeof staffTenantSchema>;
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;
export type StaffService = StaffTenant['services'][number];
export type StaffProvider = StaffTenant['providers'][number];
export type WeeklyHours = StaffProvider['weeklyHours'];
export type DateException = StaffProvider['exceptions'][number];
export type Calendar = z.infer<typeof calendarSchema>;
export type Block = z.infer<typeof blockSchema>;
export type ScheduleChange = z.infer<typeof scheduleChangeSchema>;
export type CallerCard = z.infer<typeof customerCardSchema>;
export type CustomerProfile = CallerCard & { timeline: Array<Record<string, unknown>> };
export type CustomerHit = { id: string; name?: string | undefined; emails: string[]; phones: string[] };
export type StaffUser = z.infer<typeof staffUserSchema>;
export type Insights = z.infer<typeof insightsSchema>;
export type InsightMonth = Insights['months'][number];
export type JourneySettings = z.infer<typeof journeySettingsViewSchema>;
export type JourneyRule = JourneySettings['rules'][number];
export type Task = z.infer<typeof taskListSchema>['tasks'][number];
export type BookingHistory = z.infer<typeof historySchema>;
export type CustomerExport = z.infer<typeof customerExportSchema>;
export type Erasure = z.infer<typeof erasureResultSchema>;
export type MergeResult = z.infer<typeof mergeResultSchema>;
export type UndoMergeResult = z.infer<typeof undoMergeResultSchema>;
export type { Booking };

type UsedRoute =
  | 'getAvailability'
  | 'getStaffTenant'
  | 'updateSettings'
  | 'listStaffBookings'
  | 'createStaffBooking'
  | 'rescheduleStaffBooking'
  | 'cancelStaffBooking'
  | 'markAttendance'
  | 'getBookingHistory'
  | 'createService'
  | 'updateService'
  | 'deactivateService'
  | 'createProvider'
  | 'updateProvider'
  | 'deactivateProvider'
  | 'putWeeklyHours'
  | 'putException'
  | 'deleteException'
  | 'createBlock'
  | 'deleteBlock'
  | 'rotateFeedToken'
  | 'listStaffUsers'
  | 'inviteStaffUser'
  | 'removeStaffUser'
  | 'lookupCustomer'
  | 'searchCustomers'
  | 'getCustomer'
  | 'exportCustomer'
  | 'eraseCustomer'
  | 'mergeCustomers'
  | 'undoMerge'
  | 'getInsights'
  | 'getJourneys'
  | 'putJourneys'
  | 'listTasks'
  | 'completeTask';

const T = '/v1/staff/tenants/{tenantId}';
export const staffRoutes = {
  getAvailability: { method: 'GET', path: '/v1/tenants/{tenantId}/availability' },
  getStaffTenant: { method: 'GET', path: T },
  updateSettings: { method: 'PATCH', path: `${T}/settings` },
  listStaffBookings: { method: 'GET', path: `${T}/bookings` },
  createStaffBooking: { method: 'POST', path: `${T}/bookings` },
  rescheduleStaffBooking: { method: 'POST', path: `${T}/bookings/{bookingId}/reschedule` },
  cancelStaffBooking: { method: 'POST', path: `${T}/bookings/{bookingId}/cancel` },
  markAttendance: { method: 'POST', path: `${T}/bookings/{bookingId}/attendance` },
  getBookingHistory: { method: 'GET', path: `${T}/bookings/{bookingId}/history` },
  createService: { method: 'POST', path: `${T}/services` },
  updateService: { method: 'PUT', path: `${T}/services/{serviceId}` },
  deactivateService: { method: 'DELETE', path: `${T}/services/{serviceId}` },
  createProvider: { method: 'POST', path: `${T}/providers` },
  updateProvider: { method: 'PUT', path: `${T}/providers/{providerId}` },
  deactivateProvider: { method: 'DELETE', path: `${T}/providers/{providerId}` },
  putWeeklyHours: { method: 'PUT', path: `${T}/providers/{providerId}/hours` },
  putException: { method: 'PUT', path: `${T}/providers/{providerId}/exceptions/{date}` },
  deleteException: { method: 'DELETE', path: `${T}/providers/{providerId}/exceptions/{date}` },
  createBlock: { method: 'POST', path: `${T}/providers/{providerId}/blocks` },
  deleteBlock: { method: 'DELETE', path: `${T}/providers/{providerId}/blocks/{blockId}` },
  rotateFeedToken: { method: 'POST', path: `${T}/providers/{providerId}/feed-token` },
  listStaffUsers: { method: 'GET', path: `${T}/users` },
  inviteStaffUser: { method: 'POST', path: `${T}/users` },
  removeStaffUser: { method: 'DELETE', path: `${T}/users/{userId}` },
  lookupCustomer: { method: 'GET', path: `${T}/customers/lookup` },
  searchCustomers: { method: 'GET', path: `${T}/customers` },
  getCustomer: { method: 'GET', path: `${T}/customers/{customerId}` },
  exportCustomer: { method: 'GET', path: `${T}/customers/{customerId}/export` },
  eraseCustomer: { method: 'POST', path: `${T}/customers/{customerId}/erase` },
  mergeCustomers: { method: 'POST', path: `${T}/customers/{customerId}/merge` },
  undoMerge: { method: 'POST', path: `${T}/customers/{customerId}/merges/{otherCustomerId}/undo` },
  getInsights: { method: 'GET', path: `${T}/insights` },
  getJourneys: { method: 'GET', path: `${T}/journeys` },
  putJourneys: { method: 'PUT', path: `${T}/journeys` },
  listTasks: { method: 'GET', path: `${T}/tasks` },
  completeTask: { method: 'POST', path: `${T}/tasks/{taskId}/done` },
} as const satisfies { [K in UsedRoute]: { method: Routes[K]['method']; path: Routes[K]['path'] } };

export interface StaffClientOptions {
  token: string;
  tenantId: string;
  /** Called on a 401 (token expired, account removed): the app signs out and asks again. */
  onUnauthorized(error: ApiError): void;
}

type Params = Record<string, string>;
export interface NewBooking {
  serviceId: string;
  providerId?: string | undefined;
  start: string;
  customer: { name: string; email: string; phone?: string | undefined; locale?: string | undefined };
  notes?: string | undefined;
  override?: { reason: string } | undefined;
}

/** A client bound to one signed-in session. */
export function staffClient(options: StaffClientOptions) {
  const send = async <T>(route: keyof typeof staffRoutes, params: Params = {}, init: { body?: unknown; query?: Record<string, string | undefined> } = {}): Promise<T> => {
    const { method, path } = staffRoutes[route];
    try {
      return await call<T>(method, fill(path, { tenantId: options.tenantId, ...params }), { ...init, headers: { authorization: `Bearer ${options.token}` } });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) options.onUnauthorized(error);
      throw error;
    }
  };
  return {
    tenant: () => send<StaffTenant>('getStaffTenant'),
    updateSettings: (body: Record<string, unknown>) => send<{ tenant: TenantSettings }>('updateSettings', {}, { body }),
    availability: (query: { serviceId: string; providerId?: string | undefined; from: string; to: string; timeZone: string }) =>
      send<{ slots: Array<{ start: string; end: string; providerIds: string[] }> }>('getAvailability', {}, { query }),
    calendar: (query: { from: string; to: string; providerId?: string | undefined; includeCancelled?: 'true' | undefined }) => send<Calendar>('listStaffBookings', {}, { query }),
    createBooking: (body: NewBooking) => send<{ booking: Booking }>('createStaffBooking', {}, { body }),
    reschedule: (bookingId: string, body: { start: string; providerId?: string | undefined; override?: { reason: string } | undefined }) =>
      send<{ booking: Booking }>('rescheduleStaffBooking', { bookingId }, { body }),
    cancel: (bookingId: string, reason: string) => send<{ booking: Booking }>('cancelStaffBooking', { bookingId }, { body: reason ? { reason } : {} }),
    attendance: (bookingId: string, status: 'attended' | 'no_show') => send<{ booking: Booking }>('markAttendance', { bookingId }, { body: { status } }),
    history: (bookingId: string) => send<BookingHistory>('getBookingHistory', { bookingId }),
    createService: (body: Record<string, unknown>) => send<{ service: StaffService }>('createService', {}, { body }),
    updateService: (serviceId: string, body: Record<string, unknown>) => send<{ service: StaffService }>('updateService', { serviceId }, { body }),
    deactivateService: (serviceId: string) => send<{ service: StaffService }>('deactivateService', { serviceId }),
    createProvider: (body: Record<string, unknown>) => send<{ provider: StaffProvider }>('createProvider', {}, { body }),
    updateProvider: (providerId: string, body: Record<string, unknown>) => send<ScheduleChange>('updateProvider', { providerId }, { body }),
    deactivateProvider: (providerId: string) => send<ScheduleChange>('deactivateProvider', { providerId }),
    putHours: (providerId: string, weeklyHours: WeeklyHours) => send<ScheduleChange>('putWeeklyHours', { providerId }, { body: { weeklyHours } }),
    putException: (providerId: string, date: string, body: { hours: Array<[string, string]>; note?: string | undefined }) =>
      send<ScheduleChange>('putException', { providerId, date }, { body }),
    deleteException: (providerId: string, date: string) => send<ScheduleChange>('deleteException', { providerId, date }),
    createBlock: (providerId: string, body: { start: string; end: string; reason?: string | undefined }) => send<{ block: Block }>('createBlock', { providerId }, { body }),
    deleteBlock: (providerId: string, blockId: string) => send<undefined>('deleteBlock', { providerId, blockId }),
    rotateFeed: (providerId: string) => send<{ feedToken: string; feedPath: string }>('rotateFeedToken', { providerId }),
    users: () => send<{ users: StaffUser[] }>('listStaffUsers'),
    invite: (body: { email: string; name: string; role: StaffUser['role']; providerId?: string | undefined }) =>
      send<{ user: StaffUser; temporaryPassword?: string }>('inviteStaffUser', {}, { body }),
    removeUser: (userId: string) => send<undefined>('removeStaffUser', { userId }),
    lookup: (query: { phone?: string; email?: string }) => send<CallerCard>('lookupCustomer', {}, { query }),
    search: (q: string) => send<{ customers: CustomerHit[] }>('searchCustomers', {}, { query: { q } }),
    customer: (customerId: string) => send<CustomerProfile>('getCustomer', { customerId }),
    exportCustomer: (customerId: string) => send<CustomerExport>('exportCustomer', { customerId }),
    eraseCustomer: (customerId: string, reason: string) => send<Erasure>('eraseCustomer', { customerId }, { body: { reason } }),
    /** The other customer goes into `customerId` (decision 66). */
    mergeCustomers: (customerId: string, otherCustomerId: string) => send<MergeResult>('mergeCustomers', { customerId }, { body: { otherCustomerId } }),
    undoMerge: (customerId: string, otherCustomerId: string) => send<UndoMergeResult>('undoMerge', { customerId, otherCustomerId }),
    insights: (from: string, to: string) => send<Insights>('getInsights', {}, { query: { from, to } }),
    journeys: () => send<JourneySettings>('getJourneys'),
    putJourneys: (body: unknown) => send<JourneySettings>('putJourneys', {}, { body }),
    tasks: () => send<{ tasks: Task[] }>('listTasks'),
    completeTask: (taskId: string) => send<Task>('completeTask', { taskId }),
  };
}

export type StaffClient = ReturnType<typeof staffClient>;
