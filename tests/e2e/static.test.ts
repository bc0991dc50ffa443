import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '#infra/local/api-gateway';
import { createStaticSite } from '#infra/local/web';

/** The local static serving of the web apps, as npm start mounts it in front of the 404. */
describe('static serving of the web apps', () => {
  let dir: string;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kairos-web-'));
    await mkdir(path.join(dir, 'book'), { recursive: true });
    await mkdir(path.join(dir, 'assets'), { recursive: true });
    await writeFile(path.join(dir, 'book/index.html'), '<!doctype html><title>book</title>');
    await writeFile(path.join(dir, 'assets/book-abc123.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'not for the web');
    const site = createStaticSite({ dir });
    server = createServer((req, res) => {
      void site(req, res, new URL(req.url ?? '/', 'http://localhost')).then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end('fallthrough');
        }
      });
    });
    base = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const get = (p: string, init: RequestInit = {}) => fetch(`${base}${p}`, { redirect: 'manual', ...init });

  it('redirects the root to the demo booking page', async () => {
    const response = await get('/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/book/demo');
  });

  it('answers every path of the booking app and the manage links with its page, never cached', async () => {
    for (const p of ['/book/demo', '/book/demo/privacy', '/manage/bk_0123456789abcdef', '/preferences/']) {
      const response = await get(p);
      expect(response.status, p).toBe(200);
      expect(await response.text()).toContain('<title>book</title>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves hashed assets for a year and HEAD without a body', async () => {
    const response = await get('/assets/book-abc123.js');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
    const head = await get('/assets/book-abc123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('14');
  });

  it('serves nothing outside the build: traversal, unknown prefixes and other methods fall through', async () => {
    for (const p of ['/assets/..%2Fsecret.txt', '/assets/../secret.txt', '/secret.txt', '/v1/tenants/demo', '/assets/missing.js']) {
      const response = await get(p);
      expect(response.status, p).toBe(404);
      expect(await response.text()).toBe('fallthrough');
    }
    expect((await get('/book/demo', { method: 'POST' })).status).toBe(404);
  });

  it('says how to build when the apps are not built', async () => {
    const missing = createStaticSite({ dir: path.join(dir, 'nope') });
    const other = createServer((req, res) => void missing(req, res, new URL(req.url ?? '/', 'http://localhost')));
    const port = await listen(other, 0);
    const response = await fetch(`http://127.0.0.1:${port}/book/demo`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });
});
