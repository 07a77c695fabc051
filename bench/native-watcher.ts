// Benchmarks of the N-API binding on the real DAHDI driver (scripts/vm/bench runs them in a guest
// with 32 loc spans): the native watcher's CPU for 32 E1 at 250 ms, the latency from an alarm
// change to the JS listener, and openControl/close cycles leaking nothing.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { NativeBinding } from '../src/hardware/dahdi/native';
import { DEV_DIR, SYSTEM_CONF, confFor, openFdCount, sysSpans, waitFor, type SysSpan } from '../hardware-tests/env';
import { percentile, type BenchResult } from './report';

const INTERVAL_MS = 250;
const WINDOW_S = 5;

function taskIds(): Set<string> {
  return new Set(readdirSync('/proc/self/task'));
}

/**
 * On-CPU time of one thread of this process in seconds: schedstat's sum_exec_runtime (ns), not
 * stat's utime+stime, whose 10 ms ticks are too coarse for a 2% figure over a 5 s window.
 */
function threadCpuSeconds(tid: string): number {
  return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
}

/** The B-channels of E1 spans (timeslot 16 excluded): what a CAS/MFC-R2 watcher would follow. */
export function bearerChannels(spans: readonly SysSpan[]): number[] {
  return spans.flatMap((s) => Array.from({ length: s.channels }, (_, i) => s.basechan + i).filter((c) => c !== s.basechan + 15));
}

/**
 * CPU of the watcher thread polling every span every 250 ms while the event loop idles (the
 * thread is the one startWatcher adds to /proc/self/task), over `seconds` and over its quietest
 * 5 s window: in a TCG guest, time the host takes the vCPU away is charged to whatever guest
 * thread was running (there is no steal time), so other load on the host inflates the total.
 * The whole process's share is printed beside it.
 */
export async function watcherCpu(binding: NativeBinding, seconds: number, channels: number[], label: string, goal: string): Promise<BenchResult[]> {
  const spanCount = sysSpans().length;
  let added = 0;
  const before = taskIds();
  const watcher = binding.startWatcher(DEV_DIR, { intervalMs: INTERVAL_MS, channels }, (batch) => {
    added += batch.edges.filter((e) => e.type === 'span-added').length;
  });
  try {
    const fresh = [...taskIds()].filter((t) => !before.has(t));
    if (fresh.length !== 1 || fresh[0] === undefined) throw new Error(`expected one new thread after startWatcher, found ${fresh.length}`);
    const tid = fresh[0];
    await waitFor(`span-added for all ${spanCount} spans`, () => (added >= spanCount ? true : undefined), 10_000, 20);
    const windows: number[] = [];
    const process0 = process.cpuUsage();
    const thread0 = threadCpuSeconds(tid);
    const t0 = performance.now();
    for (let w = 0; w < seconds / WINDOW_S; w++) {
      const cpu = threadCpuSeconds(tid);
      const t = performance.now();
      await sleep(WINDOW_S * 1000);
      windows.push((100 * (threadCpuSeconds(tid) - cpu)) / ((performance.now() - t) / 1000));
    }
    const wallS = (performance.now() - t0) / 1000;
    const threadS = threadCpuSeconds(tid) - thread0;
    const processUs = process.cpuUsage(process0);
    return [
      { name: `watcher thread CPU, ${label}`, value: (100 * threadS) / wallS, unit: '% of one core', goal },
      { name: `  quietest ${WINDOW_S} s window`, value: Math.min(...windows), unit: '% of one core', goal: '' },
      { name: '  whole process', value: (100 * (processUs.user + processUs.system)) / 1e6 / wallS, unit: '% of one core', goal: '' },
    ];
  } finally {
    await watcher.stop();
  }
}

/** A change of a span's alarms as dahdi-alarm-poller saw it (epoch ms). */
interface Change {
  at: number;
  span: number;
  alarms: number;
}

/** The listener side: an alarm edge and when the JS callback ran (epoch ms). */
interface Arrival {
  at: number;
  span: number;
  alarms: number;
}

/**
 * Starts dahdi-alarm-poller (SPANSTAT every 1 ms) on `spans`, appending the changes it sees to
 * `changes`; resolves once it has read every span's first state.
 */
