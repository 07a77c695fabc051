// Keeps Asterisk's HTTP status on a failed REST call. ari-client 2.2.0 rejects with
// `new Error(<body text>)` and drops the status its swagger-client 2.0.26 had; without it a 404
// and a 500 can only be told apart by message text. swagger-client runs every request through
// its module-global `authorizations` (that is how ari-client adds Basic auth), handing each the
// request's URL and callbacks: one more authorization wraps the error callback and puts the
// status in front of the body, where the adapter reads it back (readTappedError). That registry
// is process-wide, so the tap marks only requests to the Asterisk origins an adapter asked for:
// any other ari-client user in the process (a test's own client) sees the library unchanged.
// Written against those exact versions, which package.json pins;
// test/supervisor/ari/ari-client-internals.test.ts fails if they change.

import { createRequire } from 'node:module';

const MARK = '\u0000ari-status:';
const TAP_NAME = 'tdmgate-status-tap';

interface SwaggerResponse {
  status?: unknown;
  data?: unknown;
}
interface SwaggerRequestObject {
  url?: unknown;
  on?: { error?: (response: SwaggerResponse) => unknown };
}
interface Tap {
  /** Origins (http://host:port) an adapter talks to, with how many adapters do. */
  origins: Map<string, number>;
  apply(obj: SwaggerRequestObject): boolean;
}
interface SwaggerModule {
  authorizations: { authz: Record<string, unknown>; add(name: string, auth: Tap): unknown };
}

/** The tap on the swagger-client instance ari-client uses, installed on first use. */
function tapOf(): Tap {
  const fromAriClient = createRequire(require.resolve('ari-client'));
  const swagger = fromAriClient('swagger-client') as SwaggerModule;
  const installed = swagger.authorizations.authz[TAP_NAME] as Tap | undefined;
  if (installed) return installed;
  const tap: Tap = {
    origins: new Map(),
    apply(obj: SwaggerRequestObject): boolean {
      const on = obj.on;
      const original = on?.error;
      if (!on || typeof original !== 'function' || !tapped(tap.origins, obj.url)) return true;
      on.error = (response: SwaggerResponse) => {
        const status = typeof response.status === 'number' ? response.status : 0;
        const body = response.data === undefined || response.data === null ? '' : String(response.data);
        return original({ ...response, data: `${MARK}${status}\u0000${body}` });
      };
      return true;
    },
  };
  swagger.authorizations.add(TAP_NAME, tap);
  return tap;
}

/** Marks failed requests to `url`'s origin with their status; the returned function stops it. */
export function tapStatus(url: string): () => void {
  const tap = tapOf();
  const origin = originOf(url);
  tap.origins.set(origin, (tap.origins.get(origin) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const n = (tap.origins.get(origin) ?? 1) - 1;
    if (n <= 0) tap.origins.delete(origin);
    else tap.origins.set(origin, n);
  };
}

/** What ari-client rejected with: the HTTP status (null when none was tapped) and the body text. */
export function readTappedError(err: unknown): { status: number | null; body: string } {
  const text = err instanceof Error ? err.message : String(err);
  if (!text.startsWith(MARK)) return { status: null, body: text };
  const end = text.indexOf('\u0000', MARK.length);
  const status = Number(text.slice(MARK.length, end));
  return { status: Number.isInteger(status) && status > 0 ? status : null, body: text.slice(end + 1) };
}

/**
 * Whether `url` goes to one of `origins`. Every REST call passes here: a URL that starts with an
 * origin and a slash is at that origin without parsing it (origins are kept normalised, as
 * URL.origin gives them); anything else is parsed.
 */
function tapped(origins: ReadonlyMap<string, number>, url: unknown): boolean {
  if (typeof url === 'string') {
    for (const origin of origins.keys()) if (url.startsWith(origin) && url.charCodeAt(origin.length) === 0x2f) return true;
  }
  return origins.has(originOf(url));
}

function originOf(url: unknown): string {
  try {
    return new URL(String(url)).origin;
  } catch {
    return '';
  }
}
