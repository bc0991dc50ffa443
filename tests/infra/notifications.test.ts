import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routeList, type RouteId } from '#shared/api/routes';
import { LINK_SECRET_ACTIONS } from '#functions/adapters/link-secret';
import { LOCAL_LINK_SECRET } from '#functions/adapters/links';
import { dueMessagesInStream } from '#functions/app/outbox';
import { DEFAULT_MAIL_FROM, LINK_SECRET_ROUTES, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '#infra/cdk/kairos-stack';
import type { KairosFunction } from '#infra/cdk/kairos-function';
import { MAIL_SENDING_FUNCTIONS, notificationEntries, SES_SEND_ACTIONS, type NotificationFunctionId } from '#infra/cdk/notifications';
import { actionsOf, logicalId, statementsOfRole, synthTemplate, type CfnResource, type PolicyStatement } from './synth.ts';

/**
 * Booking mails in the cloud: the sender on the table stream, the sweep every minute, SES with its
 * configuration set and the bounce/complaint path back through SNS, and the link secret — who holds
 * it, who may send mail, and that neither reaches anyone else.
 */

const { stack, template } = synthTemplate();
const json = template.toJSON() as { Resources: Record<string, CfnResource>; Outputs: Record<string, { Value: unknown }> };
const resources = json.Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, CfnResource] => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

const notificationIds = Object.keys(notificationEntries) as NotificationFunctionId[];
const notification = (id: NotificationFunctionId): KairosFunction => stack.notifications.functionFor(id);
const functionId = (fn: KairosFunction) => logicalId(fn.function.node.defaultChild!);
const roleId = (fn: KairosFunction) => logicalId(fn.role.node.defaultChild!);
const environmentOf = (fn: KairosFunction) =>
  (resources[functionId(fn)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
const statementsWith = (fn: KairosFunction, prefix: RegExp): PolicyStatement[] =>
  statementsOfRole(template, roleId(fn)).filter((statement) => actionsOf([statement]).some((action) => prefix.test(action)));

/** Every function of the stack, named: the routes by route id, the notification functions by theirs. */
const everyFunction: Array<[string, KairosFunction]> = [
  ...routeList.map((route) => [route.id, stack.functionFor(route.id)] as [string, KairosFunction]),
  ...notificationIds.map((id) => [id, notification(id)] as [string, KairosFunction]),
];

const tableId = logicalId(stack.table.node.defaultChild!);
const [topicId, topic] = only('AWS::SNS::Topic');
const [configurationSetId] = only('AWS::SES::ConfigurationSet');
const [secretId, secret] = only('AWS::SecretsManager::Secret');

/** `arn:${Partition}:ses:${Region}:${AccountId}:<resource>` as CloudFormation writes it. */
const sesArn = (...resource: unknown[]) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ...resource]],
});
const configurationSetArn = sesArn(':configuration-set/', { Ref: configurationSetId });

describe('the outbox sweep', () => {
  // The journey runner has a rule of its own (tests/infra/customers.test.ts): this is the sweep's.
  const rules = ofType('AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes(functionId(notification('sweep'))));
  expect(rules).toHaveLength(1);
  const [ruleId, rule] = rules[0]!;

  it('runs every minute, on the sweep function and nothing else', () => {
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    expect(rule.Properties?.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [functionId(notification('sweep')), 'Arn'] } }),
    ]);
  });

  it('may be invoked by that rule', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties?.Principal === 'events.amazonaws.com' && JSON.stringify(p.Properties?.FunctionName).includes(functionId(notification('sweep'))),
    );
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      expect.objectContaining({
        FunctionName: { 'Fn::GetAtt': [functionId(notification('sweep')), 'Arn'] },
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      }),
    ]);
  });

  it('is not retried when it fails: the next sweep, a minute later, does the same work', () => {
    expect(rule.Properties?.Targets).toEqual([expect.objectContaining({ RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 0 }) })]);
    const [, invokeConfig] = only('AWS::Lambda::EventInvokeConfig');
    expect(invokeConfig.Properties).toMatchObject({ FunctionName: { Ref: functionId(notification('sweep')) }, MaximumRetryAttempts: 0 });
  });
});

