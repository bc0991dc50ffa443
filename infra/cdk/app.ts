import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { KairosStack } from './kairos-stack.ts';

/**
 * The cloud side. Environment-agnostic on purpose: `cdk synth` needs no credentials and makes no
 * lookups, so it runs offline and in CI; the account and Region come from the deploying profile.
 *
 * cdk-nag (AWS Solutions pack) runs on every synth; an unsuppressed finding fails it. Turn it off
 * for a quick local iteration with `cdk synth -c nag=false`.
 */
const app = new App();
new KairosStack(app, 'Kairos', { description: 'Kairos appointment booking: HTTP API, functions, table' });
if (String(app.node.tryGetContext('nag') ?? 'true') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
app.synth();
