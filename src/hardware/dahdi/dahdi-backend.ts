// The real DAHDI backend: HardwareBackend over the N-API binding (ioctls on /dev/dahdi/ctl, the
// polling watcher, owned channels) plus the text the kernel publishes in /proc/dahdi and sysfs.
// Everything is injected (binding, roots, fs, clock) so the whole class runs against fakes.
// What comes from where is written up in docs/dahdi-backend.md.

import * as path from 'node:path';
import { countersFor } from '../counter-support';
import { alarmNames, channelEventName, hasHookState, isCasOrAnalog, lineConfigNames, MAINT_COMMANDS, sigtypeName, DAHDI_MAX_SPANS, type MaintenanceOp } from '../dahdi-constants';
import { HardwareError, unknownChannelError, unknownSpanError } from '../errors';
import type {
  ChannelStatus,
  CardInfo,
  CounterName,
  DriverInfo,
  HardwareBackend,
  HardwareEvent,
  MaintenanceOutcome,
  OwnedChannel,
  SpanStatus,
  SpanType,
  Subscription,
  WatchOptions,
} from '../types';
import { DEFAULT_WATCH_INTERVAL_MS } from '../types';
import { detectCards } from '../pci/pci-detect';
import { driverOfSpan } from './driver-of-span';
import { fromNativeError, type NativeBinding, type NativeControl, type NativeErrorFacts, type RawEdgeBatch, type RawParams, type RawSpanInfo } from './native';
import { parseChannelLine, parseTimingSlips } from './proc-parser';
import { defaultSysFs, listSysSpans, parseIntAttr, readAttr, readChannelsInUse, readSysSpan, spanDir, type SysFs } from './sysfs-reader';

export interface DahdiBackendDeps {
  binding: NativeBinding;
  devDir?: string;
  procRoot?: string;
  sysRoot?: string;
  /** Directory of modules.alias for card detection; default /lib/modules/$(uname -r). */
  modulesDir?: string;
  fs?: SysFs;
  /** Milliseconds since the epoch; stamps the slip events this class makes itself. */
  clock?: () => number;
  /** How often /proc/dahdi/N is read for timing slips while subscribed; at least 1000 ms by default. */
  slipPollMs?: number;
}

/**
 * An owned channel that can also fail: when its fd breaks (GETEVENT error, POLLERR) the binding
 * stops polling it and onError hears why; close() is still needed.
 */
export interface DahdiOwnedChannel extends OwnedChannel {
  onError(listener: (err: HardwareError) => void): void;
}

export interface DahdiWatchOptions extends WatchOptions {
  /**
   * Called when the watcher cannot start or a poll fails (ctl gone on module unload, an ioctl
   * error). The native watcher reports a lasting error once; the error stays readable as
   * backend.lastWatchError until a batch without error says it has cleared.
   */
  onError?: (err: HardwareError) => void;
}

const DEFAULT_SLIP_POLL_MS = 1000;

export function spanTypeOf(text: string): SpanType {
  const t = text.trim().toUpperCase();
  if (t === 'E1' || t === 'T1' || t === 'J1') return t;
  if (t.startsWith('BRI')) return 'BRI';
  // dahdi_spantype2str: FXS, FXO, ANALOG_MIXED; SPANSTAT's spantype[6] cuts the last to "ANALO".
  if (t === 'FXS' || t === 'FXO' || t.startsWith('ANALO')) return 'ANALOG';
  if (t.startsWith('DYNAM')) return 'DYNAMIC';
  return 'UNKNOWN';
}

function rawCounters(info: RawSpanInfo, slips: number | undefined): Partial<Record<CounterName, number>> {
  const raw: Partial<Record<CounterName, number>> = {
    bpv: info.bpvcount,
    crc4: info.crc4count,
    ebit: info.ebitcount,
    fas: info.fascount,
    irqmisses: info.irqmisses,
  };
  // fe..errsec are null under the V1 SPANSTAT: leave them out so they read as "not reported".
  const extended = { fe: info.fecount, cv: info.cvcount, be: info.becount, prbs: info.prbs, errsec: info.errsec };
  for (const [name, value] of Object.entries(extended) as [CounterName, number | null][]) {
    if (value !== null) raw[name] = value;
  }
  if (slips !== undefined) raw.slips = slips;
  return raw;
}

