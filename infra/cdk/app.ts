import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { KairosStack, PROJECT_ROOT } from './kairos-stack.ts';

/**
 * The cloud side. Environment-agnostic on purpose: `cdk synth` needs no credentials and makes no
 * lookups, so it runs offline and in CI; the account and Region come from the deploying profile.
 *
 * cdk-nag (AWS Solutions pack) runs on every synth; an unsuppressed finding fails it. Turn it off
 * for a quick local iteration with `cdk synth -c nag=false`.
 */
const app = new App();
/** Deployment settings from the context: `cdk deploy -c mailFrom=bookings@mail.example.org -c sesIdentityDomain=mail.example.org`. */
const setting = (name: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(name);
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const mailFrom = setting('mailFrom');
const sesIdentityDomain = setting('sesIdentityDomain');
const sesConfigurationSetName = setting('sesConfigurationSetName');
const publicBaseUrl = setting('publicBaseUrl');
// The built web apps are uploaded when `npm run build:web` has run; otherwise synth warns.
const webAssetsPath = path.resolve(PROJECT_ROOT, setting('webAssetsPath') ?? 'web/dist');
const webRootTenant = setting('webRootTenant');
const webDomainName = setting('webDomainName');
const webCertificateArn = setting('webCertificateArn');
new KairosStack(app, 'Kairos', {
  description: 'Kairos appointment booking: HTTP API, functions, table, booking mails, customer profiles, web apps on CloudFront',
  webAssetsPath,
  ...(webRootTenant ? { webRootTenant } : {}),
  ...(webDomainName ? { webDomainName } : {}),
  ...(webCertificateArn ? { webCertificateArn } : {}),
  ...(mailFrom ? { mailFrom } : {}),
  ...(sesIdentityDomain ? { sesIdentityDomain } : {}),
  ...(sesConfigurationSetName ? { sesConfigurationSetName } : {}),
  ...(publicBaseUrl ? { publicBaseUrl } : {}),
});
if (String(app.node.tryGetContext('nag') ?? 'true') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
app.synth();
