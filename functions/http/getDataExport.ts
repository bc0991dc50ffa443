import { routes } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import { openDataExport } from '#functions/app/data-export';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

/**
 * The link in the mail opens a JSON file to save. The URL is a secret for its 24 hours: no shared
 * cache keeps it, no index lists it, and no referrer carries it on.
 */
export const makeGetDataExport = (deps: AppDeps) =>
  httpRoute(routes.getDataExport, async ({ params }) => {
    const body = await openDataExport(deps, params.token);
    return {
      statusCode: 200,
      body,
      headers: {
        'content-disposition': `attachment; filename="data-export-${body.tenantId}-${body.exportedAt.slice(0, 10)}.json"`,
        'x-robots-tag': 'noindex',
        'referrer-policy': 'no-referrer',
      },
    };
  });

// Verifies the link's signature: needs the link secret.
export const handler = lambdaEntry(makeGetDataExport, withLinkSecret);
