import path from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, type CfnGlobalTable, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routeList, type RouteAuth, type RouteId } from '#shared/api/routes';
import { tableSpec } from '#functions/adapters/table-spec';
import { handlerEntry } from '#functions/http/entries';
import { Customers } from './customers.ts';
import { KairosFunction, LOG_RETENTION } from './kairos-function.ts';
import { LinkSecret } from './link-secret.ts';
import { Notifications } from './notifications.ts';
import { StaffIdentity } from './staff-identity.ts';
import { Waitlist } from './waitlist.ts';
import { WebHosting } from './web-hosting.ts';

/** The repository root: esbuild's project root and where package.json's "imports" are. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export type TableAccess = 'none' | 'read' | 'readWrite';

/**
 * The item reads handlers make (TransactGetItems is authorised as GetItem). Deliberately not the
 * table's grantReadData: no Scan — no handler scans, and a scan is how one bug becomes a bulk read
 * of every tenant's customers — and no stream reads, which belong to the journey function.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];

/**
 * The item writes handlers make: TransactWriteItems is authorised per item as PutItem/UpdateItem
 * (plus ConditionCheckItem, a read), and Powertools Idempotency puts, updates and deletes its
 * records. BatchWriteItem is left out: only the tenant CLI uses it, with its own credentials.
 * A handler that starts using another action fails with AccessDenied in AWS only — DynamoDB Local
 * checks no IAM — so add the action here in the same change.
 */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

const actionsFor: { [A in TableAccess]: readonly string[] } = {
  none: [],
  read: TABLE_READ_ACTIONS,
  readWrite: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
};

/**
 * What each route's function may do to the table. The type makes a new route without an entry a
 * compile error, so every function's permissions are a decision, not a default.
 */
export const routeTableAccess = {
  getJourneys: 'read',
  putJourneys: 'readWrite',
  listTasks: 'read',
  completeTask: 'readWrite',
  getPreferences: 'read',
  updatePreferences: 'readWrite',
  unsubscribe: 'readWrite',
  getTenant: 'read',
  getAvailability: 'read',
  getBooking: 'read',
  // Reads the customer's timeline and the usual provider's day sheets.
  getRebookSuggestions: 'read',
  // TransactWriteItems (booking + day sheet) and Powertools Idempotency records.
  createBooking: 'readWrite',
  rescheduleBooking: 'readWrite',
  cancelBooking: 'readWrite',
  // Builds the document from the route table in memory; never touches DynamoDB.
  getOpenApi: 'none',
  // Staff routes read the caller's account record on every request, so none is 'none'.
  getStaffTenant: 'read',
  listStaffBookings: 'read',
  getStaffBooking: 'read',
  getBookingHistory: 'read',
  listStaffUsers: 'read',
  getProviderFeed: 'read',
  listOutbox: 'read',
  // The caller card reads profile, timeline, bookings and (for the usual-slot offer) day sheets.
  lookupCustomer: 'read',
  getCustomer: 'read',
  searchCustomers: 'read',
  // Data rights: the exports only read; erasure deletes and anonymises (single-item writes).
  exportCustomer: 'read',
  // The customer's own export: the request queues a mail (an outbox item); the link only reads.
  requestDataExport: 'readWrite',
  getDataExport: 'read',
  eraseCustomer: 'readWrite',
  // Merges and their undo: one TransactWriteItems over profiles, identities, events and the MERGE# item.
  mergeCustomers: 'readWrite',
  undoMerge: 'readWrite',
  // Insights only read: the month partitions of the event index (GSI2) and the tenant's config.
  getInsights: 'read',
  updateSettings: 'readWrite',
  createStaffBooking: 'readWrite',
  rescheduleStaffBooking: 'readWrite',
  cancelStaffBooking: 'readWrite',
  markAttendance: 'readWrite',
  createService: 'readWrite',
  updateService: 'readWrite',
  deactivateService: 'readWrite',
  createProvider: 'readWrite',
  updateProvider: 'readWrite',
  deactivateProvider: 'readWrite',
  putWeeklyHours: 'readWrite',
  putException: 'readWrite',
  deleteException: 'readWrite',
  createBlock: 'readWrite',
  deleteBlock: 'readWrite',
  rotateFeedToken: 'readWrite',
  inviteStaffUser: 'readWrite',
  removeStaffUser: 'readWrite',
  // The waitlist: joining writes the entry, its reference and the guard; leaving and claiming
  // delete them (a claim books, as createBooking does); reception's list only reads (GSI1).
  joinWaitlist: 'readWrite',
  leaveWaitlist: 'readWrite',
  claimWaitlistOffer: 'readWrite',
  listWaitlist: 'read',
  bookFromWaitlist: 'readWrite',
} as const satisfies Record<RouteId, TableAccess>;

