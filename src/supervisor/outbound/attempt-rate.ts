// Carriers cap call attempts per second - per trunk group and, on most PRI contracts, per span -
// and a carrier that sees more answers with cause 34/42 or blocks the trunk. This file holds the
// caps as token buckets over times given (pure): one bucket per group for the job queues, and the
// per-span buckets the outbound hunt asks before it puts an attempt on a span.

/**
 * A carrier's cap on call attempts per second, as a token bucket holding one second's worth:
 * a burst of at most `perSecond` attempts (one, for caps below one a second), then one every 1/perSecond s. Pure over the times given.
 */
export class AttemptRate {
  private tokens: number;
  private last: number;

  constructor(private readonly perSecond: number | null, now: number) {
    // A full bucket at the start: the first attempt goes at once, also under a cap below one a second.
    this.tokens = perSecond === null ? 0 : Math.max(1, perSecond);
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


/** Where an attempt goes: a span (PRI/BRI, held with `i<span>-`) or a whole group (chan_dahdi picks). */
export type PaceKey = { span: number } | { group: number };

/**
 * The per-span caps of the outbound hunt (`attemptsPerSecondPerSpan`). Where chan_dahdi picks the
 * span (CAS, R2, analog) the cap holds for the group as a whole: chan_dahdi may put consecutive
 * attempts on one span, so only that keeps every span under it.
 */
export class SpanPacing {
  private readonly buckets = new Map<string, AttemptRate>();

  constructor(private readonly now: () => number) {}

  /** Milliseconds until an attempt may go to `key` under `perSecond` (0 = now; no cap = 0). */
  waitMs(key: PaceKey, perSecond: number | null): number {
    return perSecond === null ? 0 : this.bucket(key, perSecond).waitMs(this.now());
  }

  /** An attempt went to `key` now. */
  take(key: PaceKey, perSecond: number | null): void {
    if (perSecond !== null) this.bucket(key, perSecond).take(this.now());
  }

  private bucket(key: PaceKey, perSecond: number): AttemptRate {
    const name = 'span' in key ? `span ${key.span}` : `group ${key.group}`;
    let b = this.buckets.get(name);
    if (b === undefined) {
      b = new AttemptRate(perSecond, this.now());
      this.buckets.set(name, b);
    }
    return b;
  }
}
