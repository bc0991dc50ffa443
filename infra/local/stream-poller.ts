import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * The local stand-in for Lambda's DynamoDB stream trigger: reads the table's stream in DynamoDB
 * Local and hands each batch to a handler in the shape Lambda would (`{ Records: [...] }`), one
 * shard at a time and in order. Records that the handler reports as failed are not retried here
 * (Lambda would retry the batch from the failed record); the sweep catches what a handler misses.
 */
export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every record written before the call has been handed to the handler. */
  drain(): Promise<void>;
}

export interface StreamPollerOptions {
  endpoint: string;
  region?: string;
  tableName: string;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

interface Shard {
  id: string;
  iterator: string | undefined;
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const client = new DynamoDBStreamsClient({
    region: options.region ?? 'eu-central-1',
    endpoint: options.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Streams } = await client.send(new ListStreamsCommand({ TableName: options.tableName }));
  const streamArn = Streams?.[0]?.StreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);

  const shards = new Map<string, Shard>();
  const finished = new Set<string>();
  /** Shards present at start begin at LATEST (older records are not ours); later ones from their start. */
  async function discover(initial: boolean) {
    let start: string | undefined;
    do {
      const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      for (const shard of StreamDescription?.Shards ?? []) {
        const id = shard.ShardId!;
        if (shards.has(id) || finished.has(id)) continue;
        // A closed shard that existed before we started holds nothing new for us.
        if (initial && shard.SequenceNumberRange?.EndingSequenceNumber) {
          finished.add(id);
          continue;
        }
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: initial ? 'LATEST' : 'TRIM_HORIZON' }),
        );
        shards.set(id, { id, iterator: ShardIterator });
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }
  await discover(true);

  let stopped = false;
  const pollOnce = async () => {
    await discover(false);
    for (const shard of shards.values()) {
      if (!shard.iterator) continue;
      const { Records, NextShardIterator } = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 100 }));
      shard.iterator = NextShardIterator;
      if (!NextShardIterator) {
        shards.delete(shard.id);
        finished.add(shard.id);
      }
      if (Records?.length) await options.handler({ Records: Records.map((record) => toLambdaRecord(record, streamArn)) });
    }
  };
  // One round at a time, whoever asks: two concurrent GetRecords on one iterator would deliver twice.
  let chain: Promise<void> = Promise.resolve();
  const poll = () => (chain = chain.then(pollOnce).catch((error: unknown) => (options.onError ?? console.error)(error)));
  const loop = async () => {
    while (!stopped) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
    }
  };
  const running = loop();

  return {
    async drain() {
      // Two rounds: a record written just now may not be readable in the first.
      await poll();
      await poll();
    },
    async stop() {
      stopped = true;
      await running;
      client.destroy();
    },
  };
}

/** The SDK's stream record in the JSON shape a Lambda event carries. */
function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: record.dynamodb as DynamoDBRecord['dynamodb'],
  };
}
