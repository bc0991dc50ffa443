import { TransactionCanceledException, type CancellationReason, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '#shared/domain/errors';
import type { SheetChange } from '#shared/domain/claims';
import type { TenantConfig } from '#shared/domain/schemas';
import { bookingFromItem, bookingGsi1, bookingItem, bookingPk, BOOKING_SK, type StoredBooking } from './entities/booking.ts';
import { BOOKING_COUNT_ATTR, daySk, providerPk, sheetStateFromItems, unitAttr, type SheetState } from './entities/day-sheet.ts';
import { staffPk, staffSk, staffUserFromItem, staffUserItem, type StaffUser } from './entities/staff-user.ts';
import { configFromItems, providerItem, serviceItem, tenantItem, tenantPk } from './entities/tenant.ts';

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
  private async queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
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

  /** The booking item (must not exist) and every claim, in one transaction. */
  async insertBooking(booking: StoredBooking, changes: readonly SheetChange[]): Promise<void> {
    await this.transact(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: bookingItem(booking),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        ...changes.map((change) => this.sheetUpdate(booking.tenantId, change)),
      ],
      0,
    );
  }

  /**
   * Updates a booking whose current version is `expectedVersion` together with its sheet
   * changes (reschedule: release old + claim new; cancel: release), in one transaction.
   */
  async updateBooking(next: StoredBooking, expectedVersion: number, changes: readonly SheetChange[]): Promise<void> {
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
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: { PK: bookingPk(next.id), SK: BOOKING_SK },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        ...changes.map((change) => this.sheetUpdate(next.tenantId, change)),
      ],
      0,
    );
  }

  private sheetUpdate(tenantId: string, change: SheetChange): TransactItem {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (change.claim.length + change.release.length > 0) values[':owner'] = change.owner;
    const conditions: string[] = [];
    const sets: string[] = [];
    const removes: string[] = [];
    // Placeholders: #u… units to claim, #r… units to release, #count the day's booking count.
    change.claim.forEach((unit, i) => {
      names[`#u${i}`] = unitAttr(unit);
      conditions.push(`attribute_not_exists(#u${i})`);
      sets.push(`#u${i} = :owner`);
    });
    change.release.forEach((unit, i) => {
      names[`#r${i}`] = unitAttr(unit);
      // Release only what this owner holds, so a bug can never free someone else's unit.
      conditions.push(`#r${i} = :owner`);
      removes.push(`#r${i}`);
    });
    let add = '';
    if (change.countDelta !== 0) {
      names['#count'] = BOOKING_COUNT_ATTR;
      values[':delta'] = change.countDelta;
      add = ' ADD #count :delta';
      if (change.countDelta > 0 && change.maxCount !== undefined) {
        values[':max'] = change.maxCount;
        conditions.push('(attribute_not_exists(#count) OR #count < :max)');
      }
    }
    const update = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? ` REMOVE ${removes.join(', ')}` : '', add]
      .join('')
      .trim();
    return {
      Update: {
        TableName: this.tableName,
        Key: { PK: providerPk(tenantId, change.providerId), SK: daySk(change.localDate) },
        UpdateExpression: update,
        ...(conditions.length ? { ConditionExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
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
  private async transact(items: TransactItem[], attempt: number): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons: CancellationReason[] = error.CancellationReasons ?? [];
      const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
      const failedSheet = reasons.slice(1).findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      const failedBooking = reasons[0]?.Code === 'ConditionalCheckFailed';
      if (failedBooking) {
        throw new DomainError('concurrent_modification', 'The booking was changed meanwhile; load it again and retry.');
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
        return this.transact(items, attempt + 1);
      }
      if (conflict) throw new DomainError('slot_taken', 'This time is being booked by someone else right now. Please choose another.', { field: 'start' });
      throw error;
    }
  }

  /** Whether the failed sheet update collided on a claimed unit (rather than on the daily count). */
  private claimsOverlap(item: TransactItem | undefined, old: Record<string, unknown>): boolean {
    const names = Object.entries(item?.Update?.ExpressionAttributeNames ?? {});
    return names.some(([placeholder, name]) => placeholder.startsWith('#u') && old[name] !== undefined);
  }
}
