import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerEvent } from '#shared/customers/types';
import { customerPk, EVENT_PREFIX, eventFromItem, eventItem, searchPk, searchSk, identityKey, PROFILE_SK, profileItem, type StoredProfile } from './entities/customer.ts';

/**
 * Customer profiles, identities and timelines (entities/customer.ts), in the one table. Kept apart
 * from DynamoStore: only the stream projector and the customer routes use it.
 */
export class CustomerStore {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async getIdentity(tenantId: string, kind: 'email' | 'phone', value: string): Promise<string | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: identityKey(tenantId, kind, value), ConsistentRead: true }));
    return result.Item ? String(result.Item.customerId) : undefined;
  }

  /**
   * Claims an identity for a customer unless another customer has it already (first writer
   * wins: two records racing for a new e-mail derive the same customer id anyway). Returns the
   * customer that owns the identity now.
   */
  async claimIdentity(tenantId: string, kind: 'email' | 'phone', value: string, customerId: string, at: string): Promise<string> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...identityKey(tenantId, kind, value),
            type: 'customerIdentity',
            GSI1PK: searchPk(tenantId),
            GSI1SK: searchSk(kind, value, customerId),
            kind,
            value,
            customerId,
            createdAt: at,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return customerId;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return (await this.getIdentity(tenantId, kind, value)) ?? customerId;
    }
  }

  async getProfile(tenantId: string, customerId: string): Promise<StoredProfile | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: customerPk(tenantId, customerId), SK: PROFILE_SK }, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { PK: _pk, SK: _sk, type: _type, GSI1PK: _g1, GSI1SK: _g2, ...profile } = result.Item;
    return profile as unknown as StoredProfile;
  }

  async putProfile(profile: StoredProfile): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: profileItem(profile) }));
  }

  /**
   * Events are keyed by their deterministic ids: writing one twice leaves one item. A booking
   * change yields one or two events, so single Puts (no BatchWriteItem, which the functions'
   * explicit IAM action lists leave out).
   */
  async putEvents(events: readonly CustomerEvent[], expiresAt?: number): Promise<void> {
    await Promise.all(events.map((event) => this.db.send(new PutCommand({ TableName: this.tableName, Item: eventItem(event, expiresAt) }))));
  }

  /** Customer ids whose e-mail, phone or name starts with `prefix` (of that kind), at most `limit`. */
  async searchIds(tenantId: string, kind: 'email' | 'phone' | 'name', prefix: string, limit: number): Promise<string[]> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': searchPk(tenantId), ':prefix': `${kind}#${prefix}` },
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => String(item.GSI1SK).split('#').at(-1)!);
  }

  /** A customer's whole timeline, oldest first: one Query (paged). */
  async listEvents(tenantId: string, customerId: string): Promise<CustomerEvent[]> {
    const events: CustomerEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': customerPk(tenantId, customerId), ':prefix': EVENT_PREFIX },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      events.push(...(page.Items ?? []).map(eventFromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  }
}
