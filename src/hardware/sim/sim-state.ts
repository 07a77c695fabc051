// The live state of the whole simulated host: spans, alarms, counters, D-channels, hook and
// ABCD bits, and who holds which channel. Every mutation goes through here so that alarms,
// recovery, wired peers and channel-owner events (DAHDI_GETEVENT codes) stay consistent.

import { counterSupport } from '../counter-support';
import { ALARM_BITS, CHANNEL_EVENTS, type MaintenanceOp } from '../dahdi-constants';
import { COUNTER_NAMES, type CounterName, type HookState } from '../types';
import type { Clock, TimerHandle } from '../../clock';
import type { LineFault, Signalling } from './scenario-types';
import { SpanState } from './span-state';
import type { ChannelLayout, SpanLayout, Topology } from './topology';

export type OwnerListener = (code: number, at: number) => void;

const HOOK_NONE = -1;
const BITS_NONE = -1;
const DCHANNEL_NONE = -1;
const OUT_OF_SERVICE = ALARM_BITS.RED | ALARM_BITS.BLUE | ALARM_BITS.LOS | ALARM_BITS.LFA | ALARM_BITS.LMFA;

export class SimState {
  readonly spans: SpanState[];
  /** Effective DAHDI alarm bits, index = span number. */
  readonly alarms: Int32Array;
  /** D-channel state per span number: 1 up, 0 down, -1 the span has none. */
  readonly dchannel: Int8Array;
  /** Per channel number: hook 1 offhook / 0 onhook / -1 n/a; ABCD bits or -1. */
  readonly hook: Int8Array;
  readonly rxBits: Int16Array;
  readonly txBits: Int16Array;
  /** 1 where the span's driver reports the counter: index (span - 1) * COUNTER_NAMES.length + i. */
  readonly reported: Uint8Array;
  private readonly owners = new Map<number, OwnerListener>();
  private readonly recoveryTimers = new Map<number, TimerHandle>();

  constructor(
    readonly topology: Topology,
    private readonly recoverMs: number,
    private readonly clock: Clock,
  ) {
    const n = topology.spans.length;
    this.spans = topology.spans.map(() => new SpanState());
    this.alarms = new Int32Array(n + 1);
    this.dchannel = new Int8Array(n + 1).fill(DCHANNEL_NONE);
    this.hook = new Int8Array(topology.channelCount + 1).fill(HOOK_NONE);
    this.rxBits = new Int16Array(topology.channelCount + 1).fill(BITS_NONE);
    this.txBits = new Int16Array(topology.channelCount + 1).fill(BITS_NONE);
    this.reported = new Uint8Array(n * COUNTER_NAMES.length);
    for (const s of topology.spans) this.initSpan(s);
  }

  layout(span: number): SpanLayout | undefined {
    return this.topology.spans[span - 1];
  }

  isPresent(span: number): boolean {
    return this.spans[span - 1]?.present === true;
  }

  presentSpans(): number[] {
    return this.topology.spans.filter((s) => this.isPresent(s.span)).map((s) => s.span);
  }

  /** The span's state; callers check the span exists first. */
  state(span: number): SpanState {
    const s = this.spans[span - 1];
    if (!s) throw new RangeError(`span ${span} is outside the topology`);
    return s;
  }

  setFault(span: number, fault: LineFault, on: boolean): void {
    this.state(span).setFault(fault, on);
    this.refresh(span);
  }

  clearFaults(span: number): void {
    this.state(span).clearFaults();
    this.refresh(span);
  }

  addCounter(span: number, name: CounterName, n: number): void {
    this.state(span).addCounter(name, n);
  }

  resetCounters(span: number): void {
    this.state(span).counters.fill(0);
  }

  setMaintenance(span: number, op: MaintenanceOp): void {
    this.state(span).maint = op;
    this.refresh(span);
  }

  remove(span: number): void {
    const s = this.state(span);
    if (!s.present) return;
    s.present = false;
    this.notifyOwners(span, CHANNEL_EVENTS.REMOVED);
    this.refresh(span);
  }

  restore(span: number): void {
    const s = this.state(span);
    if (s.present) return;
    s.present = true;
    this.refresh(span);
  }

  setHook(channel: number, hook: HookState): void {
    const value = hook === 'offhook' ? 1 : 0;
    if (this.hook[channel] === value) return;
    this.hook[channel] = value;
    this.notifyOwner(channel, value === 1 ? CHANNEL_EVENTS.RINGOFFHOOK : CHANNEL_EVENTS.ONHOOK);
  }

  /** New received ABCD bits. On E&M the A bit is the hook; on CAS the owner sees BITSCHANGED. */
  setRxBits(channel: number, bits: number, role: ChannelLayout['role']): void {
    if (this.rxBits[channel] === bits) return;
    this.rxBits[channel] = bits;
    if (role === 'em') this.setHook(channel, (bits & 0b1000) !== 0 ? 'offhook' : 'onhook');
    else this.notifyOwner(channel, CHANNEL_EVENTS.BITSCHANGED);
  }

  claim(channel: number, listener: OwnerListener): boolean {
    if (this.owners.has(channel)) return false;
    this.owners.set(channel, listener);
    return true;
  }

