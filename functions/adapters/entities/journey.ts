import type { JourneyReason, JourneyRun } from '#shared/journeys/evaluate';
import { customerPk } from './customer.ts';
import { shardOf } from './message.ts';

/**
 * Journey runs and reception tasks.
 *
 * A run lives in its customer's partition (`SK = RUN#<run key>`), so starting one is a conditional
 * Put on a key derived from rule and booking (one run per instance, ever), the runs a customer has
 * are one Query, and erasing the customer's partition removes them. While a run waits it carries
 * sparse GSI2 keys — the UTC day of its due time, then the time — beside the outbox's `DUE#` days,
 * so the runner reads only what is due.
 *
 * A task is a run's action for reception ("call to confirm"): one item per task in the tenant's
 * task partition, open until a receptionist marks it done; it holds ids and a title, never the
 * customer's name or contacts (the desk reads those from the profile).
 */

export type RunStatus = 'waiting' | 'sent' | 'skipped' | 'exited';

export interface StoredRun extends JourneyRun {
  tenantId: string;
  status: RunStatus;
  /** Why a run ended without its action, or was deferred last. */
  reason?: JourneyReason | undefined;
  /** When the action went out (sent runs): what the frequency cap counts. */
  sentAt?: string | undefined;
  /** The outbox message or task the action created. */
  messageId?: string | undefined;
  taskId?: string | undefined;
  createdAt: string;
  updatedAt: string;
}

export const RUN_PREFIX = 'RUN#';
export const runSk = (key: string) => `${RUN_PREFIX}${key}`;
/** Due runs of a UTC day spread over shards like the outbox's (entities/message.ts): fewer writes, same reasoning. */
export const RUN_SHARDS = 8;
export const runDueBucketOfShard = (day: string, shard: number) => `JRUN#${day}#${shard}`;
export const runDueBucket = (iso: string, key: string) => runDueBucketOfShard(iso.slice(0, 10), shardOf(key, RUN_SHARDS));

const isoOf = (ms: number) => new Date(ms).toISOString();

export function runItem(run: StoredRun): Record<string, unknown> {
  return {
    PK: customerPk(run.tenantId, run.customerId),
    SK: runSk(run.key),
    type: 'journeyRun',
    ...run,
    ...(run.status === 'waiting' ? { GSI2PK: runDueBucket(isoOf(run.dueAt), run.key), GSI2SK: `${isoOf(run.dueAt)}#${run.tenantId}#${run.customerId}#${run.key}` } : {}),
  };
}

const internalKeys = new Set(['PK', 'SK', 'type', 'GSI2PK', 'GSI2SK']);

export function runFromItem(item: Record<string, unknown>): StoredRun {
  const run: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!internalKeys.has(key)) run[key] = value;
  return run as unknown as StoredRun;
}

/** A deterministic outbox id per run: a retried runner writes the same message, never a second. */
export const journeyMessageId = (run: Pick<JourneyRun, 'ruleId' | 'bookingId' | 'customerId'>) =>
  `journey.${run.ruleId}.${run.bookingId ?? run.customerId}`;

export interface ReceptionTask {
  id: string;
  tenantId: string;
  customerId: string;
  bookingId?: string | undefined;
  ruleId: string;
  title: string;
  status: 'open' | 'done';
  dueAt: string;
  createdAt: string;
  doneAt?: string | undefined;
  doneBy?: string | undefined;
}

export const tasksPk = (tenantId: string) => `T#${tenantId}#TASKS`;
export const taskSk = (taskId: string) => `TASK#${taskId}`;
/** Done tasks stay a month for the record, then expire. */
export const DONE_TASK_RETENTION_SECONDS = 30 * 24 * 3600;

export const taskItem = (task: ReceptionTask): Record<string, unknown> => ({ PK: tasksPk(task.tenantId), SK: taskSk(task.id), type: 'task', ...task });

export function taskFromItem(item: Record<string, unknown>): ReceptionTask {
  const { PK: _pk, SK: _sk, type: _type, expiresAt: _ttl, ...task } = item;
  return task as unknown as ReceptionTask;
}
