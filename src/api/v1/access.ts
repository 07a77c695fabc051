// Who may do what: the bearer token read from the Authorization header, and the roles' order
// (viewer < operator < admin; a role may do everything a lower one may). Pure.

import type { ApiRole } from '../../store/api-tokens';
import type { Permission } from './route-types';

const RANK: Readonly<Record<ApiRole, number>> = { viewer: 1, operator: 2, admin: 3 };

/** The secret of `Authorization: Bearer <secret>`, or null when the header carries none. */
export function bearerSecret(header: string | undefined): string | null {
  const m = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? '');
  return m ? (m[1] as string) : null;
}

export function allows(role: ApiRole, permission: Permission): boolean {
  return permission === 'public' || RANK[role] >= RANK[permission];
}

/** The roles below a permission: those the route must refuse (what the tests walk). */
export function rolesBelow(permission: Permission): ApiRole[] {
  if (permission === 'public') return [];
  return (Object.keys(RANK) as ApiRole[]).filter((r) => RANK[r] < RANK[permission]);
}
