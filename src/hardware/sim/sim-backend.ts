// The simulated HardwareBackend: virtual cards from a scenario, behaving as DAHDI does (alarm
// bits, counters per driver, channel numbering, watcher edges, maintenance, exclusive channel
// opens), plus the test controls that tests, benches and the demo use to cause faults.

import { countersFor } from '../counter-support';
import { alarmNames, channelEventName, lineConfigNames, MAINTENANCE_OPS, sigtypeName, type MaintenanceOp } from '../dahdi-constants';
import { HardwareError, unknownChannelError, unknownSpanError } from '../errors';
import {
  DEFAULT_WATCH_INTERVAL_MS,
  type CardInfo,
  type ChannelStatus,
  type DriverInfo,
  type HardwareBackend,
  type HardwareEvent,
  type HookState,
  type MaintenanceOutcome,
  type OwnedChannel,
  type SpanStatus,
  type Subscription,
  type WatchOptions,
} from '../types';
import { realClock, type Clock } from '../../clock';
import { defaultScenario } from './default-scenario';
import { driverModel } from './driver-models';
import { FaultScheduler, type FaultOptions } from './faults';
import { Prng } from './prng';
import type { CounterFault, LineFault, Scenario } from './scenario-types';
import { SimState } from './sim-state';
import { isLoopOp } from './span-state';
import { buildTopology, type ChannelLayout, type SpanLayout } from './topology';
import { SimWatcher } from './watcher';

export interface SimBackendOptions {
  /** Defaults to two E1 PRI spans and a 2 FXO + 2 FXS card (default-scenario.ts). */
  scenario?: Scenario;
  /** Defaults to real time; pass a ManualClock to drive the sim from tests. */
  clock?: Clock;
}

export const SIM_DRIVER_VERSION = '3.1.0-sim';
const NOT_SUPPORTED = 'not supported by this driver';

export function createSimBackend(options: SimBackendOptions = {}): SimBackend {
  return new SimBackend(options.scenario ?? defaultScenario(), options.clock ?? realClock);
}

export class SimBackend implements HardwareBackend {
  readonly kind = 'sim' as const;
  private status: 'ready' | 'closed' = 'ready';
  private readonly state: SimState;
  private readonly faults: FaultScheduler;
  private readonly watchers = new Set<SimWatcher>();
  private readonly owned = new Set<SimOwnedChannel>();
  /** Channels held by "Asterisk" (setInUse), with the owner token that holds them. */
  private readonly heldByAsterisk = new Map<number, () => void>();

  constructor(
    readonly scenario: Scenario,
    private readonly clock: Clock,
  ) {
    this.state = new SimState(buildTopology(scenario), scenario.recoverMs, clock);
    this.faults = new FaultScheduler(this.state, clock);
    // Separate streams: adding line activity must not change which faults a seed produces.
    const root = new Prng(scenario.seed);
    this.faults.start(scenario, root.fork(), root.fork());
  }

  driver(): Promise<DriverInfo> {
    return this.guard(() => ({ backend: 'sim', version: SIM_DRIVER_VERSION, echoCanceller: 'none' }));
  }

  cards(): Promise<CardInfo[]> {
    return this.guard(() => this.scenario.cards.map((card, i) => cardInfo(card, this.state.topology.spans.filter((s) => s.cardIndex === i))));
  }

  spans(): Promise<SpanStatus[]> {
    return this.guard(() => this.state.presentSpans().map((n) => this.spanStatus(this.layout(n))));
  }

  span(span: number): Promise<SpanStatus> {
    return this.guard(() => this.spanStatus(this.layout(span)));
  }

  channels(span: number): Promise<ChannelStatus[]> {
    return this.guard(() => this.layout(span).channels.map((ch) => this.channelStatus(ch)));
  }

  subscribe(listener: (batch: readonly HardwareEvent[]) => void, options: WatchOptions = {}): Subscription {
    this.assertOpen();
    const interval = Math.max(1, options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS);
    const watcher = new SimWatcher(this.state, this.clock, listener, interval, (w) => this.watchers.delete(w));
    this.watchers.add(watcher);
    return watcher;
  }

  maintenance(span: number, op: MaintenanceOp): Promise<MaintenanceOutcome> {
    return this.guard((): MaintenanceOutcome => {
      const layout = this.layout(span);
      if (!MAINTENANCE_OPS.includes(op)) throw new RangeError(`unknown maintenance op ${String(op)}`);
      // The driver answers ENOSYS both without a maint callback and for commands it refuses.
      const supported = driverModel(layout.driver)?.maintenance(layout.line) ?? [];
      if (!supported.includes(op)) return { supported: false, reason: NOT_SUPPORTED };
      if (op === 'reset-counters') this.state.resetCounters(span);
      else this.state.setMaintenance(span, isLoopOp(op) ? op : 'none');
      return { supported: true };
    });
  }

