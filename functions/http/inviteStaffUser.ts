import { routes } from '#shared/api/routes';
import { withCognitoDirectory } from '#functions/adapters/cognito-directory';
import { inviteStaffUser } from '#functions/app/users';
import type { AppDeps } from '#functions/app/deps';
import { lambdaEntry } from '#functions/app/runtime';
import { httpRoute } from '#functions/lib/http';

export const makeInviteStaffUser = (deps: AppDeps) =>
  httpRoute(
    routes.inviteStaffUser,
    async ({ params, body }) => {
      return { statusCode: 201, body: await inviteStaffUser(deps, params.tenantId, body) };
    },
    { users: deps.store },
  );

export const handler = lambdaEntry(makeInviteStaffUser, withCognitoDirectory);
