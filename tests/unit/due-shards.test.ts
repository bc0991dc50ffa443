import { describe, expect, it } from 'vitest';
import { DUE_SHARDS, dueBucket, messageItem, shardOf } from '#functions/adapters/entities/message';
import { RUN_SHARDS, runDueBucket } from '#functions/adapters/entities/journey';

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
