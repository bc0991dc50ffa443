import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  clockTimeSchema,
  customerSchema,
  dayHoursSchema,
  providerProfileSchema,
  providerSchema,
  serviceSchema,
  timeRangeSchema,
  timeZoneSchema,
  weeklyHoursSchema,
  type TenantFileInput,
} from '#shared/domain/schemas';
import { jsonPath, parseTenantFile } from '#shared/domain/tenant-file';
import { computeOpenSlots } from '#shared/domain/slots';
import { scheduleOnly, slotRules } from '#shared/domain/booking';
import { at, dayWindow, starts } from './support.ts';

const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((i) => i.message) ?? [];

/** A small valid tenant file; each test breaks one thing. */
const tenant = (): TenantFileInput => ({
  id: 'acme',
  name: 'Acme Clinic',
  timeZone: 'Europe/Berlin',
  locale: 'en',
  policy: { selfServiceCutoffMinutes: 60 },
  services: [
    { id: 'cut', name: 'Cut', durationMinutes: 30, providerIds: ['p1', 'p2'] },
    { id: 'long', name: 'Long', durationMinutes: 60, bufferAfterMinutes: 15, providerIds: ['p1'] },
  ],
  providers: [
    { id: 'p1', name: 'Pat One', weeklyHours: { mon: [['09:00', '17:00']] } },
    { id: 'p2', name: 'Pia Two', timeZone: 'America/New_York', weeklyHours: { tue: [['09:00', '12:00']] } },
  ],
});

const problemsOf = (input: unknown) => {
  const result = parseTenantFile(input);
  if (result.ok) throw new Error('expected the tenant file to be rejected');
  return result.problems;
};

describe('clock times', () => {
  it.each(['00:00', '09:05', '23:55', '24:00'])('accepts %s', (value) => {
    expect(clockTimeSchema.safeParse(value).success).toBe(true);
  });

  it.each(['25:00', '24:05', '9:00', '09:60', '0900', ''])('rejects %j as not a time', (value) => {
    expect(messages(clockTimeSchema.safeParse(value))).toContain('must be a time HH:mm between 00:00 and 24:00');
  });

  it.each(['09:07', '12:01', '23:59'])('rejects %s as off the 5-minute grid', (value) => {
    expect(messages(clockTimeSchema.safeParse(value))).toEqual(['must be on a 5-minute boundary']);
  });
});

describe('time ranges and day hours', () => {
  it('accepts a whole day from 00:00 to 24:00', () => {
    expect(timeRangeSchema.safeParse(['00:00', '24:00']).success).toBe(true);
  });

  it.each([
    ['10:00', '09:00'],
    ['09:00', '09:00'],
    ['24:00', '24:00'],
  ])('rejects a range from %s to %s because start is not before end', (start, end) => {
    expect(messages(timeRangeSchema.safeParse([start, end]))).toContain('start must be before end');
  });

  it('rejects overlapping ranges at the index of the second one', () => {
    const result = dayHoursSchema.safeParse([
      ['09:00', '12:00'],
      ['11:30', '13:00'],
    ]);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: [1], message: 'ranges must be sorted and must not overlap' });
  });

  it('rejects ranges that do not overlap but are out of order', () => {
    expect(dayHoursSchema.safeParse([['13:00', '17:00'], ['08:00', '12:00']]).success).toBe(false);
  });

  it('accepts a break between two ranges and ranges that touch', () => {
    expect(dayHoursSchema.safeParse([['08:00', '12:00'], ['13:00', '17:00']]).success).toBe(true);
    expect(dayHoursSchema.safeParse([['08:00', '12:00'], ['12:00', '17:00']]).success).toBe(true);
  });

  it('fills the days a week leaves out with no hours', () => {
    expect(weeklyHoursSchema.parse({ sat: [['09:00', '14:00']] })).toEqual({
      mon: [],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [['09:00', '14:00']],
      sun: [],
    });
  });

  it('rejects a misspelt weekday instead of ignoring it', () => {
    expect(weeklyHoursSchema.safeParse({ monday: [['09:00', '17:00']] }).success).toBe(false);
  });
});

