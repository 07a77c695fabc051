// The ARI adapter patches two internals of ari-client 2.2.0 (src/supervisor/ari/ari-adapter.ts,
// guardSocket and retire): the events socket arrives through `client._ws = new WebSocket(...)`,
// and `client._wsClosed = true` before a close stops the library's own reconnect. The package
// is pinned to that exact version; these tests fail when an upgrade moves either internal, so
// the adapter is checked again before the pin is lifted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WebSocket } from 'ws';
import { AriStandin } from '../../../src/demo/ari-standin';
import { createSimBackend, type SimBackend } from '../../../src/hardware/sim';
import { packageRoot } from '../../../src/package-root';

const PINNED = '2.2.0';
const USER = 'asterisk';
const PASSWORD = 'secret';
const requireHere = createRequire(__filename);

interface InternalClient {
  start(app: string): Promise<void>;
  on(event: string, listener: () => void): void;
  removeAllListeners(): void;
  _wsClosed?: boolean;
}
const ari = requireHere('ari-client') as { connect(url: string, user: string, password: string): Promise<InternalClient> };

describe('ari-client internals the ARI adapter relies on', () => {
  it(`is pinned to exactly ${PINNED} in package.json, the lock file and node_modules`, () => {
    const root = packageRoot();
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(pkg.dependencies['ari-client'], PINNED, 'package.json must pin ari-client exactly (no ^ or ~)');
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
    assert.equal(lock.packages['']?.dependencies?.['ari-client'], PINNED);
    assert.equal(lock.packages['node_modules/ari-client']?.version, PINNED);
    const installed = JSON.parse(readFileSync(requireHere.resolve('ari-client/package.json'), 'utf8')) as { version: string };
    assert.equal(installed.version, PINNED);
  });

  describe('against the ARI stand-in', () => {
    let sim: SimBackend;
    let standin: AriStandin;
    let url: string;
    const clients: InternalClient[] = [];

    beforeEach(async () => {
      sim = createSimBackend();
      standin = new AriStandin({ user: USER, password: PASSWORD, hardware: sim, spanWatchMs: 10 });
      ({ url } = await standin.start());
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) {
        c.removeAllListeners();
        c._wsClosed = true;
      }
      await standin.stop();
      await sim.close();
    });

    /** Connects and starts the app with an accessor on `_ws`, as guardSocket installs one. */
    async function connectWatched(): Promise<{ client: InternalClient; sockets: WebSocket[]; reconnecting: () => number }> {
      const client = await ari.connect(url, USER, PASSWORD);
      clients.push(client);
      const sockets: WebSocket[] = [];
      let current: WebSocket | undefined;
      Object.defineProperty(client, '_ws', {
        configurable: true,
        get: () => current,
        set: (ws: WebSocket) => {
          current = ws;
          sockets.push(ws);
        },
      });
      let reconnects = 0;
      client.on('WebSocketReconnecting', () => reconnects++);
      await client.start('tdmgate');
      return { client, sockets, reconnecting: () => reconnects };
    }

    /** Terminates the socket and resolves once every 'close' listener (the library's first) ran. */
    function closed(ws: WebSocket): Promise<void> {
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }

    it('hands the events socket over through the `_ws` property', async () => {
      const { sockets } = await connectWatched();
      assert.equal(sockets.length, 1);
      // ari-client brings its own copy of ws: the socket is checked by shape, not by class.
      const ws = sockets[0];
      assert.ok(typeof ws?.on === 'function' && typeof ws.terminate === 'function', 'the value assigned to _ws is a ws socket');
      assert.equal(ws.readyState, WebSocket.OPEN);
    });

    it('reconnects by itself when the socket closes, unless `_wsClosed` was set first', async () => {
      const plain = await connectWatched();
      await closed(plain.sockets[0] as WebSocket);
      assert.equal(plain.reconnecting(), 1, 'the library schedules its own reconnect on a close');

      const guarded = await connectWatched();
      guarded.client._wsClosed = true;
      await closed(guarded.sockets[0] as WebSocket);
      assert.equal(guarded.reconnecting(), 0, 'with _wsClosed set the library leaves the socket closed');
      // The library read the flag in its close handler: it resets it for the next socket.
      assert.equal(guarded.client._wsClosed, false);
    });
  });
});
