// How many calls the job queues may start on a trunk group now, from the live TrunkMap: its free
// channels, less the reserve kept for inbound calls, less the attempts already started whose
// channel the map does not show taken yet (it still counts those free). A span in alarm takes its
// channels out of `free` at once, so the slots shrink with it. Pure. (The attempt-rate caps are
// the outbound service's: supervisor/outbound/attempt-rate.ts.)

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
