// The CRM screen-pop webhooks end to end: real calls through the supervisor (sim + ARI
// stand-in), the real Redis the scripts start (a queue prefix per test), and a real local HTTP
// receiver that verifies every signature. Retries, dead letters and their replay, per-endpoint
// concurrency, and a call path that waits neither for the CRM nor for Redis.

import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { WebhookDeadLetters } from '../../src/webhooks/dead-letters';
import { verify } from '../../src/webhooks/signing';
import { webhookQueueName } from '../../src/webhooks/queue-names';
import { waitFor } from '../wait-for';
import { redisUrl } from '../jobs/test-redis';
import { Receiver, type Received } from './receiver';
import { endpoint, SECRET, startWithWebhooks, type WebhookSupervisor } from './webhook-harness';

describe('webhooks: CRM screen pop end to end', function () {
  this.timeout(60_000);
  let running: WebhookSupervisor | null = null;
  let receiver: Receiver | null = null;
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    // The receiver first: a held POST must not hold up the workers' stop.
    await receiver?.close();
    await running?.stop();
    await running?.dropKeys();
    for (const c of cleanups.splice(0)) await c();
    running = null;
    receiver = null;
  });

  async function start(answer?: (r: Received) => number | 'hold', extra = '', name = 'crm'): Promise<{ sup: WebhookSupervisor['sup']; rx: Receiver }> {
    receiver = await new Receiver(SECRET, answer).start();
    running = await startWithWebhooks([endpoint(receiver.url, `name: ${name}${extra === '' ? '' : `, ${extra}`}`)]);
    return { sup: running.sup, rx: receiver };
  }

  function deadLetters(): WebhookDeadLetters {
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const service = new WebhookDeadLetters({ connection, prefix: running!.prefix, endpoints: [{ name: 'crm' }] });
    cleanups.push(async () => {
      await service.close();
      connection.disconnect();
    });
    return service;
  }

  it('an inbound call: ring, answer and hang-up arrive signed, with span, timeslot, numbers and route', async () => {
    const { sup, rx } = await start();
    const ch = sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '069555111' });
    await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-support' && c.state === 'Up'), 'routed and answered');
    sup.standin!.remoteHangup(ch.id, 16);
    const got = await waitFor(() => {
      const d = rx.delivered();
      const all = ['ring', 'answer', 'hangup'].map((k) => d.get(`${ch.id}.${k}`));
      return all.every((r) => r !== undefined) && (all as Received[]);
    }, 'three deliveries');
    for (const r of got) {
      assert.deepEqual(r.verification, { ok: true }, `${r.event} verified`);
      assert.equal(r.json.event, r.event);
      assert.equal(r.json.id, r.deliveryId);
    }
    const [ring, answer, hangup] = got as [Received, Received, Received];
    const row = await waitFor(async () => (await sup.db.knex('cdr').where({ uniqueid: ch.id }).first()) as { timeslot: number; disposition: string } | undefined, 'the CDR');
    assert.deepEqual(ring.json.call, {
      id: ch.id, channelId: ch.id, direction: 'inbound', span: 1, timeslot: row.timeslot, group: 'carrier',
      caller: '069555111', called: '6912347', route: 'support', target: 'support', jobReference: null,
    });
    assert.equal(ring.json.end, null);
    assert.ok(Date.parse(ring.json.at as string) <= Date.parse(answer.json.at as string));
    assert.ok(Date.parse(answer.json.at as string) <= Date.parse(hangup.json.at as string));
    assert.deepEqual(hangup.json.end, { cause: 16, disposition: 'ANSWERED', billsec: (hangup.json.end as { billsec: number }).billsec });
    assert.equal(row.disposition, 'ANSWERED');
    // A body signed with another secret, or replayed after the window, is refused by the same helper.
    const ts = String(Math.floor(Date.now() / 1000));
    assert.deepEqual(verify('another-secret-of-length', ts, ring.body, `sha256=${'0'.repeat(64)}`), { ok: false, reason: 'mismatch' });
  });

  it('an outbound call carries its job reference in ring, answer and hang-up', async () => {
    const { sup, rx } = await start();
    const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555111', reference: 'job-42' });
    assert.equal(result.outcome, 'answered');
    const id = result.answeredChannelId as string;
    await waitFor(() => rx.delivered().get(`${id}.answer`), 'the answer delivered');
    sup.standin!.remoteHangup(id, 16);
    const hangup = await waitFor(() => rx.delivered().get(`${id}.hangup`), 'the hang-up delivered');
    const ring = rx.delivered().get(`${id}.ring`) as Received;
    for (const r of [ring, hangup]) {
      assert.deepEqual(r.verification, { ok: true });
      assert.equal(r.json.call.jobReference, 'job-42');
      assert.equal(r.json.call.direction, 'outbound');
      assert.equal(r.json.call.id, result.callId);
      assert.equal(r.json.call.called, result.dialNumber);
    }
    assert.equal((hangup.json.end as { disposition: string }).disposition, 'ANSWERED');
  });

  it('a receiver answering 500 then 200: the event is tried again, signed afresh, and delivered once', async () => {
    let first = true;
    const { sup, rx } = await start(() => {
      const status = first ? 500 : 200;
      first = false;
      return status;
    }, 'events: [ring]');
    const ch = sup.standin!.placeInboundCall({ span: 1, did: '100', callerId: '0691111' });
    const delivered = await waitFor(() => rx.delivered().get(`${ch.id}.ring`), 'the ring delivered');
    const tries = rx.of(`${ch.id}.ring`);
    assert.deepEqual(tries.map((t) => [t.status, t.attempt]), [[500, 1], [200, 2]]);
    assert.ok(tries.every((t) => t.verification.ok));
    assert.equal(tries[0]?.body, delivered.body, 'the same body on every try');
    assert.equal(rx.received.filter((r) => r.event !== 'ring').length, 0, 'only the subscribed kind is posted');
    await waitFor(() => sup.webhooks!.stats.delivered === 1 && sup.webhooks!.stats.retried === 1, 'the stats');
  });

  it('always 500: a dead letter after its attempts; replayed once the CRM is back, it is delivered', async () => {
    let status = 500;
    const { sup, rx } = await start(() => status, 'events: [ring], attempts: 3');
    const service = deadLetters();
    const ch = sup.standin!.placeInboundCall({ span: 1, did: '100', callerId: '0692222' });
    const [dead] = await waitFor(async () => {
      const list = await service.list('crm');
      return list.length > 0 && list;
    }, 'the dead letter');
    assert.equal(dead?.id, `${ch.id}.ring`);
    assert.equal(dead?.attempts, 3);
    assert.equal(dead?.callId, ch.id);
    assert.match(dead?.reason ?? '', /HTTP 500/);
    assert.equal(rx.of(`${ch.id}.ring`).length, 3);
    await assert.rejects(service.replay('crm', ['no-such-delivery']), /no dead letter/);
    await assert.rejects(service.list('nope'), /no webhook endpoint "nope"/);

    status = 200;
    assert.equal(await service.replay('crm'), 1);
    const delivered = await waitFor(() => rx.delivered().get(`${ch.id}.ring`), 'the replayed ring delivered');
    assert.equal(delivered.attempt, 1, 'a replay gets all its tries again');
    assert.ok(delivered.verification.ok);
    assert.equal(await service.count('crm'), 0);
  });

  it('410 Gone and 400: dead letters at once, without a retry', async () => {
    const { sup, rx } = await start((r) => (r.event === 'ring' ? 410 : 400), 'events: [ring, answer], attempts: 5');
    const service = deadLetters();
    const ch = sup.standin!.placeInboundCall({ span: 1, did: '100', callerId: '0693333' });
    const list = await waitFor(async () => {
      const l = await service.list('crm');
      return l.length === 2 && l;
    }, 'two dead letters');
    assert.deepEqual(list.map((d) => [d.event, d.attempts]).sort(), [['answer', 1], ['ring', 1]]);
    assert.equal(rx.of(`${ch.id}.ring`).length, 1);
    assert.equal(rx.of(`${ch.id}.answer`).length, 1);
  });

  it('per-endpoint concurrency: never more POSTs in flight than configured', async () => {
    const { sup, rx } = await start(() => 'hold', 'events: [ring, answer], concurrency: 2');
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue(webhookQueueName({ name: 'crm' }), { connection, prefix: running!.prefix });
    cleanups.push(async () => {
      await queue.close();
      connection.disconnect();
    });
    const calls = [1, 2, 3].map((i) => sup.standin!.placeInboundCall({ span: 1, did: '100', callerId: `069000${i}` }));
    const expected = calls.length * 2;
    // Release one POST whenever two are held (more may wait in the queue), or one is and nothing waits.
    while (rx.delivered().size < expected) {
      await waitFor(async () => {
        if (rx.heldCount === 0) return false;
        const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
        const more = (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
        return rx.heldCount === 2 || more === 0;
      }, 'held POSTs', 10_000);
      rx.releaseOne();
    }
    assert.equal(rx.maxInFlight, 2);
    assert.ok(rx.received.every((r) => r.verification.ok));
  });

  it('the call never waits for the CRM: a receiver that never answers delays no routing and no record', async () => {
    const { sup, rx } = await start(() => 'hold', 'timeoutSeconds: 60, concurrency: 1');
    const calls = [1, 2, 3].map((i) => sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: `069100${i}` }));
    for (const ch of calls) await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-support'), 'routed');
    for (const ch of calls) sup.standin!.remoteHangup(ch.id, 16);
    const rows = await waitFor(async () => {
      const r = (await sup.db.knex('cdr').select('uniqueid', 'route', 'disposition')) as { uniqueid: string; route: string; disposition: string }[];
      return r.length === 3 && r;
    }, 'three CDRs');
    assert.deepEqual(rows.map((r) => [r.route, r.disposition]), [['support', 'ANSWERED'], ['support', 'ANSWERED'], ['support', 'ANSWERED']]);
    // All that while, the CRM answered nothing: one POST held, the rest queued.
    assert.equal(rx.heldCount, 1);
    assert.equal(rx.delivered().size, 0);
  });

  it('shutdown: the hang-ups of the calls ended at stop are queued before the webhooks stop', async () => {
    const { sup } = await start(() => 'hold', 'events: [hangup]');
    const ch = sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '0694444' });
    await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-support'), 'routed');
    const stopped = running!;
    const prefix = stopped.prefix;
    await receiver!.close();
    receiver = null;
    await stopped.stop();
    running = null;
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue(webhookQueueName({ name: 'crm' }), { connection, prefix });
    try {
      const job = await queue.getJob(`${ch.id}.hangup`);
      assert.ok(job, 'the hang-up delivery is in Redis for the next run');
    } finally {
      await queue.close();
      connection.disconnect();
      await stopped.dropKeys();
    }
  });
});

describe('webhooks: Redis away', function () {
  this.timeout(30_000);

  it('calls route and are recorded while no Redis answers; the events wait in a bounded buffer', async () => {
    const rx = await new Receiver(SECRET).start();
    // Nothing listens on port 1: every connection is refused at once.
    const running = await startWithWebhooks([endpoint(rx.url)], { redisUrl: 'redis://127.0.0.1:1' });
    try {
      const { sup } = running;
      const ch = sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '0695555' });
      await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-support'), 'routed');
      sup.standin!.remoteHangup(ch.id, 16);
      await waitFor(async () => (await sup.db.knex('cdr').where({ uniqueid: ch.id }).first()) as object | undefined, 'the CDR');
      assert.equal(sup.webhooks!.stats.buffered, 3);
      assert.equal(sup.webhooks!.stats.queued, 0);
      assert.equal(rx.received.length, 0);
    } finally {
      await running.stop();
      await rx.close();
    }
  });
});
