import { describe, expect, it } from 'vitest';
import {
  assertActive,
  assertBeforeCutoff,
  assertBookableStart,
  endOf,
  findService,
  providersFor,
  providerZone,
  scheduleOnly,
  slotRules,
} from '#shared/domain/booking';
import { DomainError } from '#shared/domain/errors';
import type { Provider, Service, TenantConfig, TenantFileInput } from '#shared/domain/schemas';
import { parseTenantFile } from '#shared/domain/tenant-file';
import { at } from './support.ts';

const file: TenantFileInput = {
  id: 'acme',
  name: 'Acme Clinic',
  timeZone: 'Europe/Berlin',
  locale: 'en',
  policy: { selfServiceCutoffMinutes: 120 },
  services: [
    {
      id: 'cut',
      name: 'Cut',
      durationMinutes: 30,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      slotIntervalMinutes: 15,
      minNoticeMinutes: 60,
      horizonDays: 14,
      maxPerDayPerProvider: 8,
      providerIds: ['anna', 'ben', 'gone'],
    },
    { id: 'colour', name: 'Colour', durationMinutes: 90, providerIds: ['anna'] },
    { id: 'retired', name: 'Retired', durationMinutes: 30, providerIds: ['anna'], active: false },
  ],
  providers: [
    { id: 'anna', name: 'Anna', weeklyHours: { mon: [['09:00', '17:00']] } },
    { id: 'ben', name: 'Ben', timeZone: 'America/New_York', weeklyHours: { mon: [['09:00', '17:00']] } },
    { id: 'gone', name: 'Gone', weeklyHours: { mon: [['09:00', '17:00']] }, active: false },
  ],
};

const parsed = parseTenantFile(file);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config: TenantConfig = parsed.config;
const service = (id: string): Service => config.services.find((s) => s.id === id) as Service;
const provider = (id: string): Provider => config.providers.find((p) => p.id === id) as Provider;

/** The DomainError a call throws; fails the test if it throws nothing or something else. */
function errorOf(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('findService', () => {
  it('finds an active service by id', () => {
    expect(findService(config, 'colour').durationMinutes).toBe(90);
  });

  it('rejects an unknown service with unknown_service, naming the field', () => {
    const error = errorOf(() => findService(config, 'nope'));

    expect(error.code).toBe('unknown_service');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ field: 'serviceId' });
  });

  it('treats an inactive service as unknown', () => {
    expect(errorOf(() => findService(config, 'retired')).code).toBe('unknown_service');
  });

  it('names the field the caller asks for', () => {
    expect(errorOf(() => findService(config, 'nope', 'body.serviceId')).details).toEqual({ field: 'body.serviceId' });
  });
});

describe('providersFor', () => {
  it('lists the active providers offering the service when none is requested', () => {
    expect(providersFor(config, service('cut')).map((p) => p.id)).toEqual(['anna', 'ben']);
  });

  it('narrows to the requested provider when it offers the service', () => {
    expect(providersFor(config, service('cut'), 'ben').map((p) => p.id)).toEqual(['ben']);
  });

  it('rejects a provider the tenant does not have with unknown_provider', () => {
    const error = errorOf(() => providersFor(config, service('cut'), 'zed'));

    expect(error.code).toBe('unknown_provider');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ field: 'providerId' });
  });

  it('treats an inactive provider as unknown, even if listed for the service', () => {
    expect(errorOf(() => providersFor(config, service('cut'), 'gone')).code).toBe('unknown_provider');
  });

  it('rejects a provider who does not offer the service with provider_not_offering_service', () => {
    const error = errorOf(() => providersFor(config, service('colour'), 'ben'));

    expect(error.code).toBe('provider_not_offering_service');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ field: 'providerId' });
  });
});

describe('provider zone and schedule', () => {
  it("uses the provider's own zone and falls back to the tenant's", () => {
    expect(providerZone(config, provider('ben'))).toBe('America/New_York');
    expect(providerZone(config, provider('anna'))).toBe('Europe/Berlin');
  });

  it('builds a calendar with the schedule and no taken units', () => {
    const calendar = scheduleOnly(config, provider('ben'));

    expect(calendar).toMatchObject({ providerId: 'ben', timeZone: 'America/New_York', exceptions: [] });
    expect(calendar.taken.size).toBe(0);
  });

  it('copies every slot rule of a service', () => {
    expect(slotRules(service('cut'))).toEqual({
      durationMinutes: 30,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      slotIntervalMinutes: 15,
      minNoticeMinutes: 60,
      horizonDays: 14,
      maxPerDayPerProvider: 8,
    });
  });

  it('ends a booking one duration after its start', () => {
    expect(endOf(at('2026-05-04T07:00:00Z'), service('colour'))).toBe(at('2026-05-04T08:30:00Z'));
  });
});

