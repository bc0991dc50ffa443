import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { exportCustomerForBooking } from '#functions/app/privacy';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeExportBookingCustomer = (deps: AppDeps) =>
  httpRoute(routes.exportBookingCustomer, async ({ params, headers }) => ({
    statusCode: 200,
    body: await exportCustomerForBooking(deps, params.bookingId, headers.authorization),
  }));

export const handler = lambdaEntry(makeExportBookingCustomer);