function channelStatus(p: RawParams, inUse: Map<number, boolean>): ChannelStatus {
  const hasHook = hasHookState(p.sigtype);
  return {
    channel: p.channo,
    span: p.spanno,
    position: p.chanpos,
    name: p.name,
    sigtype: p.sigtype,
    sigtypeName: sigtypeName(p.sigtype),
    sigcap: p.sigcap,
    hook: hasHook ? (p.rxisoffhook !== 0 ? 'offhook' : 'onhook') : null,
    rxBits: p.rxbits === -1 ? null : p.rxbits,
    txBits: p.txbits === -1 ? null : p.txbits,
    chanAlarms: p.chanAlarms,
    inUse: inUse.get(p.channo) ?? null,
  };
}

function toHardwareError(err: unknown): HardwareError {
  return err instanceof HardwareError ? err : fromNativeError(err);
}

/** Adds the channel to a native error's facts when the binding left it out. */
function withChannel(err: unknown, channel: number): unknown {
  if (typeof err !== 'object' || err === null || !('code' in err)) return err;
  const e = err as { code: string; errno?: number; syscall?: string; span?: number; channel?: number; message?: string };
  return { code: e.code, errno: e.errno, syscall: e.syscall, span: e.span, channel: e.channel ?? channel, message: e.message };
}

/**
 * Turns one native batch into HardwareEvents: counter deltas of a span are summed into one
 * 'counters' event, placed where that span's first counter edge was.
 */
export function translateBatch(batch: RawEdgeBatch): HardwareEvent[] {
  const at = batch.at;
  const events: HardwareEvent[] = [];
  const countersBySpan = new Map<number, Extract<HardwareEvent, { kind: 'counters' }>>();
  for (const edge of batch.edges) {
    switch (edge.type) {
      case 'alarm':
        events.push({
          kind: 'alarm',
          at,
          span: edge.span,
          previous: edge.previous,
          alarms: edge.alarms,
          raised: alarmNames(edge.alarms & ~edge.previous),
          cleared: alarmNames(edge.previous & ~edge.alarms),
        });
        break;
      case 'counter': {
        let event = countersBySpan.get(edge.span);
        if (!event) {
          event = { kind: 'counters', at, span: edge.span, deltas: {} };
          countersBySpan.set(edge.span, event);
          events.push(event);
        }
        event.deltas[edge.counter] = (event.deltas[edge.counter] ?? 0) + edge.delta;
        break;
      }
      case 'rxbits':
        events.push({ kind: 'abcd', at, span: edge.span, channel: edge.channel, previous: edge.previous, bits: edge.bits });
        break;
      case 'hook':
        events.push({ kind: 'hook', at, span: edge.span, channel: edge.channel, hook: edge.offhook ? 'offhook' : 'onhook' });
        break;
      case 'span-added':
      case 'span-removed':
        events.push({ kind: edge.type, at, span: edge.span });
        break;
    }
  }
  return events;
}

export class DahdiBackend implements HardwareBackend {
  readonly kind = 'dahdi' as const;
  private readonly binding: NativeBinding;
  private readonly devDir: string;
  private readonly procRoot: string;
  private readonly sysRoot: string;
  private readonly modulesDir: string | undefined;
  private readonly fs: SysFs;
  private readonly clock: () => number;
  private readonly slipPollMs: number;
  private control: NativeControl | null = null;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  private readonly owned = new Set<OwnedChannel>();
  private watchError: HardwareError | null = null;

  constructor(deps: DahdiBackendDeps) {
    this.binding = deps.binding;
    this.devDir = deps.devDir ?? '/dev/dahdi';
    this.procRoot = deps.procRoot ?? '/proc';
    this.sysRoot = deps.sysRoot ?? '/sys';
    this.modulesDir = deps.modulesDir;
    this.fs = deps.fs ?? defaultSysFs;
    this.clock = deps.clock ?? Date.now;
    this.slipPollMs = deps.slipPollMs ?? DEFAULT_SLIP_POLL_MS;
  }

