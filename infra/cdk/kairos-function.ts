import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface KairosFunctionProps {
  /** Repository root: the esbuild project root, where package.json and its "imports" live. */
  projectRoot: string;
  /** Handler module relative to the project root; it must export `handler`. */
  entry: string;
  description?: string;
  /** Read by the function once, at cold start (functions/lib/env.ts validates it there). */
  environment?: Record<string, string>;
  /** @default 512 */
  memorySize?: number;
  /** @default 10 seconds */
  timeout?: Duration;
}

/**
 * The Lambda runtime. It matches the Node.js the repository pins as a devDependency, so the local
 * stack and the tests run on the runtime that production runs on; move both together.
 */
export const KAIROS_RUNTIME = Runtime.NODEJS_22_X;

/** One month: enough to investigate an incident reported late, short enough not to hoard personal data. */
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * esbuild's ESM output has no `require`. Bundled CommonJS code that calls `require('node:…')`
 * would fail with "Dynamic require … is not supported" — and only on the code path that does it,
 * so possibly long after deploy. Today's dependencies need no such call (no bundle contains
 * esbuild's dynamic-require stub); the shim costs one built-in import and rules the class out for
 * the next dependency.
 */
const ESM_REQUIRE_SHIM = "import{createRequire as __kairosCreateRequire}from'node:module';const require=__kairosCreateRequire(import.meta.url);";

/** Loaded by the SDK's default credential chain only when the environment holds no credentials. */
export const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/nested-clients',
  '@smithy/credential-provider-imds',
];

/**
 * A Kairos Lambda function with the house defaults, so a stack lists intent rather than
 * boilerplate: Node.js 22 on arm64, an ESM bundle, its own log group with a retention, X-Ray,
 * and a role that may write to that log group and nothing else until the stack grants more.
 */
export class KairosFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Absolute path of the bundled handler module. */
  readonly entry: string;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: KairosFunctionProps) {
    super(scope, id);
    this.entry = path.join(props.projectRoot, props.entry);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: LOG_RETENTION });

    // An explicit role instead of AWSLambdaBasicExecutionRole: that managed policy lets the
    // function create and write any log group in the account; this one may write its own only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    this.function = new NodejsFunction(this, 'Handler', {
      entry: this.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: KAIROS_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'kairos',
        // Stack traces point into the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        // Prefer packages' ES module builds: esbuild can drop what a handler never imports.
        mainFields: ['module', 'main'],
        target: 'node22',
        minify: true,
        sourceMap: true,
        // The map only needs positions; the sources stay in the repository, not in every zip.
        sourcesContent: false,
        charset: Charset.UTF8,
        banner: ESM_REQUIRE_SHIM,
        logLevel: LogLevel.WARNING,
        // Bundle the AWS SDK v3 instead of using the copy in the Lambda runtime: the function then
        // runs the exact SDK version package-lock.json pins and the tests ran against (the
        // runtime's copy changes under us and is older), and one minified ESM file loads faster
        // than the runtime's SDK spread over hundreds of files (measured on Node 22: importing the
        // createBooking bundle at init took ~75 ms bundled vs ~94 ms with the SDK external).
        //
        // The exceptions are the credential providers that the SDK's default chain loads lazily,
        // with dynamic import(), only when no credentials are in the environment. In Lambda they
        // always are (the chain stops at fromEnv), so these never load; leaving them out of the
        // bundle saves about 120 KB per function, and the runtime ships them should they ever be asked for.
        externalModules: LAZY_CREDENTIAL_PROVIDERS,
      },
    });

    // X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permissions, so
    // Tracing.ACTIVE necessarily adds them on "*".
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; "*" is the only valid resource for active tracing.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x on purpose: it is the Node.js version the repository pins and tests on; the runtime moves together with that pin.',
    });
  }
}
