import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { LINK_SECRET_ROUTES } from '#infra/cdk/kairos-stack';
import { ASSET_CACHE_CONTROL, cognitoIdpOrigin, PAGE_CACHE_CONTROL } from '#infra/cdk/web-hosting';
import { contentSecurityPolicy, RUNTIME_CONFIG_PATH, securityHeaders, webEntries } from '#infra/local/web';
import { RUNTIME_CONFIG_PATH as WEB_RUNTIME_CONFIG_PATH } from '../../web/lib/auth.ts';
import { cognitoOrigin } from '../../web/lib/cognito.ts';
import { logicalId, synthTemplate, type CfnResource } from './synth.ts';

/** AWS managed policies, by the ids CloudFront gives them. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/** A web/dist as `npm run build:web` leaves it, small. */
function builtApps(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-web-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  mkdirSync(path.join(dir, 'book'));
  writeFileSync(path.join(dir, 'assets', 'book-abc123.js'), 'console.log(1);');
  writeFileSync(path.join(dir, 'book', 'index.html'), '<!doctype html><script type="module" src="/assets/book-abc123.js"></script>');
  return dir;
}

const { stack, template } = synthTemplate();
const resources = template.toJSON().Resources as Record<string, CfnResource>;
const web = stack.web;
const distributionId = logicalId(web.distribution.node.defaultChild!);
const siteBucketId = logicalId(web.bucket.node.defaultChild!);
const logBucketId = logicalId(web.logBucket.node.defaultChild!);

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods?: string[];
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  ResponseHeadersPolicyId?: unknown;
  FunctionAssociations?: Array<{ EventType: string; FunctionARN: unknown }>;
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: { OriginAccessIdentity: string };
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
}
interface DistributionConfig {
  HttpVersion: string;
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: Origin[];
  CustomErrorResponses?: unknown;
  Logging?: { Bucket: unknown; Prefix: string };
  Aliases?: string[];
  ViewerCertificate?: Record<string, unknown>;
}
const configOf = (res: Record<string, CfnResource>, id: string) => res[id]!.Properties!.DistributionConfig as DistributionConfig;
const config = configOf(resources, distributionId);
const behavior = (pattern: string) => config.CacheBehaviors.find((b) => b.PathPattern === pattern);
const originOf = (b: Behavior) => config.Origins.find((o) => o.Id === b.TargetOriginId)!;
const refTo = (construct: IConstruct) => ({ Ref: logicalId(construct) });

/** A template string as it reads in a stack deployed to `region` (Fn::Join of text and the Region). */
function inRegion(value: unknown, region: string): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a string or Fn::Join: ${JSON.stringify(value)}`);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      if (JSON.stringify(part) === JSON.stringify({ Ref: 'AWS::Region' })) return region;
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join(join[0]);
}

/** The function's code as deployed, run the way CloudFront runs it: a bare global scope, no Node. */
function viewerRequestHandler(res: Record<string, CfnResource>) {
  const functions = Object.values(res).filter((r) => r.Type === 'AWS::CloudFront::Function');
  expect(functions).toHaveLength(1);
  const { FunctionCode, FunctionConfig } = functions[0]!.Properties as { FunctionCode: string; FunctionConfig: { Runtime: string } };
  expect(FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
  const handler = vm.runInNewContext(`${FunctionCode}\nhandler`, Object.create(null)) as (event: unknown) => unknown;
  return (uri: string) =>
    JSON.parse(
      JSON.stringify(handler({ version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' }, request: { method: 'GET', uri, querystring: {}, headers: {}, cookies: {} } })),
    ) as { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
}

const findingsOf = (scope: IConstruct) =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName}: ${resource.constructPath}`));

function acknowledgementsIn(scope: IConstruct) {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>).map((id) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, '') }))),
  );
}

/** Every resource a resource refers to (Ref, GetAtt, Sub) or waits for (DependsOn). */
function dependencies(res: Record<string, CfnResource & { DependsOn?: string | string[] }>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(res)) {
    const found = new Set<string>([resource.DependsOn ?? []].flat());
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string') found.add(value);
        else if (key === 'Fn::GetAtt' && Array.isArray(value)) found.add(String(value[0]));
        else if (key === 'Fn::Sub') {
          const text = Array.isArray(value) ? String(value[0]) : String(value);
          for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(match[1]!);
          walk(value);
        } else walk(value);
      }
    };
    walk(resource.Properties);
    graph.set(id, new Set([...found].filter((ref) => ref in res)));
  }
  return graph;
}

