// What only an admin sees and does: the tokens (GET /tokens, never a secret; DELETE
// /tokens/{name} revokes at once) and the audit log of mutating requests (GET /audit). Tokens
// are created with `tdmgate token create` on the box, so a secret never crosses the API.

import type { ApiAuditLog } from '../../../store/api-audit';
import type { ApiTokenStore } from '../../../store/api-tokens';
import { route, type AnyRoute, type ObjectSchema } from '../route-types';
import { LIMIT, listOf, NULLABLE_STRING, shape } from './schemas';

export interface AdminDeps {
  tokens: Pick<ApiTokenStore, 'list' | 'revoke'>;
  audit: Pick<ApiAuditLog, 'list'>;
}

const TOKEN_SCHEMA = shape({
  name: { type: 'string' }, role: { enum: ['viewer', 'operator', 'admin'] }, status: { enum: ['active', 'expired', 'revoked', 'suspended'] },
  createdAt: { type: 'string' }, expiresAt: NULLABLE_STRING, revokedAt: NULLABLE_STRING, suspendedAt: NULLABLE_STRING, suspendedReason: NULLABLE_STRING, lastUsedAt: NULLABLE_STRING,
});

const NAME_PARAM: ObjectSchema = {
  type: 'object', additionalProperties: false, required: ['name'],
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } },
};

const AUDIT_QUERY: ObjectSchema = {
  type: 'object', additionalProperties: false,
  properties: { limit: LIMIT, token: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'only this token\'s requests' } },
};

export function adminRoutes(d: AdminDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/tokens', permission: 'admin', operationId: 'listTokens', tag: 'admin',
      summary: 'the API tokens: name, role, status, expiry, last use (never the secret)',
      responses: { 200: { description: 'the tokens', schema: shape({ tokens: listOf(TOKEN_SCHEMA) }) } },
      handle: async () => ({ body: { tokens: await d.tokens.list() } }),
    }),
    route<{ name: string }>({
      method: 'delete', path: '/tokens/{name}', permission: 'admin', operationId: 'revokeToken', tag: 'admin',
      summary: 'revoke a token: its next request is refused',
      params: NAME_PARAM,
      responses: { 200: { description: 'the revoked token', schema: TOKEN_SCHEMA }, 404: { description: 'no such token' } },
      handle: async ({ params }) => ({ body: await d.tokens.revoke(params.name) }),
    }),
    route<Record<string, never>, { limit: number; token?: string }>({
      method: 'get', path: '/audit', permission: 'admin', operationId: 'listAudit', tag: 'admin',
      summary: 'the mutating requests, newest first: who, what, when, from where, the status',
      query: AUDIT_QUERY,
      responses: { 200: { description: 'the audit rows', schema: shape({ entries: listOf({ type: 'object' }) }) } },
      handle: async ({ query }) => ({ body: { entries: await d.audit.list({ limit: query.limit, ...(query.token === undefined ? {} : { token: query.token }) }) } }),
    }),
  ];
}