/**
 * The routes whose functions create and delete staff sign-in accounts: they get USER_POOL_ID and
 * the Cognito actions of functions/adapters/cognito-directory.ts on the staff pool. No other
 * function can touch the pool.
 */
export const STAFF_DIRECTORY_ROUTES: readonly RouteId[] = ['inviteStaffUser', 'removeStaffUser'];

/**
 * The routes whose functions derive manage tokens (a new booking's token is an HMAC of its id):
 * they get LINK_SECRET_ARN and may read that one secret, and their handlers are built with
 * `lambdaEntry(make, withLinkSecret)`. Of the other functions only the two that send mail (they
 * put manage links in them) hold it. The data-export routes sign (request) and verify (open) the
 * mailed export links with it (decision 68).
 */
export const LINK_SECRET_ROUTES: readonly RouteId[] = [
  'createBooking',
  'createStaffBooking',
  'getPreferences',
  'updatePreferences',
  'unsubscribe',
  'requestDataExport',
  'getDataExport',
  // The waitlist: joining derives the entry's manage token, a claim verifies the offer token and
  // derives the booking's, reception's booking derives the booking's (decision 103). Leaving
  // checks the stored hash and needs none.
  'joinWaitlist',
  'claimWaitlistOffer',
  'bookFromWaitlist',
];

/** Where mails come from unless the stack is told otherwise: obviously a placeholder. */
export const DEFAULT_MAIL_FROM = 'bookings@example.com';

const pascal = (routeId: RouteId): string => `${routeId[0]!.toUpperCase()}${routeId.slice(1)}`;

/** The construct id of a route's function: deterministic, so tests and dashboards can find it. */
export const functionConstructId = (routeId: RouteId): string => `${pascal(routeId)}Function`;


/** Why a route has no API Gateway authorizer; cdk-nag (APIG4, COG4) requires the reason in writing. */
const noAuthorizerReason: { [K in Exclude<RouteAuth['kind'], 'staff'>]: string } = {
  public:
    'Public by design: customers book without an account, so this route is anonymous. Abuse is bounded by stage throttling and input validation in the handler.',
  manageToken:
    "Authorised in the handler: the caller must present the booking's manage token (Bearer), which is checked against the stored hash; there is no IAM or JWT principal to authorise at the gateway.",
  feedToken:
    'Authorised in the handler: calendar apps subscribe to a secret URL and cannot send an Authorization header; the token in the path is checked against its stored hash.',
  preferencesToken:
    "Authorised in the handler: the customer's preferences token in the path is an HMAC under the link secret, verified in constant time; RFC 8058 one-click unsubscribe POSTs carry no credentials.",
  exportToken:
    'Authorised in the handler: the data-export link mailed to the customer carries an HMAC under the link secret over tenant, customer, booking and expiry, verified in constant time; expired links are refused.',
};