describe('the sender on the table stream', () => {
  // The customer projector reads the stream too (tests/infra/customers.test.ts): this one is the sender's.
  const senders = ofType('AWS::Lambda::EventSourceMapping').filter(
    ([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: functionId(notification('sender')) }),
  );
  expect(senders).toHaveLength(1);
  const [, mapping] = senders[0]!;
  const pattern = JSON.parse((mapping.Properties?.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters[0]!.Pattern) as Record<string, unknown>;

  it('reads the table stream from its tip, in small batches, with partial batch failures', () => {
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      FunctionName: { Ref: functionId(notification('sender')) },
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mapping.Properties?.BatchSize).toBeLessThanOrEqual(10);
  });

  it('retries a failing record a bounded number of times (the sweep takes over from there)', () => {
    const retries = mapping.Properties?.MaximumRetryAttempts as number;
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(retries).toBeLessThanOrEqual(10);
    expect(mapping.Properties?.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
  });

  it('is invoked only for outbox messages waiting to be sent (inserted or modified)', () => {
    expect((mapping.Properties?.FilterCriteria as { Filters: unknown[] }).Filters).toHaveLength(1);
    expect(pattern).toEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { type: { S: ['message'] }, status: { S: ['pending'] } } },
    });
  });

  /** Lambda's event filtering for the exact-match patterns used here: every key's value must be listed. */
  const passes = (filter: unknown, value: unknown): boolean =>
    Array.isArray(filter)
      ? filter.includes(value)
      : Object.entries(filter as Record<string, unknown>).every(([key, inner]) =>
          value !== null && typeof value === 'object' ? passes(inner, (value as Record<string, unknown>)[key]) : false,
        );
  const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', image: Record<string, string>): DynamoDBRecord => ({
    eventName,
    dynamodb: {
      SequenceNumber: '1',
      NewImage: Object.fromEntries(Object.entries(image).map(([key, value]) => [key, { S: value }])),
    },
  });
  const due = { PK: 'MSG#m1', SK: 'MSG', type: 'message', id: 'm1', status: 'pending', nextAttemptAt: '2026-01-01T00:00:00Z' };
  const records: Array<[string, DynamoDBRecord]> = [
    ['a new pending message', record('INSERT', due)],
    ['a message back to pending for a retry', record('MODIFY', due)],
    ['a message taken under a lease', record('MODIFY', { ...due, status: 'sending' })],
    ['a message settled as sent', record('MODIFY', { ...due, status: 'sent' })],
    ['a deleted message', { eventName: 'REMOVE', dynamodb: { SequenceNumber: '1', Keys: { PK: { S: 'MSG#m1' } } } }],
    ['a booking', record('INSERT', { PK: 'T#acme#PRV#ana', SK: 'BK#2026-01-01T09:00Z#b1', type: 'booking', status: 'confirmed' })],
    ['a day sheet', record('MODIFY', { PK: 'T#acme#PRV#ana', SK: 'DAY#2026-01-01' })],
  ];

  it.each(records)('lets through %s exactly when the handler would send it', (_name, streamRecord) => {
    const wouldSend = dueMessagesInStream({ Records: [streamRecord] }, Date.parse('2026-06-01T00:00:00Z')).length > 0;
    expect(passes(pattern, streamRecord)).toBe(wouldSend);
  });

  it('the filter cases include records it drops and records it passes', () => {
    const outcomes = records.map(([, streamRecord]) => passes(pattern, streamRecord));
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });

  it('alone of the routes and notification functions may read the stream, and only this table\'s', () => {
    for (const [name, fn] of everyFunction) {
      const streamStatements = statementsWith(fn, /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$/);
      if (name !== 'sender') {
        expect(streamStatements, name).toEqual([]);
        continue;
      }
      expect(streamStatements).toHaveLength(1);
      expect(streamStatements[0]!.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
    }
  });
});

describe('table access of the notification functions', () => {
  it.each(notificationIds.map((id) => [id]))('%s gets TABLE_NAME and the store\'s explicit reads and writes on this table and its indexes, no Scan', (id) => {
    expect(environmentOf(notification(id)).TABLE_NAME).toEqual({ Ref: tableId });
    const statements = statementsWith(notification(id), /^dynamodb:(GetItem|PutItem|Query|UpdateItem|DeleteItem|Scan|\*)/);
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements).sort()).toEqual([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS].sort());
    expect(statements[0]!.Resource).toEqual([
      { 'Fn::GetAtt': [tableId, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] },
    ]);
  });
});

