import type { RouteId } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import type { HttpHandler } from '#functions/lib/http';
import { makeCancelBooking } from './cancelBooking.ts';
import { makeCreateBooking } from './createBooking.ts';
import { makeGetAvailability } from './getAvailability.ts';
import { makeGetBooking } from './getBooking.ts';
import { makeGetOpenApi } from './getOpenApi.ts';
import { makeGetTenant } from './getTenant.ts';
import { makeRescheduleBooking } from './rescheduleBooking.ts';

/**
 * Every route's handler factory. The type makes a route without a handler a compile error; the
 * Lambda entry for route X is `functions/http/X.ts` (see entries.ts), which the CDK stack and a
 * test both check.
 */
export const handlerFactories: { [K in RouteId]: (deps: AppDeps) => HttpHandler } = {
  getTenant: makeGetTenant,
  getAvailability: makeGetAvailability,
  createBooking: makeCreateBooking,
  getBooking: makeGetBooking,
  rescheduleBooking: makeRescheduleBooking,
  cancelBooking: makeCancelBooking,
  getOpenApi: makeGetOpenApi,
};