  /** The last failed watcher poll, for callers that gave no onError. */
  get lastWatchError(): HardwareError | null {
    return this.watchError;
  }

  /** The shared ctl fd, opened on first use and kept (the kernel allows many openers). */
  private ctl(): NativeControl {
    if (this.closed) throw new HardwareError('CLOSED', 'the dahdi backend is closed');
    if (this.control === null || this.control.closed) {
      try {
        this.control = this.binding.openControl(this.devDir);
      } catch (err) {
        throw fromNativeError(err);
      }
    }
    return this.control;
  }

  private native<T>(op: (ctl: NativeControl) => T): T {
    const ctl = this.ctl();
    try {
      return op(ctl);
    } catch (err) {
      throw fromNativeError(err);
    }
  }

  async driver(): Promise<DriverInfo> {
    const v = this.native((ctl) => ctl.version());
    return { backend: 'dahdi', version: v.version, echoCanceller: v.echoCanceller };
  }

  cards(): Promise<CardInfo[]> {
    return detectCards({ sysRoot: this.sysRoot, procRoot: this.procRoot, modulesDir: this.modulesDir, fs: this.fs });
  }

  /** Span numbers: the dahdi_spans bus, or (DAHDI without sysfs) SPANSTAT probes up to totalspans. */
  private async spanNumbers(): Promise<number[]> {
    const listed = await listSysSpans(this.sysRoot, this.fs);
    if (listed !== null) return listed;
    const found: number[] = [];
    let total = Infinity;
    for (let n = 1; n <= DAHDI_MAX_SPANS && found.length < total; n++) {
      const info = this.native((ctl) => ctl.spanStat(n));
      if (info) {
        found.push(n);
        total = info.totalspans;
      }
    }
    return found;
  }

  private async readProc(span: number): Promise<string | null> {
    return readAttr(this.fs, path.join(this.procRoot, 'dahdi', String(span)));
  }

  /** First channel of a span: sysfs basechan, or the first channel line of /proc/dahdi/N (old DAHDI). */
  private async baseChannel(span: number): Promise<number> {
    const sys = parseIntAttr(await readAttr(this.fs, path.join(spanDir(this.sysRoot, span), 'basechan')));
    if (sys !== null) return sys;
    const procText = await this.readProc(span);
    const first = procText?.split('\n').map(parseChannelLine).find((c) => c !== null);
    return first?.channel ?? 0;
  }

  private async status(span: number, info: RawSpanInfo): Promise<SpanStatus> {
    const sys = await readSysSpan(this.sysRoot, span, this.fs);
    const procText = await this.readProc(span);
    const driver = await driverOfSpan(this.sysRoot, span, info.name, this.fs);
    const spanTypeText = info.spantype !== '' ? info.spantype : sys?.spanType ?? '';
    return {
      span,
      name: info.name,
      description: info.desc,
      alarms: info.alarms,
      alarmNames: alarmNames(info.alarms),
      counters: countersFor(driver, rawCounters(info, procText === null ? undefined : parseTimingSlips(procText))),
      driver,
      syncSource: info.syncsrc,
      lbo: info.lbo,
      lboName: info.lboname,
      lineConfig: info.lineconfig,
      lineConfigNames: lineConfigNames(info.lineconfig),
      spanType: spanTypeOf(sys?.spanType ?? spanTypeText),
      spanTypeText,
      baseChannel: sys?.baseChannel ?? (await this.baseChannel(span)),
      totalChannels: info.totalchans,
      configuredChannels: info.numchans,
      location: info.location,
      manufacturer: info.manufacturer,
      deviceType: info.devicetype,
      linecompat: info.linecompat,
      txLevel: info.txlevel,
      rxLevel: info.rxlevel,
    };
  }

  async spans(): Promise<SpanStatus[]> {
    const result: SpanStatus[] = [];
    for (const n of await this.spanNumbers()) {
      // A span listed a moment ago may be gone now (dahdi_cfg recreating dynamic spans).
      const info = this.native((ctl) => ctl.spanStat(n));
      if (info) result.push(await this.status(n, info));
    }
    return result;
  }

