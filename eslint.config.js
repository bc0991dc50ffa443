import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const zodNamespaceOnly = {
  selector: "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
  message: "Use `import * as z from 'zod'` so bundles tree-shake.",
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'reports/', 'web/dist/', '.local-data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      // `import { z }` pulls zod's whole namespace (every locale) into each Lambda bundle: about
      // 450 KB instead of 85 KB. A namespace import lets esbuild keep only what is used.
      'no-restricted-syntax': ['error', zodNamespaceOnly],
    },
  },
  {
    // Tests read JSON response bodies; typing every one of them would add noise, not safety.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // shared/ is the functional core: no I/O, no SDK, no environment, no clock.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*', 'aws-cdk-lib', 'aws-cdk-lib/*'], message: 'shared/ must not talk to AWS.' },
            { group: ['#functions/*', '#infra/*', '../../functions/*', '../../infra/*'], message: 'shared/ must not import the shell.' },
            { group: ['node:*', 'fs', 'http', 'https', 'child_process', 'crypto'], message: 'shared/ is pure: pass what it needs in.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass a clock in.' },
        { object: 'process', property: 'env', message: 'Read configuration in functions/, not in the core.' },
        { object: 'Math', property: 'random', message: 'Pass randomness in.' },
      ],
      'no-restricted-syntax': [
        'error',
        zodNamespaceOnly,
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass a clock in: no new Date() in the core.' },
      ],
    },
  },
);
