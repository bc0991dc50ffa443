import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { putJourneySettings } from '#functions/app/journeys';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makePutJourneys = (deps: AppDeps) =>
  httpRoute(routes.putJourneys, async ({ params, body }) => ({ statusCode: 200, body: await putJourneySettings(deps, params.tenantId, body) }), { users: deps.store });

export const handler = lambdaEntry(makePutJourneys);
