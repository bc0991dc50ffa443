import { withLinkSecret } from '#functions/adapters/link-secret';
import { createSesClient, SesMailer } from '#functions/adapters/mailer';
import { readEnv, type Env } from '#functions/lib/env';
import type { AppDeps } from './deps.ts';
import type { SenderDeps } from './outbox.ts';
import { depsFromEnv } from './runtime.ts';

let deps: SenderDeps | undefined;
let building: Promise<SenderDeps> | undefined;

const toSenderDeps = (base: AppDeps, env: Env): SenderDeps => ({
  store: base.store,
  clock: base.clock,
  links: base.links,
  mailer: new SesMailer(
    createSesClient({ region: env.AWS_REGION, endpoint: env.SES_ENDPOINT }),
    env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {},
  ),
});

/**
 * Builds the sender's deps once per process: synchronously, or — with LINK_SECRET_ARN — after the
 * link secret has been read (once; a failed read is tried again on the next call).
 *
 * In Lambda, a function that sends mail (the stack gives exactly those SES_CONFIGURATION_SET) must
 * have the link secret, since its mails carry manage links: without it the cold start stops with
 * the variable's name. The bounce/complaint function sends nothing and gets no secret; its links
 * refuse to work (runtime.ts).
 */
export function initSenderDeps(): SenderDeps | Promise<SenderDeps> {
  if (deps) return deps;
  if (building) return building;
  const env = readEnv();
  const base = depsFromEnv();
  const sends = env.SES_CONFIGURATION_SET !== undefined;
  const withSecret = env.LINK_SECRET_ARN || sends ? withLinkSecret(base, env) : base;
  if (!(withSecret instanceof Promise)) return (deps = toSenderDeps(withSecret, env));
  building = withSecret.then(
    (ready) => (deps = toSenderDeps(ready, env)),
    (error: unknown) => {
      building = undefined;
      throw error;
    },
  );
  return building;
}

/**
 * The sender's deps for the handlers, which run inside `eventEntry` (so after `initSenderDeps`).
 * Outside it — a test, a tool — they are built here, which works unless the secret must be fetched.
 */
export function senderDepsFromEnv(): SenderDeps {
  const ready = initSenderDeps();
  if (ready instanceof Promise) throw new Error('The sender deps are still being built (LINK_SECRET_ARN): await initSenderDeps() first');
  return ready;
}
