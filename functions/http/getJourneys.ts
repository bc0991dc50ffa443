import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { getJourneySettings } from '#functions/app/journeys';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeGetJourneys = (deps: AppDeps) =>
  httpRoute(routes.getJourneys, async ({ params }) => ({ statusCode: 200, body: await getJourneySettings(deps, params.tenantId) }), { users: deps.store });

export const handler = lambdaEntry(makeGetJourneys);
