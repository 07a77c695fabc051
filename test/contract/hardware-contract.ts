// The one hardware contract suite: what is true of ANY correct HardwareBackend (the DAHDI
// driver in the hardware VM, the sim always). Waits are on events with a bound, never sleeps
// for state; the only timed wait checks that a closed subscription stays silent.

import assert from 'node:assert/strict';
import { alarmNames, CHANNELS_PER_SPAN, lineConfigNames } from '../../src/hardware/dahdi-constants';
import { isHardwareError, type HardwareErrorCode } from '../../src/hardware/errors';
import { COUNTER_NAMES, type HardwareBackend, type HardwareEvent, type SpanStatus } from '../../src/hardware/types';

/** How a backend can be made to lose a span's signal (the VM destroys the loc peer span). */
export interface ContractFaults {
  /** Takes away whatever feeds `span` its signal; the contract passes expectRedSpan. */
  takeSpanAway(span: number): Promise<void>;
  /** Puts back what takeSpanAway removed. */
  restore(): Promise<void>;
  /** The span that must go RED when its signal is taken away. */
  expectRedSpan: number;
}

const WATCH_INTERVAL_MS = 50;
const RED_WITHIN_MS = 5000;
const RECOVER_WITHIN_MS = 10_000;

export function hardwareContract(label: string, open: () => Promise<HardwareBackend>, faults?: ContractFaults): void {
  describe(`HardwareBackend contract: ${label}`, function () {
    this.timeout(RED_WITHIN_MS + RECOVER_WITHIN_MS + 5000);
    let backend: HardwareBackend;
    let spans: SpanStatus[];

    beforeEach(async () => {
      backend = await open();
      spans = await backend.spans();
    });
    afterEach(async () => {
      await backend.close();
    });

    it('says what it is', async () => {
      assert.ok(backend.kind === 'dahdi' || backend.kind === 'sim');
      const info = await backend.driver();
      assert.equal(info.backend, backend.kind);
      assert.equal(typeof info.version, 'string');
      assert.ok(Array.isArray(await backend.cards()));
    });

    it('numbers spans from 1 without gaps and channels consecutively across spans', () => {
      assert.ok(spans.length > 0, 'at least one span');
      spans.forEach((s, i) => assert.equal(s.span, i + 1, 'span numbers 1..N'));
      assert.equal(spans[0]?.baseChannel, 1, 'the first span starts at channel 1');
      for (let i = 1; i < spans.length; i++) {
        const prev = spans[i - 1] as SpanStatus;
        assert.equal(spans[i]?.baseChannel, prev.baseChannel + prev.totalChannels, `baseChannel of span ${i + 1}`);
      }
    });

    it('reports each span consistently', async () => {
      for (const s of spans) {
        assert.deepEqual(s.alarmNames, alarmNames(s.alarms), `span ${s.span} alarm names`);
        assert.deepEqual(s.lineConfigNames, lineConfigNames(s.lineConfig), `span ${s.span} line config names`);
        assert.ok(s.configuredChannels >= 0 && s.configuredChannels <= s.totalChannels, `span ${s.span} configured channels`);
        if (s.spanType in CHANNELS_PER_SPAN) {
          assert.equal(s.totalChannels, CHANNELS_PER_SPAN[s.spanType as keyof typeof CHANNELS_PER_SPAN], `span ${s.span} ${s.spanType} channels`);
        }
        const again = await backend.span(s.span);
        assert.equal(again.span, s.span);
        assert.equal(again.name, s.name);
        assert.equal(again.baseChannel, s.baseChannel);
        assert.equal(again.totalChannels, s.totalChannels);
      }
    });

    it('reports every counter as a count >= 0 or null (not reported by the driver)', () => {
      for (const s of spans) {
        assert.deepEqual(Object.keys(s.counters).sort(), [...COUNTER_NAMES].sort(), `span ${s.span} counter names`);
        for (const name of COUNTER_NAMES) {
          const v = s.counters[name];
          assert.ok(v === null || (Number.isInteger(v) && v >= 0), `span ${s.span} ${name} = ${String(v)}`);
        }
      }
    });

    it('lists channels by position with global numbers', async () => {
      for (const s of spans) {
        const channels = await backend.channels(s.span);
        assert.equal(channels.length, s.totalChannels, `span ${s.span} channel count`);
        channels.forEach((ch, i) => {
          assert.equal(ch.position, i + 1, `span ${s.span} position`);
          assert.equal(ch.channel, s.baseChannel + i, `span ${s.span} position ${i + 1} channel number`);
          assert.equal(ch.span, s.span);
          assert.ok(ch.hook === null || ch.hook === 'onhook' || ch.hook === 'offhook');
          for (const bits of [ch.rxBits, ch.txBits]) assert.ok(bits === null || (bits >= 0 && bits <= 15), `ABCD ${String(bits)}`);
          assert.ok(ch.inUse === null || typeof ch.inUse === 'boolean');
        });
      }
    });

    it('rejects an unknown span with UNKNOWN_SPAN naming the spans present', async () => {
      const missing = spans.length + 1;
      for (const call of [() => backend.span(missing), () => backend.channels(missing), () => backend.maintenance(missing, 'none')]) {
        await assert.rejects(call(), (err: unknown) => {
          assertCode(err, 'UNKNOWN_SPAN');
          for (const s of spans) assert.match((err as Error).message, new RegExp(`\\b${s.span}\\b`));
          return true;
        });
      }
    });

    it('answers maintenance with supported or a reason', async () => {
      const outcome = await backend.maintenance(1, 'none');
      if (!outcome.supported) assert.equal(typeof outcome.reason, 'string');
    });

    it('emits span-added for every span before any other event', async () => {
      const w = watch(backend);
      try {
        await w.until(() => w.events.filter((e) => e.kind === 'span-added').length >= spans.length, 'span-added for every span');
        const first = w.events.slice(0, spans.length);
        assert.deepEqual(first.map((e) => e.kind), spans.map(() => 'span-added'));
        assert.deepEqual(first.map((e) => e.span).sort((a, b) => a - b), spans.map((s) => s.span));
      } finally {
        await w.close();
      }
    });

    it('opens a channel exclusively and rejects unknown channels', async () => {
      const channels = await backend.channels(1);
      const free = channels.find((ch) => ch.inUse !== true && ch.sigtype !== 0);
      assert.ok(free, 'a free configured channel on span 1');
      const owned = await backend.openChannel(free.channel);
      try {
        assert.equal(owned.channel, free.channel);
        await assert.rejects(backend.openChannel(free.channel), (err: unknown) => assertCode(err, 'CHANNEL_BUSY'));
      } finally {
        await owned.close();
      }
      await (await backend.openChannel(free.channel)).close();
      const last = spans[spans.length - 1] as SpanStatus;
      const beyond = last.baseChannel + last.totalChannels + 100;
      await assert.rejects(backend.openChannel(beyond), (err: unknown) => assertCode(err, 'UNKNOWN_CHANNEL'));
    });

    it('closes idempotently and stops delivering events', async () => {
      let batches = 0;
      let sawFirst!: () => void;
      const first = new Promise<void>((resolve) => (sawFirst = resolve));
      backend.subscribe(() => {
        batches++;
        sawFirst();
      }, { intervalMs: WATCH_INTERVAL_MS });
      await bounded(first, RED_WITHIN_MS, 'the first batch');
      await backend.close();
      await backend.close();
      const after = batches;
      // Silence cannot be awaited as an event: give a closed watcher several polls to misbehave.
      await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS * 4));
      assert.equal(batches, after, 'no batch after close');
    });

    if (faults) {
      it(`puts span ${faults.expectRedSpan} in RED within ${RED_WITHIN_MS / 1000} s when its signal is taken away`, async () => {
        const span = faults.expectRedSpan;
        const w = watch(backend);
        try {
          await w.until(() => w.events.some((e) => e.kind === 'span-added' && e.span === span), `span-added for span ${span}`);
          await faults.takeSpanAway(span);
          const red = (e: HardwareEvent): boolean => e.kind === 'alarm' && e.span === span && e.raised.includes('RED');
          await w.until(() => w.events.some(red), `an alarm event raising RED on span ${span}`, RED_WITHIN_MS);
          await faults.restore();
          const cleared = (e: HardwareEvent): boolean => e.kind === 'alarm' && e.span === span && e.cleared.includes('RED');
          await w.until(() => w.events.some(cleared), `RED clearing on span ${span} after restore`, RECOVER_WITHIN_MS);
        } finally {
          await w.close();
        }
      });
    }
  });
}

