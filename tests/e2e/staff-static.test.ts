import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '#infra/local/api-gateway';
import { createStaticSite } from '#infra/local/web';

/** The staff apps on the local static server: every path under /calendar/ and /desk/ is its app's page. */
describe('static serving of the staff apps', () => {
  let dir: string;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kairos-staff-web-'));
    for (const app of ['book', 'calendar', 'desk']) {
      await mkdir(path.join(dir, app), { recursive: true });
      await writeFile(path.join(dir, app, 'index.html'), `<!doctype html><title>${app}</title>`);
    }
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

  it('answers the app routes with their own page, never cached, with the security headers', async () => {
    for (const [p, app] of [
      ['/desk', 'desk'],
      ['/desk/', 'desk'],
      ['/desk/customers/cus_0123456789', 'desk'],
      ['/desk/admin/journeys', 'desk'],
      ['/calendar/', 'calendar'],
      ['/calendar/hours', 'calendar'],
    ] as const) {
      const response = await fetch(`${base}${p}`);
      expect(response.status, p).toBe(200);
      expect(await response.text(), p).toContain(`<title>${app}</title>`);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    }
  });

  it('leaves look-alike paths to the API’s 404', async () => {
    for (const p of ['/desktop', '/calendars/x', '/v1/staff/tenants/demo']) {
      const response = await fetch(`${base}${p}`);
      expect(response.status, p).toBe(404);
      expect(await response.text()).toBe('fallthrough');
    }
  });
});
