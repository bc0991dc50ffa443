import { routes } from '#shared/api/routes';
import { deleteBlock } from '#functions/app/blocks';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeDeleteBlock = (deps: AppDeps) =>
  httpRoute(
    routes.deleteBlock,
    async ({ params }) => {
      await deleteBlock(deps, params.tenantId, params.providerId, params.blockId);
      return { statusCode: 204 };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeDeleteBlock);
