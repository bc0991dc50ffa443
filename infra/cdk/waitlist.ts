import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { KairosFunction } from './kairos-function.ts';

/** The waitlist's function outside the API, by the name the stack and the tests use. */
export type WaitlistFunctionId = 'offers';

export const waitlistEntries: { readonly [F in WaitlistFunctionId]: string } = {
  offers: 'functions/streams/waitlist.ts',
};

/**
 * The stream records that can free a slot (decision 105), a superset of what freedSpanOf acts on:
 * a booking modified while it was confirmed (cancelled or moved — attendance and an erasure's
 * anonymising write pass too, and the handler drops them), and a block removed. New bookings,
 * day sheets, outbox messages, the waitlist's own items and the projector's writes never start it.
 */
export const WAITLIST_STREAM_FILTERS = [
  { eventName: FilterRule.isEqual('MODIFY'), dynamodb: { NewImage: { type: { S: FilterRule.isEqual('booking') } }, OldImage: { status: { S: FilterRule.isEqual('confirmed') } } } },
  { eventName: FilterRule.isEqual('REMOVE'), dynamodb: { OldImage: { type: { S: FilterRule.isEqual('block') } } } },
];

export interface WaitlistProps {
  projectRoot: string;
  table: TableV2;
  /** The sender address offer mails carry (the outbox sender sends them and makes their links). */
  mailFrom: string;
  /** The item reads and writes of the store (the stack's explicit action lists). */
  tableActions: readonly string[];
}

/**
 * The waitlist's stream consumer: when a change frees time, the customers waiting for it get offer
 * mails through the outbox. It reads the table, its GSI1 (entries by last date) and the stream,
 * and writes outbox messages and the entries' offer lists. No link secret and no SES: the sender
 * makes the links and sends.
 */
export class Waitlist extends Construct {
  readonly functions: ReadonlyMap<WaitlistFunctionId, KairosFunction>;

  constructor(scope: Construct, id: string, props: WaitlistProps) {
    super(scope, id);
    const offers = new KairosFunction(this, 'OffersFunction', {
      projectRoot: props.projectRoot,
      entry: waitlistEntries.offers,
      description: 'Table stream: offers slots freed by cancellations, reschedules and removed blocks to waiting customers',
      // The default 10 s: a freed block day is one availability read per waited-for service and a
      // transaction per offer (at most OFFERS_PER_SLOT a slot), far less per batch of ten.
      environment: { TABLE_NAME: props.table.tableName, MAIL_FROM: props.mailFrom },
    });
    offers.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...props.tableActions], resources: [props.table.tableArn, `${props.table.tableArn}/index/GSI1`] }),
    );
    offers.function.addEventSource(
      new DynamoEventSource(props.table, {
        // From the oldest record the stream holds: offers are computed against the sheets as they
        // are when the record is processed, and their ids make a replay queue nothing twice, so a
        // new mapping that catches up mails only what is still free.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        // A record that keeps failing is given up after a few tries: a missed offer costs a mail,
        // not data, and the slot is still on the booking page.
        retryAttempts: 3,
        maxRecordAge: Duration.days(1),
        filters: WAITLIST_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );
    this.functions = new Map([['offers', offers]]);
  }

  functionFor(functionId: WaitlistFunctionId): KairosFunction {
    return this.functions.get(functionId)!;
  }
}
