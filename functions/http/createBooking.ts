import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { ShardedIdempotencyStore } from '#functions/adapters/idempotency-store';
import type * as z from 'zod';
import { customerActor } from '#shared/domain/staff';
import { routes, type createBookingBodySchema } from '#shared/api/routes';
import { withLinkSecret } from '#functions/adapters/link-secret';
import { seal, unseal } from '#functions/adapters/seal';
import { createBooking } from '#functions/app/bookings';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

/** Replays of the same Idempotency-Key within this window return the first response. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

interface IdempotentRequest {
  tenantId: string;
  key: string;
  body: z.output<typeof createBookingBodySchema>;
}

export const makeCreateBooking = (deps: AppDeps) => {
  const persistenceStore = new ShardedIdempotencyStore({
    tableName: deps.store.tableName,
    awsSdkV3Client: deps.store.client,
    keyAttr: 'PK',
    sortKeyAttr: 'SK',
    expiryAttr: 'expiresAt',
  });
  const config = new IdempotencyConfig({
    // The key is scoped to the tenant; the body must match for a replay.
    eventKeyJmesPath: '[tenantId, key]',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
  });
  const idempotentCreate = makeIdempotent(
    async ({ tenantId, key, body }: IdempotentRequest) => {
      const { booking, manageToken } = await createBooking(deps, tenantId, body, { actor: customerActor });
      return { booking, sealedToken: seal(manageToken, `${tenantId}\u0000${key}`) };
    },
    { persistenceStore, config },
  );

  return httpRoute(routes.createBooking, async ({ params, headers, body }, context) => {
    // Lets an in-progress record expire with the invocation if the function dies mid-way.
    config.registerLambdaContext(context);
    const key = headers['idempotency-key'];
    if (key === undefined) {
      return { statusCode: 201, body: await createBooking(deps, params.tenantId, body, { actor: customerActor }) };
    }
    const { booking, sealedToken } = await idempotentCreate({ tenantId: params.tenantId, key, body });
    return {
      statusCode: 201,
      body: { booking, manageToken: unseal(sealedToken, `${params.tenantId}\u0000${key}`) },
    };
  });
};

export const handler = lambdaEntry(makeCreateBooking, withLinkSecret);
