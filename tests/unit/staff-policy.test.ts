import { describe, expect, it } from 'vitest';
import { strandedBookings, withinWorkingHours } from '#shared/domain/booking';
import type { ProviderCalendar } from '#shared/domain/slots';
import { assertMayTouchBooking, assertStaffPolicy, parseGroups, type Principal, type Role } from '#shared/domain/staff';

const principal = (roles: Role[], extra: Partial<Principal> = {}): Principal => ({ userId: 'u1', tenantId: 'acme', roles: new Set(roles), ...extra });
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('parseGroups', () => {
  it.each([
    [['admin', 'reception'], ['admin', 'reception']],
    ['[admin reception]', ['admin', 'reception']],
    ['[provider]', ['provider']],
    ['admin,reception', ['admin', 'reception']],
    ['["admin","provider"]', ['admin', 'provider']],
    ['reception', ['reception']],
  ])('reads %j', (value, expected) => {
    expect([...parseGroups(value)].sort()).toEqual(expected);
  });

  it.each([undefined, null, 42, '', '[]', '["admin"', { admin: true }, ['superuser', 'Admin'], '[root]'])('finds no role in %j', (value) => {
    expect(parseGroups(value).size).toBe(0);
  });

  it('keeps the known roles of a mixed list and drops the rest', () => {
    expect([...parseGroups('[us-east-1_Abc_Google admin]')]).toEqual(['admin']);
  });
});

describe('assertStaffPolicy', () => {
  const adminsAndProviders = { roles: ['admin', 'provider'] as Role[], ownership: 'ownProvider' as const };

  it('refuses a role the route does not name', () => {
    expect(codeOf(() => assertStaffPolicy(principal(['reception']), adminsAndProviders, { tenantId: 'acme', providerId: 'p1' }))).toBe('forbidden');
  });

  it('refuses a principal of another tenant even with the right role', () => {
    expect(codeOf(() => assertStaffPolicy(principal(['admin'], { tenantId: 'rival' }), adminsAndProviders, { tenantId: 'acme' }))).toBe('forbidden');
  });

  it('limits a provider to their own provider on ownProvider routes', () => {
    const p1 = principal(['provider'], { providerId: 'p1' });
    expect(codeOf(() => assertStaffPolicy(p1, adminsAndProviders, { tenantId: 'acme', providerId: 'p1' }))).toBe('ok');
    expect(codeOf(() => assertStaffPolicy(p1, adminsAndProviders, { tenantId: 'acme', providerId: 'p2' }))).toBe('forbidden');
    expect(codeOf(() => assertStaffPolicy(principal(['provider']), adminsAndProviders, { tenantId: 'acme', providerId: 'p1' }))).toBe('forbidden');
  });

  it('does not limit a provider who also holds an unrestricted role', () => {
    const both = principal(['provider', 'admin'], { providerId: 'p1' });
    expect(codeOf(() => assertStaffPolicy(both, adminsAndProviders, { tenantId: 'acme', providerId: 'p2' }))).toBe('ok');
  });

  it('lets a provider touch only bookings of their own calendar', () => {
    const p1 = principal(['provider'], { providerId: 'p1' });
    expect(codeOf(() => assertMayTouchBooking(p1, ['admin', 'reception', 'provider'], { providerId: 'p1' }))).toBe('ok');
    expect(codeOf(() => assertMayTouchBooking(p1, ['admin', 'reception', 'provider'], { providerId: 'p2' }))).toBe('forbidden');
    expect(codeOf(() => assertMayTouchBooking(principal(['reception']), ['admin', 'reception', 'provider'], { providerId: 'p2' }))).toBe('ok');
  });
});

describe('strandedBookings', () => {
  const calendar = (hours: Array<[string, string]>, zone = 'Europe/Berlin'): ProviderCalendar => ({
    providerId: 'p1',
    timeZone: zone,
    weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] },
    exceptions: [],
    taken: new Map(),
  });
  const booking = (start: string, end: string, status: 'confirmed' | 'cancelled' = 'confirmed') => ({ start, end, status });
  // Tuesday 2026-11-24, Berlin = UTC+1.
  const morning = booking('2026-11-24T08:00:00Z', '2026-11-24T08:30:00Z');
  const afternoon = booking('2026-11-24T14:00:00Z', '2026-11-24T14:30:00Z');
  const evening = booking('2026-11-24T18:00:00Z', '2026-11-24T18:30:00Z');

  it('lists bookings inside the old hours and outside the new ones', () => {
    expect(strandedBookings(calendar([['09:00', '17:00']]), calendar([['09:00', '12:00']]), [morning, afternoon, evening])).toEqual([afternoon]);
  });

  it('ignores cancelled bookings and those already outside the hours (overrides)', () => {
    const cancelled = booking('2026-11-24T14:00:00Z', '2026-11-24T14:30:00Z', 'cancelled');
    expect(strandedBookings(calendar([['09:00', '17:00']]), calendar([['09:00', '12:00']]), [cancelled, evening])).toEqual([]);
  });

  it('lists every booking inside the hours when the provider stops working', () => {
    expect(strandedBookings(calendar([['09:00', '17:00']]), undefined, [morning, afternoon])).toEqual([morning, afternoon]);
  });

  it('counts a booking that straddles a break as outside', () => {
    const overLunch = booking('2026-11-24T10:45:00Z', '2026-11-24T11:15:00Z');
    expect(withinWorkingHours(calendar([['09:00', '17:00']]), overLunch)).toBe(true);
    expect(withinWorkingHours(calendar([['09:00', '12:00'], ['12:30', '17:00']]), overLunch)).toBe(false);
  });

  it('reads the hours in the provider zone: a zone change can strand a booking', () => {
    expect(strandedBookings(calendar([['09:00', '17:00']]), calendar([['09:00', '17:00']], 'America/New_York'), [morning])).toEqual([morning]);
  });
});
