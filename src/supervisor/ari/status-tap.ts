// Keeps Asterisk's HTTP status on a failed REST call. ari-client 2.2.0 rejects with
// `new Error(<body text>)` and drops the status its swagger-client 2.0.26 had; without it a 404
// and a 500 can only be told apart by message text. swagger-client runs every request through
// its module-global `authorizations` (that is how ari-client adds Basic auth), handing each the
// request's callbacks: one more authorization wraps the error callback and puts the status in
// front of the body, where the adapter reads it back (readTappedError). Written against those
// exact versions, which package.json pins; test/supervisor/ari/ari-internals.test.ts fails if
// they change.

import { createRequire } from 'node:module';

const MARK = '\u0000ari-status:';
const TAP_NAME = 'tdmgate-status-tap';

interface SwaggerResponse {
  status?: unknown;
  data?: unknown;
}
interface SwaggerRequestObject {
  on?: { error?: (response: SwaggerResponse) => unknown };
}
interface SwaggerModule {
  authorizations: { authz: Record<string, unknown>; add(name: string, auth: { apply(obj: SwaggerRequestObject): boolean }): unknown };
}

/** Installs the tap on the swagger-client instance ari-client uses (once per process; idempotent). */
export function installStatusTap(): void {
  const fromAriClient = createRequire(require.resolve('ari-client'));
  const swagger = fromAriClient('swagger-client') as SwaggerModule;
  if (swagger.authorizations.authz[TAP_NAME] !== undefined) return;
  swagger.authorizations.add(TAP_NAME, {
    apply(obj: SwaggerRequestObject): boolean {
      const on = obj.on;
      const original = on?.error;
      if (!on || typeof original !== 'function') return true;
      on.error = (response: SwaggerResponse) => {
        const status = typeof response.status === 'number' ? response.status : 0;
        const body = response.data === undefined || response.data === null ? '' : String(response.data);
        return original({ ...response, data: `${MARK}${status}\u0000${body}` });
      };
      return true;
    },
  });
}

/** What ari-client rejected with: the HTTP status (null when none was tapped) and the body text. */
export function readTappedError(err: unknown): { status: number | null; body: string } {
  const text = err instanceof Error ? err.message : String(err);
  if (!text.startsWith(MARK)) return { status: null, body: text };
  const end = text.indexOf('\u0000', MARK.length);
  const status = Number(text.slice(MARK.length, end));
  return { status: Number.isInteger(status) && status > 0 ? status : null, body: text.slice(end + 1) };
}
