import type { Provider, Service, TenantConfig } from '#shared/domain/schemas';
import type { JourneySettings } from '#shared/journeys/rules';

/** Tenant, service and provider items share the tenant's partition: one Query reads them all. */
export const tenantPk = (tenantId: string) => `T#${tenantId}`;
export const TENANT_META_SK = 'META';
export const serviceSk = (serviceId: string) => `SVC#${serviceId}`;
export const providerSk = (providerId: string) => `PRV#${providerId}`;
/** The journey rules live in the tenant's partition too, so the configuration Query reads them with the rest. */
export const JOURNEYS_SK = 'JOURNEYS';

type Item = Record<string, unknown>;

export const tenantItem = (tenant: TenantConfig['tenant'], updatedAt: string): Item => ({
  PK: tenantPk(tenant.id),
  SK: TENANT_META_SK,
  type: 'tenant',
  data: tenant,
  updatedAt,
});

export const serviceItem = (tenantId: string, service: Service, updatedAt: string): Item => ({
  PK: tenantPk(tenantId),
  SK: serviceSk(service.id),
  type: 'service',
  data: service,
  updatedAt,
});

export const providerItem = (tenantId: string, provider: Provider, updatedAt: string): Item => ({
  PK: tenantPk(tenantId),
  SK: providerSk(provider.id),
  type: 'provider',
  data: provider,
  updatedAt,
});

/** Items of one tenant partition → the configuration, or undefined when there is no tenant. */
export function configFromItems(items: readonly Item[]): TenantConfig | undefined {
  const meta = items.find((item) => item.SK === TENANT_META_SK);
  if (!meta) return undefined;
  const byPrefix = <T>(prefix: string) =>
    items
      .filter((item) => typeof item.SK === 'string' && item.SK.startsWith(prefix))
      .map((item) => item.data as T)
      .sort((a, b) => String((a as { id: string }).id).localeCompare(String((b as { id: string }).id)));
  const journeys = items.find((item) => item.SK === JOURNEYS_SK);
  return {
    tenant: meta.data as TenantConfig['tenant'],
    services: byPrefix<Service>('SVC#'),
    providers: byPrefix<Provider>('PRV#'),
    ...(journeys ? { journeys: journeys.data as JourneySettings } : {}),
  };
}

/** The three kinds of configuration item, for reading and writing one at a time. */
export interface ConfigData {
  tenant: TenantConfig['tenant'];
  service: Service;
  provider: Provider;
  journeys: JourneySettings;
}
export type ConfigKind = keyof ConfigData;
export interface ConfigRecord<K extends ConfigKind> {
  data: ConfigData[K];
  /** Counts writes through the staff API; a write conditions on the revision it read. */
  revision: number;
}

export function configSk(kind: ConfigKind, id?: string): string {
  if (kind === 'tenant') return TENANT_META_SK;
  if (kind === 'journeys') return JOURNEYS_SK;
  if (!id) throw new Error(`A ${kind} key needs an id`);
  return kind === 'service' ? serviceSk(id) : providerSk(id);
}

export function configItem<K extends ConfigKind>(tenantId: string, kind: K, data: ConfigData[K], updatedAt: string): Item {
  if (kind === 'tenant') return tenantItem(data as ConfigData['tenant'], updatedAt);
  if (kind === 'journeys') return { PK: tenantPk(tenantId), SK: JOURNEYS_SK, type: 'journeys', data, updatedAt };
  if (kind === 'service') return serviceItem(tenantId, data as Service, updatedAt);
  return providerItem(tenantId, data as Provider, updatedAt);
}
