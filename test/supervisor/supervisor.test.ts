// End to end: the supervisor on the sim with the built-in ARI stand-in and SQLite (and MariaDB
// when TDMGATE_TEST_MYSQL_URL is set): inbound routing with the TDMGATE_* variables, blacklist,
// VIP, a span alarm mid-call, socket drop, REST stall and an unknown event type - each checked
// in the cdr table, with bounded waits on state (no sleeps).

import assert from 'node:assert/strict';
import type { SimBackend } from '../../src/hardware/sim';
import { loadConfig } from '../../src/supervisor/config';
import type { App } from '../../src/app/app';
import { isSupervisorError } from '../../src/supervisor/supervisor-errors';
import { waitFor } from '../wait-for';
import { dbVariants, startTestSupervisor, type TestSupervisor } from './supervisor-harness';

interface CdrRow { uniqueid: string; disposition: string; q850_cause: number | null; route: string; span: number | null; timeslot: number | null; trunk_group: string; direction: string; userfield: string; dcontext: string }

for (const variant of dbVariants()) {
  describe(`supervisor end to end (${variant.name})`, function () {
    this.timeout(30_000);
    let running: TestSupervisor;
    let sim: SimBackend;
    let sup: App;
    const rows = async (): Promise<CdrRow[]> => (await sup.db.knex('cdr').select('*')) as CdrRow[];
    const rowOf = (id: string): Promise<CdrRow> => waitFor(async () => (await rows()).find((r) => r.uniqueid === id), `the CDR of ${id}`);

    beforeEach(async () => {
      running = await startTestSupervisor(variant);
      ({ sup, sim } = running);
    });
    afterEach(() => running.stop());

    it('routes a DID into its context with TDMGATE_* set, and writes its CDR when it ends', async () => {
      const ch = sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '069555111' });
      const inDialplan = await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-support'), 'continue into cc-support');
      assert.equal(inDialplan.dialplan.exten, '6912347');
      const span = await sup.ari.getVariable(ch.id, 'TDMGATE_SPAN');
      assert.equal(await sup.ari.getVariable(ch.id, 'TDMGATE_ROUTE'), 'support');
      assert.equal(await sup.ari.getVariable(ch.id, 'TDMGATE_GROUP'), '1');
      assert.match(await sup.ari.getVariable(ch.id, 'TDMGATE_TIMESLOT'), /^\d+$/);
      assert.equal(sup.trunkMap.snapshot().channels.filter((c) => c.callRef === ch.id).length, 1);
      sup.standin!.remoteHangup(ch.id, 16);
      const row = await rowOf(ch.id);
      assert.equal(row.route, 'support');
      assert.equal(row.span, Number(span));
      assert.equal(row.trunk_group, 'carrier');
      assert.equal(row.direction, 'inbound');
      assert.equal(row.disposition, 'ANSWERED');
      assert.equal(row.dcontext, 'cc-support');
      assert.equal(sup.trunkMap.snapshot().channels.filter((c) => c.callRef === ch.id).length, 0);
    });

    it('a dialplan that passes no channel to Stasis: the timeslot comes from CHANNEL(dahdi_channel)', async () => {
      const ch = sup.standin!.placeInboundCall({ span: 2, did: '100', callerId: '0695', args: [] });
      await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-reception'), 'routed');
      const timeslot = Number(await sup.ari.getVariable(ch.id, 'TDMGATE_TIMESLOT'));
      assert.equal(timeslot, Number(await sup.ari.getVariable(ch.id, 'CHANNEL(dahdi_channel)')) - 31);
      sup.standin!.remoteHangup(ch.id);
      assert.equal((await rowOf(ch.id)).timeslot, timeslot);
    });

    it('blacklist: hangup cause 21 and a CDR with q850_cause 21', async () => {
      const ch = sup.standin!.placeInboundCall({ did: '100', callerId: '09001234567' });
      const row = await rowOf(ch.id);
      assert.equal(row.q850_cause, 21);
      assert.equal(row.disposition, 'FAILED');
    });

    it('VIP: a key account goes straight to the VIP desk', async () => {
      const ch = sup.standin!.placeInboundCall({ did: '691234501', callerId: '069123456' });
      await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-vip'), 'continue into cc-vip');
      sup.standin!.remoteHangup(ch.id);
      assert.equal((await rowOf(ch.id)).route, 'key-accounts');
    });

    it('a span alarm mid-call: CDR with the alarm cause, the span blocked in the TrunkMap', async () => {
      const ch = sup.standin!.placeInboundCall({ span: 1, did: '100', callerId: '0691111' });
      await waitFor(() => sup.standin!.channels().find((c) => c.id === ch.id && c.dialplan.context === 'cc-reception'), 'routed');
      sim.raiseFault(1, 'LOS');
      const row = await rowOf(ch.id);
      assert.equal(row.q850_cause, 38);
      assert.match(row.userfield, /span alarm/);
      await waitFor(() => sup.trunkMap.snapshot().channels.filter((c) => c.span === 1).every((c) => c.state === 'blocked-alarm'), 'span 1 blocked');
    });

    it('socket drop, REST stall, unknown event: reconnected and reconciled, no CDR lost or doubled', async () => {
      const a = sup.standin!.placeInboundCall({ did: '6912347', callerId: '0691' });
      await waitFor(() => sup.standin!.channels().find((c) => c.id === a.id && c.dialplan.context === 'cc-support'), 'a routed');
      const before = sup.ari.stats().connections;
      sup.standin!.dropSocket();
      sup.standin!.remoteHangup(a.id); // its ChannelDestroyed is lost with the socket
      await waitFor(() => sup.ari.stats().connections > before && sup.ari.status === 'ready', 'reconnected');
      await rowOf(a.id); // closed by reconciliation
      // REST stalls: the call waits in Stasis, the timeout replaces the connection, reconciliation routes it.
      sup.standin!.stallRest(1500);
      const b = sup.standin!.placeInboundCall({ did: '6912347', callerId: '0692' });
      await waitFor(() => sup.standin!.channels().find((c) => c.id === b.id && c.dialplan.context === 'cc-support'), 'b routed after the stall', 10_000);
      // An event type ari-client's models do not name (it would throw on it): the adapter parses
      // events itself, ignores it and keeps the connection; calls keep flowing.
      const ignored = sup.ari.stats().ignoredEvents;
      const connections = sup.ari.stats().connections;
      sup.standin!.sendUnknownEvent();
      await waitFor(() => sup.ari.stats().ignoredEvents > ignored, 'unknown event ignored');
      const malformed = sup.ari.stats().malformedEvents;
      sup.standin!.sendMalformedEvent();
      await waitFor(() => sup.ari.stats().malformedEvents > malformed, 'malformed event refused');
      assert.deepEqual([sup.ari.stats().connections, sup.ari.status], [connections, 'ready']);
      const c = sup.standin!.placeInboundCall({ did: '100', callerId: '0693' });
      await waitFor(() => sup.standin!.channels().find((x) => x.id === c.id && x.dialplan.context === 'cc-reception'), 'c routed');
      sup.standin!.remoteHangup(b.id);
      sup.standin!.remoteHangup(c.id);
      await rowOf(b.id);
      await rowOf(c.id);
      await sup.calls.settled();
      const all = await rows();
      for (const id of [a.id, b.id, c.id]) assert.equal(all.filter((r) => r.uniqueid === id).length, 1, `one CDR for ${id}`);
    });
  });
}

