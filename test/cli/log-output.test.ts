// The readable log line of each decision, the format chosen by terminal or by request, and
// TDMGATE_LOG_FORMAT refused with the key and the allowed values.

import assert from 'node:assert/strict';
import { chooseLogFormat, readableLine } from '../../src/cli/log-output';
import { loadConfig } from '../../src/supervisor/config';
import { isSupervisorError } from '../../src/supervisor/supervisor-errors';

const at = new Date(2026, 11, 7, 19, 30, 1).toISOString();

describe('supervise log output', () => {
  it('a routed call reads as time, span/timeslot, numbers and route', () => {
    const log = { level: 30, time: at, app: 'tdmgate', call: '1.0', channel: 'DAHDI/i1/030123-1', span: 1, timeslot: 5, did: '691234501', callerId: '030123', route: 'sales', context: 'cc-sales', extension: 's', reason: 'rule sales matched', msg: 'inbound call routed' };
    assert.equal(readableLine(log), '19:30:01 span 1 TS 5  DID 691234501 from 030123  -> sales (cc-sales,s)');
  });

  it('a call record reads as its end, outbound ones named so', () => {
    const inbound = { level: 30, time: at, direction: 'inbound', span: 2, timeslot: 26, disposition: 'ANSWERED', billsec: 2, q850: 16, route: 'support', msg: 'call record written' };
    assert.equal(readableLine(inbound), '19:30:01 span 2 TS 26  call ended ANSWERED 2s, cause 16 (support)');
    const outbound = { ...inbound, direction: 'outbound', span: 1, timeslot: 1, disposition: 'BUSY', billsec: 0, q850: 17, route: 'outbound' };
    assert.equal(readableLine(outbound), '19:30:01 span 1 TS 1  outbound call ended BUSY 0s, cause 17 (outbound)');
  });

  it('other records keep their message and facts; warnings say so', () => {
    const log = { level: 40, time: at, app: 'tdmgate', span: 2, state: 'alarm', reason: ['RED', 'LOS'], flaps: 1, msg: 'span out of service' };
    assert.equal(readableLine(log), '19:30:01 WARN span 2  span out of service  state=alarm reason=["RED","LOS"] flaps=1');
    const decided = { level: 30, time: at, number: '+49407654321', outcome: 'busy', cause: 17, attempts: 1, next: 'retry-later', msg: 'outbound call decided' };
    assert.equal(readableLine(decided), '19:30:01 outbound +49407654321  busy, cause 17 after 1 attempt -> retry-later');
  });

  it('pretty on a terminal, JSON lines into a pipe, unless asked', () => {
    assert.equal(chooseLogFormat(undefined, { write: () => true, isTTY: true }), 'pretty');
    assert.equal(chooseLogFormat(undefined, { write: () => true }), 'json');
    assert.equal(chooseLogFormat('json', { write: () => true, isTTY: true }), 'json');
  });

  it('TDMGATE_LOG_FORMAT is read and a bad value names the variable and the allowed values', async () => {
    const none = async (): Promise<string> => Promise.reject(Object.assign(new Error('absent'), { code: 'ENOENT' }));
    assert.equal((await loadConfig({ env: { TDMGATE_LOG_FORMAT: 'pretty' }, readText: none })).logFormat, 'pretty');
    assert.equal((await loadConfig({ env: { TDMGATE_LOG_FORMAT: 'pretty' }, flags: { logFormat: 'json' }, readText: none })).logFormat, 'json');
    await assert.rejects(loadConfig({ env: { TDMGATE_LOG_FORMAT: 'text' }, readText: none }),
      (err: unknown) => isSupervisorError(err, 'CONFIG_INVALID') && /^TDMGATE_LOG_FORMAT: .*\(allowed: json, pretty\)$/.test(err.message));
  });
});
