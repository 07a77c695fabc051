// The dispatcher's looks at Redis, on the real Redis the scripts start (a prefix per test) with a
// TrunkMap and a dialer of the test's own: a group whose queue was found empty is not asked
// again at every channel change of the box (the queue bench saw three empty fetches per call for
// the demo's analog groups), while a job added here wakes it at once and a job added by another
// process is found by the idle look; and no job is taken while the spans' attempt-rate cap holds
// the next attempt back.

import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CallDispatcher, type CapacityView } from '../../src/jobs/call-dispatcher';
import type { CallJobData } from '../../src/jobs/call-job';
import { jobOptions } from '../../src/jobs/call-jobs';
import { callQueueName } from '../../src/jobs/queue-names';
import { connectRedis, redisOptions } from '../../src/jobs/redis';
import type { OutboundResult } from '../../src/supervisor/outbound/outbound-calls';
import { settingsFor } from '../../src/supervisor/outbound/prepare-call';
import { silent } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';
import { redisUrl, uniquePrefix } from './test-redis';

const GROUP = 'lines';

interface FakeCapacity extends CapacityView {
  /** Channels free (two unless the test says otherwise). */
  free: number;
  /** How often the dispatcher read the group's capacity. */
  looks: number;
  /** A channel changed: the listeners are told. */
  change(): void;
}

function fakeCapacity(): FakeCapacity {
  const listeners: (() => void)[] = [];
  const fake: FakeCapacity = {
    free: 2,
    looks: 0,
    groupCapacity: () => {
      fake.looks++;
      return { free: fake.free, inUse: 0 };
    },
    on: (_name, listener) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    change: () => listeners.forEach((l) => l()),
  };
  return fake;
}

function answered(number: string): OutboundResult {
  return { callId: `call-${number}`, e164: number, dialNumber: number, outcome: 'answered', cause: null, attempts: [], next: { kind: 'done' }, answeredChannelId: null, notification: null };
}

function callJob(number: string): CallJobData {
  return { kind: 'callback', group: GROUP, request: { group: GROUP, number }, attempts: 1, retryDelay: {}, campaignId: null, data: {} };
}

describe('call dispatcher: looks at Redis only when there may be a job', function () {
  this.timeout(20_000);
  let connection: Redis;
  let prefix: string;
  let queue: Queue<CallJobData>;
  let dispatcher: CallDispatcher | null;
  let capacity: FakeCapacity;
  let dialled: string[];
  /** What the dialer says of its spans' attempt-rate caps (0: an attempt may start now). */
  let paceMs: number;

  beforeEach(() => {
    connection = connectRedis(redisUrl(), { name: 'tdmgate-dispatcher-test' });
    prefix = uniquePrefix('dispatcher');
    queue = new Queue<CallJobData>(callQueueName(GROUP), { connection, prefix });
    capacity = fakeCapacity();
    dialled = [];
    paceMs = 0;
    dispatcher = null;
  });

  afterEach(async () => {
    await dispatcher?.stop(0);
    await queue.close();
    const keys = await connection.keys(`${prefix}:*`);
    if (keys.length > 0) await connection.del(...keys);
    await connection.quit();
  });

  const dial = (number: string): string => {
    dialled.push(number);
    return number;
  };

  /** A started dispatcher of one group; counts its fetches from the group's queue. */
  function start(idleMs: number): { fetches: () => number; returned: () => number } {
    const d = new CallDispatcher({
      connection, workerConnection: redisOptions(redisUrl(), { name: 'tdmgate-test-dispatcher' }), prefix, capacity, logger: silent, idleMs,
      groups: [{ name: GROUP, settings: settingsFor(2, []) }],
      dialer: { originate: (r) => Promise.resolve(answered(dial((r as { number: string }).number))), unplacedAttempts: () => 0, paceWaitMs: () => paceMs, priorAttempt: () => Promise.resolve({ kind: 'unknown' }) },
    });
    const worker = d.worker(callQueueName(GROUP));
    const getNextJob = worker.getNextJob.bind(worker);
    let fetches = 0;
    let returned = 0;
    worker.getNextJob = (...args) => {
      fetches++;
      return getNextJob(...args).finally(() => returned++);
    };
    dispatcher = d;
    d.start();
    return { fetches: () => fetches, returned: () => returned };
  }

  /** Lets a fetch that a change started reach Redis and come back (the same connection answers in order). */
  async function settle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    await connection.ping();
    await new Promise((r) => setImmediate(r));
  }

  it('an empty queue is not fetched again at every channel change; a job added here is dialled at once', async () => {
    const d = start(60_000);
    // The first look (the worker loads BullMQ's scripts on it) has come back empty.
    await waitFor(() => d.returned() >= 1 && d.returned() === d.fetches(), 'the first look');
    await settle();
    const afterStart = d.fetches();
    for (let i = 0; i < 50; i++) {
      capacity.change();
      await settle();
    }
    assert.equal(d.fetches(), afterStart, 'no fetch for channel changes while the queue is empty');
    await queue.add('call', callJob('0301'), jobOptions(callJob('0301')));
    dispatcher?.wake(GROUP);
    await waitFor(() => dialled.length === 1, 'the job added here dialled');
  });

  it('a job added by another process is found by the idle look, or by the next channel freeing when the group was full', async () => {
    start(100);
    await queue.add('call', callJob('0302'), jobOptions(callJob('0302')));
    await waitFor(() => dialled.length === 1, 'the job dialled after the idle look');
    capacity.free = 0;
    await queue.add('call', callJob('0303'), jobOptions(callJob('0303')));
    // An idle look finds no slot and fetches nothing; the channel freeing after it must look.
    const looked = capacity.looks;
    await waitFor(() => capacity.looks > looked, 'an idle look with the group full');
    capacity.free = 2;
    capacity.change();
    await waitFor(() => dialled.length === 2, 'the job dialled when a channel freed');
  });

  it('no job is taken while the spans\' attempt-rate cap holds the next attempt back; it is once the cap allows', async () => {
    paceMs = 60_000;
    const d = start(100);
    await queue.add('call', callJob('0304'), jobOptions(callJob('0304')));
    dispatcher?.wake(GROUP);
    const looked = capacity.looks;
    for (let i = 0; i < 5; i++) {
      capacity.change();
      await settle();
    }
    await waitFor(() => capacity.looks > looked + 2, 'looks at the group with a slot open');
    assert.equal(d.fetches(), 0, 'a job taken now would only wait in the hunt');
    assert.deepEqual(dialled, []);
    paceMs = 0;
    capacity.change();
    await waitFor(() => dialled.length === 1, 'the job dialled once the cap allows');
  });
});
