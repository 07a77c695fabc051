// Webhook delivery, as the issue asks: events/s to a local receiver, and the delay from the
// call event's timestamp (the ARI event's, stamped as it is emitted here) to the POST's receipt.
// The real dispatcher (src/webhooks) on the private Redis scripts/redis starts, one endpoint
// (concurrency 16) on a local HTTP receiver that answers 204 at once; events come from a
// CallEvents source as the call-leg engine emits them, so the figures hold the listener, the
// buffer, BullMQ, signing and the POST - not the calls. Throughput: a burst of events, first emit
// to last receipt. Delay: a paced run at a busy call centre's rate, where queueing is the
// system's own and not the burst's. Alone: node dist/bench/webhook-bench.js.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { callEvent, CallEvents, CALL_EVENT_KINDS } from '../src/supervisor/calls/call-events';
import type { Leg } from '../src/supervisor/calls/leg';
import type { WebhookEndpoint } from '../src/supervisor/webhook-endpoints';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher';
import { redisUrl, uniquePrefix } from '../test/jobs/test-redis';
import { percentile, runSections, type BenchResult } from './report';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Run {
  events: CallEvents;
  /** Receipt time minus event time, ms, per POST received. */
  delays: number[];
  received(): number;
  whenReceived(n: number): Promise<void>;
  close(): Promise<void>;
}

async function setUp(): Promise<Run> {
  const delays: number[] = [];
  let waiter: { n: number; resolve: () => void } | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { at } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { at: string };
      delays.push(Date.now() - Date.parse(at));
      res.writeHead(204).end();
      if (waiter && delays.length >= waiter.n) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint: WebhookEndpoint = {
    name: 'bench', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, secret: 'bench-secret-0123456789',
    events: CALL_EVENT_KINDS, concurrency: 16, attempts: 1, backoffMs: 1000, timeoutMs: 5000,
  };
  const prefix = uniquePrefix('webhook-bench');
  const events = new CallEvents();
  const dispatcher = new WebhookDispatcher({ redis: { url: redisUrl(), prefix }, endpoints: [endpoint], events, logger: silent, bufferLimit: 100_000 });
  dispatcher.start();
  return {
    events, delays,
    received: () => delays.length,
    whenReceived: (n) => new Promise((resolve) => {
      if (delays.length >= n) resolve();
      else waiter = { n, resolve };
    }),
    close: async () => {
      await dispatcher.stop();
      server.closeAllConnections();
      server.close();
      const redis = new Redis(redisUrl());
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

function emit(events: CallEvents, i: number): void {
  const leg = { id: `bench.${i}`, direction: 'inbound', span: 1 + (i % 2), timeslot: 1 + (i % 30), groupName: 'carrier' } as Leg;
  const parties = { callId: leg.id, caller: '069123456', called: '6912345', route: 'sales', target: 'sales', reference: '' };
  const kind = CALL_EVENT_KINDS[i % 3] ?? 'ring';
  events.emit(callEvent(leg, parties, kind, new Date(), kind === 'hangup' ? { cause: 16, disposition: 'ANSWERED', billsec: 30 } : null));
}

async function burst(n: number): Promise<BenchResult> {
  const run = await setUp();
  try {
    const t0 = Date.now();
    for (let i = 0; i < n; i++) emit(run.events, i);
    await run.whenReceived(n);
    return { name: `webhook delivery, burst of ${n} events`, value: n / ((Date.now() - t0) / 1000), unit: 'events/s', goal: '' };
  } finally {
    await run.close();
  }
}

async function paced(perSecond: number, seconds: number): Promise<BenchResult[]> {
  const run = await setUp();
  try {
    const n = perSecond * seconds;
    const everyMs = 10;
    const perTick = (perSecond * everyMs) / 1000;
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let k = 0; k < perTick && sent < n; k++) emit(run.events, sent++);
        if (sent >= n) {
          clearInterval(timer);
          resolve();
        }
      }, everyMs);
    });
    await run.whenReceived(n);
    return [
      { name: `event -> POST delay p50, ${perSecond} events/s`, value: percentile(run.delays, 50), unit: 'ms', goal: '' },
      { name: `event -> POST delay p99, ${perSecond} events/s`, value: percentile(run.delays, 99), unit: 'ms', goal: '' },
    ];
  } finally {
    await run.close();
  }
}

/** The bench's figures: throughput of a burst, delays of a paced run (300 events/s = 100 calls/s). */
export async function webhookBench(): Promise<BenchResult[]> {
  return [await burst(5000), ...(await paced(300, 5))];
}

if (require.main === module) runSections([['webhook delivery', webhookBench]]);
