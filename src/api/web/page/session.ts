// The signed-in user: the token (kept in sessionStorage, so it leaves with the tab) and every
// request to the API with it as a bearer token. A 401 anywhere is an AuthRefused: the page goes
// back to the login form with a message.

export const TOKEN_KEY = 'tdmgate.token';

export class AuthRefused extends Error {
  constructor() {
    super('token refused');
    this.name = 'AuthRefused';
  }
}

export interface Me {
  name: string;
  role: 'viewer' | 'operator' | 'admin';
}

export class Session {
  constructor(private readonly storage: Storage) {}

  get token(): string | null {
    return this.storage.getItem(TOKEN_KEY);
  }

  set(token: string): void {
    this.storage.setItem(TOKEN_KEY, token);
  }

  clear(): void {
    this.storage.removeItem(TOKEN_KEY);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.token ?? ''}`, ...extra };
  }

  /** fetch with the token; throws AuthRefused on 401. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(path, { ...init, headers: this.headers((init.headers ?? {}) as Record<string, string>) });
    if (res.status === 401) throw new AuthRefused();
    return res;
  }

  /** Who the token is: its name and role (GET /api/v1/me). */
  async me(): Promise<Me> {
    const res = await this.request('/api/v1/me', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET /api/v1/me: HTTP ${res.status}`);
    const body = (await res.json()) as { name?: unknown; role?: unknown };
    const role = body.role === 'operator' || body.role === 'admin' ? body.role : 'viewer';
    return { name: typeof body.name === 'string' ? body.name : '', role };
  }
}
