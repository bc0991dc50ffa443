import type { DynamoStore } from '#functions/adapters/store';
import type { IdGenerator } from '#functions/adapters/ids';
import type { Links } from '#functions/adapters/links';
import type { StaffDirectory } from './directory.ts';

/** The clock is a port: handlers and tests decide what "now" is. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Everything a handler needs from the outside world. */
export interface AppDeps {
  store: DynamoStore;
  clock: Clock;
  ids: IdGenerator;
  /** Staff sign-in accounts (Cognito, or the local issuer). */
  directory: StaffDirectory;
  /** Manage tokens and the links in mails. */
  links: Links;
  /** The address booking mails come from (a verified SES identity). */
  mailFrom: string;
}
