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
    const apps = [{ app: 'booking page (/book/, /manage/)', entry: 'book/index.html', budgetBytes: BOOKING_JS_BUDGET_BYTES }];
    return Promise.all(
      apps.map(async (app) => {
        const scripts = (await scriptsOf(outDir, app.entry)).map(({ text: _text, ...rest }) => rest);
        return { ...app, scripts, rawBytes: scripts.reduce((s, x) => s + x.bytes, 0), gzipBytes: scripts.reduce((s, x) => s + x.gzipBytes, 0) };
      }),
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
