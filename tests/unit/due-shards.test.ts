import { describe, expect, it } from 'vitest';
import { DUE_SHARDS, dueBucket, messageItem, shardOf } from '#functions/adapters/entities/message';
import { RUN_SHARDS, runDueBucket } from '#functions/adapters/entities/journey';
import { IDEMPOTENCY_SHARDS, idempotencyPartitions, idempotencyPk } from '#functions/adapters/entities/privacy';
import { ShardedIdempotencyStore } from '#functions/adapters/idempotency-store';
import { unmarshall } from '@aws-sdk/util-dynamodb';

describe('due buckets spread over shards (docs/scale.md: the hottest key)', () => {
  it('puts a message always in the same shard of its due day', () => {
    expect(dueBucket('2026-11-23T09:00:00Z', 'bk_1.v1.customer')).toBe(dueBucket('2026-11-23T18:30:00Z', 'bk_1.v1.customer'));
    expect(dueBucket('2026-11-23T09:00:00Z', 'bk_1.v1.customer')).toMatch(/^DUE#2026-11-23#\d{2}$/);
    expect(shardOf('bk_1.v1.customer', DUE_SHARDS)).toBe(shardOf('bk_1.v1.customer', DUE_SHARDS));
    expect(runDueBucket('2026-11-24T08:00:00Z', 'rebook-after-cancel#booking#bk_1')).toMatch(/^JRUN#2026-11-24#[0-7]$/);
  });

  it('spreads ten thousand message ids within 15 % of an even share per shard', () => {
    const counts = new Array<number>(DUE_SHARDS).fill(0);
    for (let i = 0; i < 10_000; i += 1) counts[shardOf(`bk_${i.toString(36)}.reminder.P1D`, DUE_SHARDS)]! += 1;
    const even = 10_000 / DUE_SHARDS;
    for (const count of counts) expect(Math.abs(count - even) / even).toBeLessThan(0.15);
    const runs = new Array<number>(RUN_SHARDS).fill(0);
    for (let i = 0; i < 10_000; i += 1) runs[shardOf(`win-back#booking#bk_${i}`, RUN_SHARDS)]! += 1;
    for (const count of runs) expect(Math.abs(count - 10_000 / RUN_SHARDS) / (10_000 / RUN_SHARDS)).toBeLessThan(0.15);
  });

  it('writes the message item with its bucket', () => {
    const item = messageItem({ id: 'bk_9.v1.customer', nextAttemptAt: '2026-11-23T09:00:00Z' } as Parameters<typeof messageItem>[0]);
    expect(item.GSI2PK).toBe(dueBucket('2026-11-23T09:00:00Z', 'bk_9.v1.customer'));
  });
});

describe('idempotency records spread over shards', () => {
  class Probe extends ShardedIdempotencyStore {
    keyOf(hashed: string) {
      return unmarshall(this.getKey(hashed));
    }
  }
  const probe = new Probe({ tableName: 'kairos', keyAttr: 'PK', sortKeyAttr: 'SK' });

  it('keys a record by its hashed key: one of 32 partitions, the hash as sort key, the same every time', () => {
    const key = probe.keyOf('createBooking#4f1c0b5e2a');
    expect(key).toEqual({ PK: idempotencyPk('createBooking#4f1c0b5e2a'), SK: 'createBooking#4f1c0b5e2a' });
    expect(key.PK).toMatch(/^IDEMPOTENCY#createBooking#\d{2}$/);
    expect(idempotencyPartitions()).toContain(key.PK);
    const used = new Set(Array.from({ length: 2000 }, (_, i) => probe.keyOf(`createBooking#${i.toString(16)}`).PK));
    expect(used.size).toBe(IDEMPOTENCY_SHARDS);
  });
});
