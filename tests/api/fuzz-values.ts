/**
 * Hostile values for the API fuzz test (fuzz.test.ts), drawn from a seeded PRNG so that a failure
 * can be replayed: near-valid values built from an operation's JSON Schema, then some of them
 * replaced by wrong types, huge strings, deep nesting and unicode edge cases.
 */

/** mulberry32: small, fast, good enough to pick cases; the same seed gives the same run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

export type JsonSchema = {
  type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema;
  anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; enum?: unknown[]; const?: unknown;
  minLength?: number; maxLength?: number; pattern?: string; format?: string; minimum?: number; maximum?: number;
  exclusiveMinimum?: number; exclusiveMaximum?: number; minItems?: number; maxItems?: number; $ref?: string; $defs?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema; default?: unknown;
};

const deepObject = (depth: number): unknown => {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
const deepArray = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Strings that break naive code: NUL, lone surrogates, RTL override, combining marks, huge, SQL/path/HTML. */
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83dy', '\u202egnp.exe', '\u200f\u200e', 'e\u0301\u0301\u0301', '𝕏𝕐', '🏳️‍🌈',
  'A'.repeat(70_000), 'é'.repeat(20_000), '\n'.repeat(1000), "'; DROP TABLE accounts; --", '" OR 1=1 --', '../../../../etc/passwd',
  '..\\..\\windows', '%00', '%', '%E0%A4%A', '<script>alert(1)</script>', '{{7*7}}', '${7*7}', '=HYPERLINK("x")', 'null', 'undefined',
  'NaN', '-0', '1e309', '9'.repeat(400), '-9007199254740993', '0x1F', '2026-02-30', '0000-00-00T00:00:00Z', '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z', 'http://[::1]', 'javascript:alert(1)', 'a@b', '__proto__', 'constructor', '\t\r\v\f',
];

const HOSTILE_OTHER: readonly (() => unknown)[] = [
  () => null, () => true, () => false, () => 0, () => -1, () => 1.5, () => -1e308, () => 1e308, () => 2 ** 53 + 1, () => -(2 ** 63),
  () => [], () => {}, () => ({}), () => [null], () => ({ __proto__: { admin: true } }), () => JSON.parse('{"__proto__":{"polluted":1}}'),
  () => deepObject(200), () => deepArray(200), () => deepObject(2000), () => Array.from({ length: 5000 }, (_, i) => i),
  () => Array.from({ length: 200 }, () => 'x'.repeat(1000)), () => ({ ['k'.repeat(10_000)]: 1 }),
];

export function hostileValue(rng: Rng, idPool: readonly string[]): unknown {
  const roll = rng.next();
  if (roll < 0.45) return rng.pick(HOSTILE_STRINGS);
  if (roll < 0.6 && idPool.length) return rng.pick(idPool);
  return rng.pick(HOSTILE_OTHER)();
}

/** A string for a path or query parameter: hostile, another tenant's id, or a valid-looking one. */
export function hostileParam(rng: Rng, schema: JsonSchema | undefined, idPool: readonly string[]): string {
  const pattern = schema?.pattern ?? '';
  const prefix = /^\^([a-z]+)_\[/.exec(pattern)?.[1];
  const sameKind = prefix ? idPool.filter((id) => id.startsWith(`${prefix}_`)) : [];
  const roll = rng.next();
  if (roll < 0.35 && sameKind.length) return rng.pick(sameKind);
  if (roll < 0.45 && prefix) return `${prefix}_${'z'.repeat(26)}`;
  if (roll < 0.55 && idPool.length) return rng.pick(idPool);
  const v = hostileValue(rng, idPool);
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}

/** Percent-encodes for a URL; a lone surrogate (which encodeURIComponent refuses) becomes invalid UTF-8 bytes. */
export function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.split('').map((c) => {
      try {
        return encodeURIComponent(c);
      } catch {
        return '%ED%A0%80';
      }
    }).join('');
  }
}