describe('the site bucket', () => {
  it('is private: all public access blocked, encrypted, no website hosting, ACLs off', () => {
    expect(resources[siteBucketId]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 's3/' },
    });
    expect(resources[siteBucketId]!.Properties).not.toHaveProperty('WebsiteConfiguration');
  });

  it('lets only this distribution read it, through the origin access control, and only over TLS', () => {
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties?.Bucket) === JSON.stringify({ Ref: siteBucketId }));
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.Properties!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [siteBucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }]],
            },
          },
        },
      },
    ]);
    expect(statements.filter((s) => s.Effect === 'Deny')).toEqual([
      expect.objectContaining({ Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  it('is the S3 origin of the pages and assets, signed by an origin access control (no legacy identity)', () => {
    const s3 = originOf(config.DefaultCacheBehavior);
    expect(s3.DomainName).toEqual({ 'Fn::GetAtt': [siteBucketId, 'RegionalDomainName'] });
    expect(s3.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const oac = (s3.OriginAccessControlId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resources[oac]!.Properties).toEqual({
      OriginAccessControlConfig: expect.objectContaining({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
    expect(originOf(behavior('/assets/*')!).Id).toBe(s3.Id);
  });
});

describe('the distribution', () => {
  it('speaks HTTP/2 and HTTP/3, sends every viewer to HTTPS and logs to the log bucket', () => {
    expect(config.HttpVersion).toBe('http2and3');
    for (const b of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(b.ViewerProtocolPolicy, b.PathPattern ?? 'default').toBe('redirect-to-https');
    expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
  });

  it('keeps logs a month in a private bucket that CloudFront can write to', () => {
    expect(resources[logBucketId]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
  });

  it('has no custom error responses: the API\'s own 403 and 404 answers reach the caller unchanged', () => {
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('has exactly three behaviours: the pages (default), /assets/* and /v1/* — no /auth/*', () => {
    expect(config.CacheBehaviors.map((b) => b.PathPattern).sort()).toEqual(['/assets/*', '/v1/*']);
  });

  it('routes /v1/* to the HTTP API\'s own host over TLS 1.2, all methods, caching disabled, every header but Host', () => {
    const api = behavior('/v1/*')!;
    expect(originOf(api).DomainName).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(stack.api.node.defaultChild!), 'ApiEndpoint'] }] }] });
    expect(originOf(api).CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(api.AllowedMethods?.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(api.CachePolicyId).toBe(CACHING_DISABLED);
    // Managed AllViewerExceptHostHeader: Authorization, Idempotency-Key, If-None-Match,
    // Content-Type and every query string reach the API; Host stays the API's own, which API
    // Gateway needs to find the API.
    expect(api.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(api.FunctionAssociations).toBeUndefined();
    expect(api.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(web.baseHeaders.node.defaultChild!) });
  });

  it('serves /assets/* from the cache as long as their metadata allows, without the page function', () => {
    const assets = behavior('/assets/*')!;
    expect(assets.CachePolicyId).toBe(CACHING_OPTIMIZED);
    expect(assets.AllowedMethods?.sort()).toEqual(['GET', 'HEAD']);
    expect(assets.FunctionAssociations).toBeUndefined();
    expect(assets.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(web.baseHeaders.node.defaultChild!) });
  });

  it('serves pages through the viewer-request function, revalidated at the edge on every request', () => {
    const pages = config.DefaultCacheBehavior;
    expect(pages.AllowedMethods?.sort()).toEqual(['GET', 'HEAD']);
    expect(pages.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(web.viewerRequest.node.defaultChild!), 'FunctionARN'] } }]);
    expect(pages.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(web.pageHeaders.node.defaultChild!) });
    const cacheId = (pages.CachePolicyId as { Ref: string }).Ref;
    expect(resources[cacheId]!.Properties!.CachePolicyConfig).toMatchObject({
      DefaultTTL: 0,
      MinTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: { QueryStringsConfig: { QueryStringBehavior: 'none' }, HeadersConfig: { HeaderBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' } },
    });
  });
});

describe('the viewer-request function (its deployed code, executed)', () => {
  const request = viewerRequestHandler(resources);

  it.each([
    ['/book/demo', '/book/index.html'],
    ['/book/demo/', '/book/index.html'],
    ['/book', '/book/index.html'],
    ['/book/demo/privacy', '/book/index.html'],
    ['/manage/bk_1', '/book/index.html'],
    ['/preferences/', '/book/index.html'],
    ['/waitlist/wl_0123456789abcdef/offer', '/book/index.html'],
    ['/waitlist/wl_0123456789abcdef', '/book/index.html'],
    ['/calendar/week', '/calendar/index.html'],
    ['/desk/', '/desk/index.html'],
  ])('answers %s with %s', (uri, entry) => {
    expect(request(uri)).toMatchObject({ uri: entry });
  });

  it.each(['/book/assets/x.js', '/book/index.html', '/assets/book-abc123.js', '/assets/nested/name', '/v1/tenants/demo', '/v1/bookings/bk_1', '/favicon.ico'])(
    'leaves %s as it is (a file, an asset, or the API)',
    (uri) => {
      expect(request(uri)).toMatchObject({ uri, method: 'GET' });
    },
  );

  it('sends / to the demo booking page, uncached', () => {
    expect(request('/')).toEqual({ statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/book/demo/' }, 'cache-control': { value: 'no-cache' } } });
  });

  it.each(['/auth/', '/auth/authorize', '/auth', '/bookings', '/admin/x', '/index.html/x'])('answers %s with 404 without asking S3 (the local sign-in page is not in the cloud)', (uri) => {
    expect(request(uri)).toMatchObject({ statusCode: 404 });
  });

  it('maps every path prefix the local server serves to the same page', () => {
    for (const { prefix, entry } of webEntries) expect(request(`${prefix}some/where`), prefix).toMatchObject({ uri: `/${entry}` });
  });

  it('sends / to the configured tenant', () => {
    const { template: other } = synthTemplate({ props: { webRootTenant: 'salon-mitte' } });
    const otherRequest = viewerRequestHandler(other.toJSON().Resources as Record<string, CfnResource>);
    expect(otherRequest('/').headers?.location?.value).toBe('/book/salon-mitte/');
  });

  it('refuses a root tenant that is not a tenant id (it is written into the code)', () => {
    expect(() => synthTemplate({ props: { webRootTenant: "x';alert(1)//" } })).toThrow(/not a tenant id/);
  });
});

describe('response headers', () => {
  const policy = (construct: IConstruct) => resources[logicalId(construct)]!.Properties!.ResponseHeadersPolicyConfig as Record<string, any>;

  it('give pages the local server\'s security headers, HSTS and no-cache, overriding the origin', () => {
    const { SecurityHeadersConfig: security, CustomHeadersConfig: custom } = policy(web.pageHeaders.node.defaultChild!);
    // The local CSP plus Cognito's endpoint of the stack's Region (the staff sign-in, decision 117).
    expect(security.ContentSecurityPolicy.Override).toBe(true);
    expect(inRegion(security.ContentSecurityPolicy.ContentSecurityPolicy, 'eu-central-1')).toBe(contentSecurityPolicy([cognitoOrigin('eu-central-1')]));
    expect(inRegion(security.ContentSecurityPolicy.ContentSecurityPolicy, 'eu-central-1')).toContain("frame-ancestors 'none'");
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: securityHeaders['referrer-policy'], Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: securityHeaders['x-frame-options'], Override: true });
    expect(securityHeaders['x-content-type-options']).toBe('nosniff');
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(custom.Items).toEqual([{ Header: 'Cache-Control', Value: PAGE_CACHE_CONTROL, Override: true }]);
  });

  it('share one CSP base: locally connect-src is the own origin only, in the cloud also Cognito\'s endpoint and nothing else', () => {
    const cloud = inRegion(policy(web.pageHeaders.node.defaultChild!).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy, 'us-east-1');
    const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d] as const));
    const local = directives(securityHeaders['content-security-policy']!);
    expect(local.get('connect-src')).toBe("connect-src 'self'");
    expect(directives(cloud).get('connect-src')).toBe("connect-src 'self' https://cognito-idp.us-east-1.amazonaws.com");
    for (const [name, directive] of local) if (name !== 'connect-src') expect(directives(cloud).get(name)).toBe(directive);
    expect(cognitoIdpOrigin('eu-west-1')).toBe(cognitoOrigin('eu-west-1'));
  });

  it('give assets and API answers HSTS and nosniff, but leave their cache-control and referrer policy to the origin', () => {
    const config = policy(web.baseHeaders.node.defaultChild!);
    expect(config.CustomHeadersConfig).toBeUndefined();
    expect(config.SecurityHeadersConfig.ContentSecurityPolicy).toBeUndefined();
    expect(config.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      StrictTransportSecurity: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: false },
      FrameOptions: { FrameOption: 'DENY', Override: false },
    });
  });
});

