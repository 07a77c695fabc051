// Benchmarks of the simulated hardware path: event throughput (state change -> watcher diff ->
// listener), watcher CPU cost for 32 E1 at 250 ms, and change-to-listener latency on real time.

import { performance } from 'node:perf_hooks';
import { ManualClock, createSimBackend, parseScenario, type SimBackend } from '../src/hardware/sim';
import type { HardwareEvent } from '../src/hardware/types';
import { percentile, type BenchResult } from './report';

/** 32 E1 spans on four 8-port cards; MFC/R2 by default: 960 CAS channels whose ABCD bits we can toggle. */
export function thirtyTwoE1Scenario(signalling: 'mfcr2' | 'pri_cpe' = 'mfcr2'): string {
  const card = (i: number): string => `
  - vendor: Digium
    model: TE820
    location: "0000:0${i + 1}:00.0"
    driver: wct4xxp
    spans:
${Array.from({ length: 8 }, () => `      - { type: E1, signalling: ${signalling} }`).join('\n')}`;
  return `seed: 1\ncards:${[0, 1, 2, 3].map(card).join('')}\n`;
}

function casChannels(sim: SimBackend): Promise<number[]> {
  return sim.spans().then(async (spans) => {
    const out: number[] = [];
    for (const s of spans) {
      for (const ch of await sim.channels(s.span)) if (ch.rxBits !== null) out.push(ch.channel);
    }
    return out;
  });
}

/** Events/s through the sim: every CAS channel changes its ABCD bits between two polls. */
export async function simThroughput(seconds: number): Promise<BenchResult> {
  const clock = new ManualClock();
  const sim = createSimBackend({ scenario: parseScenario(thirtyTwoE1Scenario(), '32-e1'), clock });
  const channels = await casChannels(sim);
  let events = 0;
  const sub = sim.subscribe((batch) => {
    events += batch.length;
  }, { intervalMs: 250 });
  clock.advance(0);
  events = 0;
  const start = performance.now();
  let round = 0;
  while (performance.now() - start < seconds * 1000) {
    const bits = round++ % 2 === 0 ? 0b0101 : 0b1001;
    for (const ch of channels) sim.setAbcd(ch, bits);
    clock.advance(250);
  }
  const elapsed = (performance.now() - start) / 1000;
  await sub.close();
  await sim.close();
  return { name: 'sim events (ABCD edges, 960 CAS channels)', value: events / elapsed, unit: 'events/s', goal: '>= 100000' };
}

/** CPU of the sim watcher polling 32 E1 every 250 ms on real timers, as a share of one core. */
export async function simWatcherOverhead(seconds: number): Promise<BenchResult> {
  const sim = createSimBackend({ scenario: parseScenario(thirtyTwoE1Scenario(), '32-e1') });
  const sub = sim.subscribe(() => undefined, { intervalMs: 250 });
  await new Promise((r) => setTimeout(r, 300));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallUs = (performance.now() - t0) * 1000;
  await sub.close();
  await sim.close();
  return { name: 'sim watcher CPU, 32 E1 at 250 ms', value: (100 * (cpu.user + cpu.system)) / wallUs, unit: '% of one core', goal: '< 2' };
}

/** From setAbcd() to the listener, on real time, at random moments against a 250 ms poll. */
export async function simEdgeLatency(samples: number): Promise<BenchResult[]> {
  const sim = createSimBackend({ scenario: parseScenario(thirtyTwoE1Scenario(), '32-e1') });
  const [channel] = await casChannels(sim);
  if (channel === undefined) throw new Error('scenario has no CAS channel');
  const latencies: number[] = [];
  let changedAt = 0;
  let waiting: (() => void) | null = null;
  const sub = sim.subscribe((batch: readonly HardwareEvent[]) => {
    if (waiting && batch.some((e) => e.kind === 'abcd' && e.channel === channel)) {
      latencies.push(performance.now() - changedAt);
      const done = waiting;
      waiting = null;
      done();
    }
  }, { intervalMs: 250 });
  await new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < samples; i++) {
    await new Promise((r) => setTimeout(r, Math.random() * 250));
    const seen = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    changedAt = performance.now();
    sim.setAbcd(channel, i % 2 === 0 ? 0b0101 : 0b1101);
    await seen;
  }
  await sub.close();
  await sim.close();
  return [
    { name: 'sim edge latency p50 (250 ms poll)', value: percentile(latencies, 50), unit: 'ms', goal: '' },
    { name: 'sim edge latency p99 (250 ms poll)', value: percentile(latencies, 99), unit: 'ms', goal: '< 255' },
  ];
}
