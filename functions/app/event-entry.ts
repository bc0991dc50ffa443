import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from '#functions/lib/logger';

/**
 * A non-HTTP Lambda entry (stream, schedule, SNS): its deps are built at cold start in Lambda —
 * an async part (a secret read) starts during init and the first invocation awaits it; a failed
 * build is retried by the next invocation — and every invocation gets the Powertools logger
 * context. Warm invocations go straight to the handler.
 */
export function eventEntry<D, E, R>(init: () => D | Promise<D>, run: (deps: D, event: E) => Promise<R>): (event: E, context: Context) => Promise<R> {
  let deps: D | undefined;
  let building: Promise<D> | undefined;
  const ready = (): D | Promise<D> => {
    if (deps) return deps;
    if (building) return building;
    const result = init();
    if (!(result instanceof Promise)) return (deps = result);
    building = result.then(
      (built) => (deps = built),
      (error: unknown) => {
        building = undefined;
        throw error;
      },
    );
    return building;
  };
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
    const started = ready();
    // Reported by the invocation that awaits it; unobserved, a rejection would end the runtime process.
    if (started instanceof Promise) started.catch(() => undefined);
  }
  const handler = middy<E, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event: E) => run(deps!, event)) as unknown as (event: E, context: Context) => Promise<R>;
  return (event: E, context: Context) => {
    if (deps) return handler(event, context);
    const built = ready();
    return built instanceof Promise ? built.then(() => handler(event, context)) : handler(event, context);
  };
}