  openChannel(channel: number): Promise<OwnedChannel> {
    return this.guard(() => {
      const layout = this.channelLayout(channel);
      if (layout.role === 'unused') {
        throw new HardwareError('CHANNEL_UNCONFIGURED', `channel ${channel} is not configured (TS16 carries the CAS bits)`, {
          errnoCode: 'ENXIO', syscall: 'ioctl:DAHDI_SPECIFY', channel,
        });
      }
      const owned = new SimOwnedChannel(channel, this.state, (c) => this.owned.delete(c));
      if (!owned.claimed) {
        throw new HardwareError('CHANNEL_BUSY', `channel ${channel} is held by another program (Asterisk?)`, {
          errnoCode: 'EBUSY', syscall: 'ioctl:DAHDI_SPECIFY', channel,
        });
      }
      this.owned.add(owned);
      return owned;
    });
  }

  async close(): Promise<void> {
    if (this.status === 'closed') return;
    this.status = 'closed';
    this.faults.stop();
    await Promise.all([...this.watchers].map((w) => w.close()));
    await Promise.all([...this.owned].map((c) => c.close()));
    this.state.dispose();
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Raises a line fault (LOS, LOF, AIS, RAI, dchannel-down), adds counter errors, or flaps. */
  raiseFault(span: number, fault: LineFault | CounterFault | 'flap', options: FaultOptions = {}): void {
    const layout = this.controlSpan(span);
    if (layout.line === 'analog') throw new RangeError(`span ${span} is analog: line faults need a digital span`);
    this.faults.apply(span, fault, options);
  }

  /** Clears one line fault, or all faults (and pending fault timers) of the span. */
  clearFault(span: number, fault?: LineFault): void {
    this.controlSpan(span);
    this.faults.clear(span, fault);
  }

  /** Takes the span away as a driver unload or an unassign would; its channels go with it. */
  removeSpan(span: number): void {
    this.controlSpan(span);
    this.state.remove(span);
  }

  restoreSpan(span: number): void {
    this.controlSpan(span);
    this.state.restore(span);
  }

  /** A phone or the exchange changing the hook of an analog port (or an E&M channel). */
  setHook(channel: number, hook: HookState): void {
    const ch = this.controlChannel(channel);
    if (ch.role === 'em') return this.state.setRxBits(channel, hook === 'offhook' ? 0b1000 : 0, 'em');
    if (ch.role !== 'fxo-port' && ch.role !== 'fxs-port') throw new RangeError(`channel ${channel} has no hook state (${ch.role})`);
    this.state.setHook(channel, hook);
  }

  /** The far end changing the ABCD bits we receive on a CAS or E&M channel. */
  setAbcd(channel: number, bits: number): void {
    const ch = this.controlChannel(channel);
    if (ch.idleBits === null) throw new RangeError(`channel ${channel} carries no ABCD bits (${ch.role})`);
    if (!Number.isInteger(bits) || bits < 0 || bits > 15) throw new RangeError(`ABCD bits must be 0-15, got ${bits}`);
    this.state.setRxBits(channel, bits, ch.role);
  }

  /**
   * Marks a channel held (or freed) as Asterisk holding it for a call would: channels() shows
   * inUse and openChannel gets CHANNEL_BUSY. Returns false when another program already holds
   * it (marking in use) or when this control did not hold it (freeing).
   */
  setInUse(channel: number, inUse: boolean): boolean {
    this.controlChannel(channel);
    const held = this.heldByAsterisk.get(channel);
    if (!inUse) {
      if (!held) return false;
      this.state.release(channel, held);
      this.heldByAsterisk.delete(channel);
      return true;
    }
    if (held) return true;
    const token = (): void => undefined;
    if (!this.state.claim(channel, token)) return false;
    this.heldByAsterisk.set(channel, token);
    return true;
  }

  /**
   * Bench and test hook: hands prepared events to every subscriber's next batch as they are,
   * without touching the sim's state. The array is read, not kept.
   */
  inject(events: readonly HardwareEvent[]): void {
    for (const w of this.watchers) w.inject(events);
  }

  // ---- internals -----------------------------------------------------------------------------

  private guard<T>(fn: () => T): Promise<T> {
    try {
      this.assertOpen();
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  private assertOpen(): void {
    if (this.status === 'closed') throw new HardwareError('CLOSED', 'the sim backend is closed');
  }

  private layout(span: number): SpanLayout {
    const layout = this.state.layout(span);
    if (!layout || !this.state.isPresent(span)) throw unknownSpanError(span, this.state.presentSpans());
    return layout;
  }

  private channelLayout(channel: number): ChannelLayout {
    const ch = Number.isInteger(channel) ? this.state.topology.channels[channel] : undefined;
    if (!ch || !this.state.isPresent(ch.span)) {
      throw unknownChannelError(channel, `channels present: ${channelRanges(this.state.presentSpans().map((n) => this.layout(n)))}`);
    }
    return ch;
  }

  /** Test controls also reach spans that are currently removed. */
  private controlSpan(span: number): SpanLayout {
    this.assertOpen();
    const layout = this.state.layout(span);
    if (!layout) throw unknownSpanError(span, this.state.topology.spans.map((s) => s.span));
    return layout;
  }

  private controlChannel(channel: number): ChannelLayout {
    this.assertOpen();
    const ch = Number.isInteger(channel) ? this.state.topology.channels[channel] : undefined;
    if (!ch) throw unknownChannelError(channel, `the sim has channels 1-${this.state.topology.channelCount}`);
    return ch;
  }

  private spanStatus(layout: SpanLayout): SpanStatus {
    const s = this.state.state(layout.span);
    const alarms = this.state.alarms[layout.span] ?? 0;
    return {
      span: layout.span,
      name: layout.name,
      description: layout.description,
      alarms,
      alarmNames: alarmNames(alarms),
      counters: countersFor(layout.driver, s.rawCounters()),
      driver: layout.driver,
      syncSource: this.state.syncSource(layout.span),
      lbo: layout.lbo,
      lboName: layout.lboName,
      lineConfig: layout.lineConfig,
      lineConfigNames: lineConfigNames(layout.lineConfig),
      spanType: layout.spanType,
      spanTypeText: layout.spanTypeText,
      baseChannel: layout.baseChannel,
      totalChannels: layout.channels.length,
      configuredChannels: layout.configuredChannels,
      location: layout.location,
      manufacturer: layout.manufacturer,
      deviceType: layout.deviceType,
      linecompat: layout.linecompat,
      txLevel: 0,
      rxLevel: 0,
    };
  }

  private channelStatus(ch: ChannelLayout): ChannelStatus {
    const hook = this.state.hook[ch.channel] ?? -1;
    const rx = this.state.rxBits[ch.channel] ?? -1;
    const tx = this.state.txBits[ch.channel] ?? -1;
    return {
      channel: ch.channel,
      span: ch.span,
      position: ch.position,
      name: ch.name,
      sigtype: ch.sigtype,
      sigtypeName: sigtypeName(ch.sigtype),
      sigcap: ch.sigcap,
      hook: hook === -1 ? null : hook === 1 ? 'offhook' : 'onhook',
      rxBits: rx === -1 ? null : rx,
      txBits: tx === -1 ? null : tx,
      chanAlarms: this.state.alarms[ch.span] ?? 0,
      inUse: this.state.isOwned(ch.channel),
    };
  }
}

/** A channel this process holds: DAHDI_GETEVENT codes for it arrive through onEvent. */
class SimOwnedChannel implements OwnedChannel {
  readonly claimed: boolean;
  private readonly listeners: ((event: { code: number; name: string; at: number }) => void)[] = [];
  private closed = false;
  private readonly deliver = (code: number, at: number): void => {
    const event = { code, name: channelEventName(code), at };
    for (const l of this.listeners) l(event);
  };

  constructor(
    readonly channel: number,
    private readonly state: SimState,
    private readonly onClose: (c: SimOwnedChannel) => void,
  ) {
    this.claimed = state.claim(channel, this.deliver);
  }

  onEvent(listener: (event: { code: number; name: string; at: number }) => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.state.release(this.channel, this.deliver);
      this.listeners.length = 0;
      this.onClose(this);
    }
    return Promise.resolve();
  }
}

function cardInfo(card: Scenario['cards'][number], spans: readonly SpanLayout[]): CardInfo {
  const model = driverModel(card.driver);
  const analog = card.ports.length > 0;
  return {
    location: card.location,
    vendorId: model?.vendorId ?? 0,
    deviceId: card.deviceId,
    subVendorId: model?.vendorId ?? 0,
    subDeviceId: card.deviceId,
    vendor: card.vendor,
    model: card.model,
    ports: analog ? card.ports.length : spans.length,
    portKind: analog ? 'analog' : spans.some((s) => s.line === 'BRI') ? 'BRI' : (model?.portKind ?? 'unknown'),
    echoCanceller: model?.echoCanceller ?? null,
    kernelModule: card.driver,
    moduleLoaded: true,
    driverAvailable: true,
    notes: [...(model?.notes ?? [])],
  };
}

/** "1-31, 32-62, 63-66": the channel ranges of the spans present. */
function channelRanges(spans: readonly SpanLayout[]): string {
  if (spans.length === 0) return 'none';
  return spans.map((s) => `${s.baseChannel}-${s.baseChannel + s.channels.length - 1}`).join(', ');
}
