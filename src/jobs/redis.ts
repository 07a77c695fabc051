// The job queues' Redis connections. The supervisor's connections wait for Redis forever
// (retrying with backoff, commands queued meanwhile) so a Redis restart pauses the queues and
// never fails a call; the CLI's connection fails fast with a message that names the URL, so a
// technician learns at once that Redis is not where TDMGATE_REDIS_URL says.

import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { JobError } from './job-errors';

export interface RedisConnectOptions {
  /** Shown by CLIENT LIST, so an operator sees which box and part holds a connection. */
  name: string;
  /** The CLI: give up after one try instead of waiting for Redis to come back. */
  failFast?: boolean;
}

/** The longest pause between reconnect tries: Redis back from a restart is seen within it. */
const MAX_BACKOFF_MS = 2_000;

export function connectRedis(url: string, options: RedisConnectOptions): Redis {
  return new Redis(redisOptions(url, options));
}

/**
 * The options connectRedis uses, for what must own its connections: a BullMQ Worker given an
 * open connection duplicates it for its blocking reads and never closes the duplicate, which then
 * retries forever once Redis is gone; given options, it opens and closes both itself.
 */
export function redisOptions(url: string, options: RedisConnectOptions): RedisOptions {
  const failFast = options.failFast ?? false;
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    connectionName: options.name,
    // BullMQ's workers block on Redis and require null here; a finite count would fail jobs
    // while Redis restarts.
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    connectTimeout: failFast ? 3_000 : 10_000,
    retryStrategy: (times) => (failFast ? null : Math.min(100 * 2 ** Math.min(times, 5), MAX_BACKOFF_MS)),
  };
}

/** Waits until `redis` is ready or fails with REDIS_UNAVAILABLE naming the (password-free) URL. */
export async function whenReady(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    const onReady = (): void => finish(null);
    const onEnd = (): void => finish(new Error('connection closed'));
    const onError = (err: Error): void => {
      if (redis.status === 'end' || redis.status === 'close') finish(err);
    };
    function finish(err: Error | null): void {
      clearTimeout(timer);
      redis.off('ready', onReady).off('end', onEnd).off('error', onError);
      if (err === null) resolve();
      else reject(new JobError('REDIS_UNAVAILABLE', `Redis at ${redactRedisUrl(url)} is not reachable: ${err.message} (start it with scripts/redis start, or set TDMGATE_REDIS_URL)`, { cause: err }));
    }
    redis.on('ready', onReady).on('end', onEnd).on('error', onError);
  });
}

/** The URL without its password, for logs and messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}
