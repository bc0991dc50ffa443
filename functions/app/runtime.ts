import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { randomIds } from '#functions/adapters/ids';
import { Links, LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { DynamoStore } from '#functions/adapters/store';
import { readEnv, type Env } from '#functions/lib/env';
import type { HttpHandler } from '#functions/lib/http';
import { systemClock, type AppDeps } from './deps.ts';
import { noDirectory } from './directory.ts';

let deps: AppDeps | undefined;

const inLambda = (): boolean => Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);

/**
 * The links of a Lambda function that was given no link secret. In AWS only the functions that
 * derive manage tokens or links hold the secret (LINK_SECRET_ARN, and `withLinkSecret` or the
 * sender's runtime to read it); for any other, using links is a wiring mistake, reported by name
 * instead of answered with a token from the wrong secret.
 */
export class LinksWithoutSecret extends Links {
  constructor(publicBaseUrl: string) {
    // Never used: every token goes through mac(), which refuses. Random, so nothing could ever verify against it.
    super(randomBytes(32).toString('base64url'), publicBaseUrl);
  }

  protected override mac(): string {
    throw new Error('This function has no link secret: give it LINK_SECRET_ARN and build it with lambdaEntry(make, withLinkSecret)');
  }
}

/** LINK_SECRET where it is set (local runs, tests); in Lambda nothing until `withLinkSecret` fetches it; elsewhere the development secret. */
function linksFromEnv(env: Env): Links {
  if (env.LINK_SECRET) return new Links(env.LINK_SECRET, env.PUBLIC_BASE_URL);
  if (inLambda()) return new LinksWithoutSecret(env.PUBLIC_BASE_URL);
  return new Links(LOCAL_LINK_SECRET, env.PUBLIC_BASE_URL);
}

/** Built once per process from the validated environment (cold start), then reused. */
export function depsFromEnv(): AppDeps {
  if (!deps) {
    const env = readEnv();
    const { client, doc } = createDynamoClients({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT });
    deps = {
      store: new DynamoStore(client, doc, env.TABLE_NAME, { configTtlMs: env.CONFIG_CACHE_SECONDS * 1000 }),
      clock: systemClock,
      ids: randomIds,
      // Only the two functions that manage staff accounts add the Cognito directory (see
      // lambdaEntry's `extend`), so the other bundles do not carry the Cognito client.
      directory: noDirectory,
      // Likewise, only the functions that need the link secret fetch it (`withLinkSecret`).
      links: linksFromEnv(env),
      mailFrom: env.MAIL_FROM,
    };
  }
  return deps;
}

/**
 * Adds what only some functions need to the shared deps. It may be asynchronous — the link
 * secret comes from Secrets Manager — and then runs once, before the first invocation.
 */
export type DepsExtension = (deps: AppDeps, env: Env) => AppDeps | Promise<AppDeps>;

/**
 * The Lambda entry for a handler factory. In Lambda the environment is read during the init
 * phase (module load), so a missing variable fails the cold start with its name; an asynchronous
 * extension (reading a secret) starts there too, and the first invocation awaits it. Warm
 * invocations call the built handler directly, with no promise in between. Elsewhere (tests, the
 * local server importing the module) nothing is read until the handler runs.
 */
export function lambdaEntry(make: (deps: AppDeps) => HttpHandler, extend?: DepsExtension): HttpHandler {
  let built: HttpHandler | undefined;
  let building: Promise<HttpHandler> | undefined;

  /** Builds synchronously when it can; otherwise starts the one asynchronous build and returns it. */
  const build = (): Promise<HttpHandler> | undefined => {
    const base = depsFromEnv();
    const extended = extend ? extend(base, readEnv()) : base;
    if (!(extended instanceof Promise)) {
      built = make(extended);
      return undefined;
    }
    building = extended.then(
      (ready) => (built = make(ready)),
      (error: unknown) => {
        // Not cached: the next invocation tries again, and this one reports the error.
        building = undefined;
        throw error;
      },
    );
    return building;
  };

  if (inLambda()) {
    // Nobody awaits the build yet: without this, a failed fetch would be an unhandled rejection,
    // which ends the Lambda runtime process. The invocation that awaits it reports the error.
    build()?.catch(() => undefined);
  }

  return (event: APIGatewayProxyEventV2, context: Context) => {
    if (built) return built(event, context);
    const pending = building ?? build();
    return pending ? pending.then((handler) => handler(event, context)) : built!(event, context);
  };
}
