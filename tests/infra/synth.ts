import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { KairosStack, PROJECT_ROOT, type KairosStackProps } from '#infra/cdk/kairos-stack';

/**
 * cdk.json's context (feature flags above all), which the CLI passes to the app. Without it a test
 * would check a template that differs from the deployed one (e.g. in how IAM policies merge).
 */
const cdkJsonContext = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> })
  .context;

export interface SynthOptions {
  /** Run esbuild for every function (slow: seconds). Off: NodejsFunction uses a dummy asset. */
  bundling?: boolean;
  outdir?: string;
  /** The stack's props, as app.ts passes them from the context. @default none */
  props?: KairosStackProps;
}

/** A fresh app with the Kairos stack, as `cdk synth` builds it (without the nag plugin). */
export function buildStack(options: SynthOptions = {}): { app: App; stack: KairosStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...cdkJsonContext,
      ...(options.bundling
        ? // As the CLI does: record each asset's staged path in the template metadata.
          { 'aws:cdk:enable-asset-metadata': true }
        : // The stacks to bundle; none means NodejsFunction skips esbuild and stages a dummy asset.
          { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  return { app, stack: new KairosStack(app, 'Kairos', options.props) };
}

export function synthTemplate(options: SynthOptions = {}) {
  const { app, stack } = buildStack(options);
  return { app, stack, template: Template.fromStack(stack) };
}

export const logicalId = (construct: IConstruct): string => Stack.of(construct).getLogicalId(construct as CfnElement);

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of every inline policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, CfnResource>;
  return Object.values(policies)
    .filter((policy) => {
      const roles = (policy.Properties?.Roles ?? []) as unknown[];
      return roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }));
    })
    .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
}

export const actionsOf = (statements: PolicyStatement[]): string[] =>
  statements.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
