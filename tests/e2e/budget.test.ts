import { describe, expect, inject, it } from 'vitest';
import { BOOKING_JS_BUDGET_BYTES, scriptsOf } from '../../bench/web.ts';

/**
 * The booking page is opened on phones, often on a poor connection: at most 60 KB of JavaScript,
 * gzipped, for everything its HTML loads. Size, not speed, so it is asserted (bench/ reports it
 * in docs/benchmarks.md too).
 */
describe('the booking page bundle', () => {
  it('loads at most 60 KB of JavaScript, gzipped', async () => {
    const scripts = await scriptsOf(inject('webDir'), 'book/index.html');
    expect(scripts.length, 'the page loads its bundle').toBeGreaterThan(0);
    const total = scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
    expect(total, scripts.map((s) => `${s.src}: ${s.gzipBytes} B`).join(', ')).toBeLessThanOrEqual(BOOKING_JS_BUDGET_BYTES);
  });

  it('takes only types from shared/: no zod and no route table in the browser', async () => {
    const scripts = await scriptsOf(inject('webDir'), 'book/index.html');
    const code = scripts.map((s) => s.text).join('\n');
    expect(code).not.toContain('ZodError');
    expect(code, 'staff routes are not shipped to customers').not.toContain('/v1/staff/');
    expect(code, 'the client does carry its own paths').toContain('/v1/tenants/{tenantId}/availability');
  });
});