function resolveRef(root: JsonSchema, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, '');
  return root.$defs?.[name] ?? {};
}

/** A value that satisfies the schema where that is easy (so requests get past the first checks). */
export function validish(rng: Rng, root: JsonSchema, input: JsonSchema, idPool: readonly string[], depth = 0): unknown {
  const schema = resolveRef(root, input);
  if (depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return rng.pick(schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return validish(rng, root, rng.pick(alternatives), idPool, depth + 1);
  if (schema.allOf?.length) return validish(rng, root, schema.allOf[0]!, idPool, depth + 1);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(k) || rng.chance(0.5)) out[k] = validish(rng, root, v, idPool, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(schema.minItems ?? 0, rng.int(3));
      return Array.from({ length: Math.min(n, 5) }, () => validish(rng, root, schema.items ?? {}, idPool, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? 0;
      const max = Math.min(schema.maximum ?? schema.exclusiveMaximum ?? min + 100, min + 1000);
      const n = min + rng.next() * (max - min);
      return type === 'integer' ? Math.round(n) : Math.round(n * 100) / 100;
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'string':
      return validString(rng, schema, idPool);
    default:
      return rng.chance(0.5) ? 'x' : 1;
  }
}

function validString(rng: Rng, schema: JsonSchema, idPool: readonly string[]): string {
  const prefix = /^\^([a-z]+)_\[/.exec(schema.pattern ?? '')?.[1];
  if (prefix) {
    const same = idPool.filter((id) => id.startsWith(`${prefix}_`));
    return same.length ? rng.pick(same) : `${prefix}_${'0'.repeat(26)}`;
  }
  switch (schema.format) {
    case 'email': return `fuzz${rng.int(1000)}@example.test`;
    case 'date': return '2026-03-14';
    case 'date-time': return '2026-03-14T09:30:00.000Z';
    case 'uri':
    case 'url': return 'https://example.test/x';
    default: break;
  }
  if (/\\d\{4\}-\\d\{2\}-\\d\{2\}|\[0-9\]\{4\}-/.test(schema.pattern ?? '')) return '2026-03-14';
  const len = Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? 12, 12));
  return 'Fuzz'.padEnd(len, 'z').slice(0, Math.max(len, schema.minLength ?? 0));
}

/** Replaces some leaves (or the whole value) of a near-valid value with hostile ones. */
export function mutate(rng: Rng, value: unknown, idPool: readonly string[]): unknown {
  if (rng.chance(0.15)) return hostileValue(rng, idPool);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(out);
    if (keys.length && rng.chance(0.8)) {
      const k = rng.pick(keys);
      out[k] = rng.chance(0.3) ? mutate(rng, out[k], idPool) : hostileValue(rng, idPool);
    }
    if (rng.chance(0.2)) out[rng.pick(['extra', '__proto__', 'constructor', 'a'.repeat(300)])] = hostileValue(rng, idPool);
    return out;
  }
  if (Array.isArray(value) && value.length && rng.chance(0.7)) {
    const out = [...value];
    out[rng.int(out.length)] = hostileValue(rng, idPool);
    return out;
  }
  return hostileValue(rng, idPool);
}

/** Short unicode edge cases that fit length limits: NUL, lone surrogates, 4-byte characters, RTL, combining marks. */
const EDGE_CHARS: readonly string[] = ['\u0000', '\ud800', '\udc00', '😀', '𝕏', '\u202e', '\u200b', 'e\u0301', '\ufeff', '\uffff', '\u0085', 'ﷺ'];

/** Keeps the value's shape (so it passes validation more often) and salts its strings with unicode edge cases. */
export function unicodeize(rng: Rng, value: unknown): unknown {
  if (typeof value === 'string') return rng.chance(0.6) ? `${value.slice(0, Math.max(0, value.length - 2))}${rng.pick(EDGE_CHARS)}` : value;
  if (Array.isArray(value)) return value.map((v) => unicodeize(rng, v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unicodeize(rng, v)]));
  return value;
}
