import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoStore } from '#functions/adapters/store';

/** Every item in the test table (small tables only). */
export async function scanAll(store: DynamoStore): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.db.send(new ScanCommand({ TableName: store.tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Unit attributes of one day sheet item, as { "U2026-11-24T09:00Z": owner }. */
export const unitsOf = (item: Record<string, unknown> | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(item ?? {}).filter(([name]) => /^U\d{4}-\d\d-\d\dT\d\d:\d\dZ$/.test(name)));

export const sheetItem = (items: Record<string, unknown>[], tenantId: string, providerId: string, date: string) =>
  items.find((item) => item.PK === `T#${tenantId}#PRV#${providerId}` && item.SK === `DAY#${date}`);