describe('links in mails', () => {
  const expected = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };

  it('point at the distribution: PUBLIC_BASE_URL of every link-making function, and the WebUrl output', () => {
    const holders = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.PUBLIC_BASE_URL !== undefined,
    );
    // The link-secret routes plus the mail sender and the sweep.
    expect(holders).toHaveLength(LINK_SECRET_ROUTES.length + 2);
    for (const fn of holders) expect((fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables.PUBLIC_BASE_URL).toEqual(expected);
    template.hasOutput('WebUrl', { Value: expected });
    template.hasOutput('WebDistributionId', { Value: refTo(web.distribution.node.defaultChild!) });
    template.hasOutput('WebBucketName', { Value: refTo(web.bucket.node.defaultChild!) });
  });

  it('close no dependency cycle: the distribution needs the API resource, not its routes or functions', () => {
    const graph = dependencies(resources);
    const state = new Map<string, 'open' | 'done'>();
    const cycleFrom = (id: string, trail: string[]): string[] | undefined => {
      if (state.get(id) === 'done') return undefined;
      if (state.get(id) === 'open') return [...trail, id];
      state.set(id, 'open');
      for (const next of graph.get(id) ?? []) {
        const cycle = cycleFrom(next, [...trail, id]);
        if (cycle) return cycle;
      }
      state.set(id, 'done');
      return undefined;
    };
    for (const id of graph.keys()) expect(cycleFrom(id, [])).toBeUndefined();
    // The dependency the links need does exist, so the check above is not vacuous.
    const sender = [...stack.notifications.functions.values()].map((fn) => logicalId(fn.function.node.defaultChild!));
    expect(sender.some((id) => graph.get(id)?.has(distributionId))).toBe(true);
  });

  it('keep an explicit publicBaseUrl', () => {
    const { template: other } = synthTemplate({ props: { publicBaseUrl: 'https://book.example.org' } });
    other.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://book.example.org' }) } });
  });
});

