import assert from 'node:assert/strict';
import { isJobError } from '../../src/jobs/job-errors';
import { connectRedis, redactRedisUrl, whenReady } from '../../src/jobs/redis';
import { redisUrl } from './test-redis';

describe('job queues: Redis connections', function () {
  this.timeout(60_000);

  it('connects to the real Redis the scripts start, with AOF on and no eviction', async () => {
    const redis = connectRedis(redisUrl(), { name: 'tdmgate-test' });
    try {
      await whenReady(redis, redisUrl(), 10_000);
      assert.deepEqual(await redis.config('GET', 'appendonly'), ['appendonly', 'yes']);
      assert.deepEqual(await redis.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
    } finally {
      redis.disconnect();
    }
  });

  it('a fail-fast connection to a Redis that is not there says where it looked, without the password', async () => {
    const url = 'redis://:secret@127.0.0.1:1';
    const redis = connectRedis(url, { name: 'tdmgate-test', failFast: true });
    redis.on('error', () => undefined);
    try {
      await assert.rejects(whenReady(redis, url, 5_000), (err: unknown) => isJobError(err, 'REDIS_UNAVAILABLE') && /127\.0\.0\.1:1/.test(err.message) && !/secret/.test(err.message) && /scripts\/redis start/.test(err.message));
    } finally {
      redis.disconnect();
    }
    assert.equal(redactRedisUrl('redis://user:pw@h:1/2'), 'redis://user:***@h:1/2');
  });
});
