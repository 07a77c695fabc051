// The status page's server side without a browser: the frames drawn from real example sites
// (E1 PRI, E1 MFC/R2, T1 PRI, analog), span health from hardware statuses (the diag's findings,
// counter rates, D-channel), the calls kept from call events, the alarm texts taken from the
// diag tables, and the routes over real HTTP (the page with its CSP, texts.json, built assets).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { DchannelStates } from '../../src/api/dchannel-states';
import { ActiveCalls } from '../../src/api/web/active-calls';
import { pageTexts } from '../../src/api/web/page-texts';
import { statusLayout } from '../../src/api/web/site-layout';
import { healthChanged, spanHealth, type SpanHealth } from '../../src/api/web/span-health';
import { webRoutes } from '../../src/api/web/web-routes';
import type { CounterSnapshot } from '../../src/diagnostics/counter-rates';
import { FINDING_TEXT } from '../../src/diagnostics/messages';
import { COUNTER_NAMES, type Counters, type SpanStatus } from '../../src/hardware/types';
import { loadSiteFile } from '../../src/provisioning/site/load';
import type { CallEvent } from '../../src/supervisor/calls/call-events';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const example = async (name: string) => (await loadSiteFile(path.join(ROOT, 'dahdi-config', 'examples', name))).site;

function status(span: number, alarmNames: string[], counters: Partial<Counters> = {}): SpanStatus {
  const all = Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as Counters;
  return {
    span, name: `TE2/0/${span}`, description: '', alarms: alarmNames.length, alarmNames: alarmNames as SpanStatus['alarmNames'], counters: { ...all, ...counters },
    driver: 'sim', syncSource: 1, lbo: 0, lboName: '0 db (CSU)/0-133 feet (DSX-1)', lineConfig: 0, lineConfigNames: [], spanType: 'E1', spanTypeText: 'E1',
    baseChannel: 1, totalChannels: 31, configuredChannels: 31, location: '', manufacturer: '', deviceType: '', linecompat: 0, txLevel: 0, rxLevel: 0,
  };
}

