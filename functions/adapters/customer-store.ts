import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CustomerEvent, GoldenRecord } from '#shared/customers/types';
import {
  customerPk,
  EVENT_PREFIX,
  eventFromItem,
  eventIndexPk,
  eventItem,
  searchPk,
  searchSk,
  identityKey,
  NAME_INDEX_PREFIX,
  nameIndexItem,
  nameIndexSuffixes,
  PROFILE_SK,
  profileItem,
  type StoredProfile,
} from './entities/customer.ts';
import { isDeepStrictEqual } from 'node:util';
import { DomainError } from '#shared/domain/errors';
import { queryAll, queryPrefix } from './dynamo.ts';
import type { VersionedProfile } from './entities/customer.ts';
import { MERGE_PREFIX, mergeAuditItem, mergeFromItem, mergeItem, mergeSk, type MergeAudit, type StoredMerge } from './entities/customer.ts';

/** Month partitions of the event index read at once: bounded so a 3-year read does not open 40 connections. */
const INDEX_READS_IN_PARALLEL = 4;
/** Pages a search reads at most: enough for `limit` distinct customers even when each matches a few times. */
const SEARCH_PAGES = 4;

/** A profile write lost a race (decision 65): someone wrote the profile since it was read. */
export class ProfileConflictError extends DomainError {
  constructor(customerId: string) {
    super('concurrent_modification', 'The customer was changed by someone else meanwhile; read it again and retry.', { customerId });
    this.name = 'ProfileConflictError';
  }
}

/** Whether two profiles hold the same data, whatever their updatedAt, revision or key order. */
export function sameProfileContent(a: StoredProfile, b: StoredProfile): boolean {
  // Through JSON: a stored item has no undefined-valued keys, a freshly computed profile may.
  const content = ({ updatedAt: _at, revision: _revision, ...rest }: StoredProfile & { revision?: number }) => JSON.parse(JSON.stringify(rest)) as unknown;
  return isDeepStrictEqual(content(a), content(b));
}

/**
 * The conditional put of a profile at the revision after `expectedRevision` (null: create). For a
 * PutCommand or, unchanged, a TransactWriteItems Put.
 */