describe('with a custom domain', () => {
  const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
  const { stack: own, template: ownTemplate } = synthTemplate({ props: { webDomainName: 'book.example.org', webCertificateArn: certificateArn } });
  const ownResources = ownTemplate.toJSON().Resources as Record<string, CfnResource>;

  it('serves the domain with its certificate, TLS 1.2 (2021 policy) and SNI, and puts it in the links', () => {
    const ownConfig = configOf(ownResources, logicalId(own.web.distribution.node.defaultChild!));
    expect(ownConfig.Aliases).toEqual(['book.example.org']);
    expect(ownConfig.ViewerCertificate).toEqual({ AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    ownTemplate.hasOutput('WebUrl', { Value: 'https://book.example.org' });
    ownTemplate.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://book.example.org' }) } });
  });

  it('is nag clean without acknowledging CFR4 (viewer TLS)', () => {
    expect(findingsOf(own)).toEqual([]);
    expect(acknowledgementsIn(own.web).map(({ id }) => id)).not.toContain('AwsSolutions-CFR4');
  });

  it('needs both the domain and the certificate', () => {
    expect(() => synthTemplate({ props: { webDomainName: 'book.example.org' } })).toThrow(/domainName and certificateArn together/);
  });
});

describe('deploying the built apps', () => {
  const dist = builtApps();
  const { app: ownApp, stack: own, template: ownTemplate } = synthTemplate({ props: { webAssetsPath: dist } });
  const deployments = Object.entries(ownTemplate.toJSON().Resources as Record<string, CfnResource & { DependsOn?: string[] }>).filter(
    ([, r]) => r.Type === 'Custom::CDKBucketDeployment',
  );
  const assets = deployments.find(([, r]) => r.Properties?.DestinationBucketKeyPrefix === 'assets/');
  const pages = deployments.find(([, r]) => r !== assets?.[1]);
  const ownAssembly = ownApp.synth();

  it('uploads assets (immutable, never pruned) before pages (no-cache, pruned, assets excluded from pruning)', () => {
    expect(deployments).toHaveLength(2);
    expect(assets![1].Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalId(own.web.bucket.node.defaultChild!) },
      DestinationBucketKeyPrefix: 'assets/',
      Prune: false,
      SystemMetadata: { 'cache-control': ASSET_CACHE_CONTROL },
    });
    expect(pages![1].Properties).toMatchObject({ Prune: true, Exclude: ['assets/*'], SystemMetadata: { 'cache-control': PAGE_CACHE_CONTROL } });
    expect(pages![1].Properties).not.toHaveProperty('DestinationBucketKeyPrefix');
    expect(pages![1].DependsOn).toEqual(expect.arrayContaining([assets![0]]));
  });

  it('writes the runtime config among the pages: Cognito, the stack\'s Region and the pool\'s web client (decision 116)', () => {
    expect(RUNTIME_CONFIG_PATH).toBe(WEB_RUNTIME_CONFIG_PATH);
    const props = pages![1].Properties as { SourceObjectKeys: string[]; SourceMarkers: Array<Record<string, unknown>> };
    expect(props.SourceObjectKeys).toHaveLength(2);
    const markers = props.SourceMarkers[1]!;
    // The file as staged: JSON whose region and client id are markers the deployment fills in.
    const staged = path.join(ownAssembly.directory, `asset.${props.SourceObjectKeys[1]!.replace(/\.zip$/, '')}`, RUNTIME_CONFIG_PATH.slice(1));
    let text = readFileSync(staged, 'utf8');
    for (const [marker, value] of Object.entries(markers)) {
      const filled =
        JSON.stringify(value) === JSON.stringify({ Ref: 'AWS::Region' }) ? 'eu-central-1' : JSON.stringify(value) === JSON.stringify(refTo(own.staffIdentity.webClient.node.defaultChild!)) ? 'client-id-1' : undefined;
      expect(filled, `marker ${marker} → ${JSON.stringify(value)}`).toBeDefined();
      text = text.replaceAll(marker, filled!);
    }
    expect(JSON.parse(text)).toEqual({ auth: 'cognito', region: 'eu-central-1', userPoolClientId: 'client-id-1' });
    // A file at the root: the viewer-request function lets it through to S3 as it is.
    expect(viewerRequestHandler(ownTemplate.toJSON().Resources as Record<string, CfnResource>)(RUNTIME_CONFIG_PATH)).toMatchObject({ uri: RUNTIME_CONFIG_PATH, method: 'GET' });
  });

  it('is nag clean, acknowledging only the copy function\'s runtime and its S3 grants, one by one', () => {
    expect(findingsOf(own)).toEqual([]);
    const ids = acknowledgementsIn(own).filter(({ path }) => path.startsWith(`${own.node.path}/Web/`) || path.includes('Custom::CDKBucketDeployment'));
    expect(ids.map(({ id }) => id).sort()).toEqual(
      [
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR4',
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        `AwsSolutions-IAM5[Resource::<${logicalId(own.web.bucket.node.defaultChild!)}.Arn>/*]`,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      ].sort(),
    );
  });

  it('skips the upload with a warning when the path holds no build, and synth still succeeds', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'kairos-web-empty-'));
    const { stack: unbuilt, template: unbuiltTemplate } = synthTemplate({ props: { webAssetsPath: empty } });
    unbuiltTemplate.resourceCountIs('Custom::CDKBucketDeployment', 0);
    unbuiltTemplate.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const warnings = Annotations.fromStack(unbuilt).findWarning(`/${unbuilt.node.path}/Web`, Match.stringLikeRegexp('npm run build:web'));
    expect(warnings).toHaveLength(1);
  });

  it('uploads nothing when no path is given (the tests, an operator who syncs the bucket himself)', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('cdk-nag', () => {
  it('finds nothing in the web hosting of the default stack', () => {
    expect(findingsOf(stack).filter((finding) => finding.includes('/Web/'))).toEqual([]);
  });

  it('acknowledges only geo restriction, WAF and the cloudfront.net certificate, on the distribution', () => {
    expect(acknowledgementsIn(web)).toEqual([
      { path: web.distribution.node.path, id: 'AwsSolutions-CFR1' },
      { path: web.distribution.node.path, id: 'AwsSolutions-CFR2' },
      { path: web.distribution.node.path, id: 'AwsSolutions-CFR4' },
    ]);
  });
});