async function startPoller(spans: readonly number[], changes: Change[]): Promise<() => void> {
  const child = spawn('dahdi-alarm-poller', [DEV_DIR, '1000', ...spans.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`dahdi-alarm-poller: ${err.message} (build it: see scripts/vm/dahdi-alarm-poller.c)`)));
    child.once('exit', (code) => reject(new Error(`dahdi-alarm-poller exited ${code} before it was ready`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') return resolve();
      const [at, span, alarms] = line.split(' ').map(Number);
      if (at !== undefined && span !== undefined && alarms !== undefined) changes.push({ at, span, alarms });
    });
  });
  return () => child.kill();
}

/**
 * Latency = when the listener ran - when the independent poller saw the span's alarms become
 * the edge's value (its last such change before the listener ran; a few ms of slack absorb the
 * poller's own scheduling). An edge the poller never saw (a state shorter than 1 ms) is unmatched.
 */
export function matchLatencies(changes: readonly Change[], arrivals: readonly Arrival[]): { latencies: number[]; unmatched: number } {
  const slackMs = 5;
  const latencies: number[] = [];
  let unmatched = 0;
  const lastArrival = new Map<number, number>();
  for (const a of arrivals) {
    const since = lastArrival.get(a.span) ?? -Infinity;
    lastArrival.set(a.span, a.at);
    const seen = changes.filter((c) => c.span === a.span && c.alarms === a.alarms && c.at > since && c.at <= a.at + slackMs);
    const change = seen[seen.length - 1];
    if (change) latencies.push(a.at - change.at);
    else unmatched++;
  }
  return { latencies, unmatched };
}

const execFileAsync = promisify(execFile);

/** Runs a tool without blocking the event loop; resolves with how long it took (ms). */
async function timed(file: string, args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  await execFileAsync(file, args, { timeout: 60_000 });
  return performance.now() - t0;
}

/**
 * Edge latency at 250 ms on the real driver: each round destroys the loc peers (k:1) of
 * `perRound` spans k:0, which go RED on DAHDI's 1 s alarm timer (not synchronised with the
 * watcher's polls), then recreates the peers with dahdi_cfg (the RED clears). Every alarm edge
 * of the k:0 spans is one sample. The faults are env.ts's locFaults done asynchronously: its
 * spawnSync would block the event loop - and so the listener being timed - for as long as
 * DAHDI_DYNAMIC_DESTROY or dahdi_cfg take, seconds under TCG. The reference poller follows only
 * the round's spans: under TCG one SPANSTAT costs ~0.2 ms (it waits for DAHDI's chan_lock,
 * held while the core timer processes all 32 spans), and a busier poller would slow the watcher.
 */
