// Outbound: the cause -> outcome table, hunt plans that skip spans in alarm or maintenance,
// the step after each outcome, and prepareCall tying numbering, settings and plan together.

import assert from 'node:assert/strict';
import type { OutboundSettings } from '../../../src/provisioning/site/routing-types';
import type { TrunkGroup } from '../../../src/provisioning/site/site-types';
import { nextStep, planAttempts, type GroupSpan } from '../../../src/supervisor/outbound/hunt-plan';
import { compileNumbering } from '../../../src/supervisor/outbound/numbering';
import { CAUSE_OUTCOMES, OUTCOMES, outcomeOf } from '../../../src/supervisor/outbound/outcomes';
import { prepareCall, settingsFor } from '../../../src/supervisor/outbound/prepare-call';
import { isOutboundError } from '../../../src/supervisor/outbound/errors';

const SETTINGS: OutboundSettings = {
  group: 1, callerId: '02164000000', timeout: 40, maxRetries: 2, dial: 'national',
  retryDelay: { busy: 300, noAnswer: 900, congestion: 60, failed: 600 },
};
const pri = (span: number, state: GroupSpan['state'] = 'in-service'): GroupSpan => ({ span, state, isdn: true });

describe('Q.850 cause -> outcome', () => {
  const table: [number, string][] = [
    [17, 'busy'], [18, 'no-answer'], [19, 'no-answer'], [21, 'rejected'], [34, 'congestion'], [38, 'congestion'],
    [41, 'congestion'], [42, 'congestion'], [44, 'congestion'], [1, 'invalid-number'], [28, 'invalid-number'],
    [16, 'failed'], [27, 'failed'], [31, 'failed'], [58, 'failed'], [102, 'failed'],
  ];
  for (const [cause, outcome] of table) it(`cause ${cause} unanswered -> ${outcome}`, () => assert.equal(outcomeOf({ answered: false, cause }), outcome));

  it('answered whatever the cause; no cause -> failed; the table names only known outcomes', () => {
    assert.equal(outcomeOf({ answered: true, cause: 16 }), 'answered');
    assert.equal(outcomeOf({ answered: false, cause: null }), 'failed');
    // A ringing timeout ends with cause 0: the Dial status tells; a deciding cause wins over it.
    assert.equal(outcomeOf({ answered: false, cause: 0, dialStatus: 'NOANSWER' }), 'no-answer');
    assert.equal(outcomeOf({ answered: false, cause: 16, dialStatus: 'BUSY' }), 'busy');
    assert.equal(outcomeOf({ answered: false, cause: null, dialStatus: 'CHANUNAVAIL' }), 'congestion');
    assert.equal(outcomeOf({ answered: false, cause: 28, dialStatus: 'CONGESTION' }), 'invalid-number');
    assert.equal(outcomeOf({ answered: false, cause: 16, dialStatus: 'CANCEL' }), 'failed');
    for (const o of Object.values(CAUSE_OUTCOMES)) assert.ok(OUTCOMES.includes(o));
  });
});

