// Outbound: the cause -> outcome table, the step after each outcome, and prepareCall tying
// numbering, settings and the TrunkMap's attempts together.

import assert from 'node:assert/strict';
import type { OutboundSettings } from '../../../src/provisioning/site/routing-types';
import type { TrunkGroup } from '../../../src/provisioning/site/site-types';
import { compileNumbering } from '../../../src/supervisor/numbering/numbering';
import { nextStep } from '../../../src/supervisor/outbound/next-step';
import type { DialAttempt } from '../../../src/supervisor/trunk-map';
import { CAUSE_OUTCOMES, OUTCOMES, outcomeOf } from '../../../src/supervisor/outbound/outcomes';
import { prepareCall, settingsFor } from '../../../src/supervisor/outbound/prepare-call';
import { isOutboundError } from '../../../src/supervisor/outbound/errors';

const SETTINGS: OutboundSettings = {
  group: 1, callerId: '02164000000', timeout: 40, maxRetries: 2, dial: 'national',
  retryDelay: { busy: 300, noAnswer: 900, congestion: 60, failed: 600 }, inboundReserve: { kind: 'channels', count: 0 }, attemptsPerSecond: null, attemptsPerSecondPerSpan: null,
};

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

describe('next step', () => {
  const attempts: DialAttempt[] = [{ span: 1, dial: 'DAHDI/i1-g1/64001234' }, { span: 2, dial: 'DAHDI/i2-g1/64001234' }];
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
    const call = prepareCall('+86 21 6400 1234', group, plan, [{ ...SETTINGS, dial: 'local' }], (dial) => [{ span: 1, dial: `DAHDI/i1-r1/${dial}` }]);
    assert.equal(call.number.e164, '+862164001234');
    assert.equal(call.dialNumber, '64001234');
    assert.equal(call.callerId, '02164000000');
    assert.equal(call.timeoutSeconds, 40);
    assert.deepEqual(call.attempts, [{ span: 1, dial: 'DAHDI/i1-r1/64001234' }]);
  });

  it('uses defaults for a group without settings and refuses a bad number before any attempt', () => {
    assert.deepEqual(settingsFor(7, [SETTINGS]), { group: 7, callerId: null, timeout: 45, maxRetries: 2, dial: 'national', retryDelay: { busy: 300, noAnswer: 900, congestion: 60, failed: 600 }, inboundReserve: { kind: 'channels', count: 0 }, attemptsPerSecond: null, attemptsPerSecondPerSpan: null });
    const planned: string[] = [];
    const plan1 = (dial: string): DialAttempt[] => (planned.push(dial), []);
    assert.throws(() => prepareCall('call me', group, plan, [], plan1), (e: unknown) => isOutboundError(e, 'INVALID_NUMBER') && e.input === 'call me' && /^"call me" has "c"/.test(e.message));
    assert.throws(() => prepareCall('64001234', group, null, [], plan1), (e: unknown) => isOutboundError(e, 'NO_NUMBERING'));
    assert.deepEqual(planned, []);
  });
});