describe('time zones', () => {
  it.each(['Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'Etc/GMT+2', 'America/Argentina/Buenos_Aires'])('accepts %s', (zone) => {
    expect(timeZoneSchema.safeParse(zone).success).toBe(true);
  });

  it.each(['Europe/Berln', 'Mars/Olympus_Mons', 'Berlin', '', '+02:00', 'UTC+2'])('rejects %j', (zone) => {
    expect(messages(timeZoneSchema.safeParse(zone))).toEqual(['must be an IANA time zone such as Europe/Berlin']);
  });
});

describe('services', () => {
  const service = { id: 'cut', name: 'Cut', durationMinutes: 30, providerIds: ['p1'] };

  it('applies the defaults: no buffers, no notice, a 60-day horizon, active', () => {
    expect(serviceSchema.parse(service)).toMatchObject({
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 0,
      horizonDays: 60,
      active: true,
    });
    expect(serviceSchema.parse(service).slotIntervalMinutes).toBeUndefined();
  });

  it.each([
    ['durationMinutes', 32],
    ['bufferBeforeMinutes', 7],
    ['bufferAfterMinutes', 12],
    ['slotIntervalMinutes', 21],
  ])('rejects %s = %i as not a multiple of 5', (field, value) => {
    const result = serviceSchema.safeParse({ ...service, [field]: value });

    expect(result.error?.issues).toEqual([expect.objectContaining({ path: [field], message: 'must be a multiple of 5' })]);
  });

  it('rejects a duration of zero', () => {
    expect(messages(serviceSchema.safeParse({ ...service, durationMinutes: 0 }))).toContain('must be positive');
  });

  it('rejects a duration plus buffers longer than eight hours', () => {
    const result = serviceSchema.safeParse({ ...service, durationMinutes: 450, bufferAfterMinutes: 35 });

    expect(messages(result)).toEqual(['duration plus buffers must not exceed 8 hours']);
  });

  it('rejects a service without providers', () => {
    expect(serviceSchema.safeParse({ ...service, providerIds: [] }).success).toBe(false);
  });

  it('rejects an id with capitals or spaces', () => {
    expect(serviceSchema.safeParse({ ...service, id: 'Hair Cut' }).success).toBe(false);
  });
});

describe('providers', () => {
  it('rejects the same exception date listed twice, pointing at the second', () => {
    const result = providerSchema.safeParse({
      id: 'p1',
      name: 'Pat',
      weeklyHours: {},
      exceptions: [
        { date: '2026-12-24', hours: [] },
        { date: '2026-12-24', hours: [['09:00', '12:00']] },
      ],
    });

    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['exceptions', 1, 'date'], message: 'date is listed twice' })]);
  });

  it('rejects an exception date that is not a calendar date', () => {
    expect(providerSchema.safeParse({ id: 'p1', name: 'Pat', weeklyHours: {}, exceptions: [{ date: '2026-02-30', hours: [] }] }).success).toBe(false);
  });

  it('rejects an invalid e-mail address', () => {
    expect(providerSchema.safeParse({ id: 'p1', name: 'Pat', email: 'pat-at-example', weeklyHours: {} }).success).toBe(false);
  });

  it('sends the provider no copy of booking changes unless asked to', () => {
    expect(providerSchema.parse({ id: 'p1', name: 'Pat', weeklyHours: {} }).notifyOnBookingChanges).toBe(false);
    expect(providerSchema.parse({ id: 'p1', name: 'Pat', weeklyHours: {}, notifyOnBookingChanges: true }).notifyOnBookingChanges).toBe(true);
  });

  it('rejects a copy setting that is not a boolean', () => {
    expect(messages(providerSchema.safeParse({ id: 'p1', name: 'Pat', weeklyHours: {}, notifyOnBookingChanges: 'yes' }))).toHaveLength(1);
  });

  it('lets an admin turn the copy of booking changes on and off with the profile, off when left out', () => {
    expect(providerProfileSchema.parse({ name: 'Pat', notifyOnBookingChanges: true })).toEqual({ name: 'Pat', notifyOnBookingChanges: true });
    expect(providerProfileSchema.parse({ name: 'Pat' })).toEqual({ name: 'Pat', notifyOnBookingChanges: false });
    expect(providerProfileSchema.safeParse({ name: 'Pat', notifyOnBookingChanges: 1 }).success).toBe(false);
  });
});

