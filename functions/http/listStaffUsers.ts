import { routes } from '#shared/api/routes';
import { listStaffUsers } from '#functions/app/users';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeListStaffUsers = (deps: AppDeps) =>
  httpRoute(
    routes.listStaffUsers,
    async ({ params }) => {
      return { statusCode: 200, body: { users: await listStaffUsers(deps, params.tenantId) } };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeListStaffUsers);