describe('assertBookableStart', () => {
  // Friday 1 May 2026, 10:00 in Berlin. The next Monday is 4 May; Berlin is UTC+2, New York UTC-4.
  const now = at('2026-05-01T08:00:00Z');
  const reasonFor = (providerId: string, start: string, at_ = now) =>
    errorOf(() => assertBookableStart(config, service('cut'), provider(providerId), at(start), at_));

  it('accepts a start on the grid inside working hours', () => {
    expect(() => assertBookableStart(config, service('cut'), provider('anna'), at('2026-05-04T07:15:00Z'), now)).not.toThrow();
  });

  it("reads the working hours in the provider's zone", () => {
    expect(() => assertBookableStart(config, service('cut'), provider('ben'), at('2026-05-04T13:00:00Z'), now)).not.toThrow();
    expect(reasonFor('ben', '2026-05-04T07:15:00Z').details).toMatchObject({ reason: 'outside_working_hours' });
  });

  it.each([
    { reason: 'off_grid', start: '2026-05-04T07:10:00Z', now: '2026-05-01T08:00:00Z' },
    { reason: 'outside_working_hours', start: '2026-05-04T15:00:00Z', now: '2026-05-01T08:00:00Z' },
    { reason: 'min_notice', start: '2026-05-04T07:15:00Z', now: '2026-05-04T06:30:00Z' },
    { reason: 'beyond_horizon', start: '2026-05-18T07:00:00Z', now: '2026-05-01T08:00:00Z' },
  ])('rejects a start with slot_unavailable and reason $reason', ({ reason, start, now: clock }) => {
    const error = reasonFor('anna', start, at(clock));

    expect(error.code).toBe('slot_unavailable');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ field: 'start', reason });
    expect(error.message).toContain(reason.replaceAll('_', ' '));
  });
});

describe('assertBeforeCutoff', () => {
  // Cut-off 120 minutes: a booking at 10:00Z may be changed until 08:00Z.
  const booking = { start: '2026-05-04T10:00:00Z' };

  it('allows a change exactly at the deadline', () => {
    expect(() => assertBeforeCutoff(config, booking, at('2026-05-04T08:00:00Z'))).not.toThrow();
  });

  it('allows a change well before the deadline', () => {
    expect(() => assertBeforeCutoff(config, booking, at('2026-04-20T08:00:00Z'))).not.toThrow();
  });

  it('rejects a change a minute after the deadline with change_cutoff_passed', () => {
    const error = errorOf(() => assertBeforeCutoff(config, booking, at('2026-05-04T08:01:00Z')));

    expect(error.code).toBe('change_cutoff_passed');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ cutoffMinutes: 120, deadline: '2026-05-04T08:00:00.000Z' });
  });

  it('rejects a change a millisecond after the deadline', () => {
    expect(errorOf(() => assertBeforeCutoff(config, booking, at('2026-05-04T08:00:00.001Z'))).code).toBe('change_cutoff_passed');
  });

  it('rejects a change after the appointment has started', () => {
    expect(errorOf(() => assertBeforeCutoff(config, booking, at('2026-05-04T10:30:00Z'))).code).toBe('change_cutoff_passed');
  });

  it('allows a change until the start itself when the cut-off is zero', () => {
    const noCutoff: TenantConfig = { ...config, tenant: { ...config.tenant, policy: { selfServiceCutoffMinutes: 0 } } };

    expect(() => assertBeforeCutoff(noCutoff, booking, at('2026-05-04T10:00:00Z'))).not.toThrow();
    expect(errorOf(() => assertBeforeCutoff(noCutoff, booking, at('2026-05-04T10:00:00.001Z'))).code).toBe('change_cutoff_passed');
  });
});

describe('assertActive', () => {
  it('lets a confirmed booking be changed', () => {
    expect(() => assertActive({ status: 'confirmed' })).not.toThrow();
  });

  it('rejects a cancelled booking with booking_cancelled', () => {
    const error = errorOf(() => assertActive({ status: 'cancelled' }));

    expect(error.code).toBe('booking_cancelled');
    expect(error.status).toBe(409);
  });
});
