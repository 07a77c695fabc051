// The do-not-call list: a Redis set of E.164 numbers under the queues' prefix, shared by every
// box. Numbers come in already normalised (the CLI and API read them with the site's
// numbering), so the dispatcher's check at dial time is one SISMEMBER of the job's E.164 number.

import type { Redis } from 'ioredis';
import { JobError } from '../job-errors';
import { campaignKeys } from './campaign-keys';

const E164 = /^\+[1-9]\d{1,14}$/;

export class DncList {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.key = campaignKeys(prefix).dnc;
  }

  /** Adds E.164 numbers; returns how many were not on the list yet. */
  async add(numbers: readonly string[]): Promise<number> {
    if (numbers.length === 0) return 0;
    return this.redis.sadd(this.key, ...numbers.map(checked));
  }

  /** Removes numbers; returns how many were on the list. */
  async remove(numbers: readonly string[]): Promise<number> {
    if (numbers.length === 0) return 0;
    return this.redis.srem(this.key, ...numbers.map(checked));
  }

  async has(number: string): Promise<boolean> {
    return (await this.redis.sismember(this.key, checked(number))) === 1;
  }

  /** Every number on the list, sorted. */
  async list(): Promise<string[]> {
    return (await this.redis.smembers(this.key)).sort();
  }
}

function checked(number: string): string {
  if (!E164.test(number)) throw new JobError('INVALID_JOB', `${JSON.stringify(number)} is not an E.164 number (+ and up to 15 digits)`, { field: 'number' });
  return number;
}
