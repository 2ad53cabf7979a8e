/**
 * The OpenAPI 3.1 document, generated from the same route list that the router mounts.
 * JSON Schema 2020-12 (zod's native output) is OpenAPI 3.1's schema dialect.
 */
import { z, type ZodType } from 'zod';
import type { AnyRoute } from './route.js';
import { PROBLEM_TITLES } from '../errors.js';
import { EVENT_TYPES, EVENT_TYPE_NAMES } from '../event-types.js';

/** The event catalogue (event-types.ts): one schema per type for the feed's and webhooks' `data`. */
function eventSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of EVENT_TYPE_NAMES) {
    out[`Event.${t}`] = { ...schema(EVENT_TYPES[t].payload, 'output'), description: `\`${t}\`: ${EVENT_TYPES[t].when} (visibility: ${EVENT_TYPES[t].visibility}). The event's \`data\`.` };
  }
  return out;
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function schema(s: ZodType, io: 'input' | 'output') {
  const json = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function parameters(spec: AnyRoute) {
  const out: unknown[] = [];
  for (const [where, s] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!s) continue;
    const json = schema(s, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: prop });
    }
  }
  if (spec.idempotent) {
    out.push({
      name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 },
      description: 'Same key and body: the stored response is replayed. Same key, other body: 409.',
    });
  }
  return out;
}

export function buildOpenApi(routes: AnyRoute[], info: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = `/api/v1${toOpenApiPath(spec.path)}`;
    const responses: Record<string, unknown> = {};
    for (const [status, s] of Object.entries(spec.responses)) {
      const ok = Number(status) < 400;
      responses[status] = {
        description: ok ? 'Success' : (PROBLEM_TITLES[Number(status)] ?? 'Error'),
        ...(s
          ? { content: { [ok ? (spec.produces ?? 'application/json') : 'application/problem+json']: { schema: schema(s, 'output') } } }
          : {}),
      };
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      operationId: `${spec.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c?: string) => (c ? c.toUpperCase() : ''))}`,
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.auth === 'public' ? { security: [] } : {}),
      ...(spec.auth === 'integration' ? { security: [{ integrationKey: [] }] } : {}),
      ...(spec.permission ? { 'x-permission': spec.permission } : {}),
      ...(spec.scope ? { 'x-scope': spec.scope } : {}),
      parameters: parameters(spec),
      ...(spec.records
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: { oneOf: [schema(spec.records, 'input'), { type: 'array', maxItems: 10_000, items: schema(spec.records, 'input') }] } },
                'application/x-ndjson': { schema: schema(spec.records, 'input') },
              },
            },
          }
        : {}),
      ...(spec.body || spec.multipart
        ? {
            requestBody: {
              required: true,
              content: {
                ...(spec.body ? { 'application/json': { schema: schema(spec.body, 'input') } } : {}),
                ...(spec.multipart ? { 'multipart/form-data': { schema: schema(spec.multipart, 'input') } } : {}),
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'CollectKit portal API', version: info.version, description: 'Headless client and debtor portal for collection agencies.' },
    servers: [{ url: info.serverUrl }],
    components: {
      schemas: eventSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        integrationKey: { type: 'http', scheme: 'bearer', bearerFormat: 'ck_int_… API key', description: 'An agency integration API key (see docs/integration.md).' },
      },
    },
    security: [{ bearer: [] }],
    /** every event type the feed and webhooks carry; `components.schemas["Event.<type>"]` is its `data` */
    'x-event-types': EVENT_TYPE_NAMES,
    paths,
  };
}