export function profilePut(profile: StoredProfile, expectedRevision: number | null, options: { replacingMerged?: boolean } = {}) {
  const revision = (expectedRevision ?? 0) + 1;
  const Item = { ...profileItem(profile), revision };
  if (expectedRevision === null) return { Item, ConditionExpression: 'attribute_not_exists(PK)' };
  // A customer merged into another (decision 66) is a pointer kept for the undo: only the undo may
  // write it. Anyone else read it by an old id and must follow mergedInto.
  const unmerged = options.replacingMerged ? '' : ' AND attribute_not_exists(mergedInto)';
  // Revision 0 is a profile from before revisions: it exists and has no revision attribute.
  if (expectedRevision === 0) return { Item, ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(revision)${unmerged}` };
  return { Item, ConditionExpression: `revision = :expected${unmerged}`, ExpressionAttributeValues: { ':expected': expectedRevision } };
}

/** One write of a TransactWriteItems request. */
export type CustomerWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** DynamoDB's limit of items per TransactWriteItems. */
export const MAX_TRANSACT_ITEMS = 100;
/** How many merges a profile's mergedInto pointers are followed through (a chain is possible: A into B, then B into C). */
const MAX_MERGE_HOPS = 5;

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

  /** The profile and its revision (0 for a profile written before revisions existed). */
  async getProfile(tenantId: string, customerId: string): Promise<VersionedProfile | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: customerPk(tenantId, customerId), SK: PROFILE_SK }, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { PK: _pk, SK: _sk, type: _type, GSI1PK: _g1, GSI1SK: _g2, revision, ...profile } = result.Item;
    return { ...(profile as unknown as StoredProfile), revision: typeof revision === 'number' ? revision : 0 };
  }

  /**
   * Writes a profile if nobody else has since `expectedRevision` was read (null: only if there is
   * no profile yet), and returns the new revision. Several writers change a profile — the stream
   * projector, staff merges, the customer's preferences — each reading, deciding and writing; an
   * unconditional put would let the slower one silently undo the faster one's change. The loser
   * gets ProfileConflictError and must read again and decide again.
   */
  async putProfile(profile: StoredProfile, expectedRevision: number | null, previous?: StoredProfile): Promise<number> {
    const { revision: _stale, ...fresh } = profile as Partial<VersionedProfile> & StoredProfile;
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, ...profilePut(fresh, expectedRevision) }));
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new ProfileConflictError(profile.record.customerId);
      throw error;
    }
    // The name words only change with the name: most projections (a new booking of a known
    // customer) skip the Query (bench: projector throughput). A crash between the two writes
    // leaves the old words until the name next changes or a backfill rewrites them.
    if (!previous || previous.record.name?.value !== profile.record.name?.value) await this.syncNameIndex(profile.record);
    return (expectedRevision ?? 0) + 1;
  }

  /**
   * Writes `next` over the profile as it was read (`previous`, undefined: none yet), conditioned on
   * its revision; writes nothing when only `updatedAt` would change — a replayed stream record then
   * costs no write and cannot conflict with anyone. Returns the revision the profile has now.
   */
  async updateProfile(previous: VersionedProfile | undefined, next: StoredProfile): Promise<number> {
    if (previous && sameProfileContent(previous, next)) return previous.revision;
    return this.putProfile(next, previous?.revision ?? null, previous);
  }

  /**
   * The profile a customer id stands for now: its own, or — when it was merged into another — the
   * one it was merged into (followed through at most MAX_MERGE_HOPS merges).
   */
  async currentProfile(tenantId: string, customerId: string): Promise<VersionedProfile | undefined> {
    let profile = await this.getProfile(tenantId, customerId);
    for (let hops = 0; profile?.mergedInto && hops < MAX_MERGE_HOPS; hops++) profile = await this.getProfile(tenantId, profile.mergedInto);
    return profile?.mergedInto ? undefined : profile;
  }

  // --- Merges (decision 66): writes for one TransactWriteItems request, and the MERGE# items. ---

  profileWrite(profile: StoredProfile, expectedRevision: number | null, options: { replacingMerged?: boolean } = {}): CustomerWrite {
    const { revision: _stale, ...fresh } = profile as Partial<VersionedProfile> & StoredProfile;
    return { Put: { TableName: this.tableName, ...profilePut(fresh, expectedRevision, options) } };
  }

  /** The loser's profile as a pointer to the winner: unchanged otherwise, and out of search (no GSI1 keys). */
  mergedAwayWrite(loser: VersionedProfile, winnerId: string, at: string): CustomerWrite {
    const { revision, ...profile } = loser;
    const { Item, ...condition } = profilePut({ ...profile, mergedInto: winnerId, mergedAt: at }, revision);
    const { GSI1PK: _pk, GSI1SK: _sk, ...unsearchable } = Item as Record<string, unknown>;
    return { Put: { TableName: this.tableName, Item: unsearchable, ...condition } };
  }

  /** Points an identity (and its search key) at another customer, if it still points at `from`. */
  identityMove(tenantId: string, key: { kind: 'email' | 'phone'; value: string }, from: string, to: string): CustomerWrite {
    return {
      Update: {
        TableName: this.tableName,
        Key: identityKey(tenantId, key.kind, key.value),
        UpdateExpression: 'SET customerId = :to, GSI1SK = :sk',
        ConditionExpression: 'customerId = :from',
        ExpressionAttributeValues: { ':to': to, ':from': from, ':sk': searchSk(key.kind, key.value, to) },
      },
    };
  }

  eventWrite(event: CustomerEvent, expiresAt?: number): CustomerWrite {
    return { Put: { TableName: this.tableName, Item: eventItem(event, expiresAt) } };
  }

  eventDelete(tenantId: string, customerId: string, sk: string): CustomerWrite {
    return { Delete: { TableName: this.tableName, Key: { PK: customerPk(tenantId, customerId), SK: sk } } };
  }

  /** 'create': only if there is none (two staff merging the same pair at once); 'replace': only if it is still there. */
  mergeWrite(merge: StoredMerge, mode: 'create' | 'replace'): CustomerWrite {
    return { Put: { TableName: this.tableName, Item: mergeItem(merge), ConditionExpression: mode === 'create' ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)' } };
  }

  mergeDelete(tenantId: string, customerId: string, mergedCustomerId: string): CustomerWrite {
    return { Delete: { TableName: this.tableName, Key: { PK: customerPk(tenantId, customerId), SK: mergeSk(mergedCustomerId) }, ConditionExpression: 'attribute_exists(PK)' } };
  }

  auditWrite(audit: MergeAudit): CustomerWrite {
    return { Put: { TableName: this.tableName, Item: mergeAuditItem(audit) } };
  }

  /**
   * Writes all or nothing (at most MAX_TRANSACT_ITEMS). A failed condition means someone changed a
   * profile, identity or merge meanwhile: 409 concurrent_modification, to read again and retry.
   */
  async transact(writes: readonly CustomerWrite[]): Promise<void> {
    if (writes.length === 0) return;
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...writes] }));
    } catch (error) {
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
      if ((error as Error).name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new DomainError('concurrent_modification', 'The customers were changed by someone else meanwhile; read them again and retry.');
      }
      throw error;
    }
  }

  async getMerge(tenantId: string, customerId: string, mergedCustomerId: string): Promise<StoredMerge | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: customerPk(tenantId, customerId), SK: mergeSk(mergedCustomerId) }, ConsistentRead: true }),
    );
    return result.Item ? mergeFromItem(result.Item) : undefined;
  }

  /** The merges into a customer (its MERGE# items). */
  async listMerges(tenantId: string, customerId: string): Promise<StoredMerge[]> {
    return (await queryPrefix(this.db, this.tableName, customerPk(tenantId, customerId), MERGE_PREFIX)).map(mergeFromItem);
  }


  /**
   * Makes the customer's name-index items (entities/customer.ts) match the record's name: writes
   * the words that are new and deletes the stale ones, so a renamed customer is not found by the
   * old name. One small Query per profile write; writes only when the name changed. Written after
   * the profile, so a failure in between leaves the old words until the next profile write, and
   * erasure removes them with the rest of the partition.
   */
  async syncNameIndex(record: Pick<GoldenRecord, 'tenantId' | 'customerId' | 'name'>): Promise<void> {
    const { tenantId, customerId } = record;
    const wanted = new Set(record.name ? nameIndexSuffixes(record.name.value) : []);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': customerPk(tenantId, customerId), ':prefix': NAME_INDEX_PREFIX },
        ProjectionExpression: 'SK',
        ConsistentRead: true,
      }),
    );
    // MAX_NAME_INDEX_WORDS keys of at most ~210 bytes: always one page.
    const present = new Set((page.Items ?? []).map((item) => String(item.SK).slice(NAME_INDEX_PREFIX.length)));
    await Promise.all([
      ...[...wanted].filter((suffix) => !present.has(suffix)).map((suffix) => this.db.send(new PutCommand({ TableName: this.tableName, Item: nameIndexItem(tenantId, customerId, suffix) }))),
      ...[...present]
        .filter((suffix) => !wanted.has(suffix))
        .map((suffix) => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: customerPk(tenantId, customerId), SK: `${NAME_INDEX_PREFIX}${suffix}` } }))),
    ]);
  }

  /**
   * Events are keyed by their deterministic ids: writing one twice leaves one item. A booking
   * change yields one or two events, so single Puts (no BatchWriteItem, which the functions'
   * explicit IAM action lists leave out).
   */
  async putEvents(events: readonly CustomerEvent[], expiresAt?: number | ((event: CustomerEvent) => number)): Promise<void> {
    // A function gives each event its own expiry (one change can write events of different times).
    const expiryOf = (event: CustomerEvent) => (typeof expiresAt === 'function' ? expiresAt(event) : expiresAt);
    await Promise.all(events.map((event) => this.db.send(new PutCommand({ TableName: this.tableName, Item: eventItem(event, expiryOf(event)) }))));
  }

  /**
   * Distinct customer ids whose e-mail, phone or name starts with `prefix` (of that kind), at most
   * `limit`. A customer can match more than once (the profile and a name-index item, "Ana Ana"),
   * so pages are read until `limit` distinct ids are found — at most SEARCH_PAGES of them.
   */
  async searchIds(tenantId: string, kind: 'email' | 'phone' | 'name', prefix: string, limit: number): Promise<string[]> {
    const ids = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    for (let pages = 0; pages < SEARCH_PAGES && ids.size < limit; pages++) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
          ExpressionAttributeValues: { ':pk': searchPk(tenantId), ':prefix': `${kind}#${prefix}` },
          ExclusiveStartKey: startKey,
          Limit: limit,
        }),
      );
      for (const item of page.Items ?? []) if (ids.size < limit) ids.add(String(item.GSI1SK).split('#').at(-1)!);
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    return [...ids];
  }

  /**
   * A tenant's timeline events with `at` in [from, to] (epoch ms) from the month index (GSI2): one
   * paged Query per UTC month, INDEX_READS_IN_PARALLEL at a time, projecting only what insights
   * read. The sort key starts with the instant, so whole UTC days bound the first and last months
   * (a day is a prefix whatever the instant's precision); the exact bounds are applied here.
   */
  async listTenantEvents(tenantId: string, utcMonths: readonly string[], from: number, to: number): Promise<CustomerEvent[]> {
    const firstDay = new Date(from).toISOString().slice(0, 10);
    // "~" sorts after every character an instant or event id contains.
    const lastDay = `${new Date(to).toISOString().slice(0, 10)}~`;
    const names = ['id', 'customerId', 'tenantId', 'eventType', 'at', 'bookingId', 'bookingVersion', 'start', 'leadMinutes', 'afterHours'];
    const readMonth = (month: string) =>
      queryAll(this.db, this.tableName, {
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': eventIndexPk(tenantId, month), ':from': firstDay, ':to': lastDay },
        // Every name aliased: several (at, start) are or may become DynamoDB reserved words.
        ProjectionExpression: names.map((_, i) => `#n${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
      });

    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < utcMonths.length; i += INDEX_READS_IN_PARALLEL) {
      for (const monthItems of await Promise.all(utcMonths.slice(i, i + INDEX_READS_IN_PARALLEL).map(readMonth))) items.push(...monthItems);
    }
    return items.map(eventFromItem).filter((event) => {
      const at = Date.parse(event.at);
      return at >= from && at <= to;
    });
  }

  /** A customer's whole timeline, oldest first: one Query (paged). */
  async listEvents(tenantId: string, customerId: string): Promise<CustomerEvent[]> {
    return (await queryPrefix(this.db, this.tableName, customerPk(tenantId, customerId), EVENT_PREFIX)).map(eventFromItem);
  }

}
