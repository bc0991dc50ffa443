import { routes } from '#shared/api/routes';
import { staffActor } from '#shared/domain/staff';
import { createBlock } from '#functions/app/blocks';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeCreateBlock = (deps: AppDeps) =>
  httpRoute(
    routes.createBlock,
    async ({ params, body, principal }) => {
      const block = await createBlock(deps, params.tenantId, params.providerId, body, staffActor(principal));
      return { statusCode: 201, body: { block } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeCreateBlock);
