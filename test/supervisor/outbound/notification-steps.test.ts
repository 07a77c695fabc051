// A notification's decisions, pure: play, wait for an allowed digit (others ignored, during the
// prompt too), replay on a timeout up to `repeat`, hang up; a failed play, the far end hanging
// up, the channel going, an ARI reconnect; and the userfield note a report reads back.

import assert from 'node:assert/strict';
import {
  NOTIFICATION_START, notificationNote, notificationStep, type NotificationAction, type NotificationInput, type NotificationProgress, type PromptPlan,
} from '../../../src/supervisor/outbound/notification-steps';

const confirm: PromptPlan = { media: ['sound:appointment', 'digits:1'], confirm: { digits: '12', timeoutSeconds: 5, repeat: 2 } };
const plain: PromptPlan = { media: ['sound:outage'], confirm: null };

/** Runs inputs from the start; the actions taken and where it ended. */
function run(plan: PromptPlan, inputs: NotificationInput[]): { actions: NotificationAction['kind'][]; progress: NotificationProgress } {
  let progress = NOTIFICATION_START;
  const actions: NotificationAction['kind'][] = [];
  for (const input of inputs) {
    const step = notificationStep(plan, progress, input);
    progress = step.progress;
    actions.push(step.action.kind);
  }
  return { actions, progress };
}

const finished = (play: number, ok = true): NotificationInput => ({ kind: 'playback-finished', play, ok });

describe('notification steps', () => {
  it('plays, waits the timeout for a digit, hangs up on an allowed one', () => {
    const first = notificationStep(confirm, NOTIFICATION_START, { kind: 'start' });
    assert.deepEqual(first.action, { kind: 'play', play: 1 });
    const waiting = notificationStep(confirm, first.progress, finished(1));
    assert.deepEqual(waiting.action, { kind: 'wait-digit', ms: 5000 });
    const done = notificationStep(confirm, waiting.progress, { kind: 'dtmf', digit: '2' });
    assert.deepEqual(done.action, { kind: 'hangup' });
    assert.deepEqual([done.progress.phase, done.progress.end, done.progress.digit, done.progress.played, done.progress.plays], ['over', 'confirmed', '2', true, 1]);
  });

  it('ignores digits not allowed, then takes the right one', () => {
    const r = run(confirm, [{ kind: 'start' }, finished(1), { kind: 'dtmf', digit: '3' }, { kind: 'dtmf', digit: '#' }, { kind: 'dtmf', digit: '1' }]);
    assert.deepEqual(r.actions, ['play', 'wait-digit', 'none', 'none', 'hangup']);
    assert.deepEqual([r.progress.digit, r.progress.ignored, r.progress.end], ['1', '3#', 'confirmed']);
  });

  it('takes an allowed digit pressed during the prompt (played stays false: the prompt did not finish)', () => {
    const r = run(confirm, [{ kind: 'start' }, { kind: 'dtmf', digit: '1' }, finished(1, false)]);
    assert.deepEqual(r.actions, ['play', 'hangup', 'none']);
    assert.deepEqual([r.progress.digit, r.progress.played, r.progress.end], ['1', false, 'confirmed']);
  });

  it('no digit: replays `repeat` times, then hangs up with no digit', () => {
    const r = run(confirm, [{ kind: 'start' }, finished(1), { kind: 'timeout' }, finished(2), { kind: 'timeout' }, finished(3), { kind: 'timeout' }]);
    assert.deepEqual(r.actions, ['play', 'wait-digit', 'play', 'wait-digit', 'play', 'wait-digit', 'hangup']);
    assert.deepEqual([r.progress.plays, r.progress.timeouts, r.progress.digit, r.progress.end, r.progress.played], [3, 3, null, 'no-digit', true]);
    const once = run({ ...confirm, confirm: { digits: '1', timeoutSeconds: 1, repeat: 0 } }, [{ kind: 'start' }, finished(1), { kind: 'timeout' }]);
    assert.deepEqual(once.actions, ['play', 'wait-digit', 'hangup']);
  });

  it('without confirm: hangs up after the prompt, digits mean nothing', () => {
    const r = run(plain, [{ kind: 'start' }, { kind: 'dtmf', digit: '1' }, finished(1)]);
    assert.deepEqual(r.actions, ['play', 'none', 'hangup']);
    assert.deepEqual([r.progress.end, r.progress.digit, r.progress.played], ['played', null, true]);
  });

  it('the far end hangs up mid-prompt: over without a hangup of ours; the failed playback after it changes nothing', () => {
    const r = run(confirm, [{ kind: 'start' }, { kind: 'far-end-hangup' }, finished(1, false), { kind: 'gone' }]);
    assert.deepEqual(r.actions, ['play', 'none', 'none', 'none']);
    assert.deepEqual([r.progress.end, r.progress.played, r.progress.digit], ['far-end-hangup', false, null]);
  });

  it('a play that fails or is refused with the far end still there: hang up, failed', () => {
    assert.deepEqual(run(confirm, [{ kind: 'start' }, finished(1, false)]).actions, ['play', 'hangup']);
    const refused = run(plain, [{ kind: 'start' }, { kind: 'play-refused' }]);
    assert.deepEqual([refused.actions, refused.progress.end], [['play', 'hangup'], 'failed']);
  });

  it('a timeout or a finished play that is not the current one is stale: nothing happens', () => {
    const r = run(confirm, [{ kind: 'start' }, { kind: 'timeout' }, finished(7)]);
    assert.deepEqual(r.actions, ['play', 'none', 'none']);
    assert.equal(r.progress.phase, 'playing');
  });

  it('the channel gone before the end: interrupted; after a reconnect the prompt plays again, or our lost hangup is sent again', () => {
    assert.equal(run(confirm, [{ kind: 'start' }, finished(1), { kind: 'gone' }]).progress.end, 'interrupted');
    const resumed = run(confirm, [{ kind: 'start' }, finished(1), { kind: 'resume' }, finished(1), finished(2)]);
    assert.deepEqual(resumed.actions, ['play', 'wait-digit', 'play', 'none', 'wait-digit']);
    assert.deepEqual(run(confirm, [{ kind: 'start' }, { kind: 'dtmf', digit: '1' }, { kind: 'resume' }]).actions, ['play', 'hangup', 'hangup']);
    assert.deepEqual(run(confirm, [{ kind: 'start' }, { kind: 'far-end-hangup' }, { kind: 'resume' }]).actions, ['play', 'none', 'none']);
  });

  it('the userfield note: key=value pairs a report can read back', () => {
    const r = run(confirm, [{ kind: 'start' }, finished(1), { kind: 'dtmf', digit: '9' }, { kind: 'dtmf', digit: '1' }]);
    assert.equal(notificationNote(r.progress), 'notification digit=1 plays=1 played=yes end=confirmed ignored=9');
    const none = run(plain, [{ kind: 'start' }, { kind: 'far-end-hangup' }]);
    assert.equal(notificationNote(none.progress), 'notification digit=none plays=1 played=no end=far-end-hangup');
  });
});
