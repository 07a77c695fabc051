// The OpenAPI 3.1 document of /api/v1, built from the same route table the router serves and
// validates with: each route's path, method, permission (as security and x-permission), path
// parameters, query, body schema and responses, and the problem responses every route may give.
// A test compares its paths with what express serves, both ways. Pure.

import { PROBLEM_SCHEMA, PROBLEM_TYPE } from './problem';
import type { AnyRoute, JsonSchema, ObjectSchema } from './route-types';

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

function problem(description: string): JsonSchema {
  return { description, content: { [PROBLEM_TYPE]: { schema: PROBLEM_REF } } };
}

function parameters(where: 'path' | 'query', schema: ObjectSchema | undefined): JsonSchema[] {
  if (!schema) return [];
  return Object.entries(schema.properties).map(([name, s]) => ({
    name, in: where, required: where === 'path' || (schema.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}), schema: s,
  }));
}

function operation(r: AnyRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, resp] of Object.entries(r.responses)) {
    responses[status] = {
      description: resp.description,
      ...(resp.schema || resp.contentType ? { content: { [resp.contentType ?? 'application/json']: resp.schema ? { schema: resp.schema } : {} } } : {}),
    };
  }
  if (r.params || r.query || r.body) responses['400'] ??= problem('the request was refused: `errors` names each field and what it allows');
  if (r.permission !== 'public') {
    responses['401'] = problem('no token, or a token unknown, revoked, expired or suspended');
    responses['403'] = problem(`the token's role is below ${r.permission}`);
    responses['429'] = problem('the token used its rate up; Retry-After says when to try again');
  }
  responses.default = problem('any other failure, as application/problem+json');
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: [r.tag],
    'x-permission': r.permission,
    security: r.permission === 'public' ? [] : [{ bearer: [] }],
    ...(r.params || r.query ? { parameters: [...parameters('path', r.params), ...parameters('query', r.query)] } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
    responses,
  };
}

export function openApiDocument(base: string, routes: readonly AnyRoute[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) (paths[`${base}${r.path}`] ??= {})[r.method] = operation(r);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info,
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token from `tdmgate token create`' } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
  };
}
