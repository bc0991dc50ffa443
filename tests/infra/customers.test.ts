import type { DynamoDBRecord } from 'aws-lambda';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { bookingChangeOf } from '#functions/app/projector';
import { customerEntries } from '#infra/cdk/customers';
import type { KairosFunction } from '#infra/cdk/kairos-function';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '#infra/cdk/kairos-stack';
import { notificationEntries, type NotificationFunctionId } from '#infra/cdk/notifications';
import { actionsOf, logicalId, statementsOfRole, synthTemplate, type CfnResource, type PolicyStatement } from './synth.ts';

/**
 * Customer profiles in the cloud: the projector on the table stream — which records start it, in
 * what order and with what retries — and what it may do (the table, its stream, nothing else).
 */

const { stack, template } = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const projector = stack.customers.functionFor('projector');
const functionId = (fn: KairosFunction) => logicalId(fn.function.node.defaultChild!);
const roleId = (fn: KairosFunction) => logicalId(fn.role.node.defaultChild!);
const tableId = logicalId(stack.table.node.defaultChild!);
const environmentOf = (fn: KairosFunction) =>
  (resources[functionId(fn)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
const statementsWith = (fn: KairosFunction, action: RegExp): PolicyStatement[] =>
  statementsOfRole(template, roleId(fn)).filter((statement) => actionsOf([statement]).some((a) => action.test(a)));

describe('the projector function', () => {
  it('is the stream handler of functions/streams/projector.ts', () => {
    expect(customerEntries).toEqual({ projector: 'functions/streams/projector.ts', journeys: 'functions/schedule/journeys.ts' });
    expect(projector.entry.endsWith(customerEntries.projector)).toBe(true);
  });

  it('is told the table and nothing secret: no link secret, no mail settings, no user pool', () => {
    const variables = environmentOf(projector);
    expect(variables.TABLE_NAME).toEqual({ Ref: tableId });
    for (const name of ['LINK_SECRET', 'LINK_SECRET_ARN', 'SES_CONFIGURATION_SET', 'MAIL_FROM', 'PUBLIC_BASE_URL', 'USER_POOL_ID']) {
      expect(variables, name).not.toHaveProperty(name);
    }
  });
});

describe('the projector on the table stream', () => {
  const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
    ([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: functionId(projector) }),
  );

  it('has exactly one event source: the table stream', () => {
    expect(mappings).toHaveLength(1);
    expect(mappings[0]![1].Properties?.EventSourceArn).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
  });

  const properties = mappings[0]?.[1].Properties ?? {};
  const filters = (properties.FilterCriteria as { Filters: Array<{ Pattern: string }> } | undefined)?.Filters ?? [];
  const pattern = JSON.parse(filters[0]?.Pattern ?? '{}') as Record<string, unknown>;

  it('reads from the oldest record the stream holds, in small batches, with partial batch failures', () => {
    expect(properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(properties.BatchSize).toBeLessThanOrEqual(10);
  });

  it('projects one batch per shard at a time, so one customer\'s changes are applied in stream order', () => {
    expect(properties.ParallelizationFactor).toBe(1);
  });

  it('retries a failing record a bounded number of times, and skips nothing the stream still holds', () => {
    const retries = properties.MaximumRetryAttempts as number;
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(retries).toBeLessThanOrEqual(10);
    const maxAge = properties.MaximumRecordAgeInSeconds as number;
    expect(maxAge).toBeGreaterThan(0);
    // DynamoDB Streams keep records for 24 hours: a shorter age would drop records on catch-up.
    expect(maxAge).toBe(24 * 60 * 60);
  });

  it('is invoked only for bookings inserted or modified, never for a REMOVE (TTL deletions)', () => {
    expect(filters).toHaveLength(1);
    expect(pattern).toEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { type: { S: ['booking'] } } },
    });
  });

  /** Lambda's event filtering for the exact-match patterns used here: every key's value must be listed. */
  const passes = (filter: unknown, value: unknown): boolean =>
    Array.isArray(filter)
      ? filter.includes(value)
      : Object.entries(filter as Record<string, unknown>).every(([key, inner]) =>
          value !== null && typeof value === 'object' ? passes(inner, (value as Record<string, unknown>)[key]) : false,
        );
  const image = (item: Record<string, string>) => Object.fromEntries(Object.entries(item).map(([key, value]) => [key, { S: value }]));
  const record = (eventName: 'INSERT' | 'MODIFY', item: Record<string, string>, old?: Record<string, string>): DynamoDBRecord => ({
    eventName,
    dynamodb: { SequenceNumber: '1', NewImage: image(item), ...(old ? { OldImage: image(old) } : {}) },
  });
  const booking = { PK: 'BK#b1', SK: 'BOOKING', type: 'booking', id: 'b1', tenantId: 'acme', status: 'confirmed', updatedAt: '2026-01-01T00:00:00Z' };
  const customerPk = 'T#acme#CUS#c1';
  const records: Array<[string, DynamoDBRecord]> = [
    ['a new booking', record('INSERT', booking)],
    ['a booking cancelled', record('MODIFY', { ...booking, status: 'cancelled' }, booking)],
    ['a booking attended', record('MODIFY', { ...booking, status: 'attended' }, booking)],
    [
      'a booking deleted by TTL',
      { eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }, dynamodb: { SequenceNumber: '1', Keys: image({ PK: 'BK#b1', SK: 'BOOKING' }), OldImage: image(booking) } },
    ],
    ['its history entry', record('INSERT', { PK: 'BK#b1', SK: 'HIST#2026-01-01T00:00:00Z', type: 'bookingHistory' })],
    ['a day sheet', record('MODIFY', { PK: 'T#acme#PRV#ana', SK: 'DAY#2026-01-01' })],
    ['an outbox message', record('INSERT', { PK: 'MSG#m1', SK: 'MSG', type: 'message', status: 'pending' })],
    // The projector's own writes: were they let through, every projection would start another.
    ['a customer profile it wrote', record('MODIFY', { PK: customerPk, SK: 'PROFILE', type: 'customerProfile' })],
    ['a timeline event it wrote', record('INSERT', { PK: customerPk, SK: 'EV#2026-01-01T09:00:00Z#b1-1', type: 'customerEvent', eventType: 'booked' })],
    ['an identity it claimed', record('INSERT', { PK: 'T#acme#ID#email#ana@example.com', SK: 'ID', type: 'customerIdentity' })],
  ];

  it.each(records)('lets through %s exactly when the handler would project it', (_name, streamRecord) => {
    expect(passes(pattern, streamRecord)).toBe(bookingChangeOf(streamRecord) !== undefined);
  });

  it('the filter cases include records it drops and records it passes', () => {
    const outcomes = records.map(([, streamRecord]) => passes(pattern, streamRecord));
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });
});

