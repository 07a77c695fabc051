// After dahdi_cfg: which spans the new system.conf configures, and watching them through the
// hardware backend until every one is free of alarms or the time is up, reporting each span's
// progress as it changes. DAHDI announces nothing (alarms raise no uevent), so the backend's
// watcher polls; we re-read the spans whenever it reports a change, never on a sleep of our own.

import type { AlarmName } from '../../hardware/dahdi-constants';
import type { HardwareBackend, SpanStatus } from '../../hardware/types';
import { systemConfShape } from './system-conf';

/** How a span is recognised: by number (span=N), by dynamic span name, or by its channels (analog). */
export type SpanTarget = { kind: 'number'; span: number } | { kind: 'name'; name: string } | { kind: 'channels'; channels: number[] };

export function spanTargets(systemConf: string): SpanTarget[] {
  const shape = systemConfShape(systemConf);
  const targets: SpanTarget[] = shape.spans.filter((b) => Number.isInteger(b.span)).map((b) => ({ kind: 'number', span: b.span }));
  targets.push(...shape.dynamicNames.map((name): SpanTarget => ({ kind: 'name', name })));
  if (shape.looseChannels.length > 0) targets.push({ kind: 'channels', channels: shape.looseChannels });
  return targets;
}

function holdsChannel(span: SpanStatus, channel: number): boolean {
  return channel >= span.baseChannel && channel < span.baseChannel + span.totalChannels;
}

/** Spans (by number) a target names among those present; [] when none is there yet. */
export function resolveTarget(target: SpanTarget, spans: readonly SpanStatus[]): SpanStatus[] {
  if (target.kind === 'number') return spans.filter((s) => s.span === target.span);
  if (target.kind === 'name') return spans.filter((s) => s.name === target.name);
  return spans.filter((s) => target.channels.some((c) => holdsChannel(s, c)));
}

export function targetLabel(target: SpanTarget): string {
  if (target.kind === 'number') return `span ${target.span}`;
  if (target.kind === 'name') return target.name;
  return `channels ${target.channels[0] ?? ''}-${target.channels[target.channels.length - 1] ?? ''}`;
}

export type SpanState = 'up' | 'alarm' | 'missing';

export interface SpanProgress {
  /** span N, DYN/loc/1:0, or the analog channels when no span line names them. */
  label: string;
  span: number | null;
  state: SpanState;
  alarms: AlarmName[];
  elapsedMs: number;
}

/** Line types that never carry analog ports: analog channels found there mean the numbering is off. */
const DIGITAL_TYPES: readonly SpanStatus['spanType'][] = ['E1', 'T1', 'J1', 'BRI'];

function progressOf(targets: readonly SpanTarget[], spans: readonly SpanStatus[], elapsedMs: number): SpanProgress[] {
  return targets.flatMap((target): SpanProgress[] => {
    const found = resolveTarget(target, spans);
    if (found.length === 0) return [{ label: targetLabel(target), span: null, state: 'missing', alarms: [], elapsedMs }];
    const digital = target.kind === 'channels' ? found.filter((s) => DIGITAL_TYPES.includes(s.spanType)) : [];
    if (digital.length > 0) {
      // system.conf's analog channels are E1/T1 timeslots on this box (a card's unused ports not
      // counted, say): they are not the analog card, whatever the span's alarms say.
      const where = digital.map((s) => `span ${s.span} is ${s.spanType}`).join(', ');
      return [{ label: `${targetLabel(target)} (${where}, not analog)`, span: null, state: 'missing', alarms: [], elapsedMs }];
    }
    return found.map((s) => ({
      label: target.kind === 'number' ? `span ${s.span}` : `span ${s.span} (${target.kind === 'name' ? s.name : 'analog'})`,
      span: s.span,
      state: s.alarms === 0 ? 'up' : 'alarm',
      alarms: s.alarmNames,
      elapsedMs,
    }));
  });
}

function sameProgress(a: SpanProgress, b: SpanProgress | undefined): boolean {
  return b !== undefined && a.state === b.state && a.span === b.span && a.alarms.join() === b.alarms.join();
}

export interface WatchSettings {
  timeoutMs: number;
  /**
   * How long every span must stay up before the watch ends: right after dahdi_cfg a framer
   * may not have noticed a dead line yet, and a flapping span is not up.
   */
  settleMs: number;
  /** Called with a span whenever its state changes (and once for each at the start). */
  onProgress(progress: SpanProgress): void;
  signal?: AbortSignal;
  now?: () => number;
}

export interface WatchResult {
  spans: SpanProgress[];
  allUp: boolean;
  timedOut: boolean;
}

function clearSettle(timer: NodeJS.Timeout | undefined): undefined {
  if (timer) clearTimeout(timer);
  return undefined;
}

export async function watchSpans(backend: HardwareBackend, targets: readonly SpanTarget[], settings: WatchSettings): Promise<WatchResult> {
  if (targets.length === 0) return { spans: [], allUp: true, timedOut: false };
  const now = settings.now ?? Date.now;
  const start = now();
  const seen = new Map<string, SpanProgress>();
  let latest: SpanProgress[] = [];
  let finish: (timedOut: boolean) => void = () => undefined;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));
  // Evaluations run one after another, so a slow spans() cannot report an older state last.
  let chain = Promise.resolve();
  let settle: NodeJS.Timeout | undefined;
  const evaluate = () => {
    chain = chain
      .then(async () => {
        latest = progressOf(targets, await backend.spans(), now() - start);
        for (const p of latest) {
          if (!sameProgress(p, seen.get(p.label))) settings.onProgress(p);
          seen.set(p.label, p);
        }
        const allUp = latest.every((p) => p.state === 'up');
        if (!allUp) settle = clearSettle(settle);
        else settle ??= setTimeout(() => finish(false), settings.settleMs);
      })
      // A failed read is retried at the watcher's next change; the timeout bounds the wait.
      .catch(() => undefined);
  };
  const subscription = backend.subscribe(() => evaluate());
  const timer = setTimeout(() => finish(true), settings.timeoutMs);
  const onAbort = () => finish(true);
  settings.signal?.addEventListener('abort', onAbort);
  try {
    evaluate();
    const timedOut = await finished;
    await chain;
    return { spans: latest, allUp: latest.every((p) => p.state === 'up'), timedOut };
  } finally {
    clearTimeout(timer);
    clearSettle(settle);
    settings.signal?.removeEventListener('abort', onAbort);
    await subscription.close();
  }
}
