// `check supervisor` judged from the supervisor's /readyz answer: 200 with every check ok is
// OK; 503 is CRITICAL naming each part that is not ready (ARI, CDR store or spool, queues,
// hardware) with the detail it gave; anything else is UNKNOWN. Pure.

import type { PluginResult } from './plugin-output';

interface ReadyCheck {
  ok: boolean;
  detail: string;
}

export function checkSupervisor(status: number, body: string, seconds: number): PluginResult {
  const perfdata = [{ label: 'time', value: seconds, uom: 's', min: 0 }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { state: 'UNKNOWN', summary: `/readyz answered ${status} with something that is not JSON: is this a tdmgate supervisor?`, perfdata, details: [] };
  }
  const checks = readyChecks(parsed);
  if ((status !== 200 && status !== 503) || checks === null) {
    return { state: 'UNKNOWN', summary: `/readyz answered ${status} without the readiness checks: is this a tdmgate supervisor?`, perfdata, details: [] };
  }
  const entries = Object.entries(checks);
  const failing = entries.filter(([, c]) => !c.ok);
  const text = ([name, c]: [string, ReadyCheck]): string => `${name} ${c.detail}`;
  if (status === 200 && failing.length === 0) return { state: 'OK', summary: entries.map(text).join(', '), perfdata, details: [] };
  return {
    state: 'CRITICAL',
    summary: `not ready: ${(failing.length > 0 ? failing : entries).map(text).join(', ')}`,
    perfdata,
    details: entries.map(([name, c]) => `${name}: ${c.ok ? 'ok' : 'NOT READY'} (${c.detail})`),
  };
}

function readyChecks(body: unknown): Record<string, ReadyCheck> | null {
  if (typeof body !== 'object' || body === null) return null;
  const checks = (body as { checks?: unknown }).checks;
  if (typeof checks !== 'object' || checks === null) return null;
  const out: Record<string, ReadyCheck> = {};
  for (const [name, c] of Object.entries(checks)) {
    if (typeof c !== 'object' || c === null || typeof (c as ReadyCheck).ok !== 'boolean') return null;
    out[name] = { ok: (c as ReadyCheck).ok, detail: String((c as ReadyCheck).detail ?? '') };
  }
  return out;
}
