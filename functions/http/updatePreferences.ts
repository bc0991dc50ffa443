import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import type { AppDeps } from '#functions/app/deps';
import { updatePreferences } from '#functions/app/preferences';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';
import { noStore } from './getPreferences.ts';

export const makeUpdatePreferences = (deps: AppDeps) =>
  httpRoute(routes.updatePreferences, async ({ params, body }) => ({ statusCode: 200, body: await updatePreferences(deps, params.token, body), headers: noStore }));

export const handler = lambdaEntry(makeUpdatePreferences, withLinkSecret);
