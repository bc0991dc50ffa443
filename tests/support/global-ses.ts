import type { TestProject } from 'vitest/node';
import { startSesLocal } from '#infra/local/ses-local';

declare module 'vitest' {
  export interface ProvidedContext {
    sesEndpoint: string;
  }
}

/**
 * One local SES for the integration tier. It runs in this process, so port 0 lets the kernel pick
 * a free port with no window for another process to take it (freePort is for the Java child of
 * global-dynamodb, which cannot report the port it got). Test files share its inbox: read your
 * own mails with `inboxMessages(endpoint, { to })` and a recipient only your test uses.
 */
export default async function setup(project: TestProject) {
  const ses = await startSesLocal({ port: 0 });
  project.provide('sesEndpoint', ses.endpoint);
  return () => ses.stop();
}
