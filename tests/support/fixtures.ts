import type { TenantFileInput } from '#shared/domain/schemas';

/** Monday to Friday, 09:00-17:00, no breaks. */
export const weekdays9to17 = {
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']],
  sat: [],
  sun: [],
} as TenantFileInput['providers'][number]['weeklyHours'];

/** A small tenant for tests: two providers 09:00-17:00 on weekdays, a few services. */
export function testTenant(overrides: Partial<TenantFileInput> = {}): TenantFileInput {
  return {
    id: 'acme',
    name: 'Acme Clinic',
    timeZone: 'Europe/Berlin',
    locale: 'en',
    policy: { selfServiceCutoffMinutes: 60 },
    services: [
      { id: 'cut', name: 'Cut', durationMinutes: 30, providerIds: ['p1', 'p2'], horizonDays: 30 },
      { id: 'long', name: 'Long', durationMinutes: 60, bufferAfterMinutes: 15, bufferBeforeMinutes: 10, slotIntervalMinutes: 15, providerIds: ['p1', 'p2'], horizonDays: 30 },
      { id: 'noticed', name: 'Needs notice', durationMinutes: 30, minNoticeMinutes: 240, horizonDays: 7, providerIds: ['p1'] },
      { id: 'capped', name: 'Two a day', durationMinutes: 30, maxPerDayPerProvider: 2, horizonDays: 30, providerIds: ['p2'] },
    ],
    providers: [
      { id: 'p1', name: 'Pat One', weeklyHours: weekdays9to17 },
      { id: 'p2', name: 'Pia Two', weeklyHours: weekdays9to17 },
    ],
    ...overrides,
  };
}

export const customer = (name = 'Ana Garcia', email = 'ana@example.com') => ({ name, email });