describe('hunt plan', () => {
  it('one attempt per in-service PRI span in hunt order, skipping alarm and maintenance', () => {
    const spans = [pri(3), pri(1, 'alarm'), pri(2), pri(4, 'maintenance')];
    assert.deepEqual(planAttempts(1, 'ascending', spans, '013800138000'), [
      { span: 3, dial: 'DAHDI/i3-g1/013800138000' }, { span: 2, dial: 'DAHDI/i2-g1/013800138000' },
    ]);
    assert.equal(planAttempts(5, 'round-robin-descending', [pri(1)], '1')[0]?.dial, 'DAHDI/i1-R5/1');
    assert.equal(planAttempts(5, 'descending', [pri(1)], '1')[0]?.dial, 'DAHDI/i1-G5/1');
  });

  it('one group-wide attempt on R2/CAS spans (chan_dahdi cannot hold them to a span); none when all are down', () => {
    const r2 = [{ span: 1, state: 'alarm', isdn: false }, { span: 2, state: 'in-service', isdn: false }] as GroupSpan[];
    assert.deepEqual(planAttempts(1, 'round-robin', r2, '64001234'), [{ span: null, dial: 'DAHDI/r1/64001234' }]);
    assert.deepEqual(planAttempts(1, 'ascending', [pri(1, 'alarm'), pri(2, 'maintenance')], '1'), []);
  });

  const attempts = planAttempts(1, 'ascending', [pri(1), pri(2)], '64001234');
  it('congestion -> the next span now, then a retry after the congestion delay once all spans are tried', () => {
    assert.deepEqual(nextStep(attempts, { attempt: 0, retries: 0 }, 'congestion', SETTINGS),
      { kind: 'next-span', attempt: attempts[1], progress: { attempt: 1, retries: 0 } });
    assert.deepEqual(nextStep(attempts, { attempt: 1, retries: 0 }, 'congestion', SETTINGS),
      { kind: 'retry-later', delaySeconds: 60, retries: 1, outcome: 'congestion' });
  });

  it('busy and no answer stop the round and schedule a retry with their delay until maxRetries', () => {
    assert.deepEqual(nextStep(attempts, { attempt: 0, retries: 0 }, 'busy', SETTINGS), { kind: 'retry-later', delaySeconds: 300, retries: 1, outcome: 'busy' });
    assert.deepEqual(nextStep(attempts, { attempt: 0, retries: 1 }, 'no-answer', SETTINGS), { kind: 'retry-later', delaySeconds: 900, retries: 2, outcome: 'no-answer' });
    const last = nextStep(attempts, { attempt: 0, retries: 2 }, 'busy', SETTINGS);
    assert.equal(last.kind, 'give-up');
    assert.match(last.kind === 'give-up' ? last.reason : '', /busy after 3 tries; maxRetries 2 used up/);
    assert.equal(nextStep(attempts, { attempt: 0, retries: 0 }, 'failed', SETTINGS).kind, 'retry-later');
  });

  it('invalid number and rejected stop for good; answered is done', () => {
    for (const o of ['invalid-number', 'rejected'] as const) {
      const step = nextStep(attempts, { attempt: 0, retries: 0 }, o, SETTINGS);
      assert.equal(step.kind, 'give-up');
      assert.equal(step.kind === 'give-up' && step.outcome, o);
    }
    assert.deepEqual(nextStep(attempts, { attempt: 0, retries: 0 }, 'answered', SETTINGS), { kind: 'done' });
  });
});

describe('prepareCall', () => {
  const group: TrunkGroup = { number: 1, name: 'telecom', context: 'from-telecom', direction: 'both', presentation: 'allowed', hunt: 'round-robin' };
  const plan = compileNumbering({ country: '86', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: '21', nationalPatterns: ['_1[3-9]XXXXXXXXX'] });

  it('normalises, writes the carrier\'s form and plans the attempts with the group\'s settings', () => {
    const call = prepareCall('+86 21 6400 1234', group, [pri(1), pri(2, 'alarm')], plan, [{ ...SETTINGS, dial: 'local' }]);
    assert.equal(call.number.e164, '+862164001234');
    assert.equal(call.dialNumber, '64001234');
    assert.equal(call.callerId, '02164000000');
    assert.equal(call.timeoutSeconds, 40);
    assert.deepEqual(call.attempts, [{ span: 1, dial: 'DAHDI/i1-r1/64001234' }]);
  });

  it('uses defaults for a group without settings and refuses a bad number before any attempt', () => {
    assert.deepEqual(settingsFor(7, [SETTINGS]), { group: 7, callerId: null, timeout: 45, maxRetries: 2, dial: 'national', retryDelay: { busy: 300, noAnswer: 900, congestion: 60, failed: 600 } });
    assert.throws(() => prepareCall('call me', group, [pri(1)], plan, []), (e: unknown) => isOutboundError(e, 'INVALID_NUMBER') && e.input === 'call me');
  });
});
