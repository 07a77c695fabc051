// One GET to the running supervisor with a time limit, for `check trunks` and `check
// supervisor`: node's own fetch (no HTTP library in the CLI), failures turned into one line a
// monitoring system can show (refused, timed out, a DNS name that does not resolve).

export class UnreachableError extends Error {
  readonly code = 'SUPERVISOR_UNREACHABLE';

  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

export interface HttpAnswer {
  status: number;
  body: string;
  seconds: number;
}

export async function httpGet(url: string, timeoutSeconds: number, signal: AbortSignal): Promise<HttpAnswer> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  try {
    const res = await fetch(url, { signal: AbortSignal.any([timeout, signal]), redirect: 'error' });
    const body = await res.text();
    return { status: res.status, body, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    if (timeout.aborted) throw new UnreachableError(`no answer from ${url} within ${timeoutSeconds} s`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UnreachableError(`cannot reach the supervisor at ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
}