  async span(span: number): Promise<SpanStatus> {
    const info = Number.isInteger(span) && span >= 1 && span <= DAHDI_MAX_SPANS ? this.native((ctl) => ctl.spanStat(span)) : null;
    if (!info) throw unknownSpanError(span, await this.spanNumbers());
    return this.status(span, info);
  }

  /** GET_PARAMS through the ctl fd for every channel of the span: no channel is ever opened. */
  async channels(span: number): Promise<ChannelStatus[]> {
    const status = await this.span(span);
    const inUse = await readChannelsInUse(this.sysRoot, this.fs, span);
    const result: ChannelStatus[] = [];
    for (let ch = status.baseChannel; ch < status.baseChannel + status.totalChannels; ch++) {
      const params = this.native((ctl) => ctl.getParams(ch));
      if (params) result.push(channelStatus(params, inUse));
    }
    return result;
  }

  subscribe(listener: (batch: readonly HardwareEvent[]) => void, options: DahdiWatchOptions = {}): Subscription {
    const intervalMs = options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
    let stopped = false;
    let slipTimer: NodeJS.Timeout | undefined;
    let slipPolling = false;
    const report = (err: HardwareError): void => {
      this.watchError = err;
      options.onError?.(err);
    };
    const deliver = (events: HardwareEvent[]): void => {
      if (events.length > 0 && !stopped) listener(events);
    };
    const slipTracker = new SlipTracker(this.procRoot, this.fs, this.clock);

    const start = async (): Promise<{ stop(): Promise<void> } | null> => {
      // Only what the watcher needs, and cheaply: its first poll is the first news a caller gets.
      const channels: number[] = [];
      for (const span of await this.spanNumbers()) {
        const info = this.native((ctl) => ctl.spanStat(span));
        if (!info) continue;
        await this.trackSlips(span, info.name, slipTracker);
        const base = await this.baseChannel(span);
        for (let ch = base; ch < base + info.totalchans; ch++) {
          const params = this.native((ctl) => ctl.getParams(ch));
          if (params && isCasOrAnalog(params.sigtype)) channels.push(ch);
        }
      }
      if (stopped) return null;
      const watcher = this.binding.startWatcher(this.devDir, { intervalMs, channels }, (batch) => {
        // Edges that came with an error were seen before the failure and are real: deliver them
        // (a dropped alarm edge would never be reported again), then report the error.
        if (batch.error) report(fromNativeError(batch.error));
        else if (batch.edges.length === 0) this.watchError = null;
        for (const edge of batch.edges) {
          if (edge.type === 'span-removed') slipTracker.untrack(edge.span);
          // The first poll announces every span; only spans created later are new to the tracker.
          if (edge.type === 'span-added' && !slipTracker.has(edge.span)) {
            this.trackSlips(edge.span, edge.info.name, slipTracker).catch((err: unknown) => report(toHardwareError(err)));
          }
        }
        deliver(translateBatch(batch));
      });
      // /proc/dahdi/N is text the kernel formats per read: poll it at most once a second, and
      // only for spans whose driver counts slips at all.
      slipTimer = setInterval(() => {
        if (slipPolling) return;
        slipPolling = true;
        slipTracker
          .poll()
          .then(deliver, (err: unknown) => report(new HardwareError('SYSTEM_ERROR', `reading /proc/dahdi failed: ${String(err)}`)))
          .finally(() => {
            slipPolling = false;
          });
      }, Math.max(intervalMs, this.slipPollMs));
      return watcher;
    };

    const started = start().catch((err: unknown) => {
      report(toHardwareError(err));
      return null;
    });
    const subscription: Subscription = {
      close: async () => {
        if (stopped) return;
        stopped = true;
        this.subscriptions.delete(subscription);
        if (slipTimer) clearInterval(slipTimer);
        const watcher = await started;
        if (watcher) await watcher.stop();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Starts following a span's slips when its driver counts them at all. */
  private async trackSlips(span: number, name: string, tracker: SlipTracker): Promise<void> {
    const driver = await driverOfSpan(this.sysRoot, span, name, this.fs);
    if (countersFor(driver, { slips: 0 }).slips === null) return;
    const text = await this.readProc(span);
    if (text !== null) tracker.track(span, parseTimingSlips(text));
  }

  async maintenance(span: number, op: MaintenanceOp): Promise<MaintenanceOutcome> {
    await this.span(span);
    const ctl = this.ctl();
    let outcome: 'done' | 'unsupported';
    try {
      outcome = await ctl.maintenance(span, MAINT_COMMANDS[op]);
    } catch (err) {
      throw fromNativeError(err);
    }
    return outcome === 'unsupported' ? { supported: false, reason: 'not supported by this driver' } : { supported: true };
  }

  async openChannel(channel: number): Promise<DahdiOwnedChannel> {
    if (this.closed) throw new HardwareError('CLOSED', 'the dahdi backend is closed');
    // DAHDI_SPECIFY answers ENXIO both for "no such channel" and "not configured": ask GET_PARAMS
    // first so that a wrong number is UNKNOWN_CHANNEL, not a configuration problem.
    const exists = Number.isInteger(channel) && channel >= 1 && this.native((ctl) => ctl.getParams(channel)) !== null;
    if (!exists) throw unknownChannelError(channel, `no span has it (channels present: ${await this.channelRanges()})`);
    const listeners: ((event: { code: number; name: string; at: number }) => void)[] = [];
    const errorListeners: ((err: HardwareError) => void)[] = [];
    let handle;
    try {
      handle = this.binding.openChannel(this.devDir, channel, (codes, at, error?: NativeErrorFacts) => {
        for (const code of codes) {
          const event = { code, name: channelEventName(code), at };
          for (const l of listeners) l(event);
        }
        if (error) {
          const err = fromNativeError(withChannel(error, channel));
          for (const l of errorListeners) l(err);
        }
      });
    } catch (err) {
      throw fromNativeError(withChannel(err, channel));
    }
    const native = handle;
    const owned: DahdiOwnedChannel = {
      channel,
      onEvent: (listener) => {
        listeners.push(listener);
      },
      onError: (listener) => {
        errorListeners.push(listener);
      },
      close: () => {
        if (this.owned.delete(owned)) native.close();
        return Promise.resolve();
      },
    };
    this.owned.add(owned);
    return owned;
  }

  private async channelRanges(): Promise<string> {
    const ranges = (await this.spans()).filter((s) => s.totalChannels > 0).map((s) => `${s.baseChannel}-${s.baseChannel + s.totalChannels - 1}`);
    return ranges.length > 0 ? ranges.join(', ') : 'none';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await Promise.all([...this.owned].map((c) => c.close()));
    if (this.control && !this.control.closed) this.control.close();
    this.control = null;
  }
}

/** Slip counts per span from /proc/dahdi/N, turned into deltas. */
class SlipTracker {
  private readonly last = new Map<number, number>();

  constructor(
    private readonly procRoot: string,
    private readonly fs: SysFs,
    private readonly clock: () => number,
  ) {}

  track(span: number, slips: number): void {
    this.last.set(span, slips);
  }

  has(span: number): boolean {
    return this.last.has(span);
  }

  untrack(span: number): void {
    this.last.delete(span);
  }

  async poll(): Promise<HardwareEvent[]> {
    const events: HardwareEvent[] = [];
    for (const [span, previous] of [...this.last]) {
      const text = await readAttr(this.fs, path.join(this.procRoot, 'dahdi', String(span)));
      if (text === null || !this.last.has(span)) continue;
      const slips = parseTimingSlips(text);
      this.last.set(span, slips);
      // A drop means the counters were reset (DAHDI_MAINT reset-counters): no negative delta.
      if (slips > previous) events.push({ kind: 'counters', at: this.clock(), span, deltas: { slips: slips - previous } });
    }
    return events;
  }
}

export function createDahdiBackend(deps: DahdiBackendDeps): DahdiBackend {
  return new DahdiBackend(deps);
}
