// Schemas several resources share: path parameters, paging, the shapes of numbers. Kept small;
// a resource's own shapes live beside its routes.

import type { JsonSchema, ObjectSchema } from '../route-types';

export const SPAN_PARAM: ObjectSchema = {
  type: 'object', additionalProperties: false, required: ['span'],
  properties: { span: { type: 'integer', minimum: 1, maximum: 4096, description: 'DAHDI span number' } },
};

export const ID_PARAM: ObjectSchema = {
  type: 'object', additionalProperties: false, required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
};

export const LIMIT: JsonSchema = { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'at most this many, newest first' };

/** A loose object schema for responses: documents the members without binding clients to extras. */
export function shape(properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema {
  return { type: 'object', required, properties };
}

export function listOf(item: JsonSchema): JsonSchema {
  return { type: 'array', items: item };
}

export const NULLABLE_STRING: JsonSchema = { type: ['string', 'null'] };
export const NULLABLE_INTEGER: JsonSchema = { type: ['integer', 'null'] };
