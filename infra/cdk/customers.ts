import { Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KairosFunction } from './kairos-function.ts';

/** The customer functions outside the API, by the name the stack and the tests use. */
export type CustomerFunctionId = 'projector' | 'journeys';

/** Each customer function's handler module (relative to the project root; each exports `handler`). */
export const customerEntries: { readonly [F in CustomerFunctionId]: string } = {
  projector: 'functions/streams/projector.ts',
  journeys: 'functions/schedule/journeys.ts',
};

/**
 * The stream records the projector is invoked for: bookings inserted or modified. The same test
 * bookingChangeOf (functions/app/projector.ts) makes before it projects, so the projector's own
 * writes (customer profiles, identities, timeline events), day sheets, history and outbox
 * messages never start it — nor does a REMOVE, which for a booking is only ever a TTL deletion
 * and must not erase the customer's past.
 */
export const CUSTOMER_STREAM_FILTER = {
  eventName: FilterRule.or('INSERT', 'MODIFY'),
  dynamodb: { NewImage: { type: { S: FilterRule.isEqual('booking') } } },
};

export interface CustomersProps {
  projectRoot: string;
  table: TableV2;
  /** The sender address journey mails carry (the outbox sender sends them). */
  mailFrom: string;
  /** The item reads and writes of the store (the stack's explicit action lists). */
  tableActions: readonly string[];
}

/**
 * Customer profiles in the cloud: the projector on the table stream turns every booking change
 * into timeline events, the golden record, traits and badges (decisions 48, 49). It reads and
 * writes the table only: no mail, no link secret, no staff directory.
 */
export class Customers extends Construct {
  readonly functions: ReadonlyMap<CustomerFunctionId, KairosFunction>;
  readonly journeySchedule: Rule;
  /** Stream batches the projector gave up on (their shard and sequence range, for a replay). */
  readonly projectorFailures: Queue;

  constructor(scope: Construct, id: string, props: CustomersProps) {
    super(scope, id);
    const projector = new KairosFunction(this, 'ProjectorFunction', {
      projectRoot: props.projectRoot,
      entry: customerEntries.projector,
      description: 'Table stream: projects booking changes into customer profiles and timelines',
      // Nothing secret: it sends no mail and derives no manage links.
      environment: { TABLE_NAME: props.table.tableName },
    });
    // On the table itself, not "<table>/index/*" as table.grant() would: the projector reads keys
    // (identities, profiles, timelines, tenant configuration) and queries no index. A projector
    // change that starts to fails with AccessDenied in AWS only; widen this in the same change.
    projector.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...props.tableActions], resources: [props.table.tableArn] }));

    // Where a record goes when its retries are spent or it outlived the stream: Lambda puts the
    // batch's shard and sequence numbers here (not the record), so an operator can see what was
    // skipped and replay those bookings (decision 49: projection is replay-safe). Kept 14 days,
    // encrypted, TLS only.
    this.projectorFailures = new Queue(this, 'ProjectorFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.projectorFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the failure destination of the projector stream mapping; a dead-letter queue behind it would only move the same records again.',
    });

    projector.function.addEventSource(
      new DynamoEventSource(props.table, {
        onFailure: new SqsDlq(this.projectorFailures),
        // From the oldest record the stream still holds (24 hours): no later job re-reads what
        // the projector misses, and projection is replay-safe (decision 49), so a new or
        // replaced mapping catches up instead of leaving gaps in customers' timelines. History
        // older than the stream's retention needs a backfill either way.
        startingPosition: StartingPosition.TRIM_HORIZON,
        // ~8 item reads and writes per booking change: ten fit the timeout with room to spare.
        batchSize: 10,
        bisectBatchOnError: true,
        // The handler answers { batchItemFailures }: a failed projection retries from that record on.
        reportBatchItemFailures: true,
        // Bounded, so a poison record cannot hold its shard — and every later change of those
        // customers — for the stream's whole retention.
        retryAttempts: 5,
        // The stream's retention: a consumer that lags (say after a first deploy reading from the
        // horizon) skips nothing the stream still has.
        maxRecordAge: Duration.days(1),
        // One batch per shard at a time: records of one customer's bookings are projected in
        // stream order, which the handler keeps within a batch (processInParallel: false).
        parallelizationFactor: 1,
        filters: [FilterCriteria.filter(CUSTOMER_STREAM_FILTER)],
      }),
    );
    // The event source grants the stream reads (ListStreams included) on this table's stream only.

    // The journey runner: reads due runs from GSI2 (so the index too), customer partitions and
    // bookings, and writes run decisions with their outbox messages and tasks. No mail, no secret:
    // the outbox sender sends what it queues and makes the links.
    const journeys = new KairosFunction(this, 'JourneysFunction', {
      projectRoot: props.projectRoot,
      entry: customerEntries.journeys,
      description: 'Every minute: decides due journey runs (mail via the outbox, or a reception task)',
      environment: { TABLE_NAME: props.table.tableName, MAIL_FROM: props.mailFrom },
    });
    journeys.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...props.tableActions], resources: [props.table.tableArn, `${props.table.tableArn}/index/GSI2`] }),
    );
    this.journeySchedule = new Rule(this, 'JourneySchedule', {
      description: 'Kairos: run due journey steps',
      schedule: Schedule.rate(Duration.minutes(1)),
      // A missed minute is caught up by the next one (the runner reads yesterday's bucket too).
      targets: [new LambdaTarget(journeys.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });

    this.functions = new Map([
      ['projector', projector],
      ['journeys', journeys],
    ]);
  }

  functionFor(functionId: CustomerFunctionId): KairosFunction {
    return this.functions.get(functionId)!;
  }
}
