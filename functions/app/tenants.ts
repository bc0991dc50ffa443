import { providerZone } from '#shared/domain/booking';
import type { TenantConfig } from '#shared/domain/schemas';
import type { Principal, Role } from '#shared/domain/staff';

/** What customers may see of a tenant: active services and providers, no e-mail addresses. */
export function publicTenant(config: TenantConfig) {
  const { tenant } = config;
  return {
    id: tenant.id,
    name: tenant.name,
    timeZone: tenant.timeZone,
    locale: tenant.locale,
    policy: { selfServiceCutoffMinutes: tenant.policy.selfServiceCutoffMinutes },
    ...(tenant.openingHours ? { openingHours: tenant.openingHours } : {}),
    ...(tenant.customers?.consent ? { consent: tenant.customers.consent } : {}),
    services: config.services
      .filter((s) => s.active)
      .map((s) => ({
        id: s.id,
        name: s.name,
        ...(s.description !== undefined ? { description: s.description } : {}),
        durationMinutes: s.durationMinutes,
        bufferBeforeMinutes: s.bufferBeforeMinutes,
        bufferAfterMinutes: s.bufferAfterMinutes,
        slotIntervalMinutes: s.slotIntervalMinutes ?? s.durationMinutes,
        minNoticeMinutes: s.minNoticeMinutes,
        horizonDays: s.horizonDays,
        ...(s.price ? { price: s.price } : {}),
        providerIds: s.providerIds.filter((id) => config.providers.some((p) => p.id === id && p.active)),
      })),
    providers: config.providers.filter((p) => p.active).map((p) => ({ id: p.id, name: p.name, timeZone: providerZone(config, p) })),
  };
}

/** The tenant as staff see it: settings, every service and provider (inactive too), and the caller. */
export function staffTenant(config: TenantConfig, principal: Principal, role: Role) {
  return {
    tenant: config.tenant,
    services: config.services,
    providers: config.providers,
    me: {
      userId: principal.userId,
      role,
      ...(principal.providerId ? { providerId: principal.providerId } : {}),
      ...(principal.email ? { email: principal.email } : {}),
    },
  };
}
