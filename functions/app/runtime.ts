import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createDynamoClients } from '#functions/adapters/dynamo';
import { randomIds } from '#functions/adapters/ids';
import { DynamoStore } from '#functions/adapters/store';
import { readEnv, type Env } from '#functions/lib/env';
import type { HttpHandler } from '#functions/lib/http';
import { systemClock, type AppDeps } from './deps.ts';
import { noDirectory } from './directory.ts';

let deps: AppDeps | undefined;

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
    };
  }
  return deps;
}

/**
 * The Lambda entry for a handler factory. In Lambda the environment is read during the init
 * phase (module load), so a missing variable fails the cold start with its name; elsewhere
 * (tests, the local server importing the module) nothing is read until the handler runs.
 */
export function lambdaEntry(make: (deps: AppDeps) => HttpHandler, extend?: (deps: AppDeps, env: Env) => AppDeps): HttpHandler {
  const build = () => make(extend ? extend(depsFromEnv(), readEnv()) : depsFromEnv());
  let built: HttpHandler | undefined;
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) built = build();
  return (event: APIGatewayProxyEventV2, context: Context) => {
    built ??= build();
    return built(event, context);
  };
}
