import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

/**
 * The booking page is opened on phones, often on a poor connection: at most 60 KB of JavaScript,
 * gzipped, for everything its HTML loads. Size, not speed, so it is asserted (bench/ reports it
 * in docs/benchmarks.md too).
 */
export const BOOKING_JS_BUDGET = 60 * 1024;

/** Every script the entry's HTML loads (module entry and modulepreloads), gzipped at level 9. */
export async function scriptsOf(webDir: string, entry: string) {
  const html = await readFile(path.join(webDir, entry), 'utf8');
  const sources = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
  return Promise.all(
    sources.map(async (src) => {
      const body = await readFile(path.join(webDir, src.replace(/^\//, '')));
      return { src, bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length, text: body.toString('utf8') };
    }),
  );
}

describe('the booking page bundle', () => {
  it('loads at most 60 KB of JavaScript, gzipped', async () => {
    const scripts = await scriptsOf(inject('webDir'), 'book/index.html');
    expect(scripts.length, 'the page loads its bundle').toBeGreaterThan(0);
    const total = scripts.reduce((sum, s) => sum + s.gzipped, 0);
    expect(total, scripts.map((s) => `${s.src}: ${s.gzipped} B`).join(', ')).toBeLessThanOrEqual(BOOKING_JS_BUDGET);
  });

  it('takes only types from shared/: no zod and no route table in the browser', async () => {
    const scripts = await scriptsOf(inject('webDir'), 'book/index.html');
    const code = scripts.map((s) => s.text).join('\n');
    expect(code).not.toContain('ZodError');
    expect(code, 'staff routes are not shipped to customers').not.toContain('/v1/staff/');
    expect(code, 'the client does carry its own paths').toContain('/v1/tenants/{tenantId}/availability');
  });
});
