import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerEvent } from '#shared/customers/types';
import type { OutboxMessage } from '#shared/domain/notifications';
import { DomainError } from '#shared/domain/errors';
import { queryAll, queryFirstPages, queryPrefix } from './dynamo.ts';
import { customerPk, eventItem } from './entities/customer.ts';
import { DONE_TASK_RETENTION_SECONDS, RUN_PREFIX, RUN_SHARDS, runDueBucketOfShard, runFromItem, runItem, runSk, taskFromItem, taskItem, tasksPk, taskSk, type ReceptionTask, type StoredRun } from './entities/journey.ts';
import { messageItem } from './entities/message.ts';

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';
const isCancelled = (error: unknown) => (error as Error).name === 'TransactionCanceledException';

/** What settling a run writes with it, in one transaction: the action and the timeline entry. */
export interface RunSettlement {
  run: StoredRun;
  message?: OutboxMessage | undefined;
  task?: ReceptionTask | undefined;
  event?: CustomerEvent | undefined;
  eventExpiresAt?: number | undefined;
}

/**
 * Journey runs and reception tasks (entities/journey.ts). Every change to a run is conditioned on
 * the state it was read in (waiting, due at the time seen), so two runners that pick the same run
 * cannot both act on it: the loser's transaction is cancelled and writes nothing.
 */
export class JourneyStore {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async listRuns(tenantId: string, customerId: string): Promise<StoredRun[]> {
    return (await queryPrefix(this.db, this.tableName, customerPk(tenantId, customerId), RUN_PREFIX)).map(runFromItem);
  }


  async getRun(tenantId: string, customerId: string, key: string): Promise<StoredRun | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: customerPk(tenantId, customerId), SK: runSk(key) }, ConsistentRead: true }));
    return result.Item ? runFromItem(result.Item) : undefined;
  }

  /** Starts a run unless its instance already had one (replays, two records racing): true when this call started it. */
  async startRun(run: StoredRun): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: runItem(run), ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Waiting runs due by `nowIso`, from the given UTC days' buckets (GSI2 is eventually consistent: the runner re-reads each). */
  async dueRuns(nowIso: string, days: readonly string[], limit: number): Promise<StoredRun[]> {
    // Plus the unsharded bucket of runs started before the shards (a win-back looks for 26 weeks).
    const buckets = days.flatMap((day) => [...Array.from({ length: RUN_SHARDS }, (_, shard) => runDueBucketOfShard(day, shard)), `JRUN#${day}`]);
    const items = await queryFirstPages(this.db, this.tableName, buckets, (bucket) => ({
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :bucket AND GSI2SK <= :now',
      ExpressionAttributeValues: { ':bucket': bucket, ':now': `${nowIso}\uffff` },
      // One page per shard and minute; the rest is found a minute later.
      Limit: limit,
    }));
    return items
      .map(runFromItem)
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
  }


  /**
   * Replaces a waiting run (as read: status waiting, due at `seen.dueAt`) by its next state, with
   * the outbox message, task and timeline event its action makes. False when another runner got
   * there first (nothing written).
   */
  async settleRun(seen: StoredRun, settlement: RunSettlement): Promise<boolean> {
    const { run } = settlement;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: runItem(run),
                ConditionExpression: '#status = :waiting AND dueAt = :due',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':waiting': 'waiting', ':due': seen.dueAt },
              },
            },
            ...(settlement.message
              ? [{ Put: { TableName: this.tableName, Item: messageItem(settlement.message), ConditionExpression: 'attribute_not_exists(PK)' } }]
              : []),
            ...(settlement.task ? [{ Put: { TableName: this.tableName, Item: taskItem(settlement.task), ConditionExpression: 'attribute_not_exists(PK)' } }] : []),
            ...(settlement.event ? [{ Put: { TableName: this.tableName, Item: eventItem(settlement.event, settlement.eventExpiresAt) } }] : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isCancelled(error) || isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listOpenTasks(tenantId: string): Promise<ReceptionTask[]> {
    const items = await queryAll(this.db, this.tableName, {
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': tasksPk(tenantId), ':open': 'open' },
    });
    return items.map(taskFromItem).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  }


  async completeTask(tenantId: string, taskId: string, by: string, at: string): Promise<ReceptionTask> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: tasksPk(tenantId), SK: taskSk(taskId) },
          UpdateExpression: 'SET #status = :done, doneAt = :at, doneBy = :by, expiresAt = :ttl',
          ConditionExpression: 'attribute_exists(PK) AND #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done', ':open': 'open', ':at': at, ':by': by, ':ttl': Math.floor(Date.parse(at) / 1000) + DONE_TASK_RETENTION_SECONDS },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return taskFromItem(result.Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new DomainError('task_not_found', 'No open task with that id.', { taskId });
    }
  }

  async getTask(tenantId: string, taskId: string): Promise<ReceptionTask | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: tasksPk(tenantId), SK: taskSk(taskId) }, ConsistentRead: true }));
    return result.Item ? taskFromItem(result.Item) : undefined;
  }

  /** For erasure: a customer's tasks go with them. */
  async deleteTask(tenantId: string, taskId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: tasksPk(tenantId), SK: taskSk(taskId) } }));
  }
}
