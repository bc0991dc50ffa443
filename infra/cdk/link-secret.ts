import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LINK_SECRET_ACTIONS } from '#functions/adapters/link-secret';
import type { KairosFunction } from './kairos-function.ts';

/**
 * The server secret that manage tokens and the links in mails are derived from
 * (functions/adapters/links.ts). Secrets Manager generates it at deploy time, so its value is in
 * neither the template, the cloud assembly, nor any function's configuration: the functions that
 * need it get its ARN and may read this one secret, and fetch it once per cold start
 * (functions/adapters/link-secret.ts).
 */
export class LinkSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Kairos: the HMAC key manage tokens and mail links are derived from. Changing it invalidates every manage link sent so far.',
      // 64 characters of [A-Za-z0-9]: ~380 bits, far past HMAC-SHA256's 256, and nothing to escape.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Like the table: the bookings outlive a redeploy, and so must the links customers hold.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'No automatic rotation on purpose: manage tokens are derived from this secret (HMAC of the booking id) and are never stored, so rotating it would invalidate every manage link already mailed to customers. Rotation is a deliberate, announced operation (docs/decisions.md), not a schedule.',
    });
  }

  /** LINK_SECRET_ARN for the function's environment. */
  get environment(): Record<string, string> {
    return { LINK_SECRET_ARN: this.secret.secretArn };
  }

  /** Lets the function read this secret, and nothing else in Secrets Manager (exactly LINK_SECRET_ACTIONS). */
  grantRead(fn: KairosFunction): void {
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...LINK_SECRET_ACTIONS], resources: [this.secret.secretArn] }));
  }
}