export async function edgeLatency(binding: NativeBinding, rounds: number, perRound: number): Promise<BenchResult[]> {
  const spans = sysSpans();
  const pairs = spans
    .map((a) => ({ a, b: spans.find((b) => b.name === a.name.replace(/:0$/, ':1')) }))
    .filter((p): p is { a: SysSpan; b: SysSpan } => /^DYN\/loc\/[0-9a-f]:0$/.test(p.a.name) && p.b !== undefined);
  if (pairs.length < perRound) throw new Error(`need ${perRound} loc pairs, found ${pairs.length}`);
  const conf = readFileSync(SYSTEM_CONF, 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-bench-'));
  const changes: Change[] = [];
  const arrivals: Arrival[] = [];
  const watched = new Set(pairs.map((p) => p.a.span));
  const watcher = binding.startWatcher(DEV_DIR, { intervalMs: INTERVAL_MS, channels: [] }, (batch) => {
    const at = performance.timeOrigin + performance.now();
    for (const e of batch.edges) if (e.type === 'alarm' && watched.has(e.span)) arrivals.push({ at, span: e.span, alarms: e.alarms });
  });
  const RED = 0x8;
  const count = (span: number, red: boolean): number => arrivals.filter((a) => a.span === span && (a.alarms & RED) !== 0 === red).length;
  const destroyMs: number[] = [];
  const recreateMs: number[] = [];
  let stopPoller: (() => void) | undefined;
  let destroyed: SysSpan[] = [];
  const recreate = async (): Promise<void> => {
    if (destroyed.length === 0) return;
    const part = join(dir, 'system.conf');
    writeFileSync(part, confFor(conf, destroyed.map((b) => ({ driver: 'loc', address: b.name.slice('DYN/loc/'.length), basechan: b.basechan, channels: b.channels }))));
    destroyed = [];
    recreateMs.push(await timed('dahdi_cfg', ['-c', part]));
  };
  try {
    await sleep(2 * INTERVAL_MS);
    for (let r = 0; r < rounds; r++) {
      const round = Array.from({ length: perRound }, (_, i) => pairs[(r * perRound + i) % pairs.length] as { a: SysSpan; b: SysSpan });
      stopPoller = await startPoller(round.map((p) => p.a.span), changes);
      const redBefore = round.map((p) => count(p.a.span, true));
      const clearBefore = round.map((p) => count(p.a.span, false));
      for (const { b } of round) {
        destroyed.push(b);
        destroyMs.push(await timed('dahdi-dynamic-destroy', ['loc', b.name.slice('DYN/loc/'.length), DEV_DIR]));
      }
      await waitFor('RED on every span whose peer was destroyed', () =>
        round.every((p, i) => count(p.a.span, true) > (redBefore[i] ?? 0)) ? true : undefined, 30_000, 20);
      await recreate();
      await waitFor('RED clearing on every span', () =>
        round.every((p, i) => count(p.a.span, false) > (clearBefore[i] ?? 0)) ? true : undefined, 30_000, 20);
      stopPoller();
      stopPoller = undefined;
    }
  } finally {
    stopPoller?.();
    await watcher.stop();
    await recreate();
    rmSync(dir, { recursive: true, force: true });
  }
  const { latencies, unmatched } = matchLatencies(changes, arrivals);
  return [
    { name: 'edge latency p50 (250 ms poll)', value: percentile(latencies, 50), unit: 'ms', goal: '' },
    { name: 'edge latency p99 (250 ms poll)', value: percentile(latencies, 99), unit: 'ms', goal: `< ${INTERVAL_MS + 5}` },
    { name: '  edge latency max', value: Math.max(...latencies), unit: 'ms', goal: '' },
    { name: '  samples (alarm edges on real spans)', value: latencies.length, unit: 'edges', goal: '>= 20' },
    { name: '  edges the 1 ms poller never saw', value: unmatched, unit: 'edges', goal: '' },
    { name: '  DAHDI_DYNAMIC_DESTROY of a peer, slowest', value: Math.max(...destroyMs), unit: 'ms', goal: '' },
    { name: '  dahdi_cfg recreating the peers, slowest', value: Math.max(...recreateMs), unit: 'ms', goal: '' },
  ];
}

/** openControl + one SPANSTAT + close, `cycles` times: nothing may be left behind. */
export function controlCycles(binding: NativeBinding, cycles: number): BenchResult[] {
  const span = sysSpans()[0]?.span ?? 1;
  const fds0 = openFdCount();
  const res0 = binding.resources();
  const t0 = performance.now();
  for (let i = 0; i < cycles; i++) {
    const ctl = binding.openControl(DEV_DIR);
    ctl.spanStat(span);
    ctl.close();
  }
  const us = ((performance.now() - t0) * 1000) / cycles;
  const fds1 = openFdCount();
  const res1 = binding.resources();
  const n = cycles.toLocaleString('en-US');
  return [
    { name: `open fds (/proc/self/fd) before ${n} cycles`, value: fds0, unit: 'fds', goal: '' },
    { name: `open fds (/proc/self/fd) after`, value: fds1, unit: 'fds', goal: `<= ${fds0}` },
    { name: 'binding.resources().fds before', value: res0.fds, unit: 'fds', goal: '' },
    { name: 'binding.resources().fds after', value: res1.fds, unit: 'fds', goal: `<= ${res0.fds}` },
    { name: 'binding.resources().threads before', value: res0.threads, unit: 'threads', goal: '' },
    { name: 'binding.resources().threads after', value: res1.threads, unit: 'threads', goal: `<= ${res0.threads}` },
    { name: 'openControl + SPANSTAT + close', value: us, unit: 'us/cycle', goal: '' },
  ];
}
