import { DUE_SHARDS } from '#functions/adapters/entities/message';
import { RUN_SHARDS } from '#functions/adapters/entities/journey';
import { IDEMPOTENCY_SHARDS } from '#functions/adapters/entities/privacy';
import type { LifecycleResult, StepMeasure } from './lifecycle.ts';

/**
 * docs/scale.md: the cost of 1,000 bookings and the load of 10,000 businesses, computed from what
 * one bench run measured (bench/lifecycle.ts: capacity units and warm durations per step of a
 * booking's life; bench/bundles.ts: sizes). Prices and service limits are inputs written here,
 * with their source, so a change of either is one edit and a rerun.
 */

/** AWS list prices, us-east-1, on-demand, as published in November 2026 (eu-central-1 is ~15–25 % higher). */
export const PRICES = {
  dynamoWriteUnitUsd: 0.625 / 1e6,
  dynamoReadUnitUsd: 0.125 / 1e6,
  dynamoStorageGbMonthUsd: 0.25,
  lambdaGbSecondArmUsd: 0.0000133334,
  lambdaRequestUsd: 0.2 / 1e6,
  httpApiRequestUsd: 1.0 / 1e6,
  sesMailUsd: 0.1 / 1000,
} as const;

/** Default quotas the model is checked against (adjustable ones on request, per AWS's service quotas pages). */
export const LIMITS = {
  partitionWritesPerSecond: 1000,
  partitionReadsPerSecond: 3000,
  tableWriteUnitsPerSecond: 40_000,
  tableReadUnitsPerSecond: 40_000,
  lambdaConcurrency: 1000,
  httpApiRequestsPerSecond: 10_000,
} as const;

/** infra/cdk/kairos-function.ts: every function's memory (MB). */
export const LAMBDA_MEMORY_MB = 512;
/** The projector and the sender read the stream in batches of this many records (infra/cdk). */
const STREAM_BATCH = 10;

export const LOAD = { businesses: 10_000, providersPerBusiness: 20, bookingsPerProviderDay: 30, peakFactor: 10 } as const;

export interface ScaleInputs {
  date: string;
  lifecycle: LifecycleResult;
  largestBundleKb: number;
}

interface Totals {
  rcu: number;
  wcu: number;
  gbSeconds: number;
  lambdaInvocations: number;
  apiRequests: number;
  mails: number;
}

/** One booking's whole life, summed over its steps as often as each runs. */
export function perBooking(steps: readonly StepMeasure[]): Totals {
  const totals: Totals = { rcu: 0, wcu: 0, gbSeconds: 0, lambdaInvocations: 0, apiRequests: 0, mails: 0 };
  for (const step of steps) {
    totals.rcu += step.rcu * step.perBooking;
    totals.wcu += step.wcu * step.perBooking;
    totals.gbSeconds += (step.durationMs / 1000) * (LAMBDA_MEMORY_MB / 1024) * step.perBooking;
    const viaApi = step.step === 'availability' || step.step === 'createBooking';
    // Stream functions take a batch per invocation; the sweep runs every minute anyway (a fixed cost).
    totals.lambdaInvocations += step.perBooking * (viaApi ? 1 : step.step === 'sendReminder' ? 0 : 1 / STREAM_BATCH);
    if (viaApi) totals.apiRequests += step.perBooking;
    if (step.step === 'sendConfirmation' || step.step === 'sendReminder') totals.mails += step.perBooking;
  }
  return totals;
}

