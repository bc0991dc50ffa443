import { Charset, LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

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
 * How every function is bundled. KairosFunction passes it to NodejsFunction; `npm run bench`
 * builds with the same options, so the sizes in docs/benchmarks.md are the deployed sizes.
 */
export const lambdaBundling = {
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
  externalModules: [...LAZY_CREDENTIAL_PROVIDERS],
} as const satisfies BundlingOptions;
