import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnGlobalTable, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { KairosFunction } from './kairos-function.ts';
import type { LinkSecret } from './link-secret.ts';

/** The notification functions, by the name the stack and the tests use. */
export type NotificationFunctionId = 'sender' | 'sweep' | 'sesNotifications';

/** Each notification function's handler module (relative to the project root; each exports `handler`). */
export const notificationEntries: { readonly [F in NotificationFunctionId]: string } = {
  sender: 'functions/streams/outbox.ts',
  sweep: 'functions/schedule/sweep.ts',
  sesNotifications: 'functions/events/ses-notifications.ts',
};

/** The functions that send mail: only they may call SES, and only they hold the link secret (their mails carry manage links). */
export const MAIL_SENDING_FUNCTIONS: readonly NotificationFunctionId[] = ['sender', 'sweep'];

/** What functions/adapters/mailer.ts calls (SesMailer), and nothing more. */
export const SES_SEND_ACTIONS = ['ses:SendRawEmail'] as const;

/**
 * The SES events that reach the suppression list. `Reject` (SES found a virus in the content) is
 * left out: it says nothing about the address, and functions/app/suppressions.ts ignores it.
 */
export const SUPPRESSING_EVENTS = [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT] as const;

/**
 * The stream records the sender is invoked for: outbox messages that are (again) waiting to be
 * sent. The same test as dueMessagesInStream (functions/app/outbox.ts) makes before it sends, so
 * every booking, day sheet and history write — and a message's own lease and settle updates,
 * two of every message's three writes — never start the function.
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: FilterRule.or('INSERT', 'MODIFY'),
  dynamodb: { NewImage: { type: { S: FilterRule.isEqual('message') }, status: { S: FilterRule.isEqual('pending') } } },
};

export interface NotificationsProps {
  projectRoot: string;
  table: TableV2;
  /** Grants the item reads and writes of the store (the stack's explicit action lists). */
  grantTable: (fn: KairosFunction) => void;
  linkSecret: LinkSecret;
  /** The sending address; its domain must be a verified SES identity (or `sesIdentityDomain`, created here). */
  mailFrom: string;
  /** Where manage links in mails point. */
  publicBaseUrl: string;
  /** Creates this domain as an SES identity (Easy DKIM); publish the DKIM records the stack outputs. */
  sesIdentityDomain?: string;
  /** @default a name CloudFormation generates */
  configurationSetName?: string;
}

/**
 * Booking mails in the cloud: the sender on the table stream, the sweep every minute, and SES
 * with a configuration set whose bounces and complaints come back through SNS to the suppression
 * list. The outbox items in the table are the queue; these functions only drain it.
 */
