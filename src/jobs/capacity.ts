// How many calls the job queues may start on a trunk group now, from the live TrunkMap: its free
// channels, less the reserve kept for inbound calls, less the attempts already started whose
// channel the map does not show taken yet (it still counts those free). A span in alarm takes its
// channels out of `free` at once, so the slots shrink with it. Pure.

import type { InboundReserve } from '../provisioning/site/routing-types';

export interface GroupLoad {
  /** Channels idle and usable now (TrunkMap groupCapacity.free). */
  free: number;
  /** Channels carrying a call (either direction). */
  inUse: number;
  /** Our outbound attempts not yet seen on a channel. */
  unplaced: number;
}

/** The reserve in channels: a share counts against the channels usable now (free + in use), rounded up. */
export function reservedChannels(reserve: InboundReserve, load: GroupLoad): number {
  if (reserve.kind === 'channels') return reserve.count;
  return Math.ceil(((load.free + load.inUse) * reserve.percent) / 100);
}

/** Calls that may start now: never more than the channels free for outbound. */
export function openSlots(reserve: InboundReserve, load: GroupLoad): number {
  return Math.max(0, load.free - reservedChannels(reserve, load) - load.unplaced);
}

/**
 * A carrier's cap on call attempts per second, as a token bucket holding one second's worth:
 * a burst of at most `perSecond` attempts (one, for caps below one a second), then one every 1/perSecond s. Pure over the times given.
 */
export class AttemptRate {
  private tokens: number;
  private last: number;

  constructor(private readonly perSecond: number | null, now: number) {
    this.tokens = perSecond ?? 0;
    this.last = now;
  }

  /** Milliseconds until an attempt may start (0 = now). */
  waitMs(now: number): number {
    if (this.perSecond === null) return 0;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** An attempt started now. */
  take(now: number): void {
    if (this.perSecond === null) return;
    this.refill(now);
    this.tokens -= 1;
  }

  private refill(now: number): void {
    const rate = this.perSecond as number;
    // A cap below one a second still lets one attempt through when its time comes.
    this.tokens = Math.min(Math.max(1, rate), this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
  }
}
