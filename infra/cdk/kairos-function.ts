import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { lambdaBundling } from './bundling.ts';

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
      bundling: lambdaBundling,
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