export class Notifications extends Construct {
  readonly functions: ReadonlyMap<NotificationFunctionId, KairosFunction>;
  readonly configurationSet: ConfigurationSet;
  readonly configurationSetArn: string;
  /** The SES identity the From address belongs to: what ses:SendRawEmail is scoped to. */
  readonly sendingIdentityArn: string;
  readonly identity?: EmailIdentity;
  readonly sesEventsTopic: Topic;
  readonly sweepSchedule: Rule;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const mailDomain = props.mailFrom.slice(props.mailFrom.lastIndexOf('@') + 1).toLowerCase();
    const identityDomain = props.sesIdentityDomain?.toLowerCase();
    if (!props.mailFrom.includes('@') || mailDomain === '') throw new Error(`mailFrom must be an e-mail address, got "${props.mailFrom}"`);
    if (identityDomain && mailDomain !== identityDomain && !mailDomain.endsWith(`.${identityDomain}`)) {
      throw new Error(`mailFrom (${props.mailFrom}) is not in sesIdentityDomain (${identityDomain}): SES could not send from it`);
    }

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      ...(props.configurationSetName ? { configurationSetName: props.configurationSetName } : {}),
      reputationMetrics: true,
      // SES's account-level list as a second line behind ours (functions/app/suppressions.ts).
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const configurationSetName = this.configurationSet.configurationSetName;
    this.configurationSetArn = stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName });

    if (identityDomain) {
      // Verification is DNS: publish the three DKIM CNAME records output below; SES verifies the
      // domain once it sees them (docs/decisions.md). Mails sent without a configuration set
      // still get this one, so no bounce escapes the suppression list.
      this.identity = new EmailIdentity(this, 'Identity', { identity: Identity.domain(identityDomain), configurationSet: this.configurationSet });
      this.identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(stack, `DkimRecord${index + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `SES Easy DKIM for ${identityDomain}: publish this CNAME record to verify the sending domain`,
        });
      });
    }
    // Without sesIdentityDomain the domain of mailFrom must already be a verified identity.
    this.sendingIdentityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identityDomain ?? mailDomain });

    // SES publishes through SNS. The topic is encrypted (bounce and complaint events carry
    // recipients' addresses and mail headers) with a key of its own: SES cannot use the AWS
    // managed aws/sns key, whose policy nobody can extend.
    const topicKey = new Key(this, 'SesEventsKey', {
      description: 'Kairos: encrypts the SES bounce and complaint events topic',
      enableKeyRotation: true,
      // It protects messages in flight only (SNS delivers them to the function at once).
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // SNS encrypts a message with the publisher's permission on the key. No aws:SourceArn or
    // aws:SourceAccount condition here: SNS's documentation says they are not supported in key
    // policies for some service publishers, and a missing one would silently drop every bounce.
    // Who may publish is restricted by the topic policy instead (this account's configuration set).
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesPublishesEncryptedEvents',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    this.sesEventsTopic = new Topic(this, 'SesEvents', {
      displayName: 'Kairos SES bounces and complaints',
      enforceSSL: true,
      masterKey: topicKey,
    });
    // Adds the topic policy: sns:Publish for ses.amazonaws.com from this configuration set only.
    this.configurationSet.addEventDestination('Suppressions', {
      destination: EventDestination.snsTopic(this.sesEventsTopic),
      events: [...SUPPRESSING_EVENTS],
    });

    const tableLogicalId = stack.getLogicalId(props.table.node.defaultChild as CfnGlobalTable);
    const make = (functionId: NotificationFunctionId, description: string, options: { timeout?: Duration } = {}) => {
      const sends = MAIL_SENDING_FUNCTIONS.includes(functionId);
      const fn = new KairosFunction(this, `${functionId[0]!.toUpperCase()}${functionId.slice(1)}Function`, {
        projectRoot: props.projectRoot,
        entry: notificationEntries[functionId],
        description,
        ...options,
        environment: {
          TABLE_NAME: props.table.tableName,
          MAIL_FROM: props.mailFrom,
          ...(sends
            ? { PUBLIC_BASE_URL: props.publicBaseUrl, SES_CONFIGURATION_SET: configurationSetName, ...props.linkSecret.environment }
            : {}),
        },
      });
      props.grantTable(fn);
      if (sends) {
        props.linkSecret.grantRead(fn);
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: [...SES_SEND_ACTIONS], resources: [this.sendingIdentityArn, this.configurationSetArn] }),
        );
      }
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
        reason: 'The grant also covers "<table>/index/*" so the sweep can Query GSI2 (pending messages by due day); the wildcard spans this one table\'s indexes only.',
      });
      return fn;
    };

    const sender = make('sender', 'Table stream: sends the outbox messages that are due now', { timeout: Duration.seconds(30) });
    sender.function.addEventSource(
      new DynamoEventSource(props.table, {
        // Only new changes: anything older is still pending in the table, and the sweep finds it.
        startingPosition: StartingPosition.LATEST,
        // A batch is sent one message at a time (a lease, SES, a settle each, ~0.2 s): ten fit the timeout.
        batchSize: 10,
        bisectBatchOnError: true,
        // The handler answers { batchItemFailures }: a failed send retries from that record on.
        reportBatchItemFailures: true,
        // Bounded: a record that keeps failing is dropped from the stream, not the outbox — the
        // message stays pending in the table, and the sweep retries it with backoff.
        retryAttempts: 3,
        maxRecordAge: Duration.hours(1),
        filters: [FilterCriteria.filter(OUTBOX_STREAM_FILTER)],
      }),
    );
    // The event source grants the stream reads (ListStreams included) on this table's stream only.

    // Up to 500 messages, eight at a time: well within a minute. A sweep still running when the
    // next starts is harmless — each message is taken under a lease — so no reserved concurrency.
    const sweep = make('sweep', 'Every minute: sends reminders that came due, retries, and anything the stream missed', {
      timeout: Duration.seconds(60),
    });
    // A failed sweep is not retried: the next one, a minute later, does the same work.
    sweep.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    this.sweepSchedule = new Rule(this, 'SweepSchedule', {
      description: 'Kairos: run the outbox sweep',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaTarget(sweep.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });

    const sesNotifications = make('sesNotifications', 'SES bounces and complaints (via SNS): suppress the address');
    this.sesEventsTopic.addSubscription(new LambdaSubscription(sesNotifications.function));

    this.functions = new Map([
      ['sender', sender],
      ['sweep', sweep],
      ['sesNotifications', sesNotifications],
    ]);
  }

  functionFor(functionId: NotificationFunctionId): KairosFunction {
    return this.functions.get(functionId)!;
  }
}
