// The live event stream end to end: the supervisor on the sim with the ARI stand-in serving
// GET /api/v1/events as server-sent events over real HTTP. A new client starts from a snapshot,
// then sees an alarm raised in the sim and a call's channel and call events, and a queued job
// dialled and settled; a client resuming with Last-Event-ID gets exactly what it missed, or a
// fresh snapshot when that is gone (too old, another run); `types` filters and is checked; a
// client that does not read is dropped (a journal and stream of the test's own, small limits).

import assert from 'node:assert/strict';
import { get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { EventJournal } from '../../src/api/events/event-journal';
import { EventStream } from '../../src/api/events/event-stream';
import { feedJournal } from '../../src/api/events/live-events';
import type { TrunkMapSnapshot } from '../../src/supervisor/trunk-map';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';
import { startTestSupervisor, type TestSupervisor } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';

interface Sse {
  id: string | null;
  event: string;
  data: unknown;
}

/** A client reading the stream: every event parsed, in order. */
interface Client {
  events: Sse[];
  response: IncomingMessage;
  close(): void;
}

function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      const events: Sse[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const i = line.indexOf(':');
            fields.set(line.slice(0, i), line.slice(i + 1).trimStart());
          }
          if (fields.has('event')) events.push({ id: fields.get('id') ?? null, event: fields.get('event') as string, data: JSON.parse(fields.get('data') ?? 'null') });
        }
      });
      resolve({ events, response, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('live event stream (server-sent events)', function () {
  this.timeout(30_000);
  let running: TestSupervisor;
  let server: Server | null = null;
  let journal: EventJournal;
  let stream: EventStream;
  let url: string;
  let stopFeed: () => void;
  const clients: Client[] = [];

  async function serve(capacity: number, maxBufferedBytes?: number): Promise<void> {
    journal = new EventJournal(capacity);
    stopFeed = feedJournal(journal, { trunkMap: running.sup.trunkMap, calls: running.sup.calls.events, jobs: null });
    stream = new EventStream({ journal, snapshot: () => running.sup.trunkMap.snapshot(), ...(maxBufferedBytes ? { maxBufferedBytes } : {}) });
    const app = express();
    app.get('/api/v1/events', stream.handle);
    const listening = app.listen(0, '127.0.0.1');
    server = listening;
    await new Promise((r) => listening.once('listening', r));
    url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/api/v1/events`;
  }
  const appUrl = (query = ''): string => `${running.sup.url}/api/v1/events${query}`;
  const open = async (headers?: Record<string, string>, at = url): Promise<Client> => {
    const c = await connect(at, headers);
    clients.push(c);
    return c;
  };

  beforeEach(async function () {
    const withQueues = this.currentTest?.title.includes('job') === true;
    running = await startTestSupervisor({ name: 'SQLite', url: undefined }, withQueues ? { url: redisUrl(), prefix: uniquePrefix('events') } : undefined);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    if (server) {
      stopFeed();
      server.closeAllConnections();
      await new Promise((r) => server?.close(r));
      server = null;
    }
    await running.stop();
  });

  it('a new client gets the snapshot, then the span alarm and a call\'s channel and call events as they happen', async () => {
    const c = await open(undefined, appUrl());
    assert.equal(c.response.headers['content-type'], 'text/event-stream; charset=utf-8');
    const snapshot = await waitFor(() => c.events.find((e) => e.event === 'snapshot'), 'the snapshot');
    const state = (snapshot.data as { state: TrunkMapSnapshot }).state;
    assert.deepEqual(state.spans.map((s) => s.span).slice(0, 2), [1, 2]);
    assert.ok(state.channels.length >= 60);

    running.sim.raiseFault(2, 'LOS');
    const alarm = await waitFor(() => c.events.find((e) => e.event === 'span' && (e.data as { span: number }).span === 2), 'span 2 event');
    assert.equal((alarm.data as { state: string }).state, 'alarm');
    assert.ok((alarm.data as { reason: string[] }).reason.includes('LOS'));

    const ch = running.sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '069555111' });
    const ring = await waitFor(() => c.events.find((e) => e.event === 'call' && (e.data as { kind: string }).kind === 'ring'), 'the ring event');
    const call = ring.data as { span: number; timeslot: number; caller: string; called: string; direction: string };
    assert.deepEqual([call.span, call.direction, call.called], [1, 'inbound', '6912347']);
    const inCall = await waitFor(() => c.events.find((e) => e.event === 'channel' && (e.data as { span: number; timeslot: number; state: string }).timeslot === call.timeslot && (e.data as { span: number }).span === 1 && (e.data as { state: string }).state !== 'idle'), 'the channel taken');
    assert.ok(inCall);
    running.sup.standin!.remoteHangup(ch.id, 16);
    await waitFor(() => c.events.find((e) => e.event === 'call' && (e.data as { kind: string }).kind === 'hangup'), 'the hangup event');
    const ids = c.events.map((e) => Number((e.id as string).split('.')[1]));
    assert.deepEqual(ids.slice(1), [...ids.slice(1)].sort((a, b) => a - b), 'ids rise');
    assert.equal(new Set(ids.slice(1)).size, ids.length - 1, 'no event twice');
  });

  it('resuming with Last-Event-ID gives exactly the events missed; an id of another run or too old gives a snapshot', async () => {
    await serve(1000);
    const first = await open();
    await waitFor(() => first.events.length > 0, 'the snapshot');
    const lastSeen = first.events[first.events.length - 1]?.id as string;
    first.close();
    running.sim.raiseFault(2, 'LOS');
    await waitFor(() => journal.lastSeq >= 1 && running.sup.trunkMap.snapshot().spans[1]?.condition === 'alarm', 'the alarm journalled');
    const missed = journal.lastSeq;
    const resumed = await open({ 'Last-Event-ID': lastSeen });
    await waitFor(() => resumed.events.length >= missed, 'the missed events');
    assert.ok(resumed.events.every((e) => e.event !== 'snapshot'), 'no snapshot on a resume');
    // Events after the count was taken may follow; the first `missed` are exactly 1..missed.
    assert.deepEqual(resumed.events.slice(0, missed).map((e) => e.id), Array.from({ length: missed }, (_, i) => `${journal.boot}.${i + 1}`));

    const other = await open({ 'Last-Event-ID': 'zz.3' });
    const s = await waitFor(() => other.events.find((e) => e.event === 'snapshot'), 'a snapshot for another run');
    assert.match((s.data as { why: string }).why, /restarted/);
    for (let i = 0; i < 1000; i++) journal.append('span', { filler: i });
    const old = await open({ 'Last-Event-ID': `${journal.boot}.1` });
    const s2 = await waitFor(() => old.events.find((e) => e.event === 'snapshot'), 'a snapshot when the events are gone');
    assert.match((s2.data as { why: string }).why, /more than the 1000 kept/);
    assert.equal(s2.id, journal.lastId);
  });

  it('a client that does not read is dropped once its backlog passes the limit; the others go on', async () => {
    await serve(100, 64 * 1024);
    const stuck = await open();
    const reading = await open();
    await waitFor(() => stuck.events.length > 0 && reading.events.length > 0, 'both connected');
    stuck.response.pause();
    const filler = 'x'.repeat(16 * 1024);
    let sent = 0;
    while (stream.stats.dropped === 0 && sent < 10_000) {
      for (let i = 0; i < 50; i++) journal.append('span', { filler, n: sent++ });
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(stream.stats.dropped, 1, `dropped after ${sent} events`);
    assert.equal(stream.stats.clients, 1);
    await waitFor(() => reading.events.length >= sent, 'the reading client got every event');
  });

  it('a queued job shows as dialling, then settled with its fate and outcome', async () => {
    const c = await open(undefined, appUrl('?types=job'));
    await waitFor(() => c.events.length > 0, 'the snapshot');
    const queues = running.sup.queues;
    assert.ok(queues);
    await waitFor(() => queues.dispatcher.ready, 'the queues connected');
    const { key } = await queues.jobs.add({ group: 'carrier', number: '030 1234567', target: 'sales' });
    const settled = await waitFor(() => c.events.find((e) => e.event === 'job' && (e.data as { kind: string }).kind === 'settled'), 'the job settled');
    assert.deepEqual(c.events.filter((e) => e.event !== 'snapshot').map((e) => [e.event, (e.data as { kind: string; job: string }).kind, (e.data as { job: string }).job]), [['job', 'dialling', key], ['job', 'settled', key]]);
    assert.equal((settled.data as { fate: string }).fate, 'completed');
    assert.equal((settled.data as { outcome: string }).outcome, 'answered');
  });

  it('types filters the stream; an unknown type is a 400 problem naming the field and the types there are', async () => {
    const res = await fetch(appUrl('?types=span,calls'));
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const problem = (await res.json()) as { status: number; errors: { field: string; allowed: string }[] };
    assert.equal(problem.status, 400);
    assert.deepEqual(problem.errors.map((e) => [e.field, e.allowed]), [['types', 'channel, span, call, job, health']]);
    const spansOnly = await open(undefined, appUrl('?types=span'));
    await waitFor(() => spansOnly.events.length > 0, 'the snapshot');
    running.sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '069555111' });
    running.sim.raiseFault(2, 'LOS');
    await waitFor(() => spansOnly.events.find((e) => e.event === 'span'), 'the span event');
    assert.deepEqual([...new Set(spansOnly.events.map((e) => e.event))], ['snapshot', 'span']);
  });
});
