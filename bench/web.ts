import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The web apps' JavaScript as a browser downloads it: everything an app's HTML loads (module
 * entry and modulepreloads), gzipped at level 9. The booking page is opened on phones, often on
 * poor connections: its budget is 60 KB. The e2e tier asserts it; the bench reports it.
 */
export const BOOKING_JS_BUDGET_BYTES = 60 * 1024;

/**
 * The staff apps (provider calendar, reception desk with the admin screens) run on desk PCs and
 * providers' phones over ordinary connections, all day: 100 KB gzipped each, everything their
 * HTML loads (shared chunks counted for each app). They share no code with the booking page
 * beyond Preact and the small lib modules, so neither budget pays for the other.
 */
export const STAFF_JS_BUDGET_BYTES = 100 * 1024;

/** Every app's HTML entry and its budget. */
export const webApps = [
  { app: 'booking page (/book/, /manage/)', entry: 'book/index.html', budgetBytes: BOOKING_JS_BUDGET_BYTES },
  { app: 'provider calendar (/calendar/)', entry: 'calendar/index.html', budgetBytes: STAFF_JS_BUDGET_BYTES },
  { app: 'reception desk (/desk/)', entry: 'desk/index.html', budgetBytes: STAFF_JS_BUDGET_BYTES },
] as const;

export interface WebScript {
  src: string;
  bytes: number;
  gzipBytes: number;
  text: string;
}

export interface WebBundle {
  app: string;
  entry: string;
  scripts: Array<Omit<WebScript, 'text'>>;
  rawBytes: number;
  gzipBytes: number;
  budgetBytes: number;
}

export async function scriptsOf(webDir: string, entry: string): Promise<WebScript[]> {
  const html = await readFile(path.join(webDir, entry), 'utf8');
  const sources = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
  return Promise.all(
    sources.map(async (src) => {
      const body = await readFile(path.join(webDir, src.replace(/^\//, '')));
      return { src, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length, text: body.toString('utf8') };
    }),
  );
}

/** Builds the web apps into a temporary directory (never web/dist, which npm start may be serving) and measures them. */
export async function measureWebBundles(root: string): Promise<WebBundle[]> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(path.join(tmpdir(), 'kairos-web-bench-'));
  try {
    await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    return Promise.all(
      webApps.map(async (app) => {
        const scripts = (await scriptsOf(outDir, app.entry)).map(({ text: _text, ...rest }) => rest);
        return { ...app, scripts, rawBytes: scripts.reduce((s, x) => s + x.bytes, 0), gzipBytes: scripts.reduce((s, x) => s + x.gzipBytes, 0) };
      }),
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