function assertCode(err: unknown, code: HardwareErrorCode): true {
  assert.ok(isHardwareError(err, code), `expected HardwareError ${code}, got ${String((err as Error)?.message ?? err)}`);
  return true;
}

interface Watch {
  events: HardwareEvent[];
  until(done: () => boolean, what: string, withinMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Subscribes and keeps every event; until() resolves when a condition holds, or fails in time. */
function watch(backend: HardwareBackend): Watch {
  const events: HardwareEvent[] = [];
  let check: () => void = () => undefined;
  const sub = backend.subscribe((batch) => {
    for (const e of batch) events.push(e);
    check();
  }, { intervalMs: WATCH_INTERVAL_MS });
  return {
    events,
    until(done, what, withinMs = RED_WITHIN_MS) {
      if (done()) return Promise.resolve();
      const reached = new Promise<void>((resolve) => {
        check = () => {
          if (done()) resolve();
        };
      });
      return bounded(reached, withinMs, `${what}; saw: ${summary(events)}`);
    },
    close: () => sub.close(),
  };
}

function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function summary(events: readonly HardwareEvent[]): string {
  const tail = events.slice(-10).map((e) => (e.kind === 'alarm' ? `alarm(${e.span}: ${alarmNames(e.alarms).join('|') || 'OK'})` : `${e.kind}(${e.span})`));
  return tail.length === 0 ? 'no events' : tail.join(', ');
}
