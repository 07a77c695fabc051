// Notification calls end to end: the supervisor's OutboundCalls through the real ari-client
// against the ARI stand-in, whose far end presses digits or hangs up the way a listener does
// (scripted from the first playback it hears). A confirming digit, a wrong digit ignored then
// the right one, no digit (the prompt replayed `repeat` times), the far end hanging up
// mid-prompt, a prompt with no confirmation - each checked in the result and in the cdr table -
// and bad prompts refused naming the field, with nothing dialled. Media last 500 ms (the
// stand-in's default); waits are bounded waits on state.

import assert from 'node:assert/strict';
import type { App } from '../../src/app/app';
import { isOutboundError } from '../../src/supervisor/outbound/errors';
import { waitFor } from '../wait-for';
import { dbVariants, startTestSupervisor, type TestSupervisor } from './supervisor-harness';

interface CdrRow { uniqueid: string; disposition: string; q850_cause: number | null; userfield: string; route: string; dcontext: string; billsec: number; span: number | null }

const CONFIRM = { media: ['sound:appointment-reminder', 'digits:1'], confirm: { digits: '1', timeoutSeconds: 1, repeat: 2 } };

for (const variant of dbVariants()) {
  describe(`notification calls end to end (${variant.name})`, function () {
    this.timeout(30_000);
    let running: TestSupervisor;
    let sup: App;
    const recorded = (linkedid: string): Promise<CdrRow> =>
      waitFor(async () => ((await sup.db.knex('cdr').where({ linkedid })) as CdrRow[])[0], `the CDR of ${linkedid}`);
    const notify = (prompt: unknown): ReturnType<App['calls']['outbound']['originate']> =>
      sup.calls.outbound.originate({ group: 'carrier', number: '+4930555100', prompt, reference: 'job-42' });

    beforeEach(async () => {
      running = await startTestSupervisor(variant);
      ({ sup } = running);
    });
    afterEach(() => running.stop());

    it('the far end presses 1 after the prompt: digit in the result and the userfield; we hang up (16), ANSWERED', async () => {
      // Two media of 500 ms: the digit (100 ms long) ends 1.4 s after the prompt started, once it is over.
      sup.standin!.onDial('_X.', { kind: 'answer', afterMs: 50, press: { digits: '1', afterMs: 1300, from: 'playback' } });
      const result = await notify(CONFIRM);
      assert.equal(result.outcome, 'answered');
      assert.deepEqual(result.next, { kind: 'done' });
      const n = result.notification;
      assert.ok(n);
      assert.deepEqual([n.digit, n.played, n.plays, n.end], ['1', true, 1, 'confirmed']);
      assert.ok(n.heardSeconds >= 0 && n.heardSeconds <= 5, `heardSeconds ${n.heardSeconds}`);
      // The supervisor hung up: the channel is gone when the result comes.
      assert.equal(sup.standin!.channels().some((c) => c.id === result.answeredChannelId), false);
      const row = await recorded(result.callId);
      assert.equal(row.uniqueid, result.answeredChannelId);
      assert.deepEqual([row.disposition, row.q850_cause, row.route, row.dcontext, row.span], ['ANSWERED', 16, 'outbound:notification', '', 1]);
      assert.equal(row.userfield, 'ref job-42; attempt 1 of 2; notification digit=1 plays=1 played=yes end=confirmed');
      assert.equal(/notification digit=(\S+)/.exec(row.userfield)?.[1], '1');
    });

    it('a wrong digit is ignored, the right one then confirms', async () => {
      sup.standin!.onDial('_X.', { kind: 'answer', afterMs: 50, press: { digits: '31', afterMs: 1100, gapMs: 200, from: 'playback' } });
      const result = await notify({ ...CONFIRM, confirm: { digits: '12', timeoutSeconds: 5 } });
      assert.deepEqual([result.notification?.digit, result.notification?.end, result.notification?.plays], ['1', 'confirmed', 1]);
      const row = await recorded(result.callId);
      assert.match(row.userfield, /notification digit=1 plays=1 played=yes end=confirmed ignored=3$/);
    });

    it('no digit: the prompt is replayed `repeat` times, then we hang up with digit null', async () => {
      sup.standin!.onDial('_X.', { kind: 'answer', afterMs: 50 });
      const result = await notify({ ...CONFIRM, media: ['sound:appointment-reminder'] });
      assert.equal(result.outcome, 'answered');
      assert.deepEqual(result.notification && [result.notification.digit, result.notification.played, result.notification.plays, result.notification.end], [null, true, 3, 'no-digit']);
      const row = await recorded(result.callId);
      assert.deepEqual([row.disposition, row.q850_cause], ['ANSWERED', 16]);
      assert.match(row.userfield, /notification digit=none plays=3 played=yes end=no-digit$/);
    });

    it('the far end hangs up mid-prompt: the result says so, nothing played to its end', async () => {
      sup.standin!.onDial('_X.', { kind: 'answer', afterMs: 50, promptHangupMs: 100 });
      const result = await notify(CONFIRM);
      assert.equal(result.outcome, 'answered');
      assert.deepEqual(result.notification && [result.notification.digit, result.notification.played, result.notification.plays, result.notification.end], [null, false, 1, 'far-end-hangup']);
      const row = await recorded(result.callId);
      assert.deepEqual([row.disposition, row.q850_cause], ['ANSWERED', 16]);
      assert.match(row.userfield, /notification digit=none plays=1 played=no end=far-end-hangup$/);
    });

    it('no confirmation asked: hung up once the prompt has played; digits pressed mean nothing', async () => {
      sup.standin!.onDial('_X.', { kind: 'answer', afterMs: 50, press: { digits: '1', afterMs: 0, from: 'playback' } });
      const result = await notify({ media: ['sound:outage-notice'] });
      assert.deepEqual(result.notification && [result.notification.digit, result.notification.played, result.notification.end], [null, true, 'played']);
      assert.match((await recorded(result.callId)).userfield, /notification digit=none plays=1 played=yes end=played$/);
    });

    it('unanswered: no notification in the result; a call to a target has none either', async () => {
      sup.standin!.onDial('_X.', { kind: 'busy' });
      const busy = await notify(CONFIRM);
      assert.deepEqual([busy.outcome, busy.notification], ['busy', null]);
      sup.standin!.onDial('_X.', { kind: 'answer', afterMs: 50, talkMs: 200 });
      const targeted = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555200', target: 'sales' });
      assert.deepEqual([targeted.outcome, targeted.notification], ['answered', null]);
    });

    it('a bad prompt is refused naming the field, and nothing is dialled', async () => {
      const refused = (prompt: unknown, field: string, extra: object = {}): Promise<void> =>
        assert.rejects(sup.calls.outbound.originate({ group: 'carrier', number: '+4930555', prompt, ...extra }), (err: unknown) => isOutboundError(err, 'INVALID_REQUEST') && err.field === field);
      await refused({ media: ['sound:x'] }, 'prompt', { target: 'sales' });
      await refused({ media: ['http://example.com/x.wav'] }, 'prompt.media[0]');
      await refused({ media: ['sound:x'], confirm: { digits: '1', timeoutSeconds: 0 } }, 'prompt.confirm.timeoutSeconds');
      await refused({ media: ['sound:x'], confirm: { digits: 'yes', timeoutSeconds: 5 } }, 'prompt.confirm.digits');
      assert.equal(sup.calls.outbound.stats.requested, 0);
    });
  });
}
