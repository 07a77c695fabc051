// What a route of /api/v1 is: one declarative entry - method, path, the permission it needs,
// the schemas of its path parameters, query and body, its responses - and the handler. The
// router (rest-router.ts) enforces the permission and validates the request with these very
// schemas, and the OpenAPI document (openapi.ts) publishes them: one source, so the document
// cannot say what the server does not do. Types only.

import type { Request, Response } from 'express';
import type { ApiRole, TokenIdentity } from '../../store/api-tokens';

/** A JSON Schema (2020-12, as OpenAPI 3.1 takes it). */
export type JsonSchema = Record<string, unknown>;

/** An object schema whose properties are the path parameters or the query's names. */
export interface ObjectSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required?: string[];
}

/** 'public' routes need no token (the OpenAPI document); the roles rank viewer < operator < admin. */
export type Permission = 'public' | ApiRole;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResponse {
  description: string;
  /** JSON body's schema; absent when the body is not JSON (contentType) or there is none. */
  schema?: JsonSchema;
  /** Default application/json. */
  contentType?: string;
}

/** What a handler sees: the request's parts after validation (defaults filled, types coerced). */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The request's token; null on public routes. */
  token: TokenIdentity | null;
}

/** What a handler answers: a status (default 200), a JSON body or text, extra headers. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  /** Sent as is instead of JSON (CSV), with this content type. */
  text?: { contentType: string; content: string };
  headers?: Record<string, string>;
  /** Takes the response over once the checks passed (a server-sent event stream that stays open). */
  stream?: (req: Request, res: Response) => void;
}

export interface RouteDef<P = Record<string, unknown>, Q = Record<string, unknown>, B = unknown> {
  method: HttpMethod;
  /** Under /api/v1, OpenAPI style: /calls/{id}. */
  path: string;
  permission: Permission;
  /** OpenAPI operationId: unique, camelCase. */
  operationId: string;
  summary: string;
  /** The resource it belongs to (an OpenAPI tag). */
  tag: string;
  params?: ObjectSchema;
  query?: ObjectSchema;
  body?: JsonSchema;
  responses: Record<number, RouteResponse>;
  handle(ctx: RouteContext<P, Q, B>): Promise<RouteResult> | RouteResult;
}

/** A route of any shape, as tables hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any>;

/** Keeps a route's handler typed by its own parameter, query and body shapes inside a table. */
export function route<P = Record<string, unknown>, Q = Record<string, unknown>, B = unknown>(def: RouteDef<P, Q, B>): AnyRoute {
  return def;
}