  release(channel: number, listener: OwnerListener): void {
    if (this.owners.get(channel) === listener) this.owners.delete(channel);
  }

  isOwned(channel: number): boolean {
    return this.owners.has(channel);
  }

  /** Span number this span's card takes clock from: the best-priority span in service, or 0. */
  syncSource(span: number): number {
    const me = this.layout(span);
    if (!me || me.line === 'analog') return 0;
    const candidates = this.topology.spans.filter(
      (s) => s.cardIndex === me.cardIndex && s.timing > 0 && this.isPresent(s.span) && ((this.alarms[s.span] ?? 0) & OUT_OF_SERVICE) === 0,
    );
    candidates.sort((a, b) => a.timing - b.timing);
    return candidates[0]?.span ?? 0;
  }

  /** Stops the recovery timers and forgets the owners (backend close). */
  dispose(): void {
    for (const t of this.recoveryTimers.values()) this.clock.clearTimer(t);
    this.recoveryTimers.clear();
    this.owners.clear();
  }

  private initSpan(s: SpanLayout): void {
    const supported = counterSupport(s.driver) ?? COUNTER_NAMES;
    COUNTER_NAMES.forEach((name, i) => (this.reported[(s.span - 1) * COUNTER_NAMES.length + i] = supported.includes(name) ? 1 : 0));
    for (const ch of s.channels) {
      if (ch.role === 'fxo-port' || ch.role === 'fxs-port' || ch.role === 'em') this.hook[ch.channel] = 0;
      if (ch.idleBits !== null) this.rxBits[ch.channel] = this.txBits[ch.channel] = ch.idleBits;
    }
    if (s.signalling !== null && hasDchannel(s.signalling)) this.dchannel[s.span] = 0;
    this.refreshOne(s.span, this.clock.now());
    this.updateDchannel(s.span);
  }

  /** Re-evaluates a span and its cabled peer after any change to either. */
  private refresh(span: number): void {
    const now = this.clock.now();
    const peer = this.layout(span)?.wiredTo ?? null;
    this.refreshOne(span, now);
    if (peer !== null) this.refreshOne(peer, now);
    this.updateDchannel(span);
    if (peer !== null) this.updateDchannel(peer);
  }

  private refreshOne(span: number, now: number): void {
    const s = this.state(span);
    const before = this.alarms[span] ?? 0;
    const peer = this.layout(span)?.wiredTo;
    const after = s.present ? s.evaluate(now, peer ? this.state(peer).asPeer() : null, this.recoverMs) : 0;
    this.alarms[span] = after;
    this.armRecovery(span, s.recoverUntil, now);
    // dahdi_alarm_notify queues ALARM/NOALARM only when "any alarm" flips, not on RED -> YELLOW.
    if (s.present && (before === 0) !== (after === 0)) {
      this.notifyOwners(span, after === 0 ? CHANNEL_EVENTS.NOALARM : CHANNEL_EVENTS.ALARM);
    }
  }

  private armRecovery(span: number, until: number, now: number): void {
    const old = this.recoveryTimers.get(span);
    if (old !== undefined) this.clock.clearTimer(old);
    this.recoveryTimers.delete(span);
    if (until === 0) return;
    const handle = this.clock.setTimer(() => {
      this.recoveryTimers.delete(span);
      this.refresh(span);
    }, Math.max(1, until - now), true);
    this.recoveryTimers.set(span, handle);
  }

  private updateDchannel(span: number): void {
    if (this.dchannel[span] === DCHANNEL_NONE) return;
    this.dchannel[span] = this.dchannelUp(span) ? 1 : 0;
  }

  /**
   * A D-channel comes up when the span is in service (no alarm at all, recovery over) and the
   * far end is willing; on a back-to-back cable that needs one user and one network side.
   */
  private dchannelUp(span: number): boolean {
    const s = this.state(span);
    if (!s.present || s.dchannelDown || this.alarms[span] !== 0) return false;
    const me = this.layout(span);
    if (!me?.wiredTo) return true;
    const peerLayout = this.layout(me.wiredTo);
    const peer = this.state(me.wiredTo);
    if (!peer.present || peer.dchannelDown || this.alarms[me.wiredTo] !== 0) return false;
    return complementary(me.signalling, peerLayout?.signalling ?? null);
  }

  private notifyOwners(span: number, code: number): void {
    const layout = this.layout(span);
    if (!layout || this.owners.size === 0) return;
    for (const ch of layout.channels) this.notifyOwner(ch.channel, code);
  }

  private notifyOwner(channel: number, code: number): void {
    this.owners.get(channel)?.(code, this.clock.now());
  }
}

function hasDchannel(signalling: Signalling): boolean {
  return signalling.startsWith('pri') || signalling.startsWith('bri');
}

/** Two CPE (or two NET) ends facing each other never bring the D-channel up. */
function complementary(a: Signalling | null, b: Signalling | null): boolean {
  const side = (s: Signalling | null): string => (s === 'pri_net' || s === 'bri_nt' ? 'net' : 'user');
  return a !== null && b !== null && side(a) !== side(b);
}
