import { existsSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routeList, type RouteId } from '#shared/api/routes';
import { tableSpec } from '#functions/adapters/table-spec';
import { handlerEntry } from '#functions/http/entries';
import { KairosFunction } from '#infra/cdk/kairos-function';
import { functionConstructId, PROJECT_ROOT } from '#infra/cdk/kairos-stack';
import { actionsOf, logicalId, statementsOfRole, synthTemplate, type CfnResource } from './synth.ts';

const { stack, template } = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const routeIds = routeList.map((route) => route.id);

/** The function built for a route, found by its deterministic construct id. */
function functionOf(routeId: RouteId): KairosFunction {
  const child = stack.node.tryFindChild(functionConstructId(routeId));
  if (!(child instanceof KairosFunction)) throw new Error(`no KairosFunction "${functionConstructId(routeId)}" for ${routeId}`);
  return child;
}

const dynamoActionsOf = (routeId: RouteId) =>
  actionsOf(statementsOfRole(template, logicalId(functionOf(routeId).role.node.defaultChild!))).filter((a) =>
    a.toLowerCase().startsWith('dynamodb:'),
  );

/** Anything that changes data; a read-only role must have none of these (nor a wildcard). */
const WRITE_ACTION = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Insert|Update|Delete)|Create|Delete|Update|Restore|Import|.*\*)/i;

describe('HTTP API routes', () => {
  it('has exactly one route per entry of the route table', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routeList.length);
  });

  it.each(routeList.map((route) => [`${route.method} ${route.path}`, route.id] as const))(
    '%s is routed to the function built from its handler entry',
    (routeKey, routeId) => {
      const matches = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties?.RouteKey === routeKey);
      expect(matches).toHaveLength(1);
      const target = JSON.stringify(matches[0]![1].Properties?.Target);
      const integrationId = /"Ref":"([A-Za-z0-9]+)"/.exec(target)?.[1];
      expect(target).toContain('integrations/');
      const integration = resources[integrationId!];
      expect(integration?.Type).toBe('AWS::ApiGatewayV2::Integration');

      const fn = functionOf(routeId);
      expect(integration!.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        // The handlers take APIGatewayProxyEventV2.
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(fn.function.node.defaultChild!), 'Arn'] },
      });
      expect(fn.entry).toBe(path.join(PROJECT_ROOT, handlerEntry(routeId)));
      expect(existsSync(fn.entry)).toBe(true);
    },
  );

  it('serves every route from its own function; the only others are the three notification functions, the customer projector, the journey runner and the waitlist\'s offers', () => {
    const uris = ofType('AWS::ApiGatewayV2::Integration').map(([, r]) => JSON.stringify(r.Properties?.IntegrationUri));
    expect(new Set(uris).size).toBe(routeList.length);
    expect(stack.notifications.functions.size).toBe(3);
    expect([...stack.customers.functions.keys()]).toEqual(['projector', 'journeys']);
    expect([...stack.waitlist.functions.keys()]).toEqual(['offers']);
    template.resourceCountIs('AWS::Lambda::Function', routeList.length + stack.notifications.functions.size + stack.customers.functions.size + stack.waitlist.functions.size);
  });

  it('logs access on the $default stage, throttles it, and has CORS off', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
    });
    const logs = stage.Properties?.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    expect(JSON.parse(logs.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(resources[logs.DestinationArn['Fn::GetAtt'][0]]?.Properties?.RetentionInDays).toBeGreaterThan(0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent(), ProtocolType: 'HTTP' });
  });

  it('outputs the API URL and the table name', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('TableName', { Value: { Ref: logicalId(stack.table.node.defaultChild!) } });
  });
});

