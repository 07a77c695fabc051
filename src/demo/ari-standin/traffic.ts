// The demo's traffic generator: inbound calls as a seeded Poisson process (calls per minute) on
// the trunk spans, each caller either staying for a talk time (exponential around a mean, then
// hanging up) or abandoning after a short wait; calls that find every timeslot busy are counted
// as blocked. Outbound answers come from the dial script's mix.

import { Prng } from '../../hardware/sim/prng';
import type { SimAsterisk } from './asterisk';
import { StandinError } from './errors';

export interface TrafficOptions {
  callsPerMinute: number;
  seed?: number;
  /** Dialled numbers to pick from (default ["100"]). */
  dids?: string[];
  /** Caller numbers are this prefix plus 7 random digits (default "0"). */
  callerPrefix?: string;
  spans?: number[];
  group?: number;
  app?: string;
  /** Share of callers who hang up before being served (default 0.1) and when (default 3-20 s). */
  abandonRatio?: number;
  abandonMs?: { min: number; max: number };
  /** Talk time: exponential with this mean, clamped (default mean 90 s, 5 s - 10 min). */
  talkMs?: { mean: number; min: number; max: number };
}

export interface TrafficStats {
  offered: number;
  placed: number;
  blocked: number;
  abandoned: number;
  completed: number;
}

export class TrafficGenerator {
  private readonly prng: Prng;
  private timer: NodeJS.Timeout | null = null;
  readonly stats: TrafficStats = { offered: 0, placed: 0, blocked: 0, abandoned: 0, completed: 0 };

  constructor(
    private readonly asterisk: SimAsterisk,
    private readonly options: TrafficOptions,
  ) {
    if (!(options.callsPerMinute > 0)) throw new StandinError('BAD_CONFIG', 'traffic: callsPerMinute must be > 0');
    this.prng = new Prng(options.seed ?? 1);
  }

  start(): this {
    this.scheduleNext();
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  private scheduleNext(): void {
    const wait = this.prng.exponentialMs(this.options.callsPerMinute / 60000);
    this.timer = setTimeout(() => {
      this.placeOne();
      this.scheduleNext();
    }, wait);
  }

  private placeOne(): void {
    const o = this.options;
    this.stats.offered++;
    const span = o.spans && o.spans.length > 0 ? this.prng.pick(o.spans) : undefined;
    let digits = '';
    for (let i = 0; i < 7; i++) digits += String(this.prng.int(0, 9));
    try {
      const { channel, inStasis } = this.asterisk.inbound({
        ...(span !== undefined ? { span } : {}), ...(o.group !== undefined ? { group: o.group } : {}),
        did: this.prng.pick(o.dids ?? ['100']), callerId: `${o.callerPrefix ?? '0'}${digits}`, ...(o.app ? { app: o.app } : {}),
      });
      this.stats.placed++;
      if (!inStasis) return;
      const abandon = this.prng.next() < (o.abandonRatio ?? 0.1);
      const ms = abandon ? this.uniform(o.abandonMs ?? { min: 3000, max: 20000 }) : this.talk();
      this.asterisk.later(channel, ms, () => {
        if (abandon) this.stats.abandoned++;
        else this.stats.completed++;
        this.asterisk.remoteHangup(channel, 16);
      });
    } catch (err) {
      if (err instanceof StandinError && err.code === 'NO_FREE_CHANNEL') this.stats.blocked++;
      else throw err;
    }
  }

  private uniform(r: { min: number; max: number }): number {
    return r.min + this.prng.next() * (r.max - r.min);
  }

  private talk(): number {
    const t = this.options.talkMs ?? { mean: 90000, min: 5000, max: 600000 };
    return Math.min(t.max, Math.max(t.min, this.prng.exponentialMs(1 / t.mean)));
  }
}
