import { describe, expect, inject, it } from 'vitest';
import { scriptsOf, STAFF_JS_BUDGET_BYTES } from '../../bench/web.ts';

/**
 * The staff apps' JavaScript: each at most 100 KB gzipped for everything its HTML loads (decision
 * 86), types only from shared/ like the booking page, and apart from the booking page both ways.
 */
describe('the staff apps’ bundles', () => {
  for (const entry of ['calendar/index.html', 'desk/index.html']) {
    it(`${entry} loads at most 100 KB of JavaScript, gzipped, and no zod`, async () => {
      const scripts = await scriptsOf(inject('webDir'), entry);
      expect(scripts.length, 'the page loads its bundle').toBeGreaterThan(0);
      const total = scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
      expect(total, scripts.map((s) => `${s.src}: ${s.gzipBytes} B`).join(', ')).toBeLessThanOrEqual(STAFF_JS_BUDGET_BYTES);
      const code = scripts.map((s) => s.text).join('\n');
      expect(code).not.toContain('ZodError');
      expect(code, 'the staff client carries its own paths').toContain('/v1/staff/tenants/{tenantId}');
      expect(code).toContain('/customers/lookup');
      expect(code, "the booking page's texts stay in its own chunk").not.toContain('Was möchten Sie buchen?');
    });
  }

  it('keeps the staff code out of what the booking page loads', async () => {
    const code = (await scriptsOf(inject('webDir'), 'book/index.html')).map((s) => s.text).join('\n');
    expect(code).not.toContain('kairos:staff-session');
    expect(code).not.toContain('Find a caller');
  });
});