describe('status page: server side', () => {
  it('draws an E1 PRI as 32 timeslots (TS0 framing, TS16 D-channel), an E1 MFC/R2 with TS16 as CAS, a T1 PRI as 24 with D on 24', async () => {
    const pri = statusLayout(await example('euroisdn-4e1-cpe.yaml')).spans[0];
    assert.deepEqual([pri?.line, pri?.timeslots.length, pri?.timeslots[0], pri?.special], ['E1', 32, 0, [{ timeslot: 0, role: 'framing' }, { timeslot: 16, role: 'dchannel' }]]);
    const r2 = statusLayout(await example('china-e1-mfcr2.yaml')).spans[0];
    assert.equal(r2?.signalling, 'mfcr2');
    assert.deepEqual(r2?.special, [{ timeslot: 0, role: 'framing' }, { timeslot: 16, role: 'cas' }]);
    const t1 = statusLayout(await example('t1-pri-ni2.yaml')).spans[0];
    assert.deepEqual([t1?.line, t1?.timeslots.length, t1?.timeslots[0], t1?.special], ['T1', 24, 1, [{ timeslot: 24, role: 'dchannel' }]]);
    const analog = statusLayout(await example('analog-office.yaml')).spans.find((s) => s.line === 'analog');
    assert.ok(analog && analog.ports.length > 0 && analog.timeslots.length === Math.max(...analog.ports.map((p) => p.port)));
  });

  it('gives each trunk group its inbound reserve from the site\'s outbound settings', async () => {
    const site = (await loadSiteFile(path.join(ROOT, 'dahdi-config', 'sites', 'sim-demo.yaml'))).site;
    const groups = statusLayout(site).groups;
    assert.deepEqual(groups.find((g) => g.name === 'carrier')?.inboundReserve, { kind: 'percent', percent: 20 });
    assert.equal(groups.find((g) => g.name === 'phones')?.inboundReserve, null);
  });

  it('turns a span\'s hardware status into the diag\'s findings, counter rates per second and the D-channel', async () => {
    const noEvents = { subscribe: () => ({ close: () => Promise.resolve() }) };
    const dchannels = new DchannelStates(noEvents, await example('euroisdn-4e1-cpe.yaml'));
    const health = (st: SpanStatus, before: CounterSnapshot | null, now: number): SpanHealth => spanHealth(st, before, now, dchannels.of(st));
    const los = health(status(1, ['RED', 'LOS']), null, 1000);
    assert.deepEqual([los.findings, los.dchannel, los.rates], [['los'], 'down', {}]);
    const before = { at: 1000, counters: status(1, []).counters };
    const ok = health(status(1, [], { bpv: 30, crc4: null }), before, 3000);
    assert.deepEqual([ok.findings, ok.dchannel, ok.rates.bpv, ok.rates.crc4, ok.rates.slips], [[], 'up', 15, null, 0]);
    assert.equal(healthChanged(ok, { ...ok }), false);
    assert.equal(healthChanged(ok, { ...ok, syncSource: 0 }), true);
    const r2 = new DchannelStates(noEvents, await example('china-e1-mfcr2.yaml'));
    assert.equal(spanHealth(status(1, []), null, 0, r2.of(status(1, []))).dchannel, null, 'no D-channel on MFC/R2');
  });

  it('keeps the calls up with their numbers from ring to hang-up', () => {
    const calls = new ActiveCalls();
    const e = (kind: CallEvent['kind'], at: number): CallEvent => ({
      kind, at: new Date(at), callId: 'c1', channelId: 'ch1', direction: 'inbound', span: 1, timeslot: 5, group: 'carrier',
      caller: '+4969555111', called: '6912347', route: 'support', target: 'support', reference: '', end: null,
    });
    calls.apply(e('ring', 1000));
    calls.apply(e('answer', 3000));
    assert.deepEqual(calls.list().map((c) => [c.timeslot, c.caller, c.ringAt, c.answerAt]), [[5, '+4969555111', 1000, 3000]]);
    calls.apply(e('hangup', 9000));
    assert.deepEqual(calls.list(), []);
  });

  it('serves the alarm texts from the diag tables, every finding in every language', () => {
    const texts = pageTexts();
    assert.deepEqual(texts.langs, ['en', 'zh']);
    assert.equal(texts.findings.zh.los.title, FINDING_TEXT.los.zh.title);
    assert.deepEqual(Object.keys(texts.findings.en).sort(), Object.keys(FINDING_TEXT).sort());
    assert.deepEqual(Object.keys(texts.findings.zh).sort(), Object.keys(FINDING_TEXT).sort());
  });

  describe('routes over HTTP', () => {
    let server: Server;
    let base: string;
    let assets: string;
    before(async () => {
      assets = mkdtempSync(path.join(tmpdir(), 'tdmgate-web-assets-'));
      writeFileSync(path.join(assets, 'app.js'), 'export {};\n');
      const app = express();
      app.use(webRoutes(assets));
      server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(assets, { recursive: true, force: true });
    });

    it('serves the page with a CSP that allows only this server, its texts and its built assets', async () => {
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
      assert.match(await page.text(), /<script type="module" src="\/assets\/app.js">/);
      const texts = (await (await fetch(`${base}/assets/texts.json`)).json()) as { findings: { en: { los: { title: string } } } };
      assert.equal(texts.findings.en.los.title, FINDING_TEXT.los.en.title);
      assert.equal((await fetch(`${base}/assets/app.js`)).status, 200);
      assert.equal((await fetch(`${base}/assets/nothing.js`)).status, 404);
    });

    it('says the page is not built when its assets are missing', async () => {
      const app = express();
      app.use(webRoutes(path.join(assets, 'missing')));
      const s = app.listen(0, '127.0.0.1');
      await new Promise((r) => s.once('listening', r));
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/assets/app.js`);
      s.closeAllConnections();
      s.close();
      assert.equal(res.status, 503);
      assert.match(await res.text(), /not built: dist\/web is missing \(run npm run build\)/);
    });
  });
});
