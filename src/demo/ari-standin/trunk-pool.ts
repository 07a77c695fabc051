// Which timeslots are free: chan_dahdi's hunt over a group (lowest/highest first, round robin
// with a per-group pointer, optionally one span only), channels taken and freed as calls come
// and go, mirrored into the hardware (the sim's channels() shows inUse), and spans out of
// service (alarm, D-channel down, removed) skipped.

import { StandinError } from './errors';
import type { DialTarget, HuntDirection } from './dahdi-naming';
import type { TrunkChannel, TrunkPlan } from './trunk-plan';

/** The sim's control (SimBackend.setInUse); a real box needs none. */
export interface InUseMarker {
  setInUse(channel: number, inUse: boolean): boolean;
}

export class TrunkPool {
  private readonly byChannel = new Map<number, TrunkChannel>();
  private readonly busy = new Set<number>();
  private readonly downSpans = new Set<number>();
  private readonly rrPointer = new Map<number, number>();

  constructor(
    readonly plan: TrunkPlan,
    private readonly marker: InUseMarker | null,
  ) {
    for (const ch of plan.channels) {
      if (this.byChannel.has(ch.channel)) throw new StandinError('BAD_CONFIG', `channel ${ch.channel} is described twice`);
      this.byChannel.set(ch.channel, ch);
    }
  }

  channel(n: number): TrunkChannel | undefined {
    return this.byChannel.get(n);
  }

  isSpanUp(span: number): boolean {
    return !this.downSpans.has(span);
  }

  setSpanUp(span: number, up: boolean): boolean {
    const was = this.isSpanUp(span);
    if (up) this.downSpans.delete(span);
    else this.downSpans.add(span);
    return was !== up;
  }

  inUseCount(): number {
    return this.busy.size;
  }

  /** Takes a free channel for the target, or null when every candidate is busy or down. */
  take(target: DialTarget): TrunkChannel | null {
    if (target.kind === 'channel') {
      const ch = this.byChannel.get(target.channel);
      return ch && this.tryTake(ch) ? ch : null;
    }
    const members = this.plan.channels.filter((c) => c.groups.includes(target.group) && (target.span === null || c.span === target.span));
    for (const ch of this.order(members, target.group, target.hunt)) {
      if (this.tryTake(ch)) {
        if (target.hunt.startsWith('round-robin')) this.rrPointer.set(target.group, ch.channel);
        return ch;
      }
    }
    return null;
  }

  /** Takes a given channel for an inbound call; false when busy or its span is down. */
  takeExact(ch: TrunkChannel): boolean {
    return this.tryTake(ch);
  }

  /** Candidates for an inbound call: the far end picks from the top (network side, descending). */
  inboundCandidates(filter: { span?: number; group?: number }): TrunkChannel[] {
    return this.plan.channels
      .filter((c) => (filter.span === undefined || c.span === filter.span) && (filter.group === undefined || c.groups.includes(filter.group)))
      .sort((a, b) => b.channel - a.channel);
  }

  release(channel: number): void {
    if (!this.busy.delete(channel)) return;
    this.marker?.setInUse(channel, false);
  }

  releaseAll(): void {
    for (const ch of [...this.busy]) this.release(ch);
    this.rrPointer.clear();
  }

  private tryTake(ch: TrunkChannel): boolean {
    if (this.busy.has(ch.channel) || this.downSpans.has(ch.span)) return false;
    // Another program holding the channel (an owned test channel) makes it unavailable.
    if (this.marker && !this.marker.setInUse(ch.channel, true)) return false;
    this.busy.add(ch.channel);
    return true;
  }

  private order(members: TrunkChannel[], group: number, hunt: HuntDirection): TrunkChannel[] {
    const asc = [...members].sort((a, b) => a.channel - b.channel);
    if (hunt === 'ascending') return asc;
    if (hunt === 'descending') return asc.reverse();
    const list = hunt === 'round-robin' ? asc : asc.reverse();
    const last = this.rrPointer.get(group);
    if (last === undefined) return list;
    const after = list.findIndex((c) => (hunt === 'round-robin' ? c.channel > last : c.channel < last));
    return after < 0 ? list : [...list.slice(after), ...list.slice(0, after)];
  }
}
