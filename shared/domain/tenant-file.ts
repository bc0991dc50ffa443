import type * as z from 'zod';
import { tenantFileSchema, type TenantConfig } from './schemas.ts';

export interface TenantFileProblem {
  /** JSONPath of the offending value, e.g. `$.services[1].durationMinutes`. */
  path: string;
  message: string;
}

export const jsonPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), '$');

/** Validates a tenant file with the same schemas the API uses and splits it into a configuration. */
export function parseTenantFile(input: unknown): { ok: true; config: TenantConfig } | { ok: false; problems: TenantFileProblem[] } {
  const result = tenantFileSchema.safeParse(input);
  if (!result.success) {
    return { ok: false, problems: (result.error as z.ZodError).issues.map((i) => ({ path: jsonPath(i.path), message: i.message })) };
  }
  const { services, providers, $schema: _schema, ...tenant } = result.data;
  return { ok: true, config: { tenant, services, providers } };
}
