// What the commands that talk to the supervisors' Redis share (jobs, campaign, dnc, webhooks):
// a fail-fast connection to the configured Redis, a service over it, a clear line when Redis is
// not where the configuration says, and everything closed afterwards.

import type { Redis } from 'ioredis';
import { connectRedis, whenReady } from '../jobs/redis';
import type { SupervisorConfig } from '../supervisor/config';
import { UsageError } from './args';

/** How long a command waits for Redis before saying where it looked (REDIS_UNAVAILABLE). */
const CONNECT_TIMEOUT_MS = 5_000;

/** Runs `body` with the service `make` builds on a fresh connection; both closed afterwards. */
export async function withRedisService<S extends { close(): Promise<void> }, T>(
  config: SupervisorConfig, name: string, make: (redis: Redis, prefix: string) => S, body: (service: S) => Promise<T>,
): Promise<T> {
  if (config.redis === null) throw new UsageError('the job queues are off (TDMGATE_REDIS_URL=off): set TDMGATE_REDIS_URL to the supervisors\' Redis');
  const redis = connectRedis(config.redis.url, { name, failFast: true });
  // Reported through whenReady's rejection; without a listener ioredis would print it too.
  redis.on('error', () => undefined);
  const service = make(redis, config.redis.prefix);
  try {
    await whenReady(redis, config.redis.url, CONNECT_TIMEOUT_MS);
    return await body(service);
  } finally {
    await service.close().catch(() => undefined);
    redis.disconnect();
  }
}
