import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routes } from '#shared/api/routes';
import { DEFAULT_REMINDER_POLICY } from '#shared/domain/reminders';
import { DEFAULT_JOURNEYS } from '#shared/journeys/rules';
import { LocalIssuer } from '#infra/local/identity/issuer';
import { rangeProblem } from '../../web/calendar/ranges.ts';
import { DEFAULT_REMINDERS, formatLead, parseLead } from '../../web/desk/admin/leads.ts';
import { humanDuration, ruleSummary } from '../../web/desk/admin/rule-summary.ts';
import { looksLikeEmail, looksLikePhone } from '../../web/desk/lookup.ts';
import { languages } from '../../web/lib/lang.ts';
import { readSession, saveSession, SESSION_KEY, sessionOf } from '../../web/lib/session.ts';
import { staffRoutes } from '../../web/lib/staff-api.ts';
import { staffCatalogues, staffTranslator } from '../../web/lib/staff-i18n.ts';
import { localDateOf } from '../../web/lib/time.ts';
import { dayRange, instantOf, wallTimeOf, weekStart } from '../../web/lib/zoned.ts';

/** The staff apps' pure modules, in Node: what the browser tests would only show indirectly. */

describe('wall times in a zone', () => {
  it('turn into the instants the zone shows them at, DST days included', () => {
    expect(instantOf('2026-11-25', '13:00', 'Europe/Berlin')).toBe('2026-11-25T12:00:00Z');
    expect(instantOf('2026-07-01', '13:00', 'Europe/Berlin')).toBe('2026-07-01T11:00:00Z');
    // The clock skips 02:00–03:00: a time in the gap is the jump itself, as the slot engine reads working hours.
    expect(instantOf('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T01:00:00Z');
    expect(instantOf('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:00:00Z');
    // The clock shows 02:00–03:00 twice: the first of them.
    expect(instantOf('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00Z');
    expect(instantOf('2026-01-01', '09:00', 'Asia/Kathmandu')).toBe('2026-01-01T03:15:00Z');
    expect(instantOf('2026-06-01', '00:00', 'Pacific/Kiritimati')).toBe('2026-05-31T10:00:00Z');
  });

  it('read back to the same local date and time (property: any 5-minute instant, six zones)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'UTC'];
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * 365 * 288 }), fc.constantFrom(...zones), (steps, zone) => {
        const at = start + steps * 300_000;
        const date = localDateOf(at, zone);
        const time = wallTimeOf(at, zone);
        const back = Date.parse(instantOf(date, time, zone));
        // Either the instant itself, or — in a repeated hour — the first time the clock showed it.
        expect(back).toBeLessThanOrEqual(at);
        expect(localDateOf(back, zone)).toBe(date);
        expect(wallTimeOf(back, zone)).toBe(time);
      }),
      { numRuns: 2000 },
    );
  });

  it('make days of 23 and 25 hours at the changes, and weeks that start on Monday', () => {
    const hours = (date: string) => {
      const { from, to } = dayRange(date, 'Europe/Berlin');
      return (Date.parse(to) - Date.parse(from)) / 3_600_000;
    };
    expect([hours('2026-03-29'), hours('2026-10-25'), hours('2026-11-25')]).toEqual([23, 25, 24]);
    expect([weekStart('2026-11-26'), weekStart('2026-11-23'), weekStart('2026-11-29')]).toEqual(['2026-11-23', '2026-11-23', '2026-11-23']);
  });
});