describe('SES', () => {
  it('sends with a configuration set whose bounces and complaints go to the SNS topic', () => {
    const [, destination] = only('AWS::SES::ConfigurationSetEventDestination');
    expect(destination.Properties).toMatchObject({
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: { Enabled: true, SnsDestination: { TopicARN: { Ref: topicId } } },
    });
    const events = (destination.Properties?.EventDestination as { MatchingEventTypes: string[] }).MatchingEventTypes;
    expect([...events].sort()).toEqual(['bounce', 'complaint']);
  });

  it('outputs the configuration set', () => {
    expect(json.Outputs.SesConfigurationSet?.Value).toEqual({ Ref: configurationSetId });
  });

  it('publishes to a topic encrypted with its own rotated key, which SES may use', () => {
    const [keyId, key] = only('AWS::KMS::Key');
    expect(topic.Properties?.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    const statements = (key.Properties?.KeyPolicy as { Statement: Array<PolicyStatement & { Principal: unknown }> }).Statement;
    const forSes = statements.filter((statement) => JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'ses.amazonaws.com' }));
    expect(forSes).toHaveLength(1);
    expect(actionsOf(forSes).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('lets only this configuration set publish to the topic, and only over TLS', () => {
    const [, policy] = only('AWS::SNS::TopicPolicy');
    const statements = (policy.Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'ses.amazonaws.com' },
          Condition: { StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' }, 'AWS:SourceArn': configurationSetArn } },
        }),
      ]),
    );
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toHaveLength(1);
  });

  it('delivers the topic to the bounce/complaint function, which SNS may invoke', () => {
    const [, subscription] = only('AWS::SNS::Subscription');
    const target = functionId(notification('sesNotifications'));
    expect(subscription.Properties).toEqual({ Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [target, 'Arn'] } });
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal === 'sns.amazonaws.com');
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      expect.objectContaining({ FunctionName: { 'Fn::GetAtt': [target, 'Arn'] }, SourceArn: { Ref: topicId } }),
    ]);
  });
});

describe('who may send mail', () => {
  const sesStatements = (fn: KairosFunction) => statementsWith(fn, /^ses:/i);

  it.each(MAIL_SENDING_FUNCTIONS.map((id) => [id]))('%s may SendRawEmail from the sending identity with the configuration set, nothing else', (id) => {
    const statements = sesStatements(notification(id));
    expect(actionsOf(statements)).toEqual([...SES_SEND_ACTIONS]);
    expect(statements).toHaveLength(1);
    const targets = statements[0]!.Resource as unknown[];
    expect(targets).toHaveLength(2);
    expect(targets).toEqual(expect.arrayContaining([configurationSetArn, sesArn(`:identity/${DEFAULT_MAIL_FROM.split('@')[1]}`)]));
    expect(JSON.stringify(targets)).not.toContain('*');
  });

  it.each(MAIL_SENDING_FUNCTIONS.map((id) => [id]))('%s is told the configuration set, the sender address and where links point', (id) => {
    expect(environmentOf(notification(id))).toMatchObject({
      SES_CONFIGURATION_SET: { Ref: configurationSetId },
      MAIL_FROM: DEFAULT_MAIL_FROM,
      PUBLIC_BASE_URL: expect.anything(),
    });
  });

  const nonSenders = everyFunction.filter(([name]) => !(MAIL_SENDING_FUNCTIONS as readonly string[]).includes(name));
  it.each(nonSenders.map(([name, fn]) => [name, fn] as const))('%s may not send mail, and has no configuration set', (_name, fn) => {
    expect(sesStatements(fn)).toEqual([]);
    expect(environmentOf(fn)).not.toHaveProperty('SES_CONFIGURATION_SET');
  });

  it('no role anywhere in the stack holds an SES permission except the senders\'', () => {
    const allowed = new Set(MAIL_SENDING_FUNCTIONS.map((id) => roleId(notification(id))));
    for (const [id] of ofType('AWS::IAM::Role')) {
      if (allowed.has(id)) continue;
      expect(actionsOf(statementsOfRole(template, id)).filter((action) => /^ses:/i.test(action)), id).toEqual([]);
    }
  });

  it.each(everyFunction.filter(([name]) => name !== 'getOpenApi').map(([name, fn]) => [name, fn] as const))(
    '%s, which may change bookings or mails, knows the sender address',
    (_name, fn) => {
      expect(environmentOf(fn).MAIL_FROM).toBe(DEFAULT_MAIL_FROM);
    },
  );
});

