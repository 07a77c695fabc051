// Injected faults seen through ari-client 2.2.0: the events socket dropped (the client
// reconnects), REST stalled (calls hang until resumed), `core restart now` (channels hung up
// with events, then each answer of a stopping and booting Asterisk in order), a crash (refused,
// back with a new startup time and no channels, no events), and unknown or malformed events -
// which the library throws as uncaught exceptions, so they are observed in a child process.

import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { channelOf, connectClient, PASSWORD, raw, startRig, stopRig, USER, waitEvent, waitUntil, type Rig } from './helpers';
import { WebSocket } from 'ws';

describe('ARI stand-in: faults', () => {
  let rig: Rig;
  beforeEach(async () => (rig = await startRig()));
  afterEach(async () => stopRig(rig));

  it('dropSocket: the client sees the close and reconnects; the app is registered again', async () => {
    const client = await connectClient(rig);
    let reconnecting = 0;
    let connected = 0;
    client.on('WebSocketReconnecting', () => reconnecting++);
    client.on('WebSocketConnected', () => connected++);
    assert.equal(rig.standin.dropSocket(), 1);
    await waitUntil(() => connected === 1, 'the client reconnected');
    assert.equal(reconnecting, 1);
    rig.standin.placeInboundCall({ did: '1', callerId: '2' });
    await waitEvent(rig, 'StasisStart');
  });

  it('stallRest: REST calls hang until resumed, then answer', async () => {
    const client = await connectClient(rig);
    rig.standin.stallRest();
    let settled = false;
    const listing = client.channels.list().then((l) => ((settled = true), l));
    await waitUntil(() => rig.standin.stalledRequests() === 1, 'the request held');
    assert.equal(settled, false);
    rig.standin.resumeRest();
    assert.deepEqual(await listing, []);
    rig.standin.stallRest(20);
    assert.deepEqual(await client.channels.list(), []);
  });

  it('restart (core restart now): hangup events, 503 Shutdown with the socket open, 1006, refused, 404, 503 not booted, up', async () => {
    const client = await connectClient(rig);
    const placed = rig.standin.placeInboundCall({ did: '1', callerId: '2' });
    await waitEvent(rig, 'StasisStart');
    const before = (await client.asterisk.getInfo()).status.startup_time;
    let reconnected = 0;
    client.on('WebSocketConnected', () => reconnected++);
    let closedAt: number | null = null;
    let closeCode = 0;
    const seen: string[] = [];
    const note = (what: string): void => {
      if (seen[seen.length - 1] !== what) seen.push(what);
    };
    const probe = async (): Promise<void> => {
      try {
        const r = await raw(rig.port, 'GET', '/ari/asterisk/info', true);
        const type = String(r.headers['content-type'] ?? '');
        if (r.status === 200) note('200');
        else if (type.startsWith('text/html')) note(`${r.status} html${r.body.includes('Shutdown in progress') ? ' Shutdown in progress' : ''}`);
        else note(`${r.status} ${(JSON.parse(r.body) as { message: string }).message}`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // A probe in flight at the moment the server closes is cut (reset): no phase of its own.
        if (code !== 'ECONNRESET') note(code === 'ECONNREFUSED' ? 'refused' : String(err));
      }
    };
    const ws = new WebSocket(`ws://127.0.0.1:${rig.port}/ari/events?app=closer&api_key=${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.on('close', (code) => {
      closedAt = seen.length;
      closeCode = code;
    });
    const restarting = rig.standin.restart({ hangupMs: 5, drainMs: 60, shutdownMs: 200, refusedMs: 150, notFoundMs: 150, notBootedMs: 150 });
    let done = false;
    void restarting.then(() => (done = true));
    while (!done) {
      await probe();
      await new Promise((r) => setTimeout(r, 5));
    }
    await probe();
    assert.deepEqual(seen, ['200', '503 html Shutdown in progress', 'refused', '404 html', '503 Asterisk not booted', '200']);
    // The socket was still open while REST said 503, and was cut without a close frame.
    assert.equal(closeCode, 1006);
    assert.ok(closedAt !== null && closedAt >= 2, `closed after the 503 was seen (${String(closedAt)})`);
    const destroyed = rig.events.find((e) => e.type === 'ChannelDestroyed');
    assert.deepEqual([destroyed?.cause, destroyed?.cause_txt], [0, 'Unknown']);
    const request = rig.events.find((e) => e.type === 'ChannelHangupRequest');
    assert.deepEqual([request?.cause, request?.soft], [4, true]);
    assert.deepEqual(rig.events.filter((e) => channelOf(e)?.id === placed.id).map((e) => e.type), ['StasisStart', 'ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
    assert.deepEqual(await client.channels.list(), []);
    assert.notEqual((await client.asterisk.getInfo()).status.startup_time, before);
    // ari-client's reconnect loop gets through the refusals and registers the app again.
    await waitUntil(() => reconnected >= 1 && rig.standin.apps().includes('tdmgate'), 'the client reconnected after the restart', 8000);
  });

  it('restartAsterisk (a crash): connections refused while down, channels lost, a new startup time', async () => {
    const client = await connectClient(rig);
    rig.standin.placeInboundCall({ did: '1', callerId: '2' });
    await waitEvent(rig, 'StasisStart');
    const before = (await client.asterisk.getInfo()).status.startup_time;
    let reconnected = 0;
    client.on('WebSocketConnected', () => reconnected++);
    const restarting = rig.standin.restartAsterisk({ downMs: 200 });
    await waitUntil(async () => raw(rig.port, 'GET', '/ari/channels', true).then(() => false, (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED'), 'connection refused');
    await restarting;
    assert.deepEqual(await client.channels.list(), []);
    assert.deepEqual(await rig.sim.channels(1).then((l) => l.filter((c) => c.inUse)), []);
    const after = (await client.asterisk.getInfo()).status.startup_time;
    assert.notEqual(after, before);
    await waitUntil(() => reconnected >= 1, 'the client reconnected after the restart', 5000);
    assert.ok(!rig.events.some((e) => e.type === 'ChannelDestroyed'), 'a restart loses channels without events');
  });

  describe('events ari-client cannot parse (child process)', () => {
    let child: ChildProcess | null = null;
    afterEach(() => {
      child?.kill();
      child = null;
    });

    const startChild = async (): Promise<() => unknown[]> => {
      const lines: unknown[] = [];
      let buf = '';
      child = fork(path.join(__dirname, 'event-child.js'), [rig.url, USER, PASSWORD], { stdio: ['ignore', 'pipe', 'ignore', 'ipc'] });
      child.stdout?.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        // swagger-client prints its deprecation notice on stdout too: keep only our JSON lines.
        for (const p of parts) if (p.startsWith('{"')) lines.push(JSON.parse(p));
      });
      await waitUntil(() => lines.some((l) => (l as { started?: boolean }).started), 'the child client started', 10000);
      return () => lines;
    };

    it('an unknown event type throws inside ari-client (uncaught TypeError) and leaves a dead open socket', async () => {
      const lines = await startChild();
      assert.equal(rig.standin.sendUnknownEvent(), 1);
      const err = await waitUntil(() => lines().find((l) => (l as { uncaught?: string }).uncaught), 'the uncaught exception', 5000);
      assert.equal((err as { uncaught: string }).uncaught, 'TypeError');
      // The socket stays open (readyState 1) but ws's receiver died with the throw: nothing more
      // is delivered and no reconnect happens - a silent dead connection the supervisor must replace.
      assert.equal((err as { wsState: number }).wsState, 1);
      rig.standin.placeInboundCall({ did: '1', callerId: '2' });
      const got = await waitUntil(() => lines().some((l) => (l as { event?: string }).event === 'StasisStart'), 'StasisStart', 1000).catch(() => false);
      assert.equal(got, false, 'ari-client delivered an event after the unknown one');
      assert.deepEqual(rig.standin.apps(), ['tdmgate']);
    });

    it('a malformed event is a SyntaxError thrown from JSON.parse inside ari-client', async () => {
      const lines = await startChild();
      assert.equal(rig.standin.sendMalformedEvent(), 1);
      const err = await waitUntil(() => lines().find((l) => (l as { uncaught?: string }).uncaught), 'the uncaught exception', 5000);
      assert.equal((err as { uncaught: string }).uncaught, 'SyntaxError');
    });
  });
});