describe('the staff session', () => {
  const memory = () => {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k), items };
  };
  async function token(subject: { role: 'admin' | 'reception' | 'provider'; providerId?: string }, claims?: Record<string, unknown>) {
    const issuer = await LocalIssuer.create();
    issuer.setBaseUrl('http://localhost:3000');
    const { idToken } = await issuer.issue({ userId: 'u-1', tenantId: 'demo', email: 'anna@demo.kairos.test', name: 'Anna', ...subject }, claims ? { claims } : {});
    return idToken;
  }

  it('reads tenant, role and provider from an ID token, counting the lifetime on this device’s clock', async () => {
    const session = sessionOf(await token({ role: 'provider', providerId: 'anna' }), 1_000_000);
    expect(session).toMatchObject({ tenantId: 'demo', userId: 'u-1', role: 'provider', providerId: 'anna', email: 'anna@demo.kairos.test', expiresAt: 1_000_000 });
    // Several groups: the strongest role.
    expect(sessionOf(await token({ role: 'provider' }, { 'cognito:groups': ['provider', 'admin'] }), 0)?.role).toBe('admin');
    expect(sessionOf(await token({ role: 'admin' }, { 'custom:tenantId': undefined }), 0), 'no tenant, no session').toBeUndefined();
    expect(sessionOf('not.a.token', 0)).toBeUndefined();
  });

  it('is kept for the tab until shortly before it expires, and anything unreadable is dropped', async () => {
    const storage = memory();
    const idToken = await token({ role: 'reception' });
    const saved = saveSession(storage, idToken, 3600, 5_000);
    expect(saved?.expiresAt).toBe(3_605_000);
    expect(JSON.parse(storage.items.get(SESSION_KEY)!)).toEqual({ idToken, expiresAt: 3_605_000 });
    expect(readSession(storage, 10_000)?.idToken).toBe(idToken);
    expect(readSession(storage, 3_605_000 - 29_000), 'within the last 30 seconds it is over').toBeUndefined();
    expect(storage.items.has(SESSION_KEY)).toBe(false);
    storage.setItem(SESSION_KEY, '{"idToken": 5');
    expect(readSession(storage, 0)).toBeUndefined();
    expect(storage.items.has(SESSION_KEY)).toBe(false);
  });
});

describe('the staff client', () => {
  it('names each route with the method and path of the route table', () => {
    for (const [id, route] of Object.entries(staffRoutes)) {
      const contract = routes[id as keyof typeof routes];
      expect({ id, method: route.method, path: route.path }).toEqual({ id, method: contract.method, path: contract.path });
    }
  });
});

describe('the staff catalogues', () => {
  it('have every text in every language, with the same placeholders as the English one', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of languages) {
      for (const [key, english] of Object.entries(staffCatalogues.en)) {
        const text = staffCatalogues[lang][key as keyof typeof staffCatalogues.en];
        expect(text.trim().length, `${lang}.${key}`).toBeGreaterThan(0);
        expect(placeholders(text), `${lang}.${key}`).toEqual(placeholders(english));
      }
    }
  });

  it('summarise every default journey rule in every language, with nothing left unfilled', () => {
    for (const lang of languages) {
      for (const rule of DEFAULT_JOURNEYS) expect(ruleSummary(rule, staffTranslator(lang), lang)).not.toMatch(/[{}]/);
    }
    expect(ruleSummary(DEFAULT_JOURNEYS[1]!, staffTranslator('en'), 'en-GB')).toBe('After a visit · wait 3 hours · mail: review-request · needs consent: reviews');
    expect(humanDuration('P1DT2H', 'en-GB')).toBe('1 day 2 hours');
    expect(humanDuration('P4W', 'de-DE')).toBe('4 Wochen');
    expect(humanDuration('P1M', 'en-GB'), 'not a journey duration: shown as written').toBe('P1M');
  });
});

describe('forms', () => {
  it('reminder leads: the form’s amount and unit and the API’s durations mean the same', () => {
    expect(DEFAULT_REMINDERS).toEqual(DEFAULT_REMINDER_POLICY);
    for (const lead of ['P1D', 'P2W', 'PT2H', 'PT30M']) expect(formatLead(parseLead(lead)!)).toBe(lead);
    expect(formatLead(parseLead('PT1H30M')!)).toBe('PT90M');
    expect([parseLead('P1M'), parseLead('PT'), parseLead('1D')]).toEqual([undefined, undefined, undefined]);
  });

  it('hour ranges are filled, on the 5-minute grid, in order and apart', () => {
    expect(rangeProblem([['08:00', '12:00'], ['13:00', '17:00']])).toBeUndefined();
    expect(rangeProblem([['08:00', '']])).toBe('fillTimes');
    expect(rangeProblem([['08:02', '12:00']])).toBe('fiveMinutes');
    expect(rangeProblem([['12:00', '08:00']])).toBe('endAfterStart');
    expect(rangeProblem([['08:00', '12:00'], ['11:00', '17:00']])).toBe('rangesOverlap');
  });

  it('what reception types: a phone number in any format, an e-mail, or a name', () => {
    for (const phone of ['030 / 987 654 32', '+49 (30) 123-4567', '0171.2345678']) expect(looksLikePhone(phone), phone).toBe(true);
    for (const other of ['Anna', 'garc', '12', 'Ana 030']) expect(looksLikePhone(other), other).toBe(false);
    expect([looksLikeEmail('lea@example.com'), looksLikeEmail('lea@'), looksLikeEmail('Lea Neumann')]).toEqual([true, false, false]);
  });
});