export interface KairosStackProps extends StackProps {
  /** Steady-state requests per second for the whole API (stage default). @default 100 */
  throttleRateLimit?: number;
  /** Burst capacity for the whole API (stage default). @default 200 */
  throttleBurstLimit?: number;
  /**
   * The address booking mails come from. Its domain must be a verified SES identity in the
   * account and Region, or be given as `sesIdentityDomain` so the stack creates it.
   * @default bookings@example.com (a placeholder: SES refuses to send from it)
   */
  mailFrom?: string;
  /**
   * Creates this domain as an SES identity with Easy DKIM, and outputs the three CNAME records to
   * publish in its DNS; SES verifies the domain when it sees them. mailFrom must be in it.
   * @default none: the domain of mailFrom is an identity verified outside this stack
   */
  sesIdentityDomain?: string;
  /** @default a name CloudFormation generates */
  sesConfigurationSetName?: string;
  /**
   * Where the web apps are served; manage links in mails point there.
   * @default the CloudFront distribution's https URL (webDomainName when given)
   */
  publicBaseUrl?: string;
  /** The built web apps (web/dist) to upload; skipped, with a synth warning, when not built there. @default none: nothing uploaded */
  webAssetsPath?: string;
  /** Where the site's root sends visitors: /book/<webRootTenant>/. @default demo */
  webRootTenant?: string;
  /** A custom domain for the site, with webCertificateArn (ACM, us-east-1). @default the *.cloudfront.net name */
  webDomainName?: string;
  webCertificateArn?: string;
}

