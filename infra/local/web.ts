import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The web apps on the local API's origin, as CloudFront serves them in the cloud: built files
 * from web/dist (`npm run build:web`, run by `npm start` first). Each app owns path prefixes and
 * answers every path under them with its index.html (the app routes in the browser); hashed
 * assets are cached for good, pages never. The root sends a visitor to the demo booking page.
 */

export const webDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Path prefix → the app's entry, relative to the build directory. */
export const webEntries: ReadonlyArray<{ prefix: string; entry: string }> = [
  { prefix: '/book/', entry: 'book/index.html' },
  // Manage links in mails (functions/adapters/links.ts) land here; the booking app handles them.
  { prefix: '/manage/', entry: 'book/index.html' },
  // The preferences link in marketing mails (Links.preferencesUrl): the same bundle.
  { prefix: '/preferences/', entry: 'book/index.html' },
  // The waitlist mail's offer and leave links (Links.waitlistOfferUrl, waitlistLeaveUrl): the same bundle.
  { prefix: '/waitlist/', entry: 'book/index.html' },
  // The staff apps: the provider's calendar and reception's desk (with the admin screens).
  { prefix: '/calendar/', entry: 'calendar/index.html' },
  { prefix: '/desk/', entry: 'desk/index.html' },
];

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The pages' CSP, here and in the cloud: one base, where the cloud adds the origins the staff
 * sign-in talks to besides its own (Cognito's endpoint, decision 117). Locally only 'self'.
 */
export function contentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src ${["'self'", ...connectSrc].join(' ')}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'`;
}

/**
 * Which staff sign-in the apps use (web/lib/auth.ts reads it once): here the local issuer. In the
 * cloud the BucketDeployment writes the same file naming the Cognito web client (decision 116).
 */
export const RUNTIME_CONFIG_PATH = '/kairos-config.json';
export const localRuntimeConfig = { auth: 'local' } as const;

/**
 * The same headers the CloudFront response-headers policy sets (infra/cdk/web-hosting.ts). The
 * apps load nothing from elsewhere and talk only to their own origin; the manage token lives in
 * the fragment, and no-referrer keeps even the booking id in the path out of other sites' logs.
 */
export const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy(),
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export interface StaticSiteOptions {
  /** The build directory (default web/dist). */
  dir?: string;
  /** Where `/` redirects (default the demo tenant's booking page). */
  rootRedirect?: string;
}

export type StaticSite = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export function createStaticSite(options: StaticSiteOptions = {}): StaticSite {
  const dir = path.resolve(options.dir ?? webDistDir);
  const rootRedirect = options.rootRedirect ?? '/book/demo';

  const send = async (req: IncomingMessage, res: ServerResponse, file: string, cache: string) => {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return false;
    }
    res.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'cache-control': cache,
      ...securityHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };

  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = url.pathname;
    if (pathname === '/' || pathname === '') {
      res.writeHead(302, { location: rootRedirect, 'cache-control': 'no-cache' });
      res.end();
      return true;
    }
    if (pathname === RUNTIME_CONFIG_PATH) {
      const body = JSON.stringify(localRuntimeConfig);
      res.writeHead(200, { 'content-type': types['.json']!, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-cache', ...securityHeaders });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (pathname.startsWith('/assets/')) {
      const name = pathname.slice('/assets/'.length);
      // Built assets are flat, hashed file names: anything else (../, subfolders) is not ours.
      if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return false;
      return send(req, res, path.join(dir, 'assets', name), 'public, max-age=31536000, immutable');
    }
    const app = webEntries.find((entry) => pathname === entry.prefix.slice(0, -1) || pathname.startsWith(entry.prefix));
    if (!app) return false;
    if (await send(req, res, path.join(dir, app.entry), 'no-cache')) return true;
    const built = await stat(dir).then(
      () => true,
      () => false,
    );
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(built ? `${app.entry} is missing from ${dir}: run npm run build:web\n` : `The web apps are not built (${dir} is missing): run npm run build:web\n`);
    return true;
  };
}
