import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '#shared/domain/errors';
import type { Role } from '#shared/domain/staff';
import type { DynamoStore } from '#functions/adapters/store';
import { newId } from '#functions/adapters/ids';
import type { StaffDirectory } from '#functions/app/directory';

/**
 * Local sign-in accounts, the part of a Cognito user pool the local issuer needs. They live in the
 * app's table (so `npm start --persist` keeps them), one item per e-mail address, because sign-in
 * looks them up by e-mail and e-mails are unique in a pool:
 *
 *   PK `LOCALAUTH#<lower-cased email>`  SK `ACCOUNT`
 *
 * Nothing in functions/ reads these items; in the cloud they do not exist.
 */
export interface LocalAccount {
  userId: string;
  email: string;
  tenantId: string;
  role: Role;
  providerId?: string | undefined;
  name: string;
  createdAt: string;
}

interface PasswordHash {
  /** scrypt output and its salt, hex; parameters stored with them so they can change later. */
  passwordHash: string;
  passwordSalt: string;
  passwordParams: { N: number; r: number; p: number; keylen: number };
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
export const accountPk = (email: string) => `LOCALAUTH#${normaliseEmail(email)}`;
export const ACCOUNT_SK = 'ACCOUNT';

/**
 * Node's defaults (N=2^14, r=8, p=1: 16 MB, tens of ms a hash). Below OWASP's production advice
 * (N=2^17), on purpose: these are local dev accounts, tests sign in often, and in the cloud
 * passwords are Cognito's business.
 */
const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(password: string, salt: Buffer, params: PasswordHash['passwordParams']): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 64 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, params.keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return { passwordHash: key.toString('hex'), passwordSalt: salt.toString('hex'), passwordParams: { ...SCRYPT } };
}

/** Compares in constant time; a malformed stored hash simply does not match. */
export async function passwordMatches(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.passwordHash, 'hex');
  const key = await scryptAsync(password, Buffer.from(stored.passwordSalt, 'hex'), stored.passwordParams);
  return expected.length === key.length && timingSafeEqual(expected, key);
}

/** A random temporary password: 96 bits, base64url (16 characters). */
export const newTemporaryPassword = () => randomBytes(12).toString('base64url');

const accountFields = ({ userId, email, tenantId, role, providerId, name, createdAt }: LocalAccount): LocalAccount => ({
  userId,
  email,
  tenantId,
  role,
  ...(providerId ? { providerId } : {}),
  name,
  createdAt,
});

/**
 * The local issuer's {@link StaffDirectory}: invite creates a sign-in account and hands back its
 * temporary password (Cognito would e-mail it and force a change at first sign-in; locally the
 * temporary password simply works). It never writes staff records; the app does.
 */
export class LocalDirectory implements StaffDirectory {
  /** A hash no password matches, so an unknown e-mail costs the same scrypt as a wrong password. */
  private decoy: Promise<PasswordHash> | undefined;

  constructor(
    private readonly store: DynamoStore,
    private readonly now: () => number = Date.now,
  ) {}

  async invite(input: { tenantId: string; email: string; name: string; role: Role; providerId?: string | undefined }) {
    const temporaryPassword = newTemporaryPassword();
    const account = await this.create({ ...input, password: temporaryPassword });
    if (!account) throw new DomainError('id_taken', `There is already an account for ${normaliseEmail(input.email)}.`, { field: 'email' });
    return { userId: account.userId, temporaryPassword };
  }

  async remove(input: { tenantId: string; userId: string; email: string }): Promise<void> {
    try {
      // Only the account of that user: an e-mail since given to someone else keeps its account.
      await this.store.db.send(
        new DeleteCommand({
          TableName: this.store.tableName,
          Key: { PK: accountPk(input.email), SK: ACCOUNT_SK },
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': input.userId },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /**
   * Creates an account with a given password unless the e-mail has one. Returns the new account,
   * or undefined when the e-mail was taken.
   */
  async create(input: {
    tenantId: string;
    email: string;
    name: string;
    role: Role;
    providerId?: string | undefined;
    password: string;
    userId?: string | undefined;
  }): Promise<LocalAccount | undefined> {
    const account = accountFields({
      userId: input.userId ?? newId('usr'),
      email: normaliseEmail(input.email),
      tenantId: input.tenantId,
      role: input.role,
      providerId: input.providerId,
      name: input.name,
      createdAt: new Date(this.now()).toISOString(),
    });
    try {
      await this.store.db.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: { PK: accountPk(account.email), SK: ACCOUNT_SK, type: 'localAccount', ...account, ...(await hashPassword(input.password)) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return account;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async find(email: string): Promise<LocalAccount | undefined> {
    const item = await this.getItem(email);
    return item ? accountFields(item) : undefined;
  }

  /** The account whose password this is; undefined for a wrong password and an unknown e-mail alike. */
  async verify(email: string, password: string): Promise<LocalAccount | undefined> {
    const item = await this.getItem(email);
    if (!item) {
      this.decoy ??= hashPassword(newTemporaryPassword());
      await passwordMatches(password, await this.decoy);
      return undefined;
    }
    return (await passwordMatches(password, item)) ? accountFields(item) : undefined;
  }

  private async getItem(email: string): Promise<(LocalAccount & PasswordHash) | undefined> {
    const result = await this.store.db.send(
      new GetCommand({ TableName: this.store.tableName, Key: { PK: accountPk(email), SK: ACCOUNT_SK }, ConsistentRead: true }),
    );
    return result.Item as (LocalAccount & PasswordHash) | undefined;
  }
}
