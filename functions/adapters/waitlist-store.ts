import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboxMessage } from '#shared/domain/notifications';
import { queryAll, queryPrefix } from './dynamo.ts';
import { customerPk } from './entities/customer.ts';
import { MESSAGE_SK, messageItem, messagePk } from './entities/message.ts';
import {
  offerGroupKey,
  WAITLIST_ENTRY_SK,
  WAITLIST_REF_PREFIX,
  waitlistEntryFromItem,
  waitlistEntryItem,
  waitlistEntryPk,
  waitlistGuardKey,
  waitlistIndexPk,
  waitlistRefFromItem,
  waitlistRefItem,
  waitlistRefKey,
  type StoredWaitlistEntry,
  type WaitlistRef,
} from './entities/waitlist.ts';

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';
/** Which items of a cancelled transaction failed their condition. */
const failedConditions = (error: unknown): boolean[] | undefined =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((reason) => reason.Code === 'ConditionalCheckFailed') : undefined;

/** What a customer's partition says about their waiting: the guard's version and the references. */
export interface CustomerWaitlist {
  version: number;
  /** The guard's TTL, pushed out by each entry to the last entry's end. */
  expiresAt: number;
  refs: WaitlistRef[];
}

/**
 * Reads and writes of the waitlist (docs/data-model.md A50–A59). Single items and small
 * transactions only; the outbox messages it queues are the sender's from then on.
 */
