import * as z from 'zod';
import { errorStatus } from '../domain/errors.ts';
import { errorBodySchema, type RouteAuth, type RouteContract } from './routes.ts';

type JsonSchema = Record<string, unknown>;

/**
 * OpenAPI 3.1 from the route table's zod schemas. OpenAPI 3.1 schemas are JSON Schema 2020-12,
 * which is what zod's own `toJSONSchema` emits, so no translation layer is needed.
 */
export function buildOpenApi(routeList: readonly RouteContract[], serverUrl = '/'): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    const defs = json.$defs as Record<string, JsonSchema> | undefined;
    delete json.$defs;
    if (defs) Object.assign(components, rewriteRefs(defs));
    return rewriteRefs(json);
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeList) {
    const parameters: JsonSchema[] = [];
    const addParameters = (where: 'path' | 'query' | 'header', object: z.ZodObject | undefined) => {
      if (!object) return;
      const json = toSchema(object, 'input');
      const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((json.required ?? []) as string[]);
      for (const [name, schema] of Object.entries(properties)) {
        parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema });
      }
    };
    addParameters('path', route.params);
    addParameters('query', route.query);
    addParameters('header', route.headers);

    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: toSchema(spec.schema, 'output') } } } : {}),
      };
    }
    const errorStatuses = new Set(route.errors.map((code) => errorStatus[code]));
    for (const status of [...errorStatuses].sort()) {
      const codes = route.errors.filter((code) => errorStatus[code] === status);
      responses[String(status)] = {
        description: `Error: ${codes.join(', ')}`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }

    const operation: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      parameters,
      responses,
      ...securityOf(route.auth),
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } };
    }
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }

  toSchema(errorBodySchema, 'output');
  return {
    openapi: '3.1.0',
    info: { title: 'Kairos booking API', version: '1.0.0', description: 'Appointment booking: availability, bookings, self-service changes, and the staff API (calendars, bookings on behalf, schedules, blocks, feeds, accounts).' },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        manageToken: { type: 'http', scheme: 'bearer', description: 'The manageToken returned when booking' },
        staffToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A staff ID token (Cognito in the cloud, the local issuer in `npm start`) carrying custom:tenantId and cognito:groups',
        },
      },
    },
  };
}

/** How a route is authorised, in OpenAPI terms; staff routes also list their roles and reach. */
function securityOf(auth: RouteAuth): Record<string, unknown> {
  switch (auth.kind) {
    case 'manageToken':
      return { security: [{ manageToken: [] }] };
    case 'staff':
      return {
        security: [{ staffToken: [] }],
        description: `Roles: ${auth.roles.join(', ')}.${auth.ownership === 'tenant' ? '' : ' Providers act only on their own calendar.'}`,
        'x-kairos-policy': { roles: auth.roles, ownership: auth.ownership },
      };
    default:
      return { security: [] };
  }
}

/** zod writes `#/$defs/X`; in an OpenAPI document shared schemas live under components. */
function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = key === '$ref' && typeof inner === 'string' ? inner.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(inner);
    }
    return out as T;
  }
  return value;
}
