import type * as z from 'zod';
import type { settingsBodySchema } from '#shared/api/staff-routes';
import { scheduleOnly, strandedBookings } from '#shared/domain/booking';
import { DomainError } from '#shared/domain/errors';
import { providerSchema, serviceSchema, type Provider, type Service, type TenantConfig } from '#shared/domain/schemas';
import { publicBooking } from '#functions/adapters/entities/booking';
import { validationError } from '#functions/lib/http';
import type { AppDeps } from './deps.ts';
import { isoInstant } from '#shared/domain/instant';

/**
 * Services, providers, schedules and tenant settings, changed one item at a time by admins (and
 * providers for their own hours). Each write is conditioned on the revision it read, so two
 * people editing one provider cannot silently overwrite each other.
 */

const DAY_MS = 86_400_000;
/** How far ahead a schedule change looks for stranded bookings: the longest horizon a service may have. */
const STRANDED_LOOKAHEAD_DAYS = 731;


/** Parses with a schema; a failure is the same 400 naming the field as request validation gives (cross-field rules live in the schema). */
function valid<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(where, result.error);
}

async function providerRecord(deps: AppDeps, tenantId: string, providerId: string) {
  const record = await deps.store.getConfigRecord(tenantId, 'provider', providerId);
  if (!record) throw new DomainError('provider_not_found', `No provider "${providerId}" in this tenant.`, { field: 'providerId' });
  return record;
}

async function serviceRecord(deps: AppDeps, tenantId: string, serviceId: string) {
  const record = await deps.store.getConfigRecord(tenantId, 'service', serviceId);
  if (!record) throw new DomainError('service_not_found', `No service "${serviceId}" in this tenant.`, { field: 'serviceId' });
  return record;
}

/**
 * Applies a change to a provider and reports the future bookings it strands (inside the old
 * hours, outside the new ones). Nothing is cancelled: staff decide what to do with each one.
 */
async function changeProvider(deps: AppDeps, tenantId: string, providerId: string, change: (provider: Provider) => Provider) {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const record = await providerRecord(deps, tenantId, providerId);
  const next = valid(providerSchema, change(record.data), 'body');
  await deps.store.putConfigRecord(tenantId, 'provider', next, isoInstant(now), record.revision);
  const upcoming = await deps.store.listProviderBookings(tenantId, providerId, isoInstant(now), isoInstant(now + STRANDED_LOOKAHEAD_DAYS * DAY_MS));
  const before = scheduleOnly(config, record.data);
  const after = next.active ? scheduleOnly(config, next) : undefined;
  const stranded = record.data.active
    ? strandedBookings(before, after, upcoming)
    : [];
  return { provider: next, strandedBookings: stranded.map(publicBooking) };
}

export const putWeeklyHours = (deps: AppDeps, tenantId: string, providerId: string, weeklyHours: Provider['weeklyHours']) =>
  changeProvider(deps, tenantId, providerId, (provider) => ({ ...provider, weeklyHours }));

export const putException = (deps: AppDeps, tenantId: string, providerId: string, date: string, hours: Provider['exceptions'][number]['hours'], note?: string) =>
  changeProvider(deps, tenantId, providerId, (provider) => ({
    ...provider,
    exceptions: [...provider.exceptions.filter((e) => e.date !== date), { date, hours, ...(note !== undefined ? { note } : {}) }].sort((a, b) =>
      a.date.localeCompare(b.date),
    ),
  }));

export const deleteException = (deps: AppDeps, tenantId: string, providerId: string, date: string) =>
  changeProvider(deps, tenantId, providerId, (provider) => ({ ...provider, exceptions: provider.exceptions.filter((e) => e.date !== date) }));

export const updateProviderProfile = (deps: AppDeps, tenantId: string, providerId: string, profile: Pick<Provider, 'name' | 'email' | 'timeZone'>) =>
  changeProvider(deps, tenantId, providerId, (provider) => {
    const { email: _email, timeZone: _zone, ...rest } = provider;
    return { ...rest, ...profile };
  });

/** Deactivating lists every future booking of the provider: none can take place as planned. */
export const deactivateProvider = (deps: AppDeps, tenantId: string, providerId: string) =>
  changeProvider(deps, tenantId, providerId, (provider) => ({ ...provider, active: false }));

export async function createProvider(deps: AppDeps, tenantId: string, provider: Provider): Promise<Provider> {
  const now = deps.clock.now();
  await deps.store.requireConfig(tenantId, now);
  await deps.store.putConfigRecord(tenantId, 'provider', provider, isoInstant(now), null);
  return provider;
}

function assertProvidersExist(config: TenantConfig, service: Service): void {
  service.providerIds.forEach((providerId, index) => {
    if (!config.providers.some((p) => p.id === providerId && p.active)) {
      throw new DomainError('unknown_provider', `No active provider "${providerId}" in this tenant.`, { field: `body.providerIds.${index}` });
    }
  });
}

export async function createService(deps: AppDeps, tenantId: string, service: Service): Promise<Service> {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  assertProvidersExist(config, service);
  await deps.store.putConfigRecord(tenantId, 'service', service, isoInstant(now), null);
  return service;
}

export async function updateService(deps: AppDeps, tenantId: string, serviceId: string, fields: Omit<Service, 'id'>): Promise<Service> {
  const now = deps.clock.now();
  const config = await deps.store.requireConfig(tenantId, now);
  const record = await serviceRecord(deps, tenantId, serviceId);
  const next = valid(serviceSchema, { ...fields, id: serviceId }, 'body');
  assertProvidersExist(config, next);
  await deps.store.putConfigRecord(tenantId, 'service', next, isoInstant(now), record.revision);
  return next;
}

export async function deactivateService(deps: AppDeps, tenantId: string, serviceId: string): Promise<Service> {
  const now = deps.clock.now();
  const record = await serviceRecord(deps, tenantId, serviceId);
  const next = { ...record.data, active: false };
  if (record.data.active) await deps.store.putConfigRecord(tenantId, 'service', next, isoInstant(now), record.revision);
  return next;
}

export async function updateSettings(deps: AppDeps, tenantId: string, change: z.output<typeof settingsBodySchema>) {
  const now = deps.clock.now();
  const record = await deps.store.getConfigRecord(tenantId, 'tenant');
  if (!record) throw new DomainError('tenant_not_found', `No tenant "${tenantId}".`, { field: 'tenantId' });
  // `customers` holds independent settings (retention, persona thresholds): changing one keeps the others.
  const customers = change.customers ? { customers: { ...record.data.customers, ...change.customers } } : {};
  const next = { ...record.data, ...change, ...customers };
  await deps.store.putConfigRecord(tenantId, 'tenant', next, isoInstant(now), record.revision);
  return next;
}

