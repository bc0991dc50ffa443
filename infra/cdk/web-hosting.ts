import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ids } from '#shared/api/contract';
import { contentSecurityPolicy, RUNTIME_CONFIG_PATH } from '#infra/local/web';
import { LOG_RETENTION } from './kairos-function.ts';

/**
 * First path segment → the page that answers every path under it (the app routes in the
 * browser). The same map as infra/local/web.ts's `webEntries` (a test holds the two together);
 * /calendar/ and /desk/ are listed before their apps are built, so that adding an app is a build
 * change, not a CDK change.
 */
export const APP_ENTRIES: Readonly<Record<string, string>> = {
  book: '/book/index.html',
  // Manage links in mails (functions/adapters/links.ts) and the confirmation: the booking app.
  manage: '/book/index.html',
  // The preferences link in marketing mails: the booking app too.
  preferences: '/book/index.html',
  // The waitlist mail's offer and leave pages (/waitlist/<entry>/offer, /waitlist/<entry>): the booking app too.
  waitlist: '/book/index.html',
  calendar: '/calendar/index.html',
  desk: '/desk/index.html',
};

/**
 * First path segments the viewer-request function leaves exactly as they are: the hashed build
 * output, and the API (which has its own behaviour and never reaches the function; listed so
 * that attaching the function to it by mistake would still not rewrite API paths).
 */
export const PASS_THROUGH = ['assets', 'v1'] as const;

/** The tenant the root of the site sends visitors to unless the stack is told otherwise. */
export const DEFAULT_ROOT_TENANT = 'demo';

/** Hashed build output: the name changes when the content does, so a copy may be kept for good. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Pages: always revalidated, so a deploy reaches every visitor at once and with matching assets. */
export const PAGE_CACHE_CONTROL = 'no-cache';

/** HSTS for the site's own host: two years (the preload list's floor), no preload (a one-way door). */
export const HSTS_MAX_AGE = Duration.days(730);

/**
 * The CloudFront Function (JavaScript runtime 2.0) on viewer requests of the default behaviour.
 * Plain ES5 on purpose: the runtime is not Node, and the infra tests execute this exact text.
 * - `/` → 302 to the root tenant's booking page;
 * - `/<app>` and `/<app>/…` → the app's index.html, unless the last segment names a file;
 * - `/assets/…`, `/v1/…` and files at the root → unchanged (S3 has them or answers 403);
 * - anything else, `/auth/…` (the local sign-in page's path) included → 404 without an origin
 *   request. No custom error response does this for the whole distribution: that would also turn
 *   the API's own 403 and 404 answers into index.html.
 */
export function viewerRequestCode(rootPath: string): string {
  const pass = Object.fromEntries(PASS_THROUGH.map((segment) => [segment, true]));
  return `var APPS = ${JSON.stringify(APP_ENTRIES)};
var PASS = ${JSON.stringify(pass)};
var ROOT = ${JSON.stringify(rootPath)};

function answer(status, description, headers) {
  headers['cache-control'] = { value: 'no-cache' };
  return { statusCode: status, statusDescription: description, headers: headers };
}

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') return answer(302, 'Found', { location: { value: ROOT } });
  var slash = uri.indexOf('/', 1);
  var first = slash === -1 ? uri.slice(1) : uri.slice(1, slash);
  if (PASS.hasOwnProperty(first)) return request;
  var last = uri.slice(uri.lastIndexOf('/') + 1);
  var isFile = last.indexOf('.') > 0;
  if (APPS.hasOwnProperty(first)) {
    if (!isFile) request.uri = APPS[first];
    return request;
  }
  if (slash === -1 && isFile) return request;
  return answer(404, 'Not Found', {});
}
`;
}

/** Cognito's regional endpoint, which the staff apps call to sign in (web/lib/cognito.ts). */
export const cognitoIdpOrigin = (region: string) => `https://cognito-idp.${region}.amazonaws.com`;

export interface WebHostingProps {
  /** The HTTP API that `/v1/*` is routed to (its `$default` stage). */
  api: HttpApi;
  /**
   * The user pool's web client the staff apps sign in with: named in the runtime config file
   * (`/kairos-config.json`) with the stack's Region, whose Cognito endpoint the pages' CSP allows.
   */
  staffWebClient: IUserPoolClient;
  /**
   * The built web apps (`npm run build:web` → web/dist). Deployed when the directory holds a
   * built page; otherwise nothing is uploaded, and synth says so with a warning.
   * @default none: the bucket's content is left as it is
   */
  assetsPath?: string;
  /** Where `/` sends visitors: `/book/<rootTenant>/`. @default demo */
  rootTenant?: string;
  /**
   * A custom domain for the site, with an ACM certificate for it in us-east-1 (CloudFront's
   * Region for certificates). Both or neither.
   * @default the distribution's *.cloudfront.net name
   */
  domainName?: string;
  certificateArn?: string;
}

