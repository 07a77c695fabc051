// Choosing a channel of a trunk group the way chan_dahdi hunts: g lowest number first, G highest
// first, r/R round robin (start after the channel used last, upwards or downwards, wrapping).
// Pure: availability comes in as a predicate and the round-robin cursor as a value.

import type { HuntOrder } from '../../provisioning/site/site-types';

export interface HuntResult {
  channel: number;
  /** The cursor to keep for the group's next round-robin hunt. */
  cursor: number;
}

/**
 * The first available channel of `members` (ascending channel numbers) in `order`, or null.
 * `cursor` is the channel the group's last round-robin hunt returned (0 = none yet).
 */
export function huntChannel(members: readonly number[], order: HuntOrder, available: (channel: number) => boolean, cursor = 0): HuntResult | null {
  const n = members.length;
  if (n === 0) return null;
  const descending = order === 'descending' || order === 'round-robin-descending';
  const roundRobin = order === 'round-robin' || order === 'round-robin-descending';
  let start: number;
  if (!roundRobin) start = descending ? n - 1 : 0;
  else if (descending) {
    // The highest member below the cursor (wrapping to the top).
    const below = lastIndexBelow(members, cursor);
    start = cursor === 0 || below < 0 ? n - 1 : below;
  } else {
    const above = firstIndexAbove(members, cursor);
    start = above < 0 ? 0 : above;
  }
  const step = descending ? -1 : 1;
  for (let k = 0; k < n; k++) {
    const channel = members[(((start + step * k) % n) + n) % n] as number;
    if (available(channel)) return { channel, cursor: roundRobin ? channel : cursor };
  }
  return null;
}

function firstIndexAbove(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) > value) hi = mid;
    else lo = mid + 1;
  }
  return lo < sorted.length ? lo : -1;
}

function lastIndexBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