describe('the table', () => {
  it('has the keys, index, stream and TTL of tableSpec, on demand, with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: tableSpec.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableSpec.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableSpec.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: tableSpec.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('is kept when the stack is deleted or the table replaced', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('functions', () => {
  const functions = ofType('AWS::Lambda::Function');

  /** Route functions answer within API Gateway's patience; the sender works through a batch, the sweep through a minute's mail. */
  const timeoutOf = (id: string): number =>
    ({
      [logicalId(stack.notifications.functionFor('sender').function.node.defaultChild!)]: 30,
      [logicalId(stack.notifications.functionFor('sweep').function.node.defaultChild!)]: 60,
    })[id] ?? 10;

  it.each(functions.map(([id, r]) => [id, r] as const))('%s runs Node.js 22 or newer on arm64, traced', (id, fn) => {
    const version = Number(/^nodejs(\d+)\.x$/.exec(String(fn.Properties?.Runtime))?.[1]);
    expect(version).toBeGreaterThanOrEqual(22);
    expect(fn.Properties).toMatchObject({
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: timeoutOf(id),
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'kairos' } },
    });
  });

  it.each(routeList.map((route) => [route.id] as const))('%s gets TABLE_NAME exactly when it may use the table', (routeId) => {
    const fn = ofType('AWS::Lambda::Function').find(([id]) => id === logicalId(stack.functionFor(routeId).function.node.defaultChild!))?.[1];
    const variables = (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    if (routeId === 'getOpenApi') expect(variables).not.toHaveProperty('TABLE_NAME');
    else expect(variables.TABLE_NAME).toEqual({ Ref: logicalId(stack.table.node.defaultChild!) });
  });

  it.each(functions.map(([id, r]) => [id, r] as const))('%s logs to its own log group with a retention', (_id, fn) => {
    const ref = (fn.Properties?.LoggingConfig as { LogGroup?: { Ref: string } } | undefined)?.LogGroup?.Ref;
    const group = resources[ref!];
    expect(group?.Type).toBe('AWS::Logs::LogGroup');
    expect(group?.Properties?.RetentionInDays).toBeGreaterThan(0);
  });

  it('no role carries an AWS managed policy', () => {
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });
});

describe('table permissions', () => {
  const readOnly = routeList.filter((route) => route.method === 'GET' && route.id !== 'getOpenApi');
  const writers = routeList.filter((route) => route.method !== 'GET');

  it('the route table has read-only and writing routes, so the checks below check something', () => {
    expect(readOnly.length).toBeGreaterThan(0);
    expect(writers.length).toBeGreaterThan(0);
  });

  it.each(readOnly.map((route) => [route.id]))('%s may read the table but not change it', (routeId) => {
    const actions = dynamoActionsOf(routeId);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions.filter((action) => WRITE_ACTION.test(action))).toEqual([]);
  });

  it('getOpenApi has no DynamoDB permission at all', () => {
    expect(dynamoActionsOf('getOpenApi')).toEqual([]);
  });

  it.each(writers.map((route) => [route.id]))('%s may make the reads and writes of its transaction', (routeId) => {
    expect(dynamoActionsOf(routeId)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
  });

  it('createBooking may delete, as Powertools Idempotency removes a failed in-progress record', () => {
    expect(dynamoActionsOf('createBooking')).toContain('dynamodb:DeleteItem');
  });

  it.each(routeIds.map((id) => [id]))('%s may not scan the table or read its stream', (routeId) => {
    const actions = dynamoActionsOf(routeId);
    expect(actions.filter((action) => /^dynamodb:(Scan|GetRecords|GetShardIterator|\*)$/i.test(action))).toEqual([]);
  });

  it('grants name this table and its indexes, never "*"', () => {
    for (const routeId of routeIds) {
      const statements = statementsOfRole(template, logicalId(functionOf(routeId).role.node.defaultChild!)).filter((s) =>
        actionsOf([s]).some((a) => a.startsWith('dynamodb:')),
      );
      for (const statement of statements) {
        const targets = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const target of targets) expect(JSON.stringify(target)).toContain(logicalId(stack.table.node.defaultChild!));
      }
    }
  });
});
