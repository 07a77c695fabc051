import { strict as assert } from 'node:assert';
import * as fs from 'node:fs/promises';
import { createDahdiBackend, spanTypeOf, type DahdiBackendDeps } from '../../src/hardware/dahdi/dahdi-backend';
import type {
  NativeBinding,
  NativeControl,
  NativeErrorFacts,
  NativeOwnedChannel,
  NativeWatcher,
  RawEdgeBatch,
  RawParams,
  RawSpanInfo,
  WatcherOptions,
} from '../../src/hardware/dahdi/native';
import { MAINT_COMMANDS, SIGTYPES } from '../../src/hardware/dahdi-constants';
import { HardwareError, isHardwareError } from '../../src/hardware/errors';
import type { HardwareEvent } from '../../src/hardware/types';
import { fixture } from './fixtures';

function nativeError(code: string, errno: number, syscall: string, extra: { span?: number; channel?: number } = {}): Error {
  return Object.assign(new Error(`${syscall}: ${code}`), { code, errno, syscall, ...extra });
}

function spanInfo(spanno: number, over: Partial<RawSpanInfo> = {}): RawSpanInfo {
  return {
    spanno,
    name: `SPAN/${spanno}`,
    desc: `span ${spanno}`,
    alarms: 0,
    txlevel: 0,
    rxlevel: 0,
    bpvcount: 0,
    crc4count: 0,
    ebitcount: 0,
    fascount: 0,
    fecount: 0,
    cvcount: 0,
    becount: 0,
    prbs: 0,
    errsec: 0,
    irqmisses: 0,
    syncsrc: 1,
    numchans: 31,
    totalchans: 31,
    totalspans: 4,
    lbo: 0,
    lineconfig: 0x200 | 0x100 | 0x400,
    lboname: '0 db (CSU)/0-133 feet (DSX-1)',
    location: '',
    manufacturer: 'Digium',
    devicetype: '',
    linecompat: 0,
    spantype: 'E1',
    abi: 2,
    ...over,
  };
}

function params(channo: number, spanno: number, chanpos: number, sigtype: number, over: Partial<RawParams> = {}): RawParams {
  return {
    channo,
    spanno,
    chanpos,
    sigtype,
    sigcap: sigtype,
    rxisoffhook: 0,
    rxbits: -1,
    txbits: -1,
    txhooksig: 0,
    rxhooksig: 0,
    curlaw: 2,
    idlebits: 0,
    name: `CH/${channo}`,
    chanAlarms: 0,
    ...over,
  };
}

/** The host of the fixtures: TE220 spans 1-2 (2 on CAS, RED), wanpipe span 3, TDM410P span 4. */
function hostSpans(): Map<number, RawSpanInfo> {
  return new Map([
    [1, spanInfo(1, { name: 'TE2/0/1', crc4count: 12, ebitcount: 3, irqmisses: 2, fecount: 5, bpvcount: 0 })],
    [2, spanInfo(2, { name: 'TE2/0/2', alarms: 8, irqmisses: 2 })],
    [3, spanInfo(3, { name: 'WPE1/0', manufacturer: 'Sangoma Technologies' })],
    [4, spanInfo(4, { name: 'WCTDM/0', spantype: 'FXS', totalchans: 4, numchans: 4, lineconfig: 0, linecompat: 0, fecount: null, cvcount: null, becount: null, prbs: null, errsec: null, abi: 1 })],
  ]);
}

function hostParams(): Map<number, RawParams> {
  const map = new Map<number, RawParams>();
  for (let pos = 1; pos <= 31; pos++) {
    map.set(pos, params(pos, 1, pos, pos === 16 ? SIGTYPES.HDLCFCS : SIGTYPES.CLEAR));
    map.set(31 + pos, params(31 + pos, 2, pos, pos === 16 ? SIGTYPES.NONE : SIGTYPES.CAS, pos === 16 ? {} : { rxbits: 0b1001, txbits: 0b1001 }));
    map.set(62 + pos, params(62 + pos, 3, pos, pos === 16 ? SIGTYPES.HARDHDLC : SIGTYPES.CLEAR));
  }
  map.set(94, params(94, 4, 1, SIGTYPES.FXOKS, { rxisoffhook: 1, rxbits: 0b0101 }));
  map.set(95, params(95, 4, 2, SIGTYPES.FXOKS));
  map.set(96, params(96, 4, 3, SIGTYPES.FXSKS));
  map.set(97, params(97, 4, 4, SIGTYPES.FXSKS));
  return map;
}

