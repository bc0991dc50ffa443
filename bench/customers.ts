import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CustomerStore } from '#functions/adapters/customer-store';
import type { DynamoStore } from '#functions/adapters/store';
import type { Clock } from '#functions/app/deps';
import { projectRecords } from '#functions/streams/projector';
import { TENANT_ID } from './fixtures.ts';
import { http, type Api, type StaffSession } from './stack.ts';
import { summarize, type Summary } from './stats.ts';

/**
 * The customer side: how fast the stream projector turns booking records into profiles
 * (records/s, the stream read not counted), and the caller card's latency through the API.
 */
export interface CustomersResult {
  records: number;
  bookingRecords: number;
  projectSeconds: number;
  recordsPerSecond: number;
  lookup: Summary;
  lookups: number;
}

/** Every record of the table's stream so far (DynamoDB Local keeps 24 h), in shard order. */
async function readWholeStream(endpoint: string, tableName: string): Promise<DynamoDBRecord[]> {
  const client = new DynamoDBStreamsClient({ region: 'eu-central-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { Streams } = await client.send(new ListStreamsCommand({ TableName: tableName }));
    const arn = Streams?.[0]?.StreamArn;
    if (!arn) throw new Error('the bench table has no stream');
    const records: DynamoDBRecord[] = [];
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: arn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      while (iterator) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        records.push(...((page.Records ?? []) as unknown as DynamoDBRecord[]));
        // An open shard keeps answering with an iterator; stop once it has nothing more.
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    return records;
  } finally {
    client.destroy();
  }
}

export async function measureCustomers(options: {
  api: Api;
  dynamoEndpoint: string;
  tableName: string;
  store: DynamoStore;
  doc: DynamoDBDocumentClient;
  clock: Clock;
  staff: StaffSession;
  lookups: number;
  warmup: number;
}): Promise<CustomersResult> {
  const records = await readWholeStream(options.dynamoEndpoint, options.tableName);
  const customers = new CustomerStore(options.doc, options.tableName);
  const deps = { store: options.store, clock: options.clock, customers };
  const bookingRecords = records.filter((r) => r.dynamodb?.NewImage?.type?.S === 'booking').length;

  // Lambda hands the projector batches of up to 100 records; so do we.
  const started = performance.now();
  for (let i = 0; i < records.length; i += 100) {
    const result = await projectRecords(deps, { Records: records.slice(i, i + 100) });
    if (result.batchItemFailures.length > 0) throw new Error(`projection failed for ${result.batchItemFailures.length} record(s)`);
  }
  const projectSeconds = (performance.now() - started) / 1000;

  // The caller card for customers the seeding created, by e-mail, as reception would look them up.
  const samples: number[] = [];
  for (let i = 0; i < options.warmup + options.lookups; i += 1) {
    const email = encodeURIComponent(`kunde${i % 200}@bench.example`);
    const t0 = performance.now();
    const response = await http('GET', `${options.api.baseUrl}/v1/staff/tenants/${TENANT_ID}/customers/lookup?email=${email}`, {
      headers: { authorization: options.staff.authorization },
    });
    const elapsed = performance.now() - t0;
    if (response.status !== 200) throw new Error(`caller card answered ${response.status}: ${response.text.slice(0, 200)}`);
    if (i >= options.warmup) samples.push(elapsed);
  }
  return {
    records: records.length,
    bookingRecords,
    projectSeconds,
    recordsPerSecond: records.length / projectSeconds,
    lookup: summarize(samples),
    lookups: samples.length,
  };
}
