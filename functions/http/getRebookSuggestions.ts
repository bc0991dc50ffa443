import { routes } from '#shared/api/routes';
import { authorizeManage } from '#functions/app/bookings';
import { rebookSuggestions } from '#functions/app/customers';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetRebookSuggestions = (deps: AppDeps) =>
  httpRoute(routes.getRebookSuggestions, async ({ params, headers }) => {
    const booking = await authorizeManage(deps, params.bookingId, headers.authorization);
    return { statusCode: 200, body: await rebookSuggestions(deps, booking) };
  });

export const handler = lambdaEntry(makeGetRebookSuggestions);