export class KairosStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly staffIdentity: StaffIdentity;
  readonly linkSecret: LinkSecret;
  readonly notifications: Notifications;
  readonly customers: Customers;
  readonly waitlist: Waitlist;
  readonly web: WebHosting;
  private readonly functionsByRoute = new Map<RouteId, KairosFunction>();

  constructor(scope: Construct, id: string, props: KairosStackProps = {}) {
    super(scope, id, props);

    // TableV2 (AWS::DynamoDB::GlobalTable) rather than Table: it is the construct CDK recommends
    // for new tables, and adding a replica Region later is a property change instead of a
    // migration between resource types, which would mean replacing the table and its data.
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: tableSpec.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableSpec.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableSpec.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      })),
      billing: Billing.onDemand(),
      timeToLiveAttribute: tableSpec.ttlAttribute,
      // The journey stream consumer (DESIGN.md) needs both images to see what a change changed.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key (aws/dynamodb): no key to administer, and its use shows in CloudTrail.
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const tableLogicalId = this.getLogicalId(this.table.node.defaultChild as CfnGlobalTable);

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: LOG_RETENTION });
    // CORS stays off: the web apps are served from the same origin as the API.
    this.api = new HttpApi(this, 'Api', {
      description: 'Kairos booking API (routes from shared/api/routes.ts)',
      createDefaultStage: false,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 100, burstLimit: props.throttleBurstLimit ?? 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            // Personal data, kept for abuse analysis only as long as every other log (one month).
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    this.staffIdentity = new StaffIdentity(this, 'StaffIdentity');
    const userPoolId = this.staffIdentity.userPool.userPoolId;
    this.linkSecret = new LinkSecret(this, 'LinkSecret');
    const mailFrom = props.mailFrom ?? DEFAULT_MAIL_FROM;
    // The web apps and /v1/* on one CloudFront origin. Link-making functions get its URL: the
    // distribution refers to the API resource only (its endpoint), not to routes or functions,
    // so functions depending on the distribution close no cycle (decision 92).
    this.web = new WebHosting(this, 'Web', {
      api: this.api,
      staffWebClient: this.staffIdentity.webClient,
      ...(props.webAssetsPath ? { assetsPath: props.webAssetsPath } : {}),
      ...(props.webRootTenant ? { rootTenant: props.webRootTenant } : {}),
      ...(props.webDomainName ? { domainName: props.webDomainName } : {}),
      ...(props.webCertificateArn ? { certificateArn: props.webCertificateArn } : {}),
    });
    const publicBaseUrl = props.publicBaseUrl ?? this.web.url;

    for (const route of routeList) {
      const routeId = route.id;
      const access = routeTableAccess[routeId];
      const managesStaff = STAFF_DIRECTORY_ROUTES.includes(routeId);
      const derivesLinks = LINK_SECRET_ROUTES.includes(routeId);
      const fn = new KairosFunction(this, functionConstructId(routeId), {
        projectRoot: PROJECT_ROOT,
        entry: handlerEntry(routeId),
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        // Read and validated once at cold start (functions/lib/env.ts); getOpenApi needs none.
        environment: {
          // Every function with the table gets MAIL_FROM: any booking change may plan a mail, and
          // the development default would only show in AWS, as mails SES refuses.
          ...(access === 'none' ? {} : { TABLE_NAME: this.table.tableName, MAIL_FROM: mailFrom }),
          ...(managesStaff ? { USER_POOL_ID: userPoolId } : {}),
          ...(derivesLinks ? { ...this.linkSecret.environment, PUBLIC_BASE_URL: publicBaseUrl } : {}),
        },
      });
      if (managesStaff) this.staffIdentity.grantManageStaff(fn);
      if (derivesLinks) this.linkSecret.grantRead(fn);
      if (access !== 'none') {
        // grant() covers the table and "<table>/index/*", so Query may use GSI1.
        this.table.grant(fn, ...actionsFor[access]);
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
          reason: 'The grant also covers "<table>/index/*" so Query can use GSI1 (bookings by provider and start); the wildcard spans this one table\'s indexes only.',
        });
      }
      this.functionsByRoute.set(routeId, fn);

      const httpRoute = new HttpRoute(this, `${pascal(routeId)}Route`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${routeId}Integration`, fn.function),
        // Staff routes: the gateway verifies the Cognito ID token before the function runs; the
        // handler then checks role, tenant and the account record (functions/lib/auth.ts).
        ...(route.auth.kind === 'staff' ? { authorizer: this.staffIdentity.authorizer } : {}),
      });
      if (route.auth.kind !== 'staff') {
        Validations.of(httpRoute).acknowledge(
          { id: 'AwsSolutions-APIG4', reason: noAuthorizerReason[route.auth.kind] },
          { id: 'AwsSolutions-COG4', reason: noAuthorizerReason[route.auth.kind] },
        );
      }
    }

    this.notifications = new Notifications(this, 'Notifications', {
      projectRoot: PROJECT_ROOT,
      table: this.table,
      grantTable: (fn) => this.table.grant(fn, ...actionsFor.readWrite),
      linkSecret: this.linkSecret,
      mailFrom,
      publicBaseUrl,
      ...(props.sesIdentityDomain ? { sesIdentityDomain: props.sesIdentityDomain } : {}),
      ...(props.sesConfigurationSetName ? { configurationSetName: props.sesConfigurationSetName } : {}),
    });

    this.customers = new Customers(this, 'Customers', {
      projectRoot: PROJECT_ROOT,
      table: this.table,
      mailFrom,
      tableActions: actionsFor.readWrite,
    });

    this.waitlist = new Waitlist(this, 'Waitlist', {
      projectRoot: PROJECT_ROOT,
      table: this.table,
      mailFrom,
      tableActions: actionsFor.readWrite,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the booking API' });
    new CfnOutput(this, 'WebUrl', { value: this.web.url, description: 'The web apps and the API (/v1) on one origin: links in mails point here' });
    new CfnOutput(this, 'WebDistributionId', { value: this.web.distribution.distributionId, description: 'The CloudFront distribution (for invalidations and logs)' });
    new CfnOutput(this, 'WebBucketName', { value: this.web.bucket.bucketName, description: 'The private bucket the built web apps are uploaded to' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'UserPoolId', { value: userPoolId, description: 'Staff sign-in (Cognito user pool)' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.staffIdentity.webClient.userPoolClientId,
      description: 'The web apps\' Cognito client: the audience of the staff ID tokens the API accepts',
    });
    new CfnOutput(this, 'SesConfigurationSet', {
      value: this.notifications.configurationSet.configurationSetName,
      description: 'The SES configuration set booking mails are sent with (bounces and complaints go to the suppression list)',
    });
  }

  /** The function that serves a route. */
  functionFor(routeId: RouteId): KairosFunction {
    const fn = this.functionsByRoute.get(routeId);
    if (!fn) throw new Error(`No function for route "${routeId}"`);
    return fn;
  }
}
