// A token bucket per API token: `burst` requests at once, refilled at `perSecond`. A token that
// empties its bucket gets 429 with Retry-After (the whole seconds until one request is let
// through), so a runaway CRM loop cannot starve the box's other clients. The rate is the
// configuration's (TDMGATE_API_RATE). Pure over the clock.

import type { ApiRate } from '../../supervisor/config';

/** `burst` requests at once, refilled at `perSecond`. */
export type RateLimit = ApiRate;

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {}

  /** Takes one request from `key`'s bucket: 0 when it may go now, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + ((now - b.at) / 1000) * this.limit.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.limit.perSecond));
  }
}
