import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { freedSpanOf } from '#functions/app/waitlist';
import type { KairosFunction } from '#infra/cdk/kairos-function';
import { LINK_SECRET_ROUTES, routeTableAccess, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '#infra/cdk/kairos-stack';
import { waitlistEntries } from '#infra/cdk/waitlist';
import { actionsOf, logicalId, statementsOfRole, synthTemplate, type CfnResource, type PolicyStatement } from './synth.ts';

/**
 * The waitlist in the cloud: its stream consumer (which records start it, from where, with what
 * retries, and what it may do) and the routes' table access and link secret.
 */

const { stack, template } = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const offers = stack.waitlist.functionFor('offers');
const functionId = (fn: KairosFunction) => logicalId(fn.function.node.defaultChild!);
const roleId = (fn: KairosFunction) => logicalId(fn.role.node.defaultChild!);
const tableId = logicalId(stack.table.node.defaultChild!);
const environmentOf = (fn: KairosFunction) => (resources[functionId(fn)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
const statementsWith = (fn: KairosFunction, action: RegExp): PolicyStatement[] =>
  statementsOfRole(template, roleId(fn)).filter((statement) => actionsOf([statement]).some((a) => action.test(a)));

describe('the offers function', () => {
  it('is the stream handler of functions/streams/waitlist.ts', () => {
    expect(waitlistEntries).toEqual({ offers: 'functions/streams/waitlist.ts' });
    expect(offers.entry.endsWith(waitlistEntries.offers)).toBe(true);
  });

  it('is told the table and the sender address, nothing secret: the sender makes the offer links', () => {
    const variables = environmentOf(offers);
    expect(variables.TABLE_NAME).toEqual({ Ref: tableId });
    expect(variables.MAIL_FROM).toEqual(expect.any(String));
    for (const name of ['LINK_SECRET', 'LINK_SECRET_ARN', 'SES_CONFIGURATION_SET', 'PUBLIC_BASE_URL', 'USER_POOL_ID']) expect(variables, name).not.toHaveProperty(name);
  });
});

describe('the offers function on the table stream', () => {
  const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: functionId(offers) }));
  const properties = mappings[0]?.[1].Properties ?? {};
  const patterns = ((properties.FilterCriteria as { Filters: Array<{ Pattern: string }> } | undefined)?.Filters ?? []).map((f) => JSON.parse(f.Pattern) as Record<string, unknown>);

  it('has exactly one event source, the table stream, read from the oldest record it holds, with partial batch failures', () => {
    expect(mappings).toHaveLength(1);
    expect(properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
    expect(properties).toMatchObject({ StartingPosition: 'TRIM_HORIZON', BisectBatchOnFunctionError: true, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(properties.BatchSize).toBeLessThanOrEqual(10);
  });

  it('gives up on a failing record after a few tries, and skips nothing the stream still holds', () => {
    expect(properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
    expect(properties.MaximumRetryAttempts).toBeLessThanOrEqual(5);
    expect(properties.MaximumRecordAgeInSeconds).toBe(24 * 60 * 60);
  });

  it('is invoked for bookings modified while confirmed and for removed blocks', () => {
    expect(patterns).toEqual([
      { eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['booking'] } }, OldImage: { status: { S: ['confirmed'] } } } },
      { eventName: ['REMOVE'], dynamodb: { OldImage: { type: { S: ['block'] } } } },
    ]);
  });

  /** Lambda's event filtering for these exact-match patterns; a record passes if any pattern matches. */
  const matches = (filter: unknown, value: unknown): boolean =>
    Array.isArray(filter)
      ? filter.includes(value)
      : Object.entries(filter as Record<string, unknown>).every(([key, inner]) => (value !== null && typeof value === 'object' ? matches(inner, (value as Record<string, unknown>)[key]) : false));
  const passes = (record: DynamoDBRecord) => patterns.some((pattern) => matches(pattern, record));
  const image = (item: Record<string, unknown>) => marshall(item) as never;
  const booking = {
    PK: 'BK#bk_1',
    SK: 'BOOKING',
    type: 'booking',
    id: 'bk_1',
    tenantId: 'acme',
    providerId: 'p1',
    start: '2026-11-25T09:00:00Z',
    claimFrom: '2026-11-25T09:00:00Z',
    claimTo: '2026-11-25T09:30:00Z',
    status: 'confirmed',
    version: 1,
  };
  const block = { PK: 'T#acme#PRV#p1', SK: 'BLOCK#bl_1', type: 'block', id: 'bl_1', tenantId: 'acme', providerId: 'p1', start: '2026-11-25T09:00:00Z', end: '2026-11-25T11:00:00Z' };
  const record = (eventName: DynamoDBRecord['eventName'], images: { old?: Record<string, unknown>; now?: Record<string, unknown> }): DynamoDBRecord => ({
    eventName,
    dynamodb: { SequenceNumber: '1', ...(images.old ? { OldImage: image(images.old) } : {}), ...(images.now ? { NewImage: image(images.now) } : {}) },
  });
  const records: Array<[string, DynamoDBRecord]> = [
    ['a booking cancelled', record('MODIFY', { old: booking, now: { ...booking, status: 'cancelled', version: 2 } })],
    ['a booking moved', record('MODIFY', { old: booking, now: { ...booking, start: '2026-11-25T10:00:00Z', version: 2 } })],
    ['a block removed', record('REMOVE', { old: block })],
    ['a new booking', record('INSERT', { now: booking })],
    ['a new block', record('INSERT', { now: block })],
    ['a cancelled booking anonymised by an erasure', record('MODIFY', { old: { ...booking, status: 'cancelled' }, now: { ...booking, status: 'cancelled', customer: { name: 'Erased customer' } } })],
    ['a booking deleted by TTL', record('REMOVE', { old: booking })],
    ['a day sheet released', record('MODIFY', { old: { PK: 'T#acme#PRV#p1', SK: 'DAY#2026-11-25' }, now: { PK: 'T#acme#PRV#p1', SK: 'DAY#2026-11-25' } })],
    ['an offer mail queued', record('INSERT', { now: { PK: 'MSG#wl_1.offer.bk_1.v2', SK: 'MSG', type: 'message', status: 'pending' } })],
    ['a waitlist entry that expired', record('REMOVE', { old: { PK: 'WL#wl_1', SK: 'ENTRY', type: 'waitlistEntry' } })],
  ];

  it.each(records)('passes %s whenever the handler would act on it', (_name, streamRecord) => {
    if (freedSpanOf(streamRecord) !== undefined) expect(passes(streamRecord)).toBe(true);
  });

  it('the cases include the records the handler acts on', () => {
    expect(records.filter(([, r]) => freedSpanOf(r) !== undefined).map(([name]) => name)).toEqual(['a booking cancelled', 'a booking moved', 'a block removed']);
  });

  it('drops the writes that cannot free time, its own included, so they never start it', () => {
    const dropped = records.filter(([, r]) => !passes(r)).map(([name]) => name);
    expect(dropped).toEqual([
      'a new booking',
      'a new block',
      'a cancelled booking anonymised by an erasure',
      'a booking deleted by TTL',
      'a day sheet released',
      'an offer mail queued',
      'a waitlist entry that expired',
    ]);
  });
});

describe('what the offers function may do', () => {
  it('reads and writes items with the store\'s explicit action lists, on the table and its GSI1 only', () => {
    const statements = statementsWith(offers, /^dynamodb:(GetItem|BatchGetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchWriteItem|ConditionCheckItem|\*)$/);
    expect(statements).toHaveLength(1);
    expect([...actionsOf(statements)].sort()).toEqual([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS].sort());
    expect(statements[0]!.Resource).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/GSI1']] }]);
  });

  it('reads this table\'s stream, and only it', () => {
    const stream = statementsWith(offers, /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$/);
    expect(stream).toHaveLength(1);
    expect(stream[0]!.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
  });

  it('may not send mail, read secrets or manage staff accounts', () => {
    const actions = actionsOf(statementsOfRole(template, roleId(offers)));
    expect(actions.filter((action) => /^(ses|sesv2|secretsmanager|cognito-idp|kms):/i.test(action))).toEqual([]);
    expect(actions).not.toContain('dynamodb:Scan');
  });
});

describe('the waitlist routes', () => {
  it('hold the link secret where they derive or verify tokens: joining, claiming, reception\'s booking — not leaving or listing', () => {
    expect(LINK_SECRET_ROUTES).toEqual(expect.arrayContaining(['joinWaitlist', 'claimWaitlistOffer', 'bookFromWaitlist']));
    expect(LINK_SECRET_ROUTES).not.toContain('leaveWaitlist');
    expect(LINK_SECRET_ROUTES).not.toContain('listWaitlist');
    for (const id of ['joinWaitlist', 'claimWaitlistOffer', 'bookFromWaitlist'] as const) expect(environmentOf(stack.functionFor(id)).LINK_SECRET_ARN).toEqual(expect.anything());
    expect(environmentOf(stack.functionFor('leaveWaitlist'))).not.toHaveProperty('LINK_SECRET_ARN');
  });

  it('write the table except reception\'s list, which only reads', () => {
    expect(routeTableAccess).toMatchObject({ joinWaitlist: 'readWrite', leaveWaitlist: 'readWrite', claimWaitlistOffer: 'readWrite', bookFromWaitlist: 'readWrite', listWaitlist: 'read' });
    const listActions = actionsOf(statementsWith(stack.functionFor('listWaitlist'), /^dynamodb:/));
    expect(listActions.filter((action) => /PutItem|UpdateItem|DeleteItem/.test(action))).toEqual([]);
  });
});

/** cdk-nag's findings and acknowledgements (tests/infra/nag.test.ts runs it over the whole stack). */
const findingsOf = (scope: IConstruct) =>
  new AwsSolutionsChecks().validateScope(scope).violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName}: ${resource.constructPath}`));
const acknowledgedIn = (scope: IConstruct) =>
  scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>).map((id) => id.replace(/^annotation::/i, ''))),
  );

describe('cdk-nag on the waitlist resources', () => {
  it('finds nothing unacknowledged, and only what every function has is acknowledged (X-Ray\'s "*", the pinned runtime)', () => {
    expect(findingsOf(stack).filter((finding) => finding.includes(`${stack.waitlist.node.path}/`))).toEqual([]);
    expect(acknowledgedIn(stack.waitlist).sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1']);
  });
});