describe('a stack with its own sending domain', () => {
  const { stack: own, template: ownTemplate } = synthTemplate({
    props: { mailFrom: 'bookings@mail.example.org', sesIdentityDomain: 'mail.example.org', sesConfigurationSetName: 'kairos-mail' },
  });
  const ownResources = ownTemplate.toJSON().Resources as Record<string, CfnResource>;

  it('creates the domain identity with Easy DKIM and the configuration set as its default', () => {
    const identities = Object.values(ownResources).filter((r) => r.Type === 'AWS::SES::EmailIdentity');
    expect(identities).toHaveLength(1);
    expect(identities[0]!.Properties).toMatchObject({
      EmailIdentity: 'mail.example.org',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: logicalId(own.notifications.configurationSet.node.defaultChild!) } },
    });
    ownTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'kairos-mail' });
  });

  it('outputs the three DKIM records to publish', () => {
    const outputs = Object.keys(ownTemplate.toJSON().Outputs as Record<string, unknown>).filter((name) => name.startsWith('DkimRecord'));
    expect(outputs.sort()).toEqual(['DkimRecord1', 'DkimRecord2', 'DkimRecord3']);
  });

  it('scopes sending to that identity', () => {
    const sender = own.notifications.functionFor('sender');
    const statements = statementsOfRole(ownTemplate, logicalId(sender.role.node.defaultChild!)).filter((s) => actionsOf([s]).includes('ses:SendRawEmail'));
    expect(statements[0]!.Resource).toEqual(expect.arrayContaining([sesArn(':identity/mail.example.org')]));
  });

  it('refuses a sender address outside the identity domain at synth', () => {
    expect(() => synthTemplate({ props: { mailFrom: 'bookings@example.com', sesIdentityDomain: 'mail.example.org' } })).toThrow(/sesIdentityDomain/);
  });

  it('creates no identity when none is asked for', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });
});

describe('the link secret', () => {
  const holders = new Map<string, KairosFunction>([
    ...LINK_SECRET_ROUTES.map((id) => [id, stack.functionFor(id)] as [string, KairosFunction]),
    ...MAIL_SENDING_FUNCTIONS.map((id) => [id, notification(id)] as [string, KairosFunction]),
  ]);

  it('is generated by Secrets Manager at deploy time, never written into the template', () => {
    expect(secret.Properties?.GenerateSecretString).toMatchObject({ PasswordLength: expect.any(Number) });
    expect((secret.Properties?.GenerateSecretString as { PasswordLength: number }).PasswordLength).toBeGreaterThanOrEqual(32);
    expect(secret.Properties).not.toHaveProperty('SecretString');
    expect(JSON.stringify(json)).not.toContain(LOCAL_LINK_SECRET);
  });

  it('outlives the stack, like the bookings whose links depend on it', () => {
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('the routes that hold it are the ones that create bookings, read preferences tokens, sign and open data-export links, or make and check waitlist tokens', () => {
    expect([...LINK_SECRET_ROUTES].sort()).toEqual(
      ['bookFromWaitlist', 'claimWaitlistOffer', 'createBooking', 'createStaffBooking', 'getDataExport', 'getPreferences', 'joinWaitlist', 'requestDataExport', 'unsubscribe', 'updatePreferences'] satisfies RouteId[],
    );
  });

  it.each(everyFunction.map(([name, fn]) => [name, fn] as const))('%s has no plain-text LINK_SECRET', (_name, fn) => {
    expect(environmentOf(fn)).not.toHaveProperty('LINK_SECRET');
  });

  it.each([...holders].map(([name, fn]) => [name, fn] as const))('%s gets LINK_SECRET_ARN and may GetSecretValue on that secret only', (_name, fn) => {
    expect(environmentOf(fn).LINK_SECRET_ARN).toEqual({ Ref: secretId });
    const statements = statementsWith(fn, /^secretsmanager:/i);
    expect(actionsOf(statements)).toEqual([...LINK_SECRET_ACTIONS]);
    expect(LINK_SECRET_ACTIONS).toEqual(['secretsmanager:GetSecretValue']);
    for (const statement of statements) expect(statement.Resource).toEqual({ Ref: secretId });
  });

  const others = everyFunction.filter(([name]) => !holders.has(name));
  it.each(others.map(([name, fn]) => [name, fn] as const))('%s neither knows the secret nor may read it', (_name, fn) => {
    expect(environmentOf(fn)).not.toHaveProperty('LINK_SECRET_ARN');
    expect(statementsWith(fn, /^secretsmanager:/i)).toEqual([]);
  });

  it('no role anywhere in the stack holds a Secrets Manager permission except the holders\'', () => {
    const allowed = new Set([...holders.values()].map(roleId));
    expect(allowed.size).toBe(LINK_SECRET_ROUTES.length + 2);
    for (const [id] of ofType('AWS::IAM::Role')) {
      if (allowed.has(id)) continue;
      expect(actionsOf(statementsOfRole(template, id)).filter((action) => /^secretsmanager:/i.test(action)), id).toEqual([]);
    }
  });
});