describe('what the projector may do', () => {
  it('reads and writes items with the store\'s explicit action lists, on the table only (it queries no index)', () => {
    const statements = statementsWith(projector, /^dynamodb:(GetItem|BatchGetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchWriteItem|Transact\w+|ConditionCheckItem|\*)$/);
    expect(statements).toHaveLength(1);
    const actions = actionsOf(statements);
    expect([...actions].sort()).toEqual([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS].sort());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(statements[0]!.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
  });

  it('may neither scan nor batch-write, nor use any wildcard DynamoDB action', () => {
    const actions = actionsOf(statementsOfRole(template, roleId(projector)));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    expect(actions.filter((action) => action.startsWith('dynamodb:') && action.includes('*'))).toEqual([]);
  });

  it('reads this table\'s stream, and only it', () => {
    const stream = statementsWith(projector, /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$/);
    expect(stream).toHaveLength(1);
    expect(stream[0]!.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
  });

  it('may not send mail, read secrets or manage staff accounts', () => {
    const actions = actionsOf(statementsOfRole(template, roleId(projector)));
    expect(actions.filter((action) => /^(ses|sesv2|secretsmanager|cognito-idp|kms):/i.test(action))).toEqual([]);
  });

  it('shares the stream with the sender and the waitlist\'s offers alone among the functions', () => {
    const readers = ofType('AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) => actionsOf(statementsOfRole(template, id)).includes('dynamodb:GetRecords'));
    const sender = stack.notifications.functionFor('sender' satisfies NotificationFunctionId);
    expect(Object.keys(notificationEntries)).toContain('sender');
    expect(readers.sort()).toEqual([roleId(sender), roleId(projector), roleId(stack.waitlist.functionFor('offers'))].sort());
  });
});

/** cdk-nag's findings and acknowledgements (see tests/infra/nag.test.ts for the whole stack). */
const findingsOf = (scope: IConstruct) =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName}: ${resource.constructPath}`));
const acknowledgedIn = (scope: IConstruct) =>
  scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>).map((id) => id.replace(/^annotation::/i, ''))),
  );

describe('the projector failure destination', () => {
  it('sends batches whose retries are spent to an encrypted, TLS-only queue kept 14 days', () => {
    const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: functionId(projector) }))!;
    const queueId = logicalId(stack.customers.projectorFailures.node.defaultChild!);
    expect(mapping[1].Properties?.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    expect(resources[queueId]?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(JSON.stringify(ofType('AWS::SQS::QueuePolicy'))).toContain('aws:SecureTransport');
  });
});

describe('the journey runner', () => {
  const runner = stack.customers.functionFor('journeys');
  const rules = ofType('AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes(functionId(runner)));

  it('runs every minute from its own rule, without retries (the next minute does the same work)', () => {
    expect(runner.entry.endsWith(customerEntries.journeys)).toBe(true);
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    expect(rules[0]![1].Properties?.Targets).toEqual([expect.objectContaining({ RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 0 }) })]);
  });

  it('is told the table and the sender address, and nothing secret: it queues mail, the sender makes the links', () => {
    const variables = environmentOf(runner);
    expect(variables.TABLE_NAME).toEqual({ Ref: tableId });
    expect(variables.MAIL_FROM).toEqual(expect.any(String));
    for (const name of ['LINK_SECRET', 'LINK_SECRET_ARN', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'USER_POOL_ID']) {
      expect(variables, name).not.toHaveProperty(name);
    }
  });

  it('may use the table and its GSI2 (due runs) only: no SES, no secrets', () => {
    const statements = statementsOfRole(template, roleId(runner));
    expect(actionsOf(statements).filter((action) => /^(ses|secretsmanager|sns|cognito-idp):/.test(action))).toEqual([]);
    const tableStatements = statementsWith(runner, /^dynamodb:/);
    expect(tableStatements.flatMap((statement) => [statement.Resource].flat())).toEqual([
      { 'Fn::GetAtt': [tableId, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/GSI2']] },
    ]);
  });
});

describe('cdk-nag on the customer resources', () => {
  it('finds nothing unacknowledged, errors or warnings', () => {
    expect(findingsOf(stack).filter((finding) => finding.includes(`${stack.customers.node.path}/`))).toEqual([]);
  });

  it('acknowledges on the projector and the runner only what every function has (X-Ray\'s "*", the pinned runtime), and that the failure queue has no queue behind it', () => {
    expect(acknowledgedIn(stack.customers.functionFor('projector')).sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1']);
    expect(acknowledgedIn(stack.customers.functionFor('journeys')).sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1']);
    expect(acknowledgedIn(stack.customers.projectorFailures)).toEqual(['AwsSolutions-SQS3']);
    expect(acknowledgedIn(stack.customers)).toHaveLength(5);
  });
});
