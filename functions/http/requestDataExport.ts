import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import { requestDataExport } from '#functions/app/data-export';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeRequestDataExport = (deps: AppDeps) =>
  httpRoute(routes.requestDataExport, async ({ params, headers }) => ({
    statusCode: 202,
    body: await requestDataExport(deps, params.bookingId, headers.authorization),
  }));

// Signs the mailed export link: needs the link secret.
export const handler = lambdaEntry(makeRequestDataExport, withLinkSecret);
