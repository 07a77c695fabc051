// The sim's only source of randomness: a small seeded generator (mulberry32), so that a
// scenario and a seed always produce the same faults and line activity.

export class Prng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that neighbouring seeds (1, 2, 3) do not start in step.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Wait until the next event of a Poisson process with `ratePerMs` events per ms. */
  exponentialMs(ratePerMs: number): number {
    return -Math.log(1 - this.next()) / ratePerMs;
  }

  /** An independent generator derived from this one (one per concern keeps streams stable). */
  fork(): Prng {
    return new Prng(Math.floor(this.next() * 4294967296));
  }
}
