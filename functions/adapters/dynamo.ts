import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export interface DynamoOptions {
  region: string;
  /** DynamoDB Local's URL; leave unset in AWS. */
  endpoint?: string | undefined;
}

export function createDynamoClients(options: DynamoOptions) {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  // The SDK's logger middleware walks every response through its sensitive-data filter even when
  // nothing is logged (about a tenth of the CPU of a month's availability). We never log SDK calls.
  client.middlewareStack.remove('loggerMiddleware');
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc };
}

/** Every page of a Query (a page stops at 1 MB), items in key order. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The items of one partition whose sort key starts with `prefix`, strongly consistent, every page. */
export const queryPrefix = (db: DynamoDBDocumentClient, tableName: string, pk: string, prefix: string) =>
  queryAll(db, tableName, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: true,
  });

/** One page of the same Query per partition key, in parallel (the shards of a bucket), items flattened. */
export async function queryFirstPages(
  db: DynamoDBDocumentClient,
  tableName: string,
  partitionKeys: readonly string[],
  input: (key: string) => Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const pages = await Promise.all(partitionKeys.map((key) => db.send(new QueryCommand({ ...input(key), TableName: tableName }))));
  return pages.flatMap((page) => page.Items ?? []);
}
