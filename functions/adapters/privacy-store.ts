import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ERASED_NAME } from '#shared/customers/erasure';
import { queryAll } from './dynamo.ts';
import { bookingPk, BOOKING_SK, type StoredBooking } from './entities/booking.ts';
import { customerPk } from './entities/customer.ts';
import { historySk } from './entities/history.ts';
import { MESSAGE_SK, messageFromItem, messageItem, messagePk } from './entities/message.ts';
import { erasedAddressKey, erasureAuditItem, erasureTombstoneKey, idempotencyPartitions, type ErasureAudit } from './entities/privacy.ts';
import { dataExportMessageId, type OutboxMessage } from '#shared/domain/notifications';

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/**
 * Reads and deletes for export and erasure. Single-item calls only (no BatchWriteItem): the
 * functions' IAM action lists leave batch writes out, and an erasure touches tens of items.
 */
export class PrivacyStore {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Every message a booking can have: its ids are deterministic (`<booking>.v<n>.customer|provider`
   * for each version, plus the reminders the booking lists), so no index is needed.
   */
  async messagesOfBooking(booking: Pick<StoredBooking, 'id' | 'version' | 'reminderIds'>): Promise<OutboxMessage[]> {
    const ids: string[] = [];
    for (let v = 1; v <= booking.version; v++) ids.push(`${booking.id}.v${v}.customer`, `${booking.id}.v${v}.provider`);
    ids.push(...(booking.reminderIds ?? []), dataExportMessageId(booking.id));
    const found = await Promise.all(
      ids.map((id) => this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: messagePk(id), SK: MESSAGE_SK }, ConsistentRead: true }))),
    );
    return found.flatMap((r) => (r.Item ? [messageFromItem(r.Item)] : []));
  }

  /**
   * Queues a data-export mail (decision 69) unless the booking's last one was queued after
   * `notBefore`: the message id is the booking's, so a new request replaces the previous message
   * once it is old enough, and until then is refused. False when refused.
   */
  async queueDataExportMail(message: OutboxMessage, notBefore: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: messageItem(message),
          ConditionExpression: 'attribute_not_exists(PK) OR createdAt <= :notBefore',
          ExpressionAttributeValues: { ':notBefore': notBefore },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deleteMessage(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: messagePk(id), SK: MESSAGE_SK } }));
  }

  /**
   * Replaces the customer with the erased placeholder and drops notes and the cancel reason; times,
   * service, provider, status, version and the day-sheet claim stay. The version is not bumped:
   * nothing about the appointment changed, and a concurrent reschedule must not fail on it.
   */
  async anonymiseBooking(bookingId: string, placeholderEmail: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: bookingPk(bookingId), SK: BOOKING_SK },
          UpdateExpression: 'SET #customer = :customer, #erasedAt = :at REMOVE #notes, #cancelReason',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#customer': 'customer', '#erasedAt': 'erasedAt', '#notes': 'notes', '#cancelReason': 'cancelReason' },
          ExpressionAttributeValues: { ':customer': { name: ERASED_NAME, email: placeholderEmail }, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** History entries carry no customer data, except a cancel reason the customer may have typed. */
  async dropHistoryReasons(bookingId: string, versions: readonly number[]): Promise<void> {
    await Promise.all(
      versions.map((v) =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { PK: bookingPk(bookingId), SK: historySk(v) },
            UpdateExpression: 'REMOVE #reason',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#reason': 'reason' },
          }),
        ).catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        }),
      ),
    );
  }

  /** Deletes an identity item only while it still points at this customer (a probable match's phone stays theirs). */
  async deleteIdentity(key: { PK: string; SK: string }, customerId: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'customerId = :id', ExpressionAttributeValues: { ':id': customerId } }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Profile and timeline events; the erasure tombstone stays. Returns the sort keys deleted. */
  async deleteCustomerPartition(tenantId: string, customerId: string): Promise<string[]> {
    const pk = customerPk(tenantId, customerId);
    const deleted: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'PK, SK',
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.SK === erasureTombstoneKey(tenantId, customerId).SK) continue;
        await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: pk, SK: item.SK } }));
        deleted.push(String(item.SK));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return deleted;
  }

  /**
   * Powertools keys idempotency records by a hash of tenant and Idempotency-Key, which the booking
   * does not keep; the record's stored response (a map, `data.booking.id`) names the booking. One
   * partition holds every tenant's records of the last 24 h (plus TTL lag), so a filtered Query
   * finds them.
   */
  async idempotencyRecordsOf(bookingIds: readonly string[]): Promise<Array<{ PK: string; SK: string }>> {
    if (bookingIds.length === 0) return [];
    const found: Array<{ PK: string; SK: string }> = [];
    // IN takes at most 100 operands; 50 per Query also keeps the expression far below 4 KB.
    for (let i = 0; i < bookingIds.length; i += 50) {
      const chunk = bookingIds.slice(i, i + 50);
      const values = Object.fromEntries(chunk.map((id, n) => [`:b${n}`, id]));
      // Every shard (entities/privacy.ts), in parallel: records live a day, so at the scale
      // model's load this reads a day of keyed bookings once per erasure (docs/scale.md).
      const pages = await Promise.all(
        idempotencyPartitions().map((pk) =>
          queryAll(this.db, this.tableName, {
            KeyConditionExpression: 'PK = :pk',
            FilterExpression: `#data.#booking.#id IN (${chunk.map((_, n) => `:b${n}`).join(', ')})`,
            ExpressionAttributeNames: { '#data': 'data', '#booking': 'booking', '#id': 'id' },
            ExpressionAttributeValues: { ':pk': pk, ...values },
            ProjectionExpression: 'PK, SK',
          }),
        ),
      );
      for (const item of pages.flat()) found.push({ PK: String(item.PK), SK: String(item.SK) });
    }
    return found;
  }

  async deleteItem(key: { PK: string; SK: string }): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  async isAddressErased(tenantId: string, hash: string): Promise<boolean> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: erasedAddressKey(tenantId, hash) }));
    return result.Item !== undefined;
  }

  async markAddressErased(tenantId: string, hash: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: erasedAddressKey(tenantId, hash),
        UpdateExpression: 'SET #type = :type, tenantId = :t, emailHash = :h, erasedAt = if_not_exists(erasedAt, :at), lastErasedAt = :at',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'erasedAddress', ':t': tenantId, ':h': hash, ':at': at },
      }),
    );
  }

  async getTombstone(tenantId: string, customerId: string): Promise<{ erasedAt: string } | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: erasureTombstoneKey(tenantId, customerId), ConsistentRead: true }));
    return result.Item ? { erasedAt: String(result.Item.erasedAt) } : undefined;
  }

  async putTombstone(tenantId: string, customerId: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: erasureTombstoneKey(tenantId, customerId),
        UpdateExpression: 'SET #type = :type, erasedAt = if_not_exists(erasedAt, :at), lastErasedAt = :at',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'erasureTombstone', ':at': at },
      }),
    );
  }

  async putAudit(audit: ErasureAudit): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: erasureAuditItem(audit) }));
  }
}
