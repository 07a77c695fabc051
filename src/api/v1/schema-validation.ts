// Request validation from the routes' own schemas (ajv, JSON Schema 2020-12 - what OpenAPI 3.1
// publishes). Path parameters and the query arrive as text, so they are coerced to the types
// the schema says (span=1 becomes 1); a body is JSON and is taken as sent. Every refused field
// is reported at once, as a JSON pointer in its part of the request and what is allowed there,
// and an unknown field (additionalProperties: false) is named.

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { ApiError, type FieldError } from '../api-errors';
import type { JsonSchema } from './route-types';

export type RequestPart = FieldError['in'];

export interface PartValidator {
  /** The value with defaults filled and (path, query) types coerced; throws INVALID_REQUEST. */
  (value: unknown): unknown;
}

export class SchemaValidators {
  // Two engines: coercion is right for text from a URL and wrong for a JSON body.
  private readonly text = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, coerceTypes: 'array', useDefaults: true, strict: true });
  private readonly json = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, useDefaults: true, strict: true });

  constructor() {
    // OpenAPI's own keyword on a schema (an example value): not a validation rule.
    for (const ajv of [this.text, this.json]) ajv.addKeyword({ keyword: 'example' });
  }

  /** Compiles once at start-up: a schema mistake fails the start, not a request. */
  compile(part: RequestPart, schema: JsonSchema): PartValidator {
    const validate: ValidateFunction = (part === 'body' ? this.json : this.text).compile(schema);
    return (value) => {
      // A URL's query is a fresh object: coerce it in place; a body is copied, never changed.
      const copy = part === 'body' ? structuredClone(value) : value;
      if (validate(copy)) return copy;
      const errors = fieldErrors(part, validate.errors ?? []);
      const first = errors[0];
      throw new ApiError('INVALID_REQUEST', first ? `${first.in} ${first.field || '/'}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : `the ${part} is refused`, {
        errors, ...(first ? { field: first.field } : {}), ...(first?.allowed === undefined ? {} : { allowed: first.allowed }),
      });
    };
  }
}

/** ajv's errors as fields: the pointer to the field at fault (the unknown or missing one itself). */
export function fieldErrors(part: RequestPart, errors: readonly ErrorObject[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // An anyOf/oneOf says "matched none" after its branches have said why: the branches are enough.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const f = describe(part, e);
    const key = `${f.field}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

function describe(part: RequestPart, e: ErrorObject): FieldError {
  const p = e.params as Record<string, unknown>;
  const at = (extra?: unknown): string => (extra === undefined ? e.instancePath : `${e.instancePath}/${String(extra)}`);
  switch (e.keyword) {
    case 'additionalProperties':
      return { in: part, field: at(p.additionalProperty), message: 'is not a known field', allowed: Object.keys(propertiesOf(e.parentSchema)) };
    case 'required':
      return { in: part, field: at(p.missingProperty), message: 'is required' };
    case 'enum':
      return { in: part, field: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, allowed: p.allowedValues };
    case 'const':
      return { in: part, field: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)}`, allowed: [p.allowedValue] };
    case 'type':
      return { in: part, field: e.instancePath, message: `must be ${String(p.type).replace(',', ' or ')}`, allowed: { type: p.type } };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { in: part, field: e.instancePath, message: e.message ?? 'is out of range', allowed: rangeOf(e.parentSchema) };
    case 'minLength': case 'maxLength': case 'minItems': case 'maxItems':
      return { in: part, field: e.instancePath, message: e.message ?? 'has the wrong length', allowed: { [e.keyword]: p.limit } };
    case 'pattern':
      return { in: part, field: e.instancePath, message: `must match ${String(p.pattern)}`, allowed: { pattern: p.pattern } };
    case 'format':
      return { in: part, field: e.instancePath, message: `must be a ${String(p.format)}`, allowed: { format: p.format } };
    default:
      return { in: part, field: e.instancePath, message: e.message ?? 'is refused' };
  }
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ?? {};
}

function rangeOf(schema: unknown): Record<string, unknown> {
  const s = (schema ?? {}) as Record<string, unknown>;
  return Object.fromEntries(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
}