/**
 * The web apps and the API on one origin (DESIGN.md: same-origin, no CORS): CloudFront in front of
 * a private S3 bucket (origin access control) for the pages and assets, and of the HTTP API for
 * `/v1/*`. Decisions 90–94.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly viewerRequest: cloudfront.Function;
  readonly pageHeaders: cloudfront.ResponseHeadersPolicy;
  readonly baseHeaders: cloudfront.ResponseHeadersPolicy;
  /** The deployments of the built apps (assets first, then pages); empty when nothing is deployed. */
  readonly deployments: readonly BucketDeployment[];
  /** `https://<the site's host>`, without a trailing slash: the base of every link in mails. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    if (Boolean(props.domainName) !== Boolean(props.certificateArn)) {
      throw new Error('WebHosting: give domainName and certificateArn together (the certificate must be in us-east-1)');
    }
    const rootTenant = props.rootTenant ?? DEFAULT_ROOT_TENANT;
    // Checked, because it is written into the function's code.
    if (!ids.tenantId.safeParse(rootTenant).success) throw new Error(`WebHosting: "${rootTenant}" is not a tenant id`);

    // CloudFront's request logs and the site bucket's access logs. Standard CloudFront logging
    // writes with an ACL grant, hence BUCKET_OWNER_PREFERRED; the objects stay private (all public
    // access blocked). Kept as long as every other log (a month): they hold viewers' IP addresses.
    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Private: no website hosting, no public access; CloudFront reads it through the origin
    // access control (a bucket-policy statement for this distribution only). The content is the
    // build output and can be redeployed at any time; RETAIN all the same, as CloudFormation
    // cannot delete a non-empty bucket and an emptying custom resource is not worth its Lambda.
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.viewerRequest = new cloudfront.Function(this, 'ViewerRequest', {
      comment: 'Kairos web apps: / redirect, app paths to their index.html, 404 for the rest',
      code: cloudfront.FunctionCode.fromInline(viewerRequestCode(`/book/${rootTenant}/`)),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    const hsts = { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true };
    // The pages: the same headers infra/local/web.ts sends (the same CSP builder, plus Cognito's
    // endpoint in connect-src for the staff sign-in, decision 117), HSTS, and no-cache whatever
    // the object's metadata says.
    this.pageHeaders = new cloudfront.ResponseHeadersPolicy(this, 'PageHeaders', {
      comment: 'Kairos pages: CSP (own origin and Cognito sign-in only), HSTS, nosniff, no framing, no referrer, no-cache',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy([cognitoIdpOrigin(Stack.of(this).region)]), override: true },
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: PAGE_CACHE_CONTROL, override: true }] },
    });
    // Assets and API answers: the same transport and sniffing rules, but what the origin says
    // stays (the API sets its own cache-control and referrer policy; the assets' cache-control is
    // object metadata, so a 403 for a missing asset is not made cacheable for a year).
    this.baseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'BaseHeaders', {
      comment: 'Kairos assets and API: HSTS, nosniff, no framing, no referrer (origin values win)',
      securityHeadersBehavior: {
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: false },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: false },
      },
    });

    // Pages are revalidated at the edge on every request (TTL 0 unless the object says more):
    // a deploy needs no invalidation, and a conditional GET to S3 costs next to nothing.
    const pageCache = new cloudfront.CachePolicy(this, 'PageCache', {
      comment: 'Kairos pages: revalidated on every request; no query string, header or cookie in the key',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const site = S3BucketOrigin.withOriginAccessControl(this.bucket);
    // The API's own host name: API Gateway picks the API by the Host header, so the viewer's Host
    // (the site's name) must not be forwarded — hence AllViewerExceptHostHeader below.
    const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });

    const certificate = props.certificateArn ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Kairos: web apps and /v1 API on one origin',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(certificate && props.domainName
        ? { domainNames: [props.domainName], certificate, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: site,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: pageCache,
        responseHeadersPolicy: this.pageHeaders,
        compress: true,
        functionAssociations: [{ function: this.viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/assets/*': {
          origin: site,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          // Hashed names: kept at the edge as long as the object's cache-control allows (a year).
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.baseHeaders,
          compress: true,
        },
        '/v1/*': {
          origin: apiOrigin,
          // The API is not a cache: bookings, tokens and availability must be fresh, and a cache
          // key without the Authorization header could hand one caller's answer to another.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Every viewer header but Host (Authorization, Idempotency-Key, If-None-Match,
          // Content-Type, Accept-Language…), and every query string. An allowlist cannot name
          // Authorization (CloudFront refuses it outside the cache key; CDK already at synth),
          // and AWS documents this managed policy for API Gateway origins with caching off.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.baseHeaders,
          compress: false,
        },
      },
    });

    const domain = props.domainName ?? this.distribution.distributionDomainName;
    this.url = `https://${domain}`;

    this.deployments = this.deploy(props.assetsPath, props.staffWebClient);

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'No geo restriction: customers book from wherever they are (travel, cross-border businesses); there is no country the service must not reach.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL yet: the API is throttled at its stage (100 req/s, burst 200), validates every input and the pages are static. A web ACL (about 5 USD a month plus rules) is the next step once abuse shows up in the CloudFront logs; it is a property of this distribution.',
      },
    );
    if (!certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose security policy cannot be chosen. With domainName and certificateArn the distribution requires TLSv1.2_2021, and this acknowledgement is not made.',
      });
    }
  }

  /**
   * Uploads the built apps in two steps with different cache-control metadata: assets first
   * (immutable, never pruned, so a page loaded before a deploy still finds its old chunks), then
   * the pages (no-cache, pruned, so a removed page disappears).
   */
  private deploy(assetsPath: string | undefined, staffWebClient: IUserPoolClient): BucketDeployment[] {
    const built = assetsPath !== undefined && existsSync(path.join(assetsPath, 'assets')) && Object.values(APP_ENTRIES).some((entry) => existsSync(path.join(assetsPath, entry)));
    if (!built) {
      // A path that holds no build is what `cdk synth` meets before `npm run build:web` (app.ts
      // passes web/dist): a warning. No path at all is a deliberate choice (tests): information.
      if (assetsPath === undefined) {
        Annotations.of(this).addInfo('The web apps are not deployed (no webAssetsPath): the site bucket keeps what it has.');
      } else {
        Annotations.of(this).addWarningV2(
          '@kairos/web-hosting:not-built',
          `The web apps are not deployed: ${assetsPath} holds no built app (assets/ and an app's index.html), so the site bucket keeps what it has. Run \`npm run build:web\` before \`cdk deploy\`.`,
        );
      }
      return [];
    }

    // The deployment's function (a CDK-provided Lambda) gets a role like KairosFunction's: its
    // own log group with the house retention, instead of AWSLambdaBasicExecutionRole.
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', { retention: LOG_RETENTION });
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the built web apps into the site bucket',
    });
    logGroup.grantWrite(role);

    const common = { destinationBucket: this.bucket, role, logGroup, memoryLimit: 256 };
    const assets = new BucketDeployment(this, 'DeployAssets', {
      ...common,
      sources: [Source.asset(path.join(assetsPath, 'assets'))],
      destinationKeyPrefix: 'assets/',
      prune: false,
      cacheControl: [CacheControl.fromString(ASSET_CACHE_CONTROL)],
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      ...common,
      sources: [
        Source.asset(assetsPath, { exclude: ['assets', 'assets/**'] }),
        // Which staff sign-in the apps use (web/lib/auth.ts; locally infra/local/web.ts answers
        // `{ "auth": "local" }`). Among the pages, so it is no-cache and a redeploy never prunes it.
        Source.jsonData(RUNTIME_CONFIG_PATH.slice(1), { auth: 'cognito', region: Stack.of(this).region, userPoolClientId: staffWebClient.userPoolClientId }),
      ],
      // Excluded here too, so pruning leaves the assets alone.
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [CacheControl.fromString(PAGE_CACHE_CONTROL)],
    });
    pages.node.addDependency(assets);

    // BucketDeployment grants its function the bucket grants grantRead/grantReadWrite make:
    // wildcard actions, on the CDK assets bucket (its objects, to read the staged zips) and on the
    // site bucket. Nothing else in the account; the role is this deployment's own.
    const grants: Array<[string, string]> = [
      ['Action::s3:GetObject*', 'reads the staged zip from the CDK assets bucket and the objects of the site bucket to sync'],
      ['Action::s3:GetBucket*', 'reads the location and settings of the assets and site buckets to sync'],
      ['Action::s3:List*', 'lists the site bucket to sync and prune'],
      ['Action::s3:DeleteObject*', 'prunes pages that are no longer built, in the site bucket only'],
      ['Action::s3:Abort*', 'aborts failed multipart uploads of the sync, in the site bucket only'],
      [`Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`, 'writes and prunes the objects of the site bucket'],
      ['Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*', 'reads the zips CDK staged in its bootstrap assets bucket'],
    ];
    Validations.of(role).acknowledge(
      ...grants.map(([finding, what]) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason: `The grant BucketDeployment makes for its copy function: it ${what}.` })),
    );
    // The copy function is a stack-level singleton that BucketDeployment creates and whose runtime
    // it chooses; it moves to a newer Python with aws-cdk-lib.
    const copier = Stack.of(this).node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (copier) {
      Validations.of(copier).acknowledge({
        id: 'AwsSolutions-L1',
        reason: "aws-cdk-lib's BucketDeployment provider fixes this function's Python runtime; it is updated with aws-cdk-lib, and the function only runs during deployments.",
      });
    }
    return [assets, pages];
  }
}
