// One POST to an endpoint, and what its answer means for the delivery: 2xx delivered; 410 the
// endpoint is gone; 408, 429, 5xx, a timeout or a network error are worth another try; any
// other answer (3xx, 4xx) will not change by trying again. The classification is pure; the POST
// uses Node's fetch with a deadline that covers the whole answer.

export type PostOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; reason: string }
  | { kind: 'refused'; status: number; reason: string }
  | { kind: 'gone'; status: 410; reason: string };

export function classifyStatus(status: number): PostOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'gone', status, reason: 'HTTP 410: the endpoint is gone' };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', status, reason: `HTTP ${status}` };
  return { kind: 'refused', status, reason: `HTTP ${status}: refused, not tried again` };
}

export async function postWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // A redirect is not followed: the body's signature is for this URL's receiver only.
    const res = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    // The answer's body is not used; reading it frees the connection for the next POST.
    await res.arrayBuffer();
    return classifyStatus(res.status);
  } catch (err) {
    if (signal.aborted) return { kind: 'retry', status: null, reason: `no answer in ${timeoutMs} ms` };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'retry', status: null, reason: cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)) };
  }
}
