import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AppDeps } from '#functions/app/deps';
import type { Env } from '#functions/lib/env';
import { Links } from './links.ts';

/**
 * The link secret in AWS: a Secrets Manager secret that CDK generates, so it appears in neither the
 * template nor a function's configuration. Only the functions that derive manage tokens or links
 * import this module (through `lambdaEntry(make, withLinkSecret)` or the sender's runtime), so
 * only their bundles carry the Secrets Manager client — as with the Cognito directory.
 */

/** What the functions holding LINK_SECRET_ARN may do with the secret; the CDK stack grants exactly this. */
export const LINK_SECRET_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

export function createSecretsManagerClient(options: { region: string }): SecretsManagerClient {
  const client = new SecretsManagerClient({ region: options.region });
  // As for DynamoDB (functions/adapters/dynamo.ts): we never log SDK calls, and this middleware
  // would still run every response — here, the secret itself — through its filter.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/** One read per secret and process: the first invocation awaits it, later ones reuse the value. */
const reads = new Map<string, Promise<string>>();

/**
 * The secret's value, read once per process. A failed read is not kept: the next invocation tries
 * again (a throttled call at cold start must not break the sandbox for its whole life), and every
 * failure names LINK_SECRET_ARN, the variable to check.
 */
export function readLinkSecret(client: SecretsManagerClient, secretArn: string): Promise<string> {
  const cached = reads.get(secretArn);
  if (cached) return cached;
  const read = client.send(new GetSecretValueCommand({ SecretId: secretArn })).then(
    ({ SecretString: secret }) => {
      if (!secret || secret.length < 32) {
        throw new Error(`Invalid environment: LINK_SECRET_ARN: the secret ${secretArn} holds no string of at least 32 characters`);
      }
      return secret;
    },
    (error: unknown) => {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`Invalid environment: LINK_SECRET_ARN: cannot read the secret ${secretArn} (${reason})`, { cause: error });
    },
  );
  reads.set(secretArn, read);
  read.catch(() => {
    if (reads.get(secretArn) === read) reads.delete(secretArn);
  });
  return read;
}

let client: SecretsManagerClient | undefined;

/**
 * For `lambdaEntry`: the deps of a function that derives manage tokens or links. With
 * LINK_SECRET_ARN the links use the secret fetched from Secrets Manager (asynchronous, once per
 * cold start); without it, the LINK_SECRET or development secret runtime.ts already used. In
 * Lambda one of the two is required, and its absence stops the cold start with the name.
 */
export function withLinkSecret(deps: AppDeps, env: Env): AppDeps | Promise<AppDeps> {
  if (env.LINK_SECRET_ARN) {
    client ??= createSecretsManagerClient({ region: env.AWS_REGION });
    return readLinkSecret(client, env.LINK_SECRET_ARN).then((secret) => ({ ...deps, links: new Links(secret, env.PUBLIC_BASE_URL) }));
  }
  if (!env.LINK_SECRET && process.env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error('Invalid environment: LINK_SECRET_ARN: required in Lambda for a function that derives manage tokens or links');
  }
  return deps;
}
