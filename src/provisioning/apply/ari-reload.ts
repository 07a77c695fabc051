// Asking Asterisk to reload chan_dahdi after new config is in place: PUT
// /ari/asterisk/modules/chan_dahdi.so with Basic auth, through an injected fetch and always
// with a timeout (an Asterisk that accepts the connection and never answers must not hang an
// apply). Each answer becomes an outcome with a sentence a technician can act on.

export interface AriSettings {
  /** Base URL of Asterisk's HTTP server, e.g. http://127.0.0.1:8088 (a trailing /ari is fine). */
  url: string;
  user: string;
  password: string;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

export type ReloadOutcome =
  | { status: 'reloaded'; message: string }
  | { status: 'skipped'; message: string }
  | { status: 'failed'; httpStatus: number | null; message: string };

export const ENV_URL = 'TDMGATE_ARI_URL';
export const ENV_USER = 'TDMGATE_ARI_USER';
export const ENV_PASSWORD = 'TDMGATE_ARI_PASSWORD';

/**
 * ARI settings from options, else the environment; null when no URL is given (ARI not
 * configured: the reload is skipped, not failed). A URL without a user is a mistake: thrown.
 */
export function ariSettings(given: Partial<AriSettings>, env: Readonly<Record<string, string | undefined>>): AriSettings | null {
  const url = given.url ?? env[ENV_URL];
  if (!url) return null;
  const user = given.user ?? env[ENV_USER];
  const password = given.password ?? env[ENV_PASSWORD] ?? '';
  if (!user) throw new Error(`ARI URL ${url} given without a user: set ${ENV_USER} (and ${ENV_PASSWORD})`);
  return { url, user, password };
}

export function reloadUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '').replace(/\/ari$/, '');
  return `${trimmed}/ari/asterisk/modules/chan_dahdi.so`;
}

async function errorText(response: { text(): Promise<string> }): Promise<string> {
  const body = await response.text().catch(() => '');
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : body.trim();
  } catch {
    return body.trim();
  }
}

/** What each ARI answer means for a chan_dahdi reload (Asterisk's res/ari/resource_asterisk.c). */
export function outcomeOf(status: number, detail: string): ReloadOutcome {
  const said = detail ? ` (Asterisk said: ${detail})` : '';
  if (status === 204) return { status: 'reloaded', message: 'Asterisk reloaded chan_dahdi' };
  if (status === 401 || status === 403) return { status: 'failed', httpStatus: status, message: `ARI refused the credentials (HTTP ${status}): check the user in ari.conf and ${ENV_USER}/${ENV_PASSWORD}${said}` };
  if (status === 404) return { status: 'failed', httpStatus: status, message: `chan_dahdi.so is not loaded in Asterisk (HTTP 404): load it with 'module load chan_dahdi.so', a reload cannot${said}` };
  if (status === 409) return { status: 'failed', httpStatus: status, message: `Asterisk could not reload chan_dahdi (HTTP 409): the module refused, often while calls are up on changed channels - see the Asterisk log${said}` };
  return { status: 'failed', httpStatus: status, message: `ARI answered HTTP ${status} to the chan_dahdi reload${said}` };
}

export async function reloadChanDahdi(fetcher: FetchLike, settings: AriSettings, timeoutMs: number): Promise<ReloadOutcome> {
  const url = reloadUrl(settings.url);
  const auth = Buffer.from(`${settings.user}:${settings.password}`).toString('base64');
  try {
    const response = await fetcher(url, { method: 'PUT', headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(timeoutMs) });
    return outcomeOf(response.status, response.status === 204 ? '' : await errorText(response));
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { status: 'failed', httpStatus: null, message: `ARI did not answer within ${timeoutMs} ms at ${url}: is Asterisk's HTTP server up (http.conf)?` };
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 'failed', httpStatus: null, message: `cannot reach ARI at ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
}