export class WaitlistStore {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async getEntry(entryId: string): Promise<StoredWaitlistEntry | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: waitlistEntryPk(entryId), SK: WAITLIST_ENTRY_SK }, ConsistentRead: true }),
    );
    return result.Item ? waitlistEntryFromItem(result.Item) : undefined;
  }

  /** A50: the guard (its version, for the insert's condition) and the references, both strongly consistent. */
  async customerWaitlist(tenantId: string, customerId: string): Promise<CustomerWaitlist> {
    const [guard, refs] = await Promise.all([
      this.db.send(new GetCommand({ TableName: this.tableName, Key: waitlistGuardKey(tenantId, customerId), ConsistentRead: true })),
      queryPrefix(this.db, this.tableName, customerPk(tenantId, customerId), WAITLIST_REF_PREFIX),
    ]);
    return {
      version: typeof guard.Item?.version === 'number' ? guard.Item.version : 0,
      expiresAt: typeof guard.Item?.expiresAt === 'number' ? guard.Item.expiresAt : 0,
      refs: refs.map(waitlistRefFromItem),
    };
  }

  /**
   * A51: the entry, its reference and the guard's next version in one transaction. False when
   * the guard moved since `seen` was read (the same customer added an entry meanwhile): the
   * caller reads again and decides again.
   */
  async insertEntry(entry: StoredWaitlistEntry, seen: CustomerWaitlist): Promise<boolean> {
    const ref = waitlistRefItem(entry);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: waitlistEntryItem(entry), ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: this.tableName, Item: ref, ConditionExpression: 'attribute_not_exists(PK)' } },
            {
              Update: {
                TableName: this.tableName,
                Key: waitlistGuardKey(entry.tenantId, entry.customerId),
                UpdateExpression: 'SET #type = :type, #version = :next, expiresAt = :expires',
                ConditionExpression: seen.version === 0 ? 'attribute_not_exists(#version)' : '#version = :seen',
                ExpressionAttributeNames: { '#type': 'type', '#version': 'version' },
                ExpressionAttributeValues: {
                  ':type': 'waitlistGuard',
                  ':next': seen.version + 1,
                  ':expires': Math.max(seen.expiresAt, Number(ref.expiresAt)),
                  ...(seen.version === 0 ? {} : { ':seen': seen.version }),
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (failedConditions(error)?.[2]) return false;
      throw error;
    }
  }

  /** A52: a tenant's entries whose last date lies in [fromDate, toDate], in last-date order (GSI1). */
  async entriesEndingBetween(tenantId: string, fromDate: string, toDate: string): Promise<StoredWaitlistEntry[]> {
    const items = await queryAll(this.db, this.tableName, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      // "~" sorts after every character of an instant and an id: the whole last day is included.
      ExpressionAttributeValues: { ':pk': waitlistIndexPk(tenantId), ':from': fromDate, ':to': `${toDate}~` },
    });
    return items.map(waitlistEntryFromItem);
  }

  /**
   * A54: queues one offer mail — the message (only if it does not exist: a replayed stream record
   * queues nothing twice), its id on the entry (only while the entry exists: an entry that left
   * or was claimed meanwhile gets nothing) and on the slot's offer group, in one transaction.
   */
  async queueOffer(message: OutboxMessage, slotStart: string, providerId: string): Promise<'queued' | 'queued_before' | 'entry_gone'> {
    const ids = [message.id];
    const group = offerGroupKey(message.tenantId, providerId, slotStart);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: messageItem(message), ConditionExpression: 'attribute_not_exists(PK)' } },
            {
              Update: {
                TableName: this.tableName,
                Key: { PK: waitlistEntryPk(message.bookingId), SK: WAITLIST_ENTRY_SK },
                UpdateExpression: 'SET offerIds = list_append(if_not_exists(offerIds, :none), :ids)',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: { ':none': [], ':ids': ids },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: group,
                UpdateExpression: 'SET #type = :type, messageIds = list_append(if_not_exists(messageIds, :none), :ids), expiresAt = :expires',
                ExpressionAttributeNames: { '#type': 'type' },
                // Kept a day past the slot's start: after that nothing can claim it.
                ExpressionAttributeValues: { ':type': 'waitlistOffers', ':none': [], ':ids': ids, ':expires': Math.floor(Date.parse(slotStart) / 1000) + 86_400 },
              },
            },
          ],
        }),
      );
      return 'queued';
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.[0]) return 'queued_before';
      if (failed?.[1]) return 'entry_gone';
      throw error;
    }
  }

  /** A55: the offer mails queued for one slot (of every entry it was offered to). */
  async offersOfSlot(tenantId: string, providerId: string, slotStart: string): Promise<string[]> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: offerGroupKey(tenantId, providerId, slotStart), ConsistentRead: true }));
    return Array.isArray(result.Item?.messageIds) ? (result.Item.messageIds as string[]) : [];
  }

  /**
   * A55: deletes those of the messages that are still waiting to be sent; sent ones stay the
   * record of what was mailed (their TTL removes them). Returns how many were withdrawn.
   */
  async withdrawPending(messageIds: readonly string[]): Promise<number> {
    const outcomes = await Promise.all(
      messageIds.map((id) =>
        this.db
          .send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: { PK: messagePk(id), SK: MESSAGE_SK },
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pending': 'pending' },
            }),
          )
          .then(
            () => 1,
            (error: unknown) => {
              if (isConditionFailure(error)) return 0;
              throw error;
            },
          ),
      ),
    );
    return outcomes.reduce<number>((sum, n) => sum + n, 0);
  }

  /**
   * A56: deletes the entry and returns it as it was at that moment — with every offer queued for
   * it until then, which a copy read earlier could lack (the stream may queue one in between; after
   * the delete none can be, queueOffer conditions on the entry) — then its reference. Undefined
   * when it was gone already. A crash between the two leaves a reference to nothing, which readers
   * skip and the TTL or an erasure removes.
   */
  async removeEntry(entry: Pick<StoredWaitlistEntry, 'id' | 'tenantId' | 'customerId'>): Promise<StoredWaitlistEntry | undefined> {
    let removed: StoredWaitlistEntry;
    try {
      const result = await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: waitlistEntryPk(entry.id), SK: WAITLIST_ENTRY_SK },
          ConditionExpression: 'attribute_exists(PK)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      removed = waitlistEntryFromItem(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: waitlistRefKey(entry.tenantId, entry.customerId, entry.id) }));
    return removed;
  }

  /** Erasure: messages go whatever their state (their snapshot names the customer). */
  async deleteMessages(messageIds: readonly string[]): Promise<void> {
    await Promise.all(messageIds.map((id) => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: messagePk(id), SK: MESSAGE_SK } }))));
  }
}