/** Resolves with the first value `register` delivers, or rejects after `ms`. */
function nextValue<T>(register: (deliver: (value: T) => void) => void, ms = 2000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

class FakeWatcher implements NativeWatcher {
  stopped = false;
  constructor(
    readonly options: WatcherOptions,
    readonly emit: (batch: RawEdgeBatch) => void,
  ) {}
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

/** A NativeBinding that answers from tables and records what it was asked. */
class FakeBinding implements NativeBinding {
  spans = hostSpans();
  params = hostParams();
  openError: Error | null = null;
  maintResult: 'done' | 'unsupported' = 'done';
  maintCalls: [number, number][] = [];
  opens = 0;
  controlsClosed = 0;
  channelOpenError: Error | null = null;
  watchers: FakeWatcher[] = [];
  owned: { channel: number; onEvents: (codes: number[], at: number, error?: NativeErrorFacts) => void; closed: boolean }[] = [];
  private readonly watcherWaiters: ((w: FakeWatcher) => void)[] = [];
  readonly abi = { spaninfo: 314, spaninfoV1: 296, params: 136, maintinfo: 8 };

  openControl(): NativeControl {
    if (this.openError) throw this.openError;
    this.opens++;
    let closed = false;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    return {
      version: () => ({ version: '3.1.0', echoCanceller: 'MG2' }),
      spanStat: (span) => fake.spans.get(span) ?? null,
      getParams: (channel) => fake.params.get(channel) ?? null,
      maintenance: (span, command) => {
        fake.maintCalls.push([span, command]);
        return Promise.resolve(fake.maintResult);
      },
      close: () => {
        closed = true;
        fake.controlsClosed++;
      },
      get closed() {
        return closed;
      },
    };
  }

  startWatcher(_devDir: string, options: WatcherOptions, onBatch: (batch: RawEdgeBatch) => void): NativeWatcher {
    const watcher = new FakeWatcher(options, onBatch);
    this.watchers.push(watcher);
    for (const waiter of this.watcherWaiters.splice(0)) waiter(watcher);
    return watcher;
  }

  /** The first watcher started, as soon as the backend starts it (bounded wait). */
  firstWatcher(ms = 3000): Promise<FakeWatcher> {
    const started = this.watchers[0];
    if (started) return Promise.resolve(started);
    return nextValue<FakeWatcher>((deliver) => this.watcherWaiters.push(deliver), ms);
  }

  openChannel(_devDir: string, channel: number, onEvents: (codes: number[], at: number, error?: NativeErrorFacts) => void): NativeOwnedChannel {
    if (this.channelOpenError) throw this.channelOpenError;
    const entry = { channel, onEvents, closed: false };
    this.owned.push(entry);
    return {
      channel,
      close: () => {
        entry.closed = true;
      },
    };
  }

  resources(): { fds: number; threads: number } {
    return { fds: this.opens - this.controlsClosed, threads: this.watchers.filter((w) => !w.stopped).length };
  }
}

function hostDeps(binding: NativeBinding, over: Partial<DahdiBackendDeps> = {}): DahdiBackendDeps {
  return {
    binding,
    devDir: '/dev/dahdi',
    procRoot: fixture('proc'),
    sysRoot: fixture('sys'),
    modulesDir: fixture('lib', 'modules', '6.1.0-28-amd64'),
    clock: () => 1_700_000_000_000,
    ...over,
  };
}

describe('dahdi backend over a fake binding', () => {
  it('merges SPANSTAT, sysfs and /proc into span status; unsupported counters are null', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding));
    const spans = await backend.spans();
    assert.deepEqual(
      spans.map((s) => [s.span, s.driver, s.spanType, s.baseChannel, s.alarmNames.join(',')]),
      [
        [1, 'wct4xxp', 'E1', 1, ''],
        [2, 'wct4xxp', 'E1', 32, 'RED'],
        [3, 'wanpipe', 'E1', 63, ''],
        [4, 'wctdm24xxp', 'ANALOG', 94, ''],
      ],
    );
    const te = spans[0];
    assert.equal(te?.counters.slips, 7, 'slips come from /proc/dahdi/1');
    assert.equal(te?.counters.crc4, 12);
    assert.equal(te?.counters.fe, 5);
    assert.equal(te?.counters.bpv, null, 'no driver writes bpv');
    assert.deepEqual(te?.lineConfigNames, ['CCS', 'HDB3', 'CRC4']);
    assert.equal(spans[1]?.counters.slips, 0, 'a slip line absent from /proc means 0 on a driver that counts slips');
    assert.ok(Object.values(spans[2]?.counters ?? {}).every((v) => v === null), 'wanpipe fills no DAHDI counters');
    assert.equal(spans[3]?.spanTypeText, 'FXS');
    assert.equal(binding.opens, 1, 'the ctl fd is opened once and reused');
    await backend.close();
  });

  it('reads the test VM: DYNAM spans of dahdi_dynamic_loc with no counters', async () => {
    const binding = new FakeBinding();
    binding.spans = new Map([
      [1, spanInfo(1, { name: 'DYN/loc/1:0', spantype: 'DYNAM', totalspans: 2 })],
      [2, spanInfo(2, { name: 'DYN/loc/1:1', spantype: 'DYNAM', alarms: 8, totalspans: 2 })],
    ]);
    const backend = createDahdiBackend(hostDeps(binding, { sysRoot: fixture('sys-vm'), procRoot: fixture('proc-vm') }));
    const spans = await backend.spans();
    assert.deepEqual(
      spans.map((s) => [s.driver, s.spanType, s.spanTypeText, s.baseChannel]),
      [
        ['dahdi_dynamic_loc', 'DYNAMIC', 'DYNAM', 1],
        ['dahdi_dynamic_loc', 'DYNAMIC', 'DYNAM', 32],
      ],
    );
    assert.ok(Object.values(spans[1]?.counters ?? {}).every((v) => v === null));
    await backend.close();
  });

  it('probes SPANSTAT when sysfs has no dahdi_spans bus, and takes basechan from /proc', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding, { sysRoot: fixture('no-such-sys') }));
    const spans = await backend.spans();
    assert.deepEqual(
      spans.map((s) => [s.span, s.baseChannel, s.driver]),
      [
        [1, 1, 'wct4xxp'],
        [2, 32, 'wct4xxp'],
        [3, 63, 'wanpipe'],
        [4, 94, 'wctdm24xxp'],
      ],
    );
    await backend.close();
  });

  it('names the spans that exist when asked for one that does not', async () => {
    const backend = createDahdiBackend(hostDeps(new FakeBinding()));
    await assert.rejects(backend.span(9), (err: unknown) => isHardwareError(err, 'UNKNOWN_SPAN') && /spans present: 1, 2, 3, 4/.test(err.message));
    assert.equal((await backend.span(2)).name, 'TE2/0/2');
    await backend.close();
  });

  it('reads channels through GET_PARAMS: hook for FXS/FXO only, -1 bits as null, in_use from sysfs', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding));
    const analog = await backend.channels(4);
    assert.deepEqual(
      analog.map((c) => [c.channel, c.position, c.sigtypeName, c.hook, c.rxBits, c.inUse]),
      [
        [94, 1, 'FXOKS', 'offhook', 5, true],
        [95, 2, 'FXOKS', 'onhook', null, false],
        [96, 3, 'FXSKS', 'onhook', null, true],
        [97, 4, 'FXSKS', 'onhook', null, false],
      ],
    );
    const pri = await backend.channels(1);
    assert.equal(pri.length, 31);
    assert.equal(pri[15]?.sigtypeName, 'HDLCFCS');
    assert.equal(pri[0]?.hook, null);
    assert.equal(pri[0]?.inUse, true);
    const cas = await backend.channels(2);
    assert.equal(cas[0]?.rxBits, 0b1001);
    assert.equal(cas[0]?.hook, null, 'CAS channels have ABCD bits, not a hook state');
    assert.equal((await backend.channels(3))[0]?.inUse, null, 'no in_use attribute: unknown, not false');
    assert.equal(binding.owned.length, 0, 'reading channels never opens them');
    await backend.close();
  });

  it('turns EACCES on the ctl into PERMISSION_DENIED with the dahdi-group hint', async () => {
    const binding = new FakeBinding();
    binding.openError = nativeError('EACCES', 13, 'open:/dev/dahdi/ctl');
    const backend = createDahdiBackend(hostDeps(binding));
    await assert.rejects(backend.spans(), (err: unknown) => isHardwareError(err, 'PERMISSION_DENIED') && /dahdi group/.test(err.hint ?? '') && /root/.test(err.hint ?? ''));
    await backend.close();
  });

  it('turns ENOENT on the ctl into DRIVER_MISSING', async () => {
    const binding = new FakeBinding();
    binding.openError = nativeError('ENOENT', 2, 'open:/dev/dahdi/ctl');
    const backend = createDahdiBackend(hostDeps(binding));
    await assert.rejects(backend.driver(), (err: unknown) => isHardwareError(err, 'DRIVER_MISSING') && err.errnoCode === 'ENOENT');
    await backend.close();
  });

  it('reports the driver version and echo canceller, and the PCI cards', async () => {
    const backend = createDahdiBackend(hostDeps(new FakeBinding()));
    assert.deepEqual(await backend.driver(), { backend: 'dahdi', version: '3.1.0', echoCanceller: 'MG2' });
    assert.ok((await backend.cards()).some((c) => c.model === 'TE220' && c.moduleLoaded));
    await backend.close();
  });

  it('watches the CAS and analog channels and translates edge batches', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding));
    const batches: (readonly HardwareEvent[])[] = [];
    const sub = backend.subscribe((b) => batches.push(b), { intervalMs: 100 });
    const watcher = await binding.firstWatcher();
    assert.equal(watcher.options.intervalMs, 100);
    const cas = Array.from({ length: 31 }, (_, i) => 32 + i).filter((c) => c !== 47);
    assert.deepEqual(watcher.options.channels, [...cas, 94, 95, 96, 97]);

    watcher.emit({
      at: 5000,
      edges: [
        { type: 'alarm', span: 2, previous: 8, alarms: 4 },
        { type: 'counter', span: 1, counter: 'crc4', delta: 2 },
        { type: 'rxbits', span: 2, channel: 33, previous: 0b1001, bits: 0b0001 },
        { type: 'counter', span: 1, counter: 'crc4', delta: 1 },
        { type: 'counter', span: 1, counter: 'ebit', delta: 4 },
        { type: 'counter', span: 2, counter: 'fe', delta: 1 },
        { type: 'hook', span: 4, channel: 95, offhook: true },
        { type: 'span-removed', span: 3 },
      ],
    });
    watcher.emit({ at: 5100, edges: [] });
    assert.equal(batches.length, 1, 'a batch without edges delivers nothing');
    assert.deepEqual(batches[0], [
      { kind: 'alarm', at: 5000, span: 2, previous: 8, alarms: 4, raised: ['YELLOW'], cleared: ['RED'] },
      { kind: 'counters', at: 5000, span: 1, deltas: { crc4: 3, ebit: 4 } },
      { kind: 'abcd', at: 5000, span: 2, channel: 33, previous: 0b1001, bits: 0b0001 },
      { kind: 'counters', at: 5000, span: 2, deltas: { fe: 1 } },
      { kind: 'hook', at: 5000, span: 4, channel: 95, hook: 'offhook' },
      { kind: 'span-removed', at: 5000, span: 3 },
    ]);
    await sub.close();
    assert.equal(watcher.stopped, true);
  });

  it('delivers edges that came with a failed poll, reports the error, and clears it on recovery', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding));
    const batches: (readonly HardwareEvent[])[] = [];
    const errors: HardwareError[] = [];
    const sub = backend.subscribe((b) => batches.push(b), { onError: (e) => errors.push(e) });
    const watcher = await binding.firstWatcher();
    watcher.emit({ at: 1, edges: [], error: { code: 'ENODEV', errno: 19, syscall: 'ioctl:DAHDI_SPANSTAT' } });
    watcher.emit({ at: 2, edges: [{ type: 'span-removed', span: 1 }], error: { code: 'EIO', errno: 5, syscall: 'ioctl:DAHDI_GET_PARAMS', channel: 33 } });
    assert.deepEqual(batches, [[{ kind: 'span-removed', at: 2, span: 1 }]]);
    assert.deepEqual(
      errors.map((e) => [e.code, e.syscall, e.channel]),
      [
        ['SYSTEM_ERROR', 'ioctl:DAHDI_SPANSTAT', undefined],
        ['SYSTEM_ERROR', 'ioctl:DAHDI_GET_PARAMS', 33],
      ],
    );
    assert.equal(backend.lastWatchError, errors[1]);
    watcher.emit({ at: 3, edges: [] });
    assert.equal(backend.lastWatchError, null, 'an empty batch without error says the error cleared');
    assert.equal(batches.length, 1);
    await sub.close();
  });

  it('reports a watcher that cannot start through onError', async () => {
    const binding = new FakeBinding();
    binding.openError = nativeError('EACCES', 13, 'open:/dev/dahdi/ctl');
    const backend = createDahdiBackend(hostDeps(binding));
    const err = await nextValue<HardwareError>((deliver) => backend.subscribe(() => undefined, { onError: deliver }));
    assert.equal(err.code, 'PERMISSION_DENIED');
    await backend.close();
  });

  it('turns a rising "Timing slips" line into a counters event', async () => {
    const procSpan1 = fixture('proc', 'dahdi', '1');
    const original = await fs.readFile(procSpan1, 'utf8');
    let current = original;
    const fakeFs = {
      readFile: (file: string, enc: 'utf8') => (file === procSpan1 ? Promise.resolve(current) : fs.readFile(file, enc)),
      readdir: (dir: string) => fs.readdir(dir),
      readlink: (link: string) => fs.readlink(link),
      realpath: (file: string) => fs.realpath(file),
    };
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding, { fs: fakeFs, slipPollMs: 20 }));
    try {
      const batch = await nextValue<readonly HardwareEvent[]>((deliver) => {
        backend.subscribe(deliver, { intervalMs: 20 });
        void binding.firstWatcher().then(() => {
          current = original.replace('Timing slips: 7', 'Timing slips: 10');
        });
      });
      assert.deepEqual(batch, [{ kind: 'counters', at: 1_700_000_000_000, span: 1, deltas: { slips: 3 } }]);
    } finally {
      await backend.close();
    }
  });

  it('maps maintenance ops to DAHDI_MAINT and ENOSYS to "not supported by this driver"', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding));
    assert.deepEqual(await backend.maintenance(1, 'local-loop'), { supported: true });
    binding.maintResult = 'unsupported';
    assert.deepEqual(await backend.maintenance(3, 'reset-counters'), { supported: false, reason: 'not supported by this driver' });
    assert.deepEqual(binding.maintCalls, [
      [1, MAINT_COMMANDS['local-loop']],
      [3, MAINT_COMMANDS['reset-counters']],
    ]);
    await assert.rejects(backend.maintenance(9, 'none'), (err: unknown) => isHardwareError(err, 'UNKNOWN_SPAN'));
    await backend.close();
  });

  it('opens a channel of its own and names its events', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding));
    const channel = await backend.openChannel(95);
    const seen: string[] = [];
    channel.onEvent((e) => seen.push(e.name));
    binding.owned[0]?.onEvents([2, 1 << 17 | '5'.charCodeAt(0), 1], 42);
    assert.deepEqual(seen, ['RINGOFFHOOK', 'DTMFDOWN(5)', 'ONHOOK']);
    const failure = nextValue<HardwareError>((deliver) => channel.onError(deliver));
    binding.owned[0]?.onEvents([1], 43, { code: 'EIO', errno: 5, syscall: 'ioctl:DAHDI_GETEVENT' });
    const err = await failure;
    assert.deepEqual([err.code, err.syscall, err.channel], ['SYSTEM_ERROR', 'ioctl:DAHDI_GETEVENT', 95]);
    assert.equal(seen.length, 4, 'codes read before the failure still arrive');
    await channel.close();
    await channel.close();
    assert.equal(binding.owned[0]?.closed, true);
    await assert.rejects(backend.openChannel(500), (err: unknown) => isHardwareError(err, 'UNKNOWN_CHANNEL') && /1-31, 32-62, 63-93, 94-97/.test(err.message));
    assert.equal(binding.owned.length, 1, 'an unknown channel is never opened');
    binding.channelOpenError = nativeError('EBUSY', 16, 'ioctl:DAHDI_SPECIFY');
    await assert.rejects(backend.openChannel(94), (err: unknown) => isHardwareError(err, 'CHANNEL_BUSY') && err.channel === 94);
    await backend.close();
  });

  it('closes the ctl, the watchers and owned channels once; later calls fail with CLOSED', async () => {
    const binding = new FakeBinding();
    const backend = createDahdiBackend(hostDeps(binding));
    await backend.spans();
    backend.subscribe(() => undefined);
    const watcher = await binding.firstWatcher();
    await backend.openChannel(96);
    await backend.close();
    await backend.close();
    assert.equal(binding.controlsClosed, 1);
    assert.equal(watcher.stopped, true);
    assert.equal(binding.owned[0]?.closed, true);
    assert.deepEqual(binding.resources(), { fds: 0, threads: 0 });
    await assert.rejects(backend.spans(), (err: unknown) => isHardwareError(err, 'CLOSED'));
  });

  it('maps span type texts', () => {
    const cases: [string, string][] = [
      ['E1', 'E1'],
      ['T1', 'T1'],
      ['J1', 'J1'],
      ['BRI_NT', 'BRI'],
      ['BRI_T', 'BRI'],
      ['FXS', 'ANALOG'],
      ['FXO', 'ANALOG'],
      ['ANALO', 'ANALOG'],
      ['DYNAM', 'DYNAMIC'],
      ['DYNAMIC', 'DYNAMIC'],
      ['', 'UNKNOWN'],
    ];
    for (const [text, type] of cases) assert.equal(spanTypeOf(text), type, text);
  });
});
