// Call jobs end to end: the real Redis the scripts start (a prefix per test), the supervisor on
// the sim's two E1 PRI spans (60 channels, group carrier, a 20 % inbound reserve in the demo
// site) and the ARI stand-in as the far end. Each outcome's fate (done, tried again, failed for
// good), dead letters and their retry, the job id in the CDR, and the dispatcher never starting
// more calls than the group has free for outbound - also when a span goes into alarm.

import assert from 'node:assert/strict';
import type { App } from '../../src/app/app';
import type { JobView } from '../../src/jobs/call-jobs';
import { AttemptLedger, callKeyOf } from '../../src/jobs/attempt-ledger';
import { isJobError } from '../../src/jobs/job-errors';
import { startTestSupervisor, type TestSupervisor } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';
import { redisUrl, uniquePrefix } from './test-redis';

/** The columns a CDR row cannot do without, for one written by "another box". */
const CDR_DEFAULTS = { calldate: new Date(), direction: 'outbound' };

describe('call jobs on the queues, end to end', function () {
  this.timeout(60_000);
  let running: TestSupervisor;
  let sup: App;
  let prefix: string;

  beforeEach(async () => {
    prefix = uniquePrefix('calls');
    running = await startTestSupervisor({ name: 'SQLite', url: undefined }, { url: redisUrl(), prefix });
    sup = running.sup;
    await waitFor(() => sup.queues?.dispatcher.ready, 'the queues connected to Redis');
  });
  afterEach(() => running.stop());

  const queues = () => {
    assert.ok(sup.queues, 'queues are on');
    return sup.queues;
  };
  const settled = (key: string, state: string, tries = 1): Promise<JobView> =>
    waitFor(async () => (await queues().jobs.list({ limit: 1000 })).find((j) => j.key === key && j.state === state && j.triesMade >= tries), `job ${key} ${state} after ${tries} tries`);

  it('answered: the job is done with the outcome, and the CDR carries the job id', async () => {
    const { key } = await queues().jobs.add({ group: 'carrier', number: '030 1234567', target: 'sales' });
    const done = await settled(key, 'completed');
    assert.equal(done.outcome, 'answered');
    assert.equal(done.triesMade, 1);
    assert.equal(done.result?.e164, '+49301234567');
    sup.standin!.remoteHangup(done.result?.channelId as string, 16);
    const row = await waitFor(async () => (await sup.db.knex('cdr').where({ accountcode: key }))[0] as { disposition: string; userfield: string } | undefined, 'the CDR of the job');
    assert.equal(row.disposition, 'ANSWERED');
    assert.match(row.userfield, new RegExp(`ref ${key.replace('/', '\\/')}`));
  });

  it('a notification job: the prompt is played, the digit pressed is in the job\'s result', async () => {
    sup.standin!.onDial('_0304444444', { kind: 'answer', afterMs: 20, press: { digits: '1', afterMs: 600, from: 'playback' } });
    const { key } = await queues().jobs.add({ kind: 'notification', group: 'carrier', number: '030 4444444', prompt: { media: ['sound:appointment-reminder'], confirm: { digits: '12', timeoutSeconds: 5 } } });
    const done = await settled(key, 'completed');
    assert.equal(done.kind, 'notification');
    assert.equal(done.result?.notification?.digit, '1');
    await assert.rejects(queues().jobs.add({ kind: 'notification', group: 'carrier', number: '030 4444444' }), (e: unknown) => isJobError(e, 'INVALID_JOB') && e.field === 'prompt');
  });

  it('a try another box recorded and left (killed mid-call) is never dialled again: it counts as failed, the next try goes out', async () => {
    const { key } = await queues().jobs.add({ group: 'carrier', number: '030 6666666', attempts: 3, retryDelay: { failed: 0 } });
    // The box that took try 1 recorded it and died before any record of the call.
    const ledger = new AttemptLedger(queues().dispatcher.options.connection, prefix, 'box-killed', Date.now);
    assert.equal(await ledger.claim(callKeyOf(prefix, key, 0, 1)), null);
    const done = await settled(key, 'completed', 2);
    assert.equal(done.triesMade, 2);
    const rows = await waitFor(async () => {
      sup.standin!.channels().filter((c) => c.state === 'Up').forEach((c) => sup.standin!.remoteHangup(c.id, 16));
      const r = (await sup.db.knex('cdr').where({ accountcode: key })) as { linkedid: string }[];
      return r.length > 0 ? r : undefined;
    }, 'the CDR of try 2');
    assert.deepEqual(rows.map((r) => r.linkedid), [`tdmgate-o-${callKeyOf(prefix, key, 0, 2)}`], 'only try 2 was dialled');
  });

  it('a taken-over try whose CDR is in the store takes its outcome from the record', async () => {
    const { key } = await queues().jobs.add({ group: 'carrier', number: '030 6666667', attempts: 1 });
    const callId = `tdmgate-o-${callKeyOf(prefix, key, 0, 1)}`;
    await new AttemptLedger(queues().dispatcher.options.connection, prefix, 'box-killed', Date.now).claim(callKeyOf(prefix, key, 0, 1));
    await sup.db.knex('cdr').insert({ ...CDR_DEFAULTS, uniqueid: `${callId}-1`, linkedid: callId, disposition: 'BUSY', q850_cause: 17, accountcode: key });
    const dead = await settled(key, 'failed');
    assert.match(dead.reason ?? '', /busy \(cause 17\)/);
    assert.equal(((await sup.db.knex('cdr').where({ accountcode: key })) as unknown[]).length, 1, 'not dialled');
  });

  it('busy: tried again after the delay until the tries are used, then a dead letter that can be sent back', async () => {
    sup.standin!.onDial('_0301111111', { kind: 'busy' });
    const { key } = await queues().jobs.add({ group: 'carrier', number: '030 1111111', attempts: 2, retryDelay: { busy: 0 } });
    const dead = await settled(key, 'failed', 2);
    assert.equal(dead.triesMade, 2, JSON.stringify(dead));
    assert.match(dead.reason ?? '', /busy \(cause 17\)/);
    assert.deepEqual((await queues().jobs.deadLetters()).map((j) => j.key), [key]);
    sup.standin!.onDial('_0301111111', { kind: 'answer', afterMs: 10 });
    await queues().jobs.retry(key);
    const again = await settled(key, 'completed');
    assert.equal(again.outcome, 'answered', JSON.stringify(again));
    assert.deepEqual(await queues().jobs.deadLetters(), []);
  });

  it('an unallocated number fails at once and is never tried again; a bad job is refused at the door', async () => {
    sup.standin!.onDial('_0302222222', { kind: 'invalid', cause: 1 });
    const { key } = await queues().jobs.add({ group: 'carrier', number: '030 2222222', attempts: 5, retryDelay: { failed: 0 } });
    const dead = await settled(key, 'failed');
    assert.equal(dead.triesMade, 1);
    assert.match(dead.reason ?? '', /invalid-number \(cause 1\): not tried again/);
    await assert.rejects(queues().jobs.add({ group: 'nope', number: '030 1' }), (e: unknown) => isJobError(e, 'INVALID_JOB') && e.field === 'group');
    await assert.rejects(queues().jobs.add({ group: 'carrier', number: 'x1' }), (e: unknown) => isJobError(e, 'INVALID_JOB') && e.field === 'number');
    await assert.rejects(queues().jobs.add({ group: 'carrier', number: '0301', attempts: 0 }), (e: unknown) => isJobError(e, 'INVALID_JOB') && e.field === 'attempts');
    await assert.rejects(queues().jobs.retry('calls-carrier/999999'), (e: unknown) => isJobError(e, 'NOT_FOUND'));
  });

  it('congestion: the other span at once, then another try after the congestion delay', async () => {
    sup.standin!.onDial('_0303333333', { kind: 'congestion' });
    const { key } = await queues().jobs.add({ group: 'carrier', number: '030 3333333', attempts: 2, retryDelay: { congestion: 0 } });
    const dead = await settled(key, 'failed', 2);
    assert.equal(dead.triesMade, 2);
    const rows = (await waitFor(async () => {
      const r = (await sup.db.knex('cdr').where({ accountcode: key })) as { span: number }[];
      return r.length >= 4 ? r : undefined;
    }, 'four attempt CDRs')).map((r) => r.span);
    // Two tries, each on span 1 then span 2.
    assert.deepEqual(rows.sort(), [1, 1, 2, 2]);
  });

  it('never more calls than the channels free for outbound; a span alarm shrinks the slots at once', async () => {
    sup.standin!.setDefaultOutcome({ kind: 'answer', afterMs: 20 });
    const outCalls = (span?: number) => sup.trunkMap.snapshot().channels.filter((c) => c.direction === 'out' && c.state === 'in-call' && (span === undefined || c.span === span));
    for (let i = 0; i < 70; i++) await queues().jobs.add({ group: 'carrier', number: `030 5${String(i).padStart(6, '0')}` });
    // 60 channels less a 20 % reserve: 48 calls, and no more however long we look.
    await waitFor(() => outCalls().length === 48, '48 outbound calls up');
    const started = queues().dispatcher.stats.started;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(queues().dispatcher.stats.started, started);
    assert.equal(outCalls().length, 48);
    assert.equal(sup.calls.outbound.stats.outcomes.congestion, 0, 'no originate refused for lack of a channel');
    // Span 2 (18 of our calls) goes into alarm: its calls drop, span 1 is full: nothing starts.
    running.sim.raiseFault(2, 'LOS');
    const span2 = () => sup.trunkMap.snapshot().spans.find((x) => x.span === 2);
    await waitFor(() => outCalls(2).length === 0 && span2()?.condition !== 'in-service' && sup.calls.outbound.unplacedAttempts('carrier') === 0, 'span 2 out of service, its calls gone');
    const afterAlarm = queues().dispatcher.stats.started;
    // Ten calls on span 1 end: 10 free, of 30 usable 6 kept for inbound -> exactly 4 start.
    for (const c of outCalls(1).slice(0, 10)) sup.standin!.remoteHangup(c.callRef as string, 16);
    await waitFor(() => queues().dispatcher.stats.started === afterAlarm + 4 && outCalls(1).length === 24, 'four new calls on span 1').catch((err: Error) => {
      throw new Error(`${err.message}: started ${queues().dispatcher.stats.started - afterAlarm}, on span 1 ${outCalls(1).length}, stats ${JSON.stringify(queues().dispatcher.stats)}, capacity ${JSON.stringify(sup.trunkMap.groupCapacity('carrier'))}, unplaced ${sup.calls.outbound.unplacedAttempts('carrier')}`);
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(queues().dispatcher.stats.started, afterAlarm + 4);
    // (Between the far end clearing span 2's calls and the span watch seeing its alarm, a channel
    // can look free for one poll interval: an attempt started then meets congestion and is tried
    // again later - as on a real box, where chan_dahdi clears the calls before our watch looks.)
  });
});
