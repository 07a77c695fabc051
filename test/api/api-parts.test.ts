// The API's pure parts on an injected clock: counter rates and D-channel state per span
// (SpanReadings), the D-channel states, the per-token bucket, the roles' order, the bearer header and the audit
// summary that never keeps a secret.

import assert from 'node:assert/strict';
import { allows, bearerSecret, rolesBelow } from '../../src/api/v1/access';
import { bodySummary } from '../../src/api/v1/audit-summary';
import { TokenBuckets } from '../../src/api/v1/rate-limit';
import { DchannelStates } from '../../src/api/dchannel-states';
import { SpanReadings } from '../../src/api/v1/resources/span-readings';
import type { HardwareEvent, SpanStatus } from '../../src/hardware/types';
import { loadSiteFile } from '../../src/provisioning/site/load';
import { loadConfig } from '../../src/supervisor/config';
import { isSupervisorError } from '../../src/supervisor/supervisor-errors';
import { DEMO_SITE } from '../supervisor/supervisor-harness';

function status(span: number, crc4: number | null, fas: number): SpanStatus {
  return { span, counters: { bpv: 0, crc4, ebit: 0, fas, fe: 0, cv: 0, be: 0, prbs: 0, errsec: 0, irqmisses: 0, slips: 0 } } as unknown as SpanStatus;
}

describe('api parts', () => {
  it('span readings: no rate until a reading a second old, then errors per second; a reset counts from zero', () => {
    let now = 1_000_000;
    const readings = new SpanReadings(() => now);
    assert.equal(readings.ratesOf(status(1, 100, 5)), null);
    now += 500;
    assert.equal(readings.ratesOf(status(1, 150, 5)), null);
    now += 9_500;
    const r = readings.ratesOf(status(1, 200, 2));
    assert.deepEqual([r?.seconds, r?.perSecond.crc4, r?.perSecond.fas], [10, 10, 0.2]);
    assert.equal(readings.ratesOf(status(2, null, 0)), null);
    now += 5_000;
    assert.equal(readings.ratesOf(status(2, null, 0))?.perSecond.crc4, null, 'a counter the driver does not report has no rate');
  });

  it('D-channel states: down while the span is in alarm or the hardware reports it down, up otherwise; none on an analog span', async () => {
    const { site } = await loadSiteFile(DEMO_SITE);
    let listener: ((batch: readonly HardwareEvent[]) => void) | undefined;
    const dchannels = new DchannelStates({ subscribe: (l) => ((listener = l), { close: () => Promise.resolve() }) }, site);
    dchannels.start();
    const told: number[] = [];
    dchannels.onChange((span) => told.push(span));
    const clean = { span: 1, alarmNames: [] };
    assert.equal(dchannels.of(clean), 'up');
    assert.equal(dchannels.of({ span: 1, alarmNames: ['RED', 'LOS'] }), 'down');
    assert.equal(dchannels.of({ span: 3, alarmNames: [] }), null, 'the analog span has no D-channel');
    listener?.([{ at: 0, span: 1, kind: 'dchannel', up: false }]);
    assert.equal(dchannels.of(clean), 'down', 'reported down on a clean span');
    listener?.([{ at: 1, span: 1, kind: 'dchannel', up: true }]);
    assert.equal(dchannels.of(clean), 'up');
    assert.deepEqual(told, [1, 1]);
    await dchannels.stop();
  });

  it('token buckets: the burst, then refusals with the seconds to wait, refilled by time; each key its own', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 2, perSecond: 0.5 }, () => now);
    assert.deepEqual([b.take('a'), b.take('a'), b.take('a')], [0, 0, 2]);
    assert.equal(b.take('b'), 0);
    now += 2_000;
    assert.equal(b.take('a'), 0);
    assert.equal(b.take('a'), 2);
  });

  it('the rate comes from TDMGATE_API_RATE or the file\'s apiRate; a bad one is refused naming where it came from', async () => {
    const load = (env: Record<string, string>, file = '') => loadConfig({ env: { TDMGATE_DATA_DIR: '/tmp/x', ...env }, flags: { config: 'f.yaml' }, readText: () => Promise.resolve(file) });
    assert.deepEqual((await load({})).apiRate, { perSecond: 20, burst: 60 });
    assert.deepEqual((await load({ TDMGATE_API_RATE: '5/s' })).apiRate, { perSecond: 5, burst: 15 });
    assert.deepEqual((await load({}, 'apiRate: 2/s,4\n')).apiRate, { perSecond: 2, burst: 4 });
    await assert.rejects(load({ TDMGATE_API_RATE: 'fast' }), (err) => isSupervisorError(err, 'CONFIG_INVALID') && /TDMGATE_API_RATE: "fast" is not a request rate \(allowed: requests per second/.test(err.message));
    await assert.rejects(load({}, 'apiRate: 0/s\n'), (err) => isSupervisorError(err) && /f\.yaml: apiRate/.test(err.message));
  });

  it('roles rank viewer < operator < admin; the bearer header is read strictly', () => {
    assert.ok(allows('admin', 'operator') && allows('operator', 'viewer') && allows('viewer', 'public'));
    assert.ok(!allows('viewer', 'operator') && !allows('operator', 'admin'));
    assert.deepEqual(rolesBelow('admin'), ['viewer', 'operator']);
    assert.equal(bearerSecret('Bearer tdm_abc-_x'), 'tdm_abc-_x');
    assert.equal(bearerSecret('Basic dXNlcjpwdw=='), null);
    assert.equal(bearerSecret(undefined), null);
  });

  it('the audit summary replaces secrets and stays short', () => {
    assert.equal(bodySummary({ number: '+4930555111', variables: { PASSWORD: 'x', apiKey: 'y' }, token: 'tdm_z' }), '{"number":"+4930555111","variables":{"PASSWORD":"[redacted]","apiKey":"[redacted]"},"token":"[redacted]"}');
    assert.equal(bodySummary(undefined), '');
    assert.equal(bodySummary({ entries: Array.from({ length: 500 }, () => ({ number: '+4930555111' })) }).length, 1000);
  });
});