describe('customers', () => {
  const customer = { name: 'Ana Garcia', email: 'ana@example.com' };

  it('accepts a name and an e-mail address and trims the name', () => {
    expect(customerSchema.parse({ ...customer, name: '  Ana Garcia ' })).toEqual(customer);
  });

  it.each(['ana', 'ana@', '@example.com', 'ana@example', 'ana example@example.com'])('rejects the e-mail address %j', (email) => {
    const result = customerSchema.safeParse({ ...customer, email });

    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['email'], message: 'must be a valid e-mail address' })]);
  });

  it('rejects a name of only spaces', () => {
    expect(customerSchema.safeParse({ ...customer, name: '   ' }).success).toBe(false);
  });

  it('accepts an international phone number and rejects letters', () => {
    expect(customerSchema.safeParse({ ...customer, phone: '+49 30 1234567' }).success).toBe(true);
    expect(customerSchema.safeParse({ ...customer, phone: 'call me' }).success).toBe(false);
  });

  it('rejects fields it does not know', () => {
    expect(customerSchema.safeParse({ ...customer, admin: true }).success).toBe(false);
  });
});

describe('parseTenantFile', () => {
  it('splits a valid file into tenant, services and providers, with defaults applied', () => {
    const result = parseTenantFile({ $schema: './tenant.schema.json', ...tenant() });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.tenant).toEqual({
      id: 'acme',
      name: 'Acme Clinic',
      timeZone: 'Europe/Berlin',
      locale: 'en',
      policy: { selfServiceCutoffMinutes: 60 },
    });
    expect(result.config.services.map((s) => s.id)).toEqual(['cut', 'long']);
    expect(result.config.providers[0]?.weeklyHours.tue).toEqual([]);
    expect(result.config.providers[0]?.exceptions).toEqual([]);
  });

  it('reports a duration off the grid at its JSONPath', () => {
    const file = tenant();
    file.services[0]!.durationMinutes = 32;

    expect(problemsOf(file)).toEqual([{ path: '$.services[0].durationMinutes', message: 'must be a multiple of 5' }]);
  });

  it("reports an unknown provider in a service's providerIds at its JSONPath", () => {
    const file = tenant();
    file.services[1]!.providerIds = ['p1', 'ghost'];

    expect(problemsOf(file)).toEqual([{ path: '$.services[1].providerIds[1]', message: 'unknown provider "ghost"' }]);
  });

  it('reports a duplicate provider id at the second occurrence', () => {
    const file = tenant();
    file.providers.push({ id: 'p1', name: 'Pat Again', weeklyHours: {} });

    expect(problemsOf(file)).toEqual([{ path: '$.providers[2].id', message: 'duplicate id "p1"' }]);
  });

  it('reports a duplicate service id at the second occurrence', () => {
    const file = tenant();
    file.services.push({ id: 'cut', name: 'Cut again', durationMinutes: 30, providerIds: ['p1'] });

    expect(problemsOf(file)).toEqual([{ path: '$.services[2].id', message: 'duplicate id "cut"' }]);
  });

  it('reports an invalid tenant or provider time zone at its JSONPath', () => {
    const file = tenant();
    file.timeZone = 'Europe/Berln';
    file.providers[1]!.timeZone = 'America/New_Yrok';

    expect(problemsOf(file).map((p) => p.path)).toEqual(['$.timeZone', '$.providers[1].timeZone']);
  });

  it('reports an invalid time and overlapping ranges deep in the weekly hours', () => {
    const file = tenant();
    file.providers[0]!.weeklyHours = {
      mon: [['09:00', '25:00']],
      tue: [['09:00', '12:00'], ['11:00', '13:00']],
      wed: [['09:07', '12:00']],
    };

    expect(problemsOf(file)).toEqual([
      { path: '$.providers[0].weeklyHours.mon[0][1]', message: 'must be a time HH:mm between 00:00 and 24:00' },
      { path: '$.providers[0].weeklyHours.tue[1]', message: 'ranges must be sorted and must not overlap' },
      { path: '$.providers[0].weeklyHours.wed[0][0]', message: 'must be on a 5-minute boundary' },
    ]);
  });

  it('carries a reminder policy into the tenant settings', () => {
    const reminders = { before: ['P2D', 'PT1H'], quietHours: { start: '22:00', end: '07:30' } };
    const result = parseTenantFile({ ...tenant(), reminders });

    expect(result.ok && result.config.tenant.reminders).toEqual(reminders);
  });

  it('reports an invalid reminder policy at its JSONPath', () => {
    expect(problemsOf({ ...tenant(), reminders: { before: ['P1D', 'P1D'], quietHours: { start: '25:00', end: '08:00' } } })).toEqual([
      { path: '$.reminders.before[1]', message: '"P1D" is listed twice' },
      { path: '$.reminders.quietHours.start', message: 'must be a time HH:mm between 00:00 and 23:59' },
    ]);
  });

  it('reports every problem at once, not just the first', () => {
    const file = tenant();
    file.services[0]!.durationMinutes = 32;
    file.services[0]!.providerIds = ['ghost'];

    expect(problemsOf(file).map((p) => p.path)).toEqual(['$.services[0].durationMinutes', '$.services[0].providerIds[0]']);
  });

  it('reports an unknown top-level key at the root', () => {
    expect(problemsOf({ ...tenant(), colour: 'blue' })).toEqual([{ path: '$', message: expect.stringContaining('colour') }]);
  });

  it('rejects something that is not a tenant file at all', () => {
    expect(problemsOf(null)).toHaveLength(1);
    expect(problemsOf([])[0]?.path).toBe('$');
  });
});

