// Asking Asterisk to reload a module after new config is in place - chan_dahdi for
// chan_dahdi.conf, pbx_config for the dialplan: PUT /ari/asterisk/modules/<module> with Basic
// auth, through an injected fetch and always with a timeout (an Asterisk that accepts the
// connection and never answers must not hang an apply). Each answer becomes an outcome with a
// sentence a technician can act on.

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

/** The modules apply reloads, with what a refused reload of each usually means. */
export const RELOADABLE = {
  'chan_dahdi.so': { what: 'chan_dahdi', refused: 'the module refused, often while calls are up on changed channels' },
  'pbx_config.so': { what: 'the dialplan (pbx_config)', refused: 'the module refused' },
} as const;
export type ReloadableModule = keyof typeof RELOADABLE;

export function reloadUrl(base: string, module: ReloadableModule): string {
  const trimmed = base.replace(/\/+$/, '').replace(/\/ari$/, '');
  return `${trimmed}/ari/asterisk/modules/${module}`;
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

/** What each ARI answer means for a module reload (Asterisk's res/ari/resource_asterisk.c). */
export function outcomeOf(module: ReloadableModule, status: number, detail: string): ReloadOutcome {
  const { what, refused } = RELOADABLE[module];
  const said = detail ? ` (Asterisk said: ${detail})` : '';
  if (status === 204) return { status: 'reloaded', message: `Asterisk reloaded ${what}` };
  if (status === 401 || status === 403) return { status: 'failed', httpStatus: status, message: `ARI refused the credentials (HTTP ${status}): check the user in ari.conf and ${ENV_USER}/${ENV_PASSWORD}${said}` };
  if (status === 404) return { status: 'failed', httpStatus: status, message: `${module} is not loaded in Asterisk (HTTP 404): load it with 'module load ${module}', a reload cannot${said}` };
  if (status === 409) return { status: 'failed', httpStatus: status, message: `Asterisk could not reload ${what} (HTTP 409): ${refused} - see the Asterisk log${said}` };
  return { status: 'failed', httpStatus: status, message: `ARI answered HTTP ${status} to the ${what} reload${said}` };
}

export async function reloadModule(fetcher: FetchLike, settings: AriSettings, module: ReloadableModule, timeoutMs: number): Promise<ReloadOutcome> {
  const url = reloadUrl(settings.url, module);
  const auth = Buffer.from(`${settings.user}:${settings.password}`).toString('base64');
  try {
    const response = await fetcher(url, { method: 'PUT', headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(timeoutMs) });
    return outcomeOf(module, response.status, response.status === 204 ? '' : await errorText(response));
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { status: 'failed', httpStatus: null, message: `ARI did not answer within ${timeoutMs} ms at ${url}: is Asterisk's HTTP server up (http.conf)?` };
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 'failed', httpStatus: null, message: `cannot reach ARI at ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
}
