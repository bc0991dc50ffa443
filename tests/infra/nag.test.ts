import { Validations } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildStack } from './synth.ts';

/**
 * cdk-nag 3 is a CDK policy-validation plugin, not an Aspect: findings never reach
 * `Annotations`, so `Annotations.fromStack(...).findError(...)` would always be empty. The pack's
 * `validateScope` runs the same rules and honours the same acknowledgements as `cdk synth`.
 */
const findingsOf = (scope: IConstruct, severity: 'error' | 'warning') =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.filter((violation) => violation.severity === severity)
    .flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName}: ${resource.constructPath}`));
const errorsOf = (scope: IConstruct) => findingsOf(scope, 'error');

/** Every acknowledgement in the tree: construct path, rule id, reason. */
function acknowledgementsIn(scope: IConstruct) {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag (AWS Solutions)', () => {
  const { stack } = buildStack();

  it('finds no unacknowledged error in the stack', () => {
    expect(errorsOf(stack)).toEqual([]);
  });

  it('finds no unacknowledged warning either (e.g. COG2, a user pool without required MFA)', () => {
    expect(findingsOf(stack, 'warning')).toEqual([]);
  });

  it('does check this stack: a function added without acknowledgement is reported', () => {
    const { stack: changed } = buildStack();
    new LambdaFunction(changed, 'Unreviewed', {
      runtime: Runtime.NODEJS_20_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
    });
    expect(errorsOf(changed)).toEqual(
      expect.arrayContaining(['AwsSolutions-L1: Kairos/Unreviewed/Resource']),
    );
  });

  it('passes as a synth-time plugin, the way `cdk synth` runs it', () => {
    const { app } = buildStack();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // In-memory synthesis throws when a validation plugin reports an error. CDK's built-in
    // CloudFormation schema validation runs too, as in `cdk synth`.
    expect(() => app.synth()).not.toThrow();
  });

  it('acknowledges only the feature plan on the staff user pool: MFA and the password rules pass on their own', () => {
    const pool = stack.staffIdentity.userPool.node.path;
    expect(acknowledgementsIn(stack).filter(({ path }) => path === pool).map(({ id }) => id)).toEqual(['AwsSolutions-COG8']);
  });

  it('acknowledges only rotation on the link secret (rotating it would break every manage link sent)', () => {
    const secret = stack.linkSecret.secret.node.path;
    expect(acknowledgementsIn(stack).filter(({ path }) => path.startsWith(secret)).map(({ id }) => id)).toEqual(['AwsSolutions-SMG4']);
  });

  it('acknowledges nothing on the mail resources: the SES events topic is TLS-only and KMS-encrypted, its key rotates', () => {
    const functions = [...stack.notifications.functions.values()].map((fn) => fn.node.path);
    const mail = acknowledgementsIn(stack).filter(
      ({ path }) => path.startsWith(stack.notifications.node.path) && !functions.some((fn) => path.startsWith(fn)),
    );
    expect(mail).toEqual([]);
  });

  it('acknowledges on the notification functions only what every function has, plus their table index grant', () => {
    for (const fn of stack.notifications.functions.values()) {
      const ids = acknowledgementsIn(fn).map(({ id }) => id);
      expect(ids, fn.node.path).toHaveLength(3);
      expect(ids, fn.node.path).toEqual(
        expect.arrayContaining([
          'AwsSolutions-IAM5[Resource::*]',
          'AwsSolutions-L1',
          expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Table[0-9A-F]+\.Arn>\/index\/\*\]$/),
        ]),
      );
    }
  });

  it('gives every acknowledgement a specific reason', () => {
    const acknowledgements = acknowledgementsIn(stack);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+[0-9]+/);
      expect(reason.trim().length, `${id} at ${path}`).toBeGreaterThanOrEqual(20);
    }
  });

  it('acknowledges wildcard findings one resource at a time, never the whole IAM5 rule', () => {
    const iam5 = acknowledgementsIn(stack).filter(({ id }) => id.startsWith('AwsSolutions-IAM5'));
    expect(iam5.length).toBeGreaterThan(0);
    for (const { id } of iam5) expect(id).toMatch(/^AwsSolutions-IAM5\[Resource::.+\]$/);
  });

  it('acknowledges rules only where they apply, not for the whole stack', () => {
    expect(acknowledgementsIn(stack).filter(({ path }) => path === stack.node.path)).toEqual([]);
  });
});