describe('jsonPath', () => {
  it('writes property names with dots and indices with brackets', () => {
    expect(jsonPath(['services', 1, 'providerIds', 0])).toBe('$.services[1].providerIds[0]');
  });

  it('writes the root as $', () => {
    expect(jsonPath([])).toBe('$');
  });
});

describe('the demo tenant (infra/tenants/demo.json)', () => {
  const demo: unknown = JSON.parse(readFileSync(new URL('../../infra/tenants/demo.json', import.meta.url), 'utf8'));
  const parsed = parseTenantFile(demo);
  const config = () => {
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.config;
  };
  const provider = (id: string) => config().providers.find((p) => p.id === id) ?? (() => { throw new Error(id); })();
  const service = (id: string) => config().services.find((s) => s.id === id) ?? (() => { throw new Error(id); })();

  it('parses without problems', () => {
    expect(parsed).toMatchObject({ ok: true });
  });

  it('reminds customers the day before and two hours before, never between 21:00 and 08:00', () => {
    expect(config().tenant.reminders).toEqual({ before: ['P1D', 'PT2H'], quietHours: { start: '21:00', end: '08:00' } });
  });

  it('has three providers and four services', () => {
    expect(config().providers).toHaveLength(3);
    expect(config().services).toHaveLength(4);
  });

  it('has exactly one provider who works on Saturdays', () => {
    expect(config().providers.filter((p) => p.weeklyHours.sat.length > 0).map((p) => p.id)).toEqual(['ben']);
  });

  it('has a provider with a lunch break, during which nobody can book her', () => {
    const anna = provider('anna');
    expect(anna.weeklyHours.mon).toEqual([['08:00', '12:00'], ['13:00', '17:00']]);

    // Monday 2026-11-30 in Berlin (UTC+1): a 60-minute first visit every 30 minutes.
    const slots = computeOpenSlots(scheduleOnly(config(), anna), slotRules(service('first-visit')), {
      ...dayWindow('Europe/Berlin', '2026-11-30'),
      now: at('2026-11-23T08:00:00Z'),
    });

    expect(starts(slots)).toContain('2026-11-30T10:00:00Z'); // 11:00-12:00
    expect(starts(slots)).not.toContain('2026-11-30T10:30:00Z'); // would run into the break
    expect(starts(slots)).toContain('2026-11-30T12:00:00Z'); // 13:00 after the break
    expect(slots).toHaveLength(7 + 7);
  });

  it('has a massage with a 10-minute buffer after it', () => {
    expect(service('massage')).toMatchObject({ durationMinutes: 45, bufferAfterMinutes: 10, bufferBeforeMinutes: 0 });
  });

  it('offers every service only by providers that exist', () => {
    const ids = new Set(config().providers.map((p) => p.id));

    expect(config().services.flatMap((s) => s.providerIds).every((id) => ids.has(id))).toBe(true);
  });

  it('closes Anna on Christmas Eve but not the day before', () => {
    const on = (date: string) =>
      computeOpenSlots(scheduleOnly(config(), provider('anna')), slotRules(service('treatment')), {
        ...dayWindow('Europe/Berlin', date),
        now: at('2026-12-01T08:00:00Z'),
      });

    expect(on('2026-12-24')).toEqual([]);
    expect(on('2026-12-23')).toHaveLength(16);
  });
});
