import { routes } from '#shared/api/routes';
import { withCognitoDirectory } from '#functions/adapters/cognito-directory';
import { removeStaffUser } from '#functions/app/users';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeRemoveStaffUser = (deps: AppDeps) =>
  httpRoute(
    routes.removeStaffUser,
    async ({ params, principal }) => {
      await removeStaffUser(deps, principal, params.tenantId, params.userId);
      return { statusCode: 204 };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeRemoveStaffUser, withCognitoDirectory);
