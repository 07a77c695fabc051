// The fate of a call job's try for every outcome and every Q.850 cause the outbound side knows:
// done, tried again after that outcome's delay (the job's own, else the group's), or failed for
// good; and the errors that keep a call from being placed.

import assert from 'node:assert/strict';
import { fateOfError, fateOfOutcome, REQUEUE_DELAY_MS } from '../../src/jobs/call-fate';
import { DEFAULT_RETRY_DELAYS } from '../../src/provisioning/site/read-outbound';
import { AriNotReadyError } from '../../src/supervisor/ari/ari-errors';
import { OutboundError } from '../../src/supervisor/outbound/errors';
import { CAUSE_OUTCOMES, OUTCOMES, outcomeOf } from '../../src/supervisor/outbound/outcomes';

const GROUP = { busy: 300, noAnswer: 900, congestion: 60, failed: 600 };

describe('call job fate per outcome and cause', () => {
  it('every outcome: answered done; busy, no answer, congestion, failed retried after their delay; rejected and invalid never', () => {
    const expected: Record<string, { kind: string; delayMs?: number }> = {
      answered: { kind: 'completed' },
      busy: { kind: 'retry', delayMs: 300_000 },
      'no-answer': { kind: 'retry', delayMs: 900_000 },
      congestion: { kind: 'retry', delayMs: 60_000 },
      failed: { kind: 'retry', delayMs: 600_000 },
      rejected: { kind: 'failed' },
      'invalid-number': { kind: 'failed' },
    };
    assert.deepEqual(Object.keys(expected).sort(), [...OUTCOMES].sort(), 'the table covers every outcome');
    for (const outcome of OUTCOMES) {
      const fate = fateOfOutcome(outcome, null, GROUP, {});
      assert.equal(fate.kind, expected[outcome]?.kind, outcome);
      if (fate.kind === 'retry') assert.equal(fate.delayMs, expected[outcome]?.delayMs, outcome);
    }
  });

  it('every Q.850 cause the outbound side names, through its outcome, to the job', () => {
    for (const [cause, outcome] of Object.entries(CAUSE_OUTCOMES)) {
      const fate = fateOfOutcome(outcomeOf({ answered: false, cause: Number(cause) }), Number(cause), GROUP, {});
      const never = outcome === 'rejected' || outcome === 'invalid-number';
      assert.equal(fate.kind, never ? 'failed' : 'retry', `cause ${cause} (${outcome})`);
      assert.match('reason' in fate ? fate.reason : '', new RegExp(`cause ${cause}`));
    }
    // A cause nobody names is a plain failure: tried again after the failed delay.
    assert.deepEqual(fateOfOutcome(outcomeOf({ answered: false, cause: 111 }), 111, GROUP, {}), { kind: 'retry', delayMs: 600_000, reason: 'failed (cause 111)', outcome: 'failed' });
  });

  it('the job\'s own delays win over the group\'s; the defaults stand when the site says nothing', () => {
    assert.equal((fateOfOutcome('busy', 17, GROUP, { busy: 5 }) as { delayMs: number }).delayMs, 5_000);
    assert.equal((fateOfOutcome('no-answer', 19, DEFAULT_RETRY_DELAYS, {}) as { delayMs: number }).delayMs, DEFAULT_RETRY_DELAYS.noAnswer * 1000);
  });

  it('a request that can never be dialled fails; Asterisk away puts the job back without a try', () => {
    assert.equal(fateOfError(new OutboundError('INVALID_NUMBER', 'x1', 'is not a number'), GROUP, {}).kind, 'failed');
    assert.deepEqual(fateOfError(new AriNotReadyError('ARI is connecting', { operation: 'outbound.originate' }), GROUP, {}), { kind: 'requeue', delayMs: REQUEUE_DELAY_MS, reason: 'outbound.originate: ARI is connecting' });
    assert.equal(fateOfError(new Error('boom'), GROUP, { failed: 1 }).kind, 'retry');
  });
});
