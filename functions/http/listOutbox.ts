import { routes } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

/** What the admin sees of undelivered mail: who, what, why — not the mail's content. */
export const makeListOutbox = (deps: AppDeps) =>
  httpRoute(
    routes.listOutbox,
    async ({ params, query }) => {
      const messages = await deps.store.listSettledMessages(params.tenantId, query.status);
      return {
        statusCode: 200,
        body: {
          messages: messages.map(({ id, bookingId, kind, audience, to, status, attempts, dueAt, lastError }) => ({
            id,
            bookingId,
            kind,
            audience,
            to,
            status,
            attempts,
            dueAt,
            ...(lastError ? { lastError } : {}),
          })),
        },
      };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeListOutbox);
