import type { DynamoStore } from '#functions/adapters/store';
import type { IdGenerator } from '#functions/adapters/ids';
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
}
