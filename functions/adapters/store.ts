import { TransactionCanceledException, type CancellationReason, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  TransactWriteCommand,
  type QueryCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '#shared/domain/errors';
import type { SheetChange } from '#shared/domain/claims';
import type { TenantConfig } from '#shared/domain/schemas';
import type { OutboxMessage } from '#shared/domain/notifications';
import type { HistoryEntry } from '#shared/domain/staff';
import {
  dueBucket,
  dueBucketOfShard,
  DUE_SHARDS,
  dueSk,
  MESSAGE_SK,
  messageFromItem,
  messageItem,
  messagePk,
  outboxGsi1Pk,
  SENT_RETENTION_SECONDS,
  suppressionKey,
  type Suppression,
} from './entities/message.ts';
import { queryAll, queryFirstPages } from './dynamo.ts';
import { bookingFromItem, bookingGsi1, bookingItem, bookingPk, BOOKING_SK, type StoredBooking } from './entities/booking.ts';
import { HISTORY_PREFIX, historyFromItem, historyItem } from './entities/history.ts';
import {
  BOOKING_COUNT_ATTR,
  daySk,
  providerPk,
  SHEET_VERSION_ATTR,
  sheetStateFromItems,
  unitAttr,
  type SheetState,
} from './entities/day-sheet.ts';

const SHEET_VERSION_PLACEHOLDER = '#v';
import { staffPk, staffSk, staffUserFromItem, staffUserItem, type StaffUser } from './entities/staff-user.ts';
import { blockFromItem, blockItem, blockSk, type StoredBlock } from './entities/block.ts';
import { FEED_SK, feedItem, feedPk, feedPointerKey, type FeedRecord } from './entities/feed.ts';
import {
  configFromItems,
  configItem,
  configSk,
  providerItem,
  serviceItem,
  tenantItem,
  tenantPk,
  type ConfigData,
  type ConfigKind,
  type ConfigRecord,
} from './entities/tenant.ts';

/** Optional booking fields a change can clear (an attendance corrected away, say). */
/** What a booking transaction does to the outbox. */
export interface OutboxChange {
  put: readonly OutboxMessage[];
  remove: readonly string[];
}
const NO_OUTBOX: OutboxChange = { put: [], remove: [] };

const BOOKING_OPTIONAL_FIELDS = ['attendance', 'attendanceMarkedAt', 'override', 'cancelReason', 'cancelledAt'] as const;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface StoreOptions {
  /** How long a warm process reuses a tenant's configuration (ms); 0 reads it every time. */
  configTtlMs: number;
  /** Attempts for a transaction cancelled by a TransactionConflict before it counts as taken. */
  conflictAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The DynamoDB repository. The day-sheet transactions here are the only place that decides
 * whether a slot is free: a claim is conditional on every unit being absent.
 */
export class DynamoStore {
  private readonly configCache = new Map<string, { config: TenantConfig | undefined; at: number }>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    /** The plain client, for libraries that speak raw attribute values (Powertools Idempotency). */
    readonly client: DynamoDBClient,
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly options: StoreOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Tenant, services and providers: one Query on the tenant's partition. */
  async loadConfig(tenantId: string, now: number): Promise<TenantConfig | undefined> {
    const cached = this.configCache.get(tenantId);
    if (cached && now - cached.at < this.options.configTtlMs) return cached.config;
    const items = await this.queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': tenantPk(tenantId) } });
    const config = configFromItems(items);
    this.configCache.set(tenantId, { config, at: now });
    return config;
  }

  async requireConfig(tenantId: string, now: number): Promise<TenantConfig> {
    const config = await this.loadConfig(tenantId, now);
    if (!config) throw new DomainError('tenant_not_found', `No tenant "${tenantId}".`, { field: 'tenantId' });
    return config;
  }

  /**
   * Writes a tenant's configuration. Services and providers that the new configuration no longer
   * lists are deactivated, not deleted, because bookings may still refer to them. Bookings and
   * day sheets live in other partitions and are never touched.
   */
  async applyConfig(config: TenantConfig, updatedAt: string): Promise<{ deactivated: string[] }> {
    const tenantId = config.tenant.id;
    const existing = (await this.loadConfig(tenantId, Number.POSITIVE_INFINITY)) ?? { services: [], providers: [] };
    const serviceIds = new Set(config.services.map((s) => s.id));
    const providerIds = new Set(config.providers.map((p) => p.id));
    const goneServices = existing.services.filter((s) => !serviceIds.has(s.id) && s.active);
    const goneProviders = existing.providers.filter((p) => !providerIds.has(p.id) && p.active);
    const items = [
      tenantItem(config.tenant, updatedAt),
      ...config.services.map((s) => serviceItem(tenantId, s, updatedAt)),
      ...goneServices.map((s) => serviceItem(tenantId, { ...s, active: false }, updatedAt)),
      ...config.providers.map((p) => providerItem(tenantId, p, updatedAt)),
      ...goneProviders.map((p) => providerItem(tenantId, { ...p, active: false }, updatedAt)),
    ];
    // BatchWriteItem takes at most 25 requests.
    for (let i = 0; i < items.length; i += 25) {
      let pending: Record<string, unknown>[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error('DynamoDB kept items unprocessed while applying the tenant');
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }));
        pending = result.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
        if (pending?.length) await this.sleep(50 * 2 ** attempt);
      }
    }
    this.configCache.delete(tenantId);
    return { deactivated: [...goneServices.map((s) => `service:${s.id}`), ...goneProviders.map((p) => `provider:${p.id}`)] };
  }

  /** A provider's day sheets for local dates [fromDate, toDate]: one Query. */
  async readSheets(tenantId: string, providerId: string, fromDate: string, toDate: string): Promise<SheetState> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': providerPk(tenantId, providerId), ':from': daySk(fromDate), ':to': daySk(toDate) },
    });
    return sheetStateFromItems(items);
  }

  /** Every page of a Query (a page stops at 1 MB). */
  private queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, this.tableName, input);
  }

  /** A staff account of a tenant; one GetItem on every staff request (see entities/staff-user.ts). */
  async getStaffUser(tenantId: string, userId: string): Promise<StaffUser | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: staffPk(tenantId), SK: staffSk(userId) } }));
    return result.Item ? staffUserFromItem(result.Item) : undefined;
  }

  async listStaffUsers(tenantId: string): Promise<StaffUser[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': staffPk(tenantId) } });
    return items.map(staffUserFromItem).sort((a, b) => a.email.localeCompare(b.email));
  }

  /** Records a staff account; an existing record for the same user id is left alone and reported. */
  async putStaffUser(user: StaffUser): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: staffUserItem(user), ConditionExpression: 'attribute_not_exists(PK)' }),
      );
      return 'created';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'exists';
      throw error;
    }
  }

  async deleteStaffUser(tenantId: string, userId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: staffPk(tenantId), SK: staffSk(userId) } }));
  }

  async getBooking(bookingId: string): Promise<StoredBooking | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: bookingPk(bookingId), SK: BOOKING_SK }, ConsistentRead: true }),
    );
    return result.Item ? bookingFromItem(result.Item) : undefined;
  }

  /** The booking item (must not exist), every claim and the history entry, in one transaction. */
  async insertBooking(booking: StoredBooking, changes: readonly SheetChange[], history: HistoryEntry, outbox: OutboxChange = NO_OUTBOX): Promise<void> {
    await this.transact(
      {
        Put: {
          TableName: this.tableName,
          Item: bookingItem(booking),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      changes.map((change) => this.sheetUpdate(booking.tenantId, change)),
      [this.historyPut(history), ...this.outboxItems(outbox)],
    );
  }

  /**
   * The outbox part of a booking transaction: each message is put (ids are deterministic, so a
   * reminder of a rescheduled booking replaces the old one in place) and reminders that no
   * longer apply are deleted.
   */
  private outboxItems(outbox: OutboxChange): TransactItem[] {
    return [
      ...outbox.put.map((message) => ({ Put: { TableName: this.tableName, Item: messageItem(message) } })),
      ...outbox.remove.map((id) => ({ Delete: { TableName: this.tableName, Key: { PK: messagePk(id), SK: MESSAGE_SK } } })),
    ];
  }

  private historyPut(entry: HistoryEntry): TransactItem {
    return { Put: { TableName: this.tableName, Item: historyItem(entry), ConditionExpression: 'attribute_not_exists(PK)' } };
  }

  /** A booking's history, oldest first: one Query on the booking's partition. */
  async listHistory(bookingId: string): Promise<HistoryEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': bookingPk(bookingId), ':prefix': HISTORY_PREFIX },
      ConsistentRead: true,
    });
    return items.map(historyFromItem);
  }

  /**
   * Updates a booking whose current version is `expectedVersion` together with its sheet
   * changes (reschedule: release old + claim new; cancel: release), in one transaction.
   */
  async updateBooking(
    next: StoredBooking,
    expectedVersion: number,
    changes: readonly SheetChange[],
    history: HistoryEntry,
    outbox: OutboxChange = NO_OUTBOX,
  ): Promise<void> {
    const { id: _id, ...fields } = { ...next, ...bookingGsi1(next) };
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': expectedVersion };
    const sets: string[] = [];
    Object.entries(fields).forEach(([key, value], i) => {
      if (value === undefined) return;
      names[`#f${i}`] = key;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    const removes = BOOKING_OPTIONAL_FIELDS.filter((key) => next[key] === undefined);
    removes.forEach((key, i) => (names[`#x${i}`] = key));
    const remove = removes.length ? ` REMOVE ${removes.map((_, i) => `#x${i}`).join(', ')}` : '';
    await this.transact(
      {
        Update: {
          TableName: this.tableName,
          Key: { PK: bookingPk(next.id), SK: BOOKING_SK },
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      changes.map((change) => this.sheetUpdate(next.tenantId, change)),
      [this.historyPut(history), ...this.outboxItems(outbox)],
    );
  }

  /** A provider's bookings whose start lies in [fromIso, toIso): one Query on GSI1. */
  async listProviderBookings(tenantId: string, providerId: string, fromIso: string, toIso: string): Promise<StoredBooking[]> {
    return (await this.queryByStart(tenantId, providerId, 'BK', fromIso, toIso)).map(bookingFromItem);
  }

  /** A provider's blocks whose start lies in [fromIso, toIso): one Query on GSI1. */
  async listProviderBlocks(tenantId: string, providerId: string, fromIso: string, toIso: string): Promise<StoredBlock[]> {
    return (await this.queryByStart(tenantId, providerId, 'BL', fromIso, toIso)).map(blockFromItem);
  }

  private queryByStart(tenantId: string, providerId: string, kind: 'BK' | 'BL', fromIso: string, toIso: string) {
    return this.queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      // "#" sorts before every digit, so "<kind>#<to>#" ends the range just before items starting at `to`.
      ExpressionAttributeValues: { ':pk': providerPk(tenantId, providerId), ':from': `${kind}#${fromIso}`, ':to': `${kind}#${toIso}#` },
    });
  }

  async getBlock(tenantId: string, providerId: string, blockId: string): Promise<StoredBlock | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: providerPk(tenantId, providerId), SK: blockSk(blockId) }, ConsistentRead: true }),
    );
    return result.Item ? blockFromItem(result.Item) : undefined;
  }

  /** The block item and its version-checked claims, in one transaction. */
  async insertBlock(block: StoredBlock, changes: readonly SheetChange[]): Promise<void> {
    await this.transact(
      { Put: { TableName: this.tableName, Item: blockItem(block), ConditionExpression: 'attribute_not_exists(PK)' } },
      changes.map((change) => this.sheetUpdate(block.tenantId, change)),
    );
  }

  /** Deletes a block (it must still exist) and releases its units, in one transaction. */
  async deleteBlock(block: StoredBlock, changes: readonly SheetChange[]): Promise<void> {
    await this.transact(
      {
        Delete: {
          TableName: this.tableName,
          Key: { PK: providerPk(block.tenantId, block.providerId), SK: blockSk(block.id) },
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      changes.map((change) => this.sheetUpdate(block.tenantId, change)),
    );
  }

  /** The tenant and provider a feed token hash belongs to. */
  async getFeed(tokenHash: string): Promise<FeedRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: feedPk(tokenHash), SK: FEED_SK } }));
    if (!result.Item) return undefined;
    return { tenantId: String(result.Item.tenantId), providerId: String(result.Item.providerId), createdAt: String(result.Item.createdAt) };
  }

  /**
   * Makes `tokenHash` the provider's only feed token: puts the new token item, moves the pointer
   * (conditioned on the hash it replaces, so two rotations cannot both win) and deletes the old
   * token item, in one transaction.
   */
  async rotateFeed(record: FeedRecord, tokenHash: string): Promise<void> {
    const pointerKey = feedPointerKey(record.tenantId, record.providerId);
    const pointer = await this.db.send(new GetCommand({ TableName: this.tableName, Key: pointerKey, ConsistentRead: true }));
    const oldHash = pointer.Item?.tokenHash as string | undefined;
    await this.transact(
      {
        Put: {
          TableName: this.tableName,
          Item: { ...pointerKey, type: 'feedPointer', tokenHash, updatedAt: record.createdAt },
          ConditionExpression: oldHash ? 'tokenHash = :old' : 'attribute_not_exists(PK)',
          ...(oldHash ? { ExpressionAttributeValues: { ':old': oldHash } } : {}),
        },
      },
      [],
      [
        { Put: { TableName: this.tableName, Item: feedItem(tokenHash, record), ConditionExpression: 'attribute_not_exists(PK)' } },
        ...(oldHash ? [{ Delete: { TableName: this.tableName, Key: { PK: feedPk(oldHash), SK: FEED_SK } } }] : []),
      ],
    );
  }

  /**
   * One configuration item (tenant META, a service or a provider) with its revision, bypassing
   * the cache: changes start from the latest state.
   */
  async getConfigRecord<K extends ConfigKind>(tenantId: string, kind: K, id?: string): Promise<ConfigRecord<K> | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: tenantPk(tenantId), SK: configSk(kind, id) }, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const revision = result.Item.revision;
    return { data: result.Item.data as ConfigData[K], revision: typeof revision === 'number' ? revision : 0 };
  }

  /**
   * Writes one configuration item if it is still at the revision read, or, with `null`, only if
   * it does not exist yet. A lost race is `concurrent_modification` (`id_taken` when creating).
   * Items written by the tenant file carry no revision and count as revision 0.
   */
  async putConfigRecord<K extends ConfigKind>(
    tenantId: string,
    kind: K,
    data: ConfigData[K],
    updatedAt: string,
    expectedRevision: number | null,
  ): Promise<void> {
    const item = { ...configItem(tenantId, kind, data, updatedAt), revision: (expectedRevision ?? 0) + 1 };
    const condition =
      expectedRevision === null
        ? 'attribute_not_exists(PK)'
        : expectedRevision === 0
          ? 'attribute_exists(PK) AND attribute_not_exists(revision)'
          : 'revision = :seen';
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ...(expectedRevision ? { ExpressionAttributeValues: { ':seen': expectedRevision } } : {}),
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      if (expectedRevision === null) throw new DomainError('id_taken', `The ${kind} id is already in use.`, { field: 'id' });
      throw new DomainError('concurrent_modification', `The ${kind} was changed meanwhile; load it again and retry.`);
    }
    this.configCache.delete(tenantId);
  }

  /**
   * Claims a due message for one sender: pending and due, or stuck in "sending" past its lease
   * (the sender died). The conditional update is the lease: of two senders racing, one gets the
   * message and the other undefined. Attempts count here, so a crash mid-send still counts.
   */
  async leaseMessage(id: string, nowIso: string, leaseUntilIso: string, leaseId: string): Promise<OutboxMessage | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: messagePk(id), SK: MESSAGE_SK },
          UpdateExpression: 'SET #status = :sending, leaseId = :lease, leaseUntil = :until ADD attempts :one',
          ConditionExpression:
            'attribute_exists(PK) AND nextAttemptAt <= :now AND (#status = :pending OR (#status = :sending AND leaseUntil < :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':lease': leaseId,
            ':until': leaseUntilIso,
            ':now': nowIso,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? messageFromItem(result.Attributes) : undefined;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  /**
   * Ends a lease with the outcome. Conditioned on the lease, so a sender whose message was
   * replaced (a rescheduled reminder) or deleted meanwhile changes nothing; returns false then.
   */
  async settleMessage(
    message: Pick<OutboxMessage, 'id' | 'tenantId'>,
    leaseId: string,
    outcome:
      | { status: 'sent'; at: string; sesMessageId: string }
      | { status: 'pending'; nextAttemptAt: string; error: string }
      | { status: 'failed' | 'suppressed'; at: string; error: string },
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':lease': leaseId, ':status': outcome.status };
    const sets = ['#status = :status'];
    const removes = ['leaseId', 'leaseUntil'];
    if (outcome.status === 'sent') {
      Object.assign(values, { ':at': outcome.at, ':ses': outcome.sesMessageId, ':ttl': Math.floor(Date.parse(outcome.at) / 1000) + SENT_RETENTION_SECONDS });
      sets.push('sentAt = :at', 'sesMessageId = :ses', 'expiresAt = :ttl');
      removes.push('GSI2PK', 'GSI2SK');
    } else if (outcome.status === 'pending') {
      Object.assign(values, { ':next': outcome.nextAttemptAt, ':error': outcome.error, ':bucket': dueBucket(outcome.nextAttemptAt, message.id), ':due': dueSk(outcome.nextAttemptAt, message.id) });
      sets.push('nextAttemptAt = :next', 'lastError = :error', 'GSI2PK = :bucket', 'GSI2SK = :due');
    } else {
      const state = outcome.status === 'failed' ? 'FAILED' : 'SUPPRESSED';
      Object.assign(values, { ':at': outcome.at, ':error': outcome.error, ':g1pk': outboxGsi1Pk(message.tenantId), ':g1sk': `${state}#${outcome.at}#${message.id}` });
      sets.push('lastError = :error', 'settledAt = :at', 'GSI1PK = :g1pk', 'GSI1SK = :g1sk');
      removes.push('GSI2PK', 'GSI2SK');
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: messagePk(message.id), SK: MESSAGE_SK },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: 'leaseId = :lease',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Ids of messages whose next attempt is due by `nowIso`, from the day buckets given (GSI2). */
  async dueMessageIds(nowIso: string, days: readonly string[], limit: number): Promise<string[]> {
    // Every shard of every day (A22), in parallel; the earliest due first across them, at most `limit`.
    // Plus the day's unsharded bucket of messages written before the shards (reminders weeks ahead,
    // retries), until no such message can be left; one more Query per day, nearly always empty.
    const buckets = days.flatMap((day) => [...Array.from({ length: DUE_SHARDS }, (_, shard) => dueBucketOfShard(day, shard)), `DUE#${day}`]);
    const items = await queryFirstPages(this.db, this.tableName, buckets, (bucket) => ({
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :bucket AND GSI2SK <= :bound',
      // "~" sorts after every character of an id, so everything due at `now` is included.
      ExpressionAttributeValues: { ':bucket': bucket, ':bound': `${nowIso}#~` },
      ProjectionExpression: 'id, GSI2SK',
      // A page per shard and sweep: what is left is found by the next sweep, a minute later.
      Limit: limit,
    }));
    return items
      .sort((a, b) => String(a.GSI2SK).localeCompare(String(b.GSI2SK)))
      .slice(0, limit)
      .map((item) => String(item.id));
  }


  async getMessage(id: string): Promise<OutboxMessage | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: messagePk(id), SK: MESSAGE_SK }, ConsistentRead: true }));
    return result.Item ? messageFromItem(result.Item) : undefined;
  }

  /** Parked (failed) or suppressed messages of a tenant, newest first (GSI1). */
  async listSettledMessages(tenantId: string, state: 'failed' | 'suppressed'): Promise<OutboxMessage[]> {
    const items = await this.queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
      ExpressionAttributeValues: { ':pk': outboxGsi1Pk(tenantId), ':prefix': `${state === 'failed' ? 'FAILED' : 'SUPPRESSED'}#` },
      ScanIndexForward: false,
    });
    return items.map(messageFromItem);
  }

  async getSuppression(email: string): Promise<Suppression | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: suppressionKey(email) }));
    return result.Item ? (result.Item as unknown as Suppression) : undefined;
  }

  async putSuppression(suppression: Suppression): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...suppressionKey(suppression.email), type: 'suppression', ...suppression } }));
  }

  /**
   * One sheet's update. Every write bumps the sheet's version, so a version-checked write (a
   * block) notices any booking that claimed or released units after it read the sheet.
   * Releases carry no per-unit condition: the owner's own item (the booking's version, the
   * block's existence) is conditioned in the same transaction, and only its owner releases a unit.
   * Placeholders are short (base 36) because a whole day of units must fit DynamoDB's 4 KB limit
   * per expression: #c… claimed units, #r… released units, #n the booking count, #v the version.
   */
  private sheetUpdate(tenantId: string, change: SheetChange): TransactItem {
    const names: Record<string, string> = { [SHEET_VERSION_PLACEHOLDER]: SHEET_VERSION_ATTR };
    const values: Record<string, unknown> = { ':one': 1 };
    if (change.claim.length > 0) values[':o'] = change.owner;
    const conditions: string[] = [];
    const sets: string[] = [];
    const removes: string[] = [];
    const versionChecked = change.expectedVersion !== undefined;
    change.claim.forEach((unit, i) => {
      const placeholder = `#c${i.toString(36)}`;
      names[placeholder] = unitAttr(unit);
      if (!versionChecked) conditions.push(`attribute_not_exists(${placeholder})`);
      sets.push(`${placeholder}=:o`);
    });
    change.release.forEach((unit, i) => {
      const placeholder = `#r${i.toString(36)}`;
      names[placeholder] = unitAttr(unit);
      removes.push(placeholder);
    });
    if (versionChecked) {
      if (change.expectedVersion === null) conditions.push(`attribute_not_exists(${SHEET_VERSION_PLACEHOLDER})`);
      else {
        values[':v'] = change.expectedVersion;
        conditions.push(`${SHEET_VERSION_PLACEHOLDER} = :v`);
      }
    }
    const adds = [`${SHEET_VERSION_PLACEHOLDER} :one`];
    if (change.countDelta !== 0) {
      names['#n'] = BOOKING_COUNT_ATTR;
      values[':delta'] = change.countDelta;
      adds.push('#n :delta');
      if (change.countDelta > 0 && change.maxCount !== undefined) {
        values[':max'] = change.maxCount;
        conditions.push('(attribute_not_exists(#n) OR #n < :max)');
      }
    }
    const update = [sets.length ? `SET ${sets.join(',')}` : '', removes.length ? `REMOVE ${removes.join(',')}` : '', `ADD ${adds.join(', ')}`]
      .filter(Boolean)
      .join(' ');
    return {
      Update: {
        TableName: this.tableName,
        Key: { PK: providerPk(tenantId, change.providerId), SK: daySk(change.localDate) },
        UpdateExpression: update,
        ...(conditions.length ? { ConditionExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /**
   * Runs a transaction. A cancellation caused by a condition on a day sheet means the slot is
   * taken; one on the booking item means someone changed it meanwhile. In AWS (never in DynamoDB
   * Local) two transactions racing for one sheet can also be cancelled with TransactionConflict:
   * that is retried a bounded number of times with jittered backoff, and then counts as taken.
   */
  private async transact(owner: TransactItem, sheets: TransactItem[], rest: TransactItem[] = [], attempt = 0): Promise<void> {
    const items = [owner, ...sheets, ...rest];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons: CancellationReason[] = error.CancellationReasons ?? [];
      const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
      const failedSheet = reasons.slice(1, 1 + sheets.length).findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      const failedOwner = reasons[0]?.Code === 'ConditionalCheckFailed';
      if (failedOwner) {
        throw new DomainError('concurrent_modification', 'This was changed meanwhile; load it again and retry.');
      }
      if (failedSheet >= 0) {
        const old = reasons[failedSheet + 1]?.Item;
        const countReached = old?.[BOOKING_COUNT_ATTR] !== undefined && !this.claimsOverlap(items[failedSheet + 1], old);
        throw new DomainError('slot_taken', 'Someone else has just taken this time. Please choose another.', {
          field: 'start',
          ...(countReached ? { reason: 'daily_limit_reached' } : {}),
        });
      }
      if (conflict && attempt + 1 < (this.options.conflictAttempts ?? 4)) {
        await this.sleep(Math.random() * 25 * 2 ** attempt);
        return this.transact(owner, sheets, rest, attempt + 1);
      }
      if (conflict) throw new DomainError('slot_taken', 'This time is being booked by someone else right now. Please choose another.', { field: 'start' });
      throw error;
    }
  }

  /** Whether the failed sheet update collided on a claimed unit (rather than on the daily count). */
  private claimsOverlap(item: TransactItem | undefined, old: Record<string, unknown>): boolean {
    const names = Object.entries(item?.Update?.ExpressionAttributeNames ?? {});
    return names.some(([placeholder, name]) => placeholder.startsWith('#c') && old[name] !== undefined);
  }
}
