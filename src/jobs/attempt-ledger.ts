// Every try of a call job is written to Redis before it is dialled, under an id derived from
// the job and the try number - the same id the call then has in ARI (tdmgate-o-<key>) and as its
// CDRs' linkedid. A box that takes a job over (BullMQ's stalled-job check, after the box that
// held it was killed; or this box after a restart) finds the try already claimed and reconciles
// it instead of calling the customer a second time for the same try.

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface AttemptClaim {
  box: string;
  at: number;
}

/** Claims are kept a month: long past any retry of the job they belong to. */
const KEEP_SECONDS = 30 * 86_400;

/** The call key of try `tryNo` in round `round` (jobs retry starts a new one) of job `jobKey` under `prefix`: 20 hex digits. */
export function callKeyOf(prefix: string, jobKey: string, round: number, tryNo: number): string {
  return createHash('sha256').update(`${prefix}\n${jobKey}\n${round}\n${tryNo}`).digest('hex').slice(0, 20);
}

export class AttemptLedger {
  constructor(private readonly redis: Redis, private readonly prefix: string, readonly box: string, private readonly now: () => number) {}

  /** Claims the try for this box: null when it was not claimed before, else the earlier claim. */
  async claim(callKey: string): Promise<AttemptClaim | null> {
    const key = `${this.prefix}:attempt:${callKey}`;
    const mine: AttemptClaim = { box: this.box, at: this.now() };
    const set = await this.redis.set(key, JSON.stringify(mine), 'EX', KEEP_SECONDS, 'NX');
    if (set === 'OK') return null;
    const earlier = await this.redis.get(key);
    try {
      return JSON.parse(earlier ?? '') as AttemptClaim;
    } catch {
      return { box: 'unknown', at: 0 };
    }
  }
}
