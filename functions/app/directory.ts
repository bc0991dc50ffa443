import type { Role } from '#shared/domain/staff';

/**
 * Where staff credentials live: Cognito in the cloud, the local JWT issuer on this machine. The
 * table's staff records (entities/staff-user.ts) are written by the app, not by the directory.
 */
export interface StaffDirectory {
  /**
   * Creates the sign-in account (tenant and provider as attributes, role as group) and returns its
   * user id (the token's `sub`). Cognito e-mails a temporary password; the local issuer returns it.
   * Throws DomainError `id_taken` when the e-mail already has an account.
   */
  invite(input: {
    tenantId: string;
    email: string;
    name: string;
    role: Role;
    providerId?: string | undefined;
  }): Promise<{ userId: string; temporaryPassword?: string | undefined }>;
  /** Deletes the account so it can no longer sign in. Unknown users are ignored (idempotent). */
  remove(input: { tenantId: string; userId: string; email: string }): Promise<void>;
}

/** For processes that never manage staff accounts (and tests that do not): every call fails loudly. */
export const noDirectory: StaffDirectory = {
  invite: () => Promise.reject(new Error('No staff directory is configured for this process')),
  remove: () => Promise.reject(new Error('No staff directory is configured for this process')),
};
