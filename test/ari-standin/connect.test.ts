// Connecting as ari-client 2.2.0 does, against the stand-in: the bare probe gets 401, the
// documents come with basePath rewritten to the Host the client used, auth on REST and on the
// events socket, the served documents equal Asterisk's, and the /asterisk and /endpoints answers.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { connectClient, raw, startRig, stopRig, USER, PASSWORD, type Rig } from './helpers';

const SHIPPED = path.resolve(__dirname, '../../../src/demo/ari-standin/api-docs');

describe('ARI stand-in: connecting', () => {
  let rig: Rig;
  beforeEach(async () => (rig = await startRig()));
  afterEach(async () => stopRig(rig));

  it('answers 401 to the unauthenticated probe and serves docs with basePath from the Host header', async () => {
    const probe = await raw(rig.port, 'GET', '/ari/api-docs/resources.json', false);
    assert.equal(probe.status, 401);
    assert.deepEqual(JSON.parse(probe.body), { message: 'Authentication required' });
    assert.match(String(probe.headers['www-authenticate']), /^Basic realm=/);
    const docs = await raw(rig.port, 'GET', '/ari/api-docs/resources.json', true, { host: `example.test:${rig.port}` });
    assert.equal(docs.status, 200);
    assert.equal(docs.headers['content-type'], 'application/json');
    assert.equal((JSON.parse(docs.body) as { basePath: string }).basePath, `http://example.test:${rig.port}/ari`);
    const bad = await raw(rig.port, 'GET', '/ari/channels', false, { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` });
    assert.equal(bad.status, 401);
  });

  it('lets the real ari-client connect, start the app and list it', async () => {
    const client = await connectClient(rig);
    const apps = await client.applications.list();
    assert.deepEqual(apps.map((a) => a.name), ['tdmgate']);
    assert.deepEqual(rig.standin.apps(), ['tdmgate']);
    const info = await client.asterisk.getInfo();
    assert.equal(info.system.version, '22.10.1');
    assert.match(info.status.startup_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it('serves every document equal to Asterisk 22.10.1 apart from basePath', async () => {
    const files = ['resources.json', ...readdirSync(path.join(SHIPPED, 'api-docs')).map((f) => `api-docs/${f}`)];
    assert.equal(files.length, 12);
    // The shipped copies are still the files as copied from Asterisk (PROVENANCE.md).
    const sums = new Map(readFileSync(path.join(SHIPPED, 'SHA256SUMS'), 'utf8').trim().split('\n').map((line) => {
      const [sum = '', file = ''] = line.split(/\s+/);
      return [file, sum];
    }));
    assert.deepEqual([...sums.keys()].sort(), [...files].sort());
    for (const file of files) {
      const bytes = readFileSync(path.join(SHIPPED, file));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), sums.get(file), `${file} differs from Asterisk 22.10.1's`);
      const served = await raw(rig.port, 'GET', `/ari/api-docs/${path.basename(file)}`, true);
      assert.equal(served.status, 200, file);
      const original = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      assert.deepEqual(JSON.parse(served.body), { ...original, basePath: `http://127.0.0.1:${rig.port}/ari` }, file);
    }
  });

  it('routes every operation of the Swagger documents: modelled, or Asterisk\'s lookup answer, or 501 - never "Resource not found" or 405', async () => {
    // events.json's two operations are the WebSocket and user events, outside the REST router.
    const files = readdirSync(path.join(SHIPPED, 'api-docs')).filter((f) => f !== 'events.json');
    let operations = 0;
    for (const file of files) {
      const doc = JSON.parse(readFileSync(path.join(SHIPPED, 'api-docs', file), 'utf8')) as { apis: { path: string; operations: { httpMethod: string }[] }[] };
      for (const api of doc.apis) {
        for (const op of api.operations) {
          operations++;
          const r = await raw(rig.port, op.httpMethod, `/ari${api.path.replace(/\{\w+\}/g, 'nope')}`, true);
          const message = r.body.startsWith('{') ? (JSON.parse(r.body) as { message?: string }).message : undefined;
          assert.ok(r.status !== 405 && !(r.status === 404 && message === 'Resource not found'), `${op.httpMethod} ${api.path}: ${r.status} ${r.body}`);
        }
      }
    }
    assert.ok(operations > 90, `${operations} operations`);
  });

  it('refuses the events socket without app (400) or with a wrong api_key (401)', async () => {
    const status = (query: string): Promise<number> => new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${rig.port}/ari/events?${query}`);
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => {
        resolve(101);
        ws.close();
      });
      ws.on('error', () => undefined);
    });
    const key = `${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`;
    assert.equal(await status(`api_key=${key}`), 400);
    assert.equal(await status('app=tdmgate&api_key=asterisk:wrong'), 401);
    assert.equal(await status(`app=tdmgate&api_key=${key}`), 101);
  });

  it('has no DAHDI endpoints, reloads chan_dahdi (204), 404 for a module not loaded, 409 when refused', async () => {
    const client = await connectClient(rig);
    await assert.rejects(client.endpoints.listByTech({ tech: 'DAHDI' }), /No Endpoints found/);
    const before = await raw(rig.port, 'GET', '/ari/asterisk/info', true);
    await client.asterisk.reloadModule({ moduleName: 'chan_dahdi.so' });
    assert.equal((await raw(rig.port, 'PUT', '/ari/asterisk/modules/chan_dahdi.so', true)).status, 204);
    const missing = await raw(rig.port, 'PUT', '/ari/asterisk/modules/chan_sip.so', true);
    assert.equal(missing.status, 404);
    assert.ok((JSON.parse(missing.body) as { message: string }).message.length > 0);
    rig.standin.setModule('chan_dahdi.so', 'refuses-reload');
    assert.equal((await raw(rig.port, 'PUT', '/ari/asterisk/modules/chan_dahdi.so', true)).status, 409);
    assert.equal(before.status, 200);
    assert.equal((await raw(rig.port, 'GET', '/ari/nothing/here', true)).status, 404);
  });
});