const usd = (x: number) => (x >= 1 ? `$${x.toFixed(2)}` : x >= 0.01 ? `$${x.toFixed(3)}` : `$${x.toFixed(5)}`);
const num = (x: number, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;

export function renderScale(input: ScaleInputs): string {
  const { steps } = input.lifecycle;
  const one = perBooking(steps);
  const cost = {
    dynamo: one.wcu * PRICES.dynamoWriteUnitUsd + one.rcu * PRICES.dynamoReadUnitUsd,
    lambda: one.gbSeconds * PRICES.lambdaGbSecondArmUsd + one.lambdaInvocations * PRICES.lambdaRequestUsd,
    api: one.apiRequests * PRICES.httpApiRequestUsd,
    mail: one.mails * PRICES.sesMailUsd,
  };
  const per1000 = (x: number) => x * 1000;
  const bookingsPerDay = LOAD.businesses * LOAD.providersPerBusiness * LOAD.bookingsPerProviderDay;
  const averagePerSecond = bookingsPerDay / 86_400;
  const peakPerSecond = averagePerSecond * LOAD.peakFactor;
  const step = (name: StepMeasure['step']) => steps.find((s) => s.step === name);
  const reminder = step('sendReminder');
  const remindersPerBooking = reminder?.perBooking ?? 0;

  // Hot keys at the peak, per second.
  // The due bucket of today: every message put (1 index write), leased (1) and settled (1, the
  // entry removed) — the confirmation at booking time and the reminders of earlier bookings that
  // fall due now (at steady state as many as are scheduled).
  const messagesPerBooking = 1 + remindersPerBooking;
  const dueShardWrites = (peakPerSecond * messagesPerBooking * 3) / DUE_SHARDS;
  const dueUnsharded = peakPerSecond * messagesPerBooking * 3;
  // Powertools' idempotency records: put and update per keyed booking (~3 units), over the shards.
  const idempotencyWrites = (peakPerSecond * 3) / IDEMPOTENCY_SHARDS;
  // A provider's day sheet: 30 bookings a day; even all of them within one second is 30 writes.
  const sheetWorstBurst = LOAD.bookingsPerProviderDay;
  const tableWrites = peakPerSecond * one.wcu;
  const tableReads = peakPerSecond * one.rcu;
  const concurrency = steps.reduce((sum, s) => sum + (peakPerSecond * s.perBooking * s.durationMs) / 1000, 0);
  const apiRps = peakPerSecond * one.apiRequests;
  const storagePerBookingKb = 8;

  const rows = steps
    .map(
      (s) =>
        `| ${s.step} | ${s.lambda} | ${num(s.perBooking, 2)} | ${num(s.rcu, 2)} | ${num(s.wcu, 2)} | ${num(s.calls, 1)} | ${num(s.durationMs, 1)} |`,
    )
    .join('\n');

  const limits = [
    {
      what: 'Table write units (on-demand table quota)',
      used: tableWrites,
      limit: LIMITS.tableWriteUnitsPerSecond,
      unit: 'WRU/s',
      note: 'Raised on request; past a few times this load, provisioned capacity with auto scaling costs less than on-demand.',
    },
    { what: 'Table read units (on-demand table quota)', used: tableReads, limit: LIMITS.tableReadUnitsPerSecond, unit: 'RRU/s', note: 'Raised on request, like the write quota.' },
    {
      what: `One idempotency partition (\`IDEMPOTENCY#createBooking#<n>\`, ${IDEMPOTENCY_SHARDS})`,
      used: idempotencyWrites,
      limit: LIMITS.partitionWritesPerSecond,
      unit: 'WRU/s',
      note: `Powertools would keep every record under one partition key (~${num(peakPerSecond * 3, 0)} units a second at this peak); the key is one of ${IDEMPOTENCY_SHARDS} by the record's hash (decision 97).`,
    },
    {
      what: `One due-bucket shard (\`DUE#<day>#<n>\`, ${DUE_SHARDS} per day)`,
      used: dueShardWrites,
      limit: LIMITS.partitionWritesPerSecond,
      unit: 'index writes/s',
      note: 'More shards are one constant (DUE_SHARDS) and a Query each per minute.',
    },
    { what: 'Lambda concurrency (account default)', used: concurrency, limit: LIMITS.lambdaConcurrency, unit: 'concurrent', note: 'Raised on request to tens of thousands.' },
    { what: 'HTTP API requests (account default)', used: apiRps, limit: LIMITS.httpApiRequestsPerSecond, unit: 'req/s', note: 'A soft quota, raised on request; CloudFront in front absorbs nothing here (the API is not cached).' },
    {
      what: "A provider's day sheet, all 30 of a day's bookings in one second",
      used: sheetWorstBurst,
      limit: LIMITS.partitionWritesPerSecond,
      unit: 'writes/s',
      note: 'Bound by the day, not by the number of businesses.',
    },
  ].sort((a, b) => b.used / b.limit - a.used / a.limit);

  return `# Scale and cost model

Generated by \`npm run bench\` (bench/scale.ts) on ${input.date} from that run's measurements;
do not edit by hand. The inputs are measured, the prices and limits are written in bench/scale.ts
with their source, and everything else is arithmetic on them.

## What one booking costs, measured

One booking's whole life, run ${input.lifecycle.bookings} times (${input.lifecycle.note}) through
the code the cloud runs, on DynamoDB Local with \`ReturnConsumedCapacity\` on every call:
${Math.round(step('availability')?.perBooking ?? 0)} availability views of a week (a model input:
a customer looks at a few days before choosing), the booking (with an Idempotency-Key, as the
booking page sends it), the stream projector's work for it, the confirmation mail and the
reminders the default policy schedules (the sender's lease, suppression check and settle; SES
itself is priced per mail). Durations are warm, in-process medians, the Lambda's billed duration
less the runtime's overhead.

| Step | Function | Per booking | RCU | WCU | DynamoDB calls | Warm ms |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
${rows}
| **One booking** | | | **${num(one.rcu, 1)}** | **${num(one.wcu, 1)}** | | |

Not in the figure: the sweep's and the journey runner's minute Queries (a fixed
${DUE_SHARDS + 1 + RUN_SHARDS + 1} × 2 Queries a minute, ~${num(((DUE_SHARDS + 1 + RUN_SHARDS + 1) * 2 * 0.5 * 1440) / 1000, 0)}k RCU a day whatever the load),
staff reads (calendar, caller card: section 7 of benchmarks.md), reschedules and cancellations
(each about a booking's write cost again), and journeys (a fraction of bookings).

## The cost of 1,000 bookings

Prices: AWS list prices, us-east-1, on-demand (bench/scale.ts: DynamoDB $0.625 per million
write units and $0.125 per million read units; Lambda on arm64 $0.0000133334 per GB-second and
$0.20 per million requests, ${LAMBDA_MEMORY_MB} MB; HTTP API $1.00 per million requests; SES
$0.10 per 1,000 mails). Free tiers left out.

| Part | Per 1,000 bookings | Basis |
| --- | ---: | --- |
| DynamoDB | ${usd(per1000(cost.dynamo))} | ${num(per1000(one.wcu), 0)} write units, ${num(per1000(one.rcu), 0)} read units |
| Lambda | ${usd(per1000(cost.lambda))} | ${num(per1000(one.gbSeconds), 1)} GB-s, ${num(per1000(one.lambdaInvocations), 0)} invocations |
| API Gateway (HTTP API) | ${usd(per1000(cost.api))} | ${num(per1000(one.apiRequests), 0)} requests |
| **Total without mail** | **${usd(per1000(cost.dynamo + cost.lambda + cost.api))}** | |
| SES mail (separately) | ${usd(per1000(cost.mail))} | ${num(per1000(one.mails), 0)} mails |
| Storage | ${usd((per1000(storagePerBookingKb) / 1024 / 1024) * PRICES.dynamoStorageGbMonthUsd)} per month | ≈ ${storagePerBookingKb} KB per booking with its history, mails (30 days), customer events and sheet share |

## 10,000 businesses × 20 providers × 30 bookings a day, at 10× peak

${num(bookingsPerDay, 0)} bookings a day: ${num(averagePerSecond, 1)} a second on average,
**${num(peakPerSecond, 0)} a second at the peak** (10×). At that rate, from the per-booking
figures above:

| Limit | At the peak | Limit | Share |
| --- | ---: | ---: | ---: |
${limits.map((l) => `| ${l.what} | ${num(l.used, 0)} ${l.unit} | ${num(l.limit, 0)} | ${pct(l.used / l.limit)} |`).join('\n')}

Monthly at the average rate: ${usd(per1000(cost.dynamo + cost.lambda + cost.api) * (bookingsPerDay * 30) / 1000)} without mail,
${usd(per1000(cost.mail) * (bookingsPerDay * 30) / 1000)} for mail.

### The hottest key, and why it stays under a partition's limits

- **The due bucket of today** was the hottest key: every tenant's mail due on a UTC day shared one
  GSI2 partition, written ${num(messagesPerBooking * 3, 0)} times per booking (put, lease, settle
  of the confirmation and ${num(remindersPerBooking, 0)} reminders) with time-ordered sort keys, which
  DynamoDB cannot relieve by splitting: ${num(dueUnsharded, 0)} index writes a second at the peak,
  ${pct(dueUnsharded / LIMITS.partitionWritesPerSecond)} of a partition. The bucket is now one of
  ${DUE_SHARDS} per day (FNV-1a of the message id): **${num(dueShardWrites, 0)} writes a second per
  shard, ${pct(dueShardWrites / LIMITS.partitionWritesPerSecond)} of a partition's 1,000**, and the
  sweep reads ${DUE_SHARDS} small Queries per day a minute. Journey runs have ${RUN_SHARDS} shards
  the same way.
- **Idempotency records** (Powertools) would all share one partition key on this table (it has a
  sort key, so Powertools uses a static partition key): ~${num(peakPerSecond * 3, 0)} write units a
  second at the peak. The key is now one of ${IDEMPOTENCY_SHARDS} by the record's hash:
  ${num(idempotencyWrites, 0)} a second each. Erasure reads the ${IDEMPOTENCY_SHARDS} shards for the
  customer's bookings (records live a day).
- **A provider's day sheet**, the key every booking of a provider's day conditions on, sees 30
  bookings a day; even all of them in the same second is 30 writes, 3 % of a partition.
- **A tenant's configuration partition** is read once per warm function per 15 s (the config
  cache), not per request: bounded by the number of warm functions, never by bookings.
- **Timeline month index** (\`T#<t>#EV#<month>\`) and **customer search** (\`T#<t>#CUSIDX\`) are per
  tenant: a business's 600 bookings a day are a few writes a minute.

### What breaks first as the numbers grow

In the order of the table above (share of the limit at this load):
${limits
  .slice(0, 3)
  .map((l, i) => `${i + 1}. **${l.what}** at ${pct(l.used / l.limit)}. ${l.note}`)
  .join('\n')}

SES's
sending quota must be raised to the peak's mail rate (${num(peakPerSecond, 0)} confirmations a
second) before such a launch. The largest Lambda bundle is ${num(input.largestBundleKb, 0)} KB, so
cold starts stay short as functions scale out.
`;
}
