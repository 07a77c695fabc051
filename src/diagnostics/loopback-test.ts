// A loopback test on one span through backend.maintenance(): loop, let the framer settle,
// watch whether alarms stay clear and counters stay flat, and always take the loop down again -
// a span left looped carries no calls, which is worse than any failed test.

import { setTimeout as delay } from 'node:timers/promises';
import { SERVICE_AFFECTING_ALARMS, type AlarmName, type MaintenanceOp } from '../hardware/dahdi-constants';
import { COUNTER_NAMES, type CounterName, type HardwareBackend, type HardwareEvent, type SpanStatus, type Subscription } from '../hardware/types';

export const LOOPBACK_MODES = ['local', 'network'] as const;
export type LoopbackMode = (typeof LOOPBACK_MODES)[number];

const MODE_OPS: Record<LoopbackMode, MaintenanceOp> = { local: 'local-loop', network: 'network-line-loop' };

export type LoopbackVerdict = 'pass' | 'fail' | 'unsupported' | 'refused' | 'aborted';

export interface LoopbackOptions {
  span: number;
  mode: LoopbackMode;
  /** How long to observe once the loop has settled. */
  seconds: number;
  /** Time the framer needs to lock onto the looped signal before we judge it. */
  settleMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** Injectable for tests; must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface LoopbackResult {
  span: number;
  mode: LoopbackMode;
  verdict: LoopbackVerdict;
  reasons: string[];
  alarmsBefore: AlarmName[];
  alarmsAfter: AlarmName[] | null;
  /** Service-affecting alarms seen at any time during the observation. */
  alarmsSeen: AlarmName[];
  /** Counter growth during the observation (counters the driver reports). */
  counterDeltas: Partial<Record<CounterName, number>>;
  /** null: the span was never touched; false: taking the loop down failed (see reasons). */
  restored: boolean | null;
}

const DEFAULT_SETTLE_MS = 1000;
const DEFAULT_POLL_MS = 1000;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {});
}

function serviceAlarms(names: readonly AlarmName[]): AlarmName[] {
  return names.filter((name) => SERVICE_AFFECTING_ALARMS.includes(name));
}

// IRQ misses measure the host, not the port or the line under test, so they do not judge it.
const JUDGED_COUNTERS = COUNTER_NAMES.filter((name) => name !== 'irqmisses');

function counterGrowth(before: SpanStatus, after: SpanStatus): Partial<Record<CounterName, number>> {
  const deltas: Partial<Record<CounterName, number>> = {};
  for (const name of JUDGED_COUNTERS) {
    const a = before.counters[name];
    const b = after.counters[name];
    if (a !== null && b !== null && b !== a) deltas[name] = b > a ? b - a : b;
  }
  return deltas;
}

/** Pure verdict from what was observed. */
export function judgeLoopback(alarmsSeen: readonly AlarmName[], after: SpanStatus, deltas: Partial<Record<CounterName, number>>): { verdict: 'pass' | 'fail'; reasons: string[] } {
  const reasons: string[] = [];
  const finalAlarms = serviceAlarms(after.alarmNames);
  if (finalAlarms.length > 0) reasons.push(`alarms did not clear: ${finalAlarms.join('+')}`);
  const transient = alarmsSeen.filter((name) => !finalAlarms.includes(name));
  if (transient.length > 0) reasons.push(`alarms came and went during the test: ${transient.join('+')}`);
  const grown = Object.entries(deltas).map(([name, delta]) => `${name} +${delta}`);
  if (grown.length > 0) reasons.push(`error counters rose: ${grown.join(', ')}`);
  return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons };
}

function collectAlarms(backend: HardwareBackend, span: number, seen: Set<AlarmName>): Subscription {
  return backend.subscribe((batch: readonly HardwareEvent[]) => {
    for (const event of batch) {
      if (event.kind === 'alarm' && event.span === span) serviceAlarms(event.raised).forEach((name) => seen.add(name));
    }
  });
}

export async function runLoopbackTest(backend: HardwareBackend, options: LoopbackOptions): Promise<LoopbackResult> {
  const { span, mode, signal } = options;
  const sleep = options.sleep ?? defaultSleep;
  const before = await backend.span(span);
  const result: LoopbackResult = {
    span,
    mode,
    verdict: 'refused',
    reasons: [],
    alarmsBefore: before.alarmNames,
    alarmsAfter: null,
    alarmsSeen: [],
    counterDeltas: {},
    restored: null,
  };
  if (before.alarmNames.includes('LOOPBACK')) {
    // Someone else's loop (the carrier's, or a test still running): taking it down would break their test.
    result.reasons.push(`span ${span} is already in LOOPBACK; finish that test or clear it with: dahdi_maint -s ${span} -l off`);
    return result;
  }
  if (signal?.aborted) return { ...result, verdict: 'aborted', reasons: ['interrupted before the loop was set'] };

  let subscription: Subscription | null = null;
  // From the moment we ask for a loop the span may be looped (a call that throws may still have
  // reached the driver), until the driver answers that it cannot loop at all.
  let mayBeLooped = true;
  try {
    const outcome = await backend.maintenance(span, MODE_OPS[mode]);
    if (!outcome.supported) {
      mayBeLooped = false;
      return Object.assign(result, { verdict: 'unsupported', reasons: [outcome.reason] });
    }
    await sleep(options.settleMs ?? DEFAULT_SETTLE_MS, signal);
    const baseline = await backend.span(span);
    const seen = new Set<AlarmName>();
    subscription = collectAlarms(backend, span, seen);
    let latest = baseline;
    const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    for (let remaining = options.seconds * 1000; remaining > 0; remaining -= pollMs) {
      await sleep(Math.min(pollMs, remaining), signal);
      latest = await backend.span(span);
      // Polls catch alarms too, in case a backend's watcher is slower than our observation.
      serviceAlarms(latest.alarmNames).forEach((name) => seen.add(name));
    }
    result.alarmsSeen = [...seen];
    result.alarmsAfter = latest.alarmNames;
    result.counterDeltas = counterGrowth(baseline, latest);
    Object.assign(result, judgeLoopback(result.alarmsSeen, latest, result.counterDeltas));
    return result;
  } catch (err) {
    if (!signal?.aborted) throw err;
    return Object.assign(result, { verdict: 'aborted', reasons: ['interrupted; no verdict'] });
  } finally {
    await subscription?.close();
    // Restored even when the test itself threw: the error reaches the caller either way.
    // A driver that refused the loop never looped the span: nothing to undo, restored stays null.
    if (mayBeLooped) await restore(backend, result);
  }
}

async function restore(backend: HardwareBackend, result: LoopbackResult): Promise<void> {
  try {
    const outcome = await backend.maintenance(result.span, 'none');
    result.restored = outcome.supported;
    if (!outcome.supported) {
      result.reasons.push(`could not take the loop down (${outcome.reason}); run: dahdi_maint -s ${result.span} -l off`);
    }
  } catch (err) {
    result.restored = false;
    result.reasons.push(`could not take the loop down (${(err as Error).message}); run: dahdi_maint -s ${result.span} -l off`);
  }
}