describe('supervisor config', () => {
  const load = (env: Record<string, string>, file = '') => loadConfig({ env: { TDMGATE_DATA_DIR: '/tmp/x', ...env }, readText: () => Promise.resolve(file) });
  const refused = async (p: Promise<unknown>, key: RegExp): Promise<void> => {
    await assert.rejects(p, (err: unknown) => isSupervisorError(err, 'CONFIG_INVALID') && key.test(err.key ?? '') && key.test(err.message) && (err.allowed ?? '') !== '');
  };
  it('bad values are typed errors naming the variable and what is allowed', async () => {
    await refused(load({ TDMGATE_BACKEND: 'zap' }), /TDMGATE_BACKEND/);
    await refused(load({ TDMGATE_LISTEN: 'localhost:99999' }), /TDMGATE_LISTEN/);
    await refused(load({ TDMGATE_LISTEN: 'nonsense' }), /TDMGATE_LISTEN/);
    await refused(load({ TDMGATE_ARI_URL: 'ftp://x' }), /TDMGATE_ARI_URL/);
    await refused(load({ TDMGATE_ARI_URL: 'http://pbx:8088' }), /TDMGATE_ARI_USER/);
    await refused(load({ TDMGATE_ARI_URL: 'http://pbx:8088', TDMGATE_ARI_USER: 'u' }), /TDMGATE_ARI_PASSWORD/);
    await refused(load({ TDMGATE_DB_URL: 'postgres://x/y' }), /TDMGATE_DB_URL/);
    await refused(load({ TDMGATE_BACKEND: 'dahdi' }), /TDMGATE_ARI_URL/);
    await refused(load({}, 'backend: zap\n'), /backend/);
    await refused(load({}, 'lsten: 1.2.3.4:5\n'), /lsten/);
    await refused(load({ TDMGATE_REDIS_URL: 'http://cache:6379' }), /TDMGATE_REDIS_URL/);
    await refused(load({ TDMGATE_QUEUE_PREFIX: 'a:b' }), /TDMGATE_QUEUE_PREFIX/);
    await refused(load({}, 'redis:\n  host: x\n'), /redis\.host/);
  });
  it('the job queues default to the private Redis, take a URL and prefix from the file, and can be off', async () => {
    assert.deepEqual((await load({})).redis, { url: 'redis://127.0.0.1:6380', prefix: 'tdmgate' });
    assert.deepEqual((await load({}, 'redis:\n  url: redis://:pw@10.0.0.5:6379/2\n  prefix: site-a\n')).redis, { url: 'redis://:pw@10.0.0.5:6379/2', prefix: 'site-a' });
    assert.equal((await load({ TDMGATE_REDIS_URL: 'off' })).redis, null);
  });
  it('env wins over the file; a missing default file is fine', async () => {
    const c = await load({ TDMGATE_LISTEN: '127.0.0.1:0' }, 'listen: 0.0.0.0:9000\nbackend: sim\n');
    assert.deepEqual(c.listen, { host: '127.0.0.1', port: 0 });
    assert.equal(c.backend, 'sim');
    const missing = await loadConfig({ env: { TDMGATE_DATA_DIR: '/tmp/x' }, readText: () => Promise.reject(Object.assign(new Error('no'), { code: 'ENOENT' })) });
    assert.equal(missing.configFile, null);
    await assert.rejects(loadConfig({ env: { TDMGATE_CONFIG: '/nope.yaml' }, readText: () => Promise.reject(Object.assign(new Error('no'), { code: 'ENOENT' })) }), (e: unknown) => isSupervisorError(e, 'CONFIG_UNREADABLE'));
  });
});
