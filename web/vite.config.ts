import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The web apps, one Vite multi-page build: each app is an HTML entry under its own path, all
 * share /assets/. Served same-origin with the API (locally by infra/local/web.ts, in the cloud
 * by CloudFront), so the apps call /v1/* with relative URLs and need no CORS.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The budget is measured gzipped on what ships; a source map is not shipped.
    sourcemap: false,
    rolldownOptions: {
      // The staff apps share their code in chunks of their own: nothing of it reaches /book/.
      input: { book: here('book/index.html'), calendar: here('calendar/index.html'), desk: here('desk/index.html') },
    },
  },
});
