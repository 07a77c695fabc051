// Outbound calls end to end: the supervisor's OutboundCalls on the sim's two E1 PRI spans through
// the ARI stand-in, SQLite (and MariaDB when TDMGATE_TEST_MYSQL_URL is set). Answered into a
// routing target with TDMGATE_* set, busy, no answer, congestion on one span then success on the
// other, no channel free (500 "Allocation failed"), spans in alarm skipped, an alarm mid-call,
// and bad requests refused naming the field - each outcome checked in the result and in the cdr
// table, with bounded waits on state (no sleeps).

import assert from 'node:assert/strict';
import type { SimBackend } from '../../src/hardware/sim';
import { isOutboundError } from '../../src/supervisor/outbound/errors';
import type { App } from '../../src/app/app';
import { waitFor } from '../wait-for';
import { dbVariants, startTestSupervisor, type TestSupervisor } from './supervisor-harness';

interface CdrRow {
  uniqueid: string; linkedid: string; disposition: string; q850_cause: number | null; span: number | null; timeslot: number | null;
  trunk_group: string; direction: string; dst: string; src: string; lastapp: string; lastdata: string; dcontext: string; userfield: string;
  accountcode: string; route: string; billsec: number; channel: string; amaflags: number;
}

for (const variant of dbVariants()) {
  describe(`outbound calls end to end (${variant.name})`, function () {
    this.timeout(30_000);
    let running: TestSupervisor;
    let sim: SimBackend;
    let sup: App;
    const rowsOf = async (linkedid: string): Promise<CdrRow[]> => (await sup.db.knex('cdr').where({ linkedid }).orderBy('uniqueid')) as CdrRow[];
    const recorded = (linkedid: string, n: number): Promise<CdrRow[]> =>
      waitFor(async () => {
        const rows = await rowsOf(linkedid);
        return rows.length >= n ? rows : undefined;
      }, `${n} CDR(s) of ${linkedid}`);

    beforeEach(async () => {
      running = await startTestSupervisor(variant);
      ({ sup, sim } = running);
    });
    afterEach(() => running.stop());

    it('answered: sent to its routing target with TDMGATE_* set; one CDR when it ends', async () => {
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '030 1234-5678', target: 'sales', accountcode: 'camp-7', reference: 'job-1', variables: { CAMPAIGN: 'winter' } });
      assert.equal(result.outcome, 'answered');
      assert.equal(result.e164, '+493012345678');
      assert.equal(result.dialNumber, '03012345678');
      assert.deepEqual(result.next, { kind: 'done' });
      assert.equal(result.attempts.length, 1);
      assert.equal(result.attempts[0]?.dial, 'DAHDI/i1-g1/03012345678');
      const id = result.answeredChannelId as string;
      await waitFor(() => sup.standin!.channels().find((c) => c.id === id && c.dialplan.context === 'cc-sales'), 'continue into cc-sales');
      assert.equal(await sup.ari.getVariable(id, 'TDMGATE_SPAN'), '1');
      assert.match(await sup.ari.getVariable(id, 'TDMGATE_TIMESLOT'), /^\d+$/);
      assert.equal(await sup.ari.getVariable(id, 'TDMGATE_CALL'), result.callId);
      assert.equal(await sup.ari.getVariable(id, 'CAMPAIGN'), 'winter');
      const inMap = sup.trunkMap.snapshot().channels.filter((c) => c.callRef === id);
      assert.deepEqual(inMap.map((c) => [c.span, c.state, c.direction]), [[1, 'in-call', 'out']]);
      sup.standin!.remoteHangup(id, 16);
      const [row] = await recorded(result.callId, 1);
      assert.ok(row);
      assert.equal(row.uniqueid, id);
      assert.equal(row.direction, 'outbound');
      assert.equal(row.disposition, 'ANSWERED');
      assert.equal(row.dst, '03012345678');
      assert.equal(row.lastapp, 'Dial');
      assert.equal(row.lastdata, 'DAHDI/i1-g1/03012345678,45');
      assert.equal(row.dcontext, 'cc-sales');
      assert.equal(row.route, 'outbound:sales');
      assert.equal(row.accountcode, 'camp-7');
      assert.match(row.userfield, /ref job-1/);
      assert.equal(row.span, 1);
      assert.equal(row.trunk_group, 'carrier');
      await waitFor(() => sup.trunkMap.snapshot().channels.every((c) => c.callRef !== id), 'trunk channel released');
    });

    it('busy: cause 17, retried later with the busy delay; a BUSY CDR', async () => {
      sup.standin!.onDial('_X.', { kind: 'busy' });
      const result = await sup.calls.outbound.originate({ group: 1, number: '+4930555111' });
      assert.equal(result.outcome, 'busy');
      assert.equal(result.cause, 17);
      assert.deepEqual(result.next, { kind: 'retry-later', delaySeconds: 300, retriesUsed: 1 });
      const stats = sup.calls.outbound.stats;
      assert.deepEqual([stats.requested, stats.attempts, stats.outcomes.busy], [1, 1, 1]);
      const [row] = await recorded(result.callId, 1);
      assert.equal(row?.disposition, 'BUSY');
      assert.equal(row?.q850_cause, 17);
    });

    it('busy within 100 ms: the record still names the span and B-channel Asterisk seized, no "not placed" warning', async () => {
      sup.standin!.onDial('_X.', { kind: 'busy', afterMs: 100 }); // as fast as a real PRI refusal
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555444' });
      assert.equal(result.outcome, 'busy');
      const [row] = await recorded(result.callId, 1);
      assert.equal(row?.span, 1);
      assert.ok(row?.timeslot !== null && row?.timeslot !== undefined && row.timeslot >= 1 && row.timeslot <= 31, `timeslot ${String(row?.timeslot)}`);
      assert.match(row?.channel ?? '', /^DAHDI\/i1\//);
    });

    it('no answer: the ringing timeout ends it (cause 19 after RINGING, no Dial NOANSWER, as Asterisk does); the last retry gives up', async () => {
      sup.standin!.onDial('_X.', { kind: 'noanswer' });
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555222', timeoutSeconds: 5, retriesUsed: 2 });
      assert.equal(result.outcome, 'no-answer');
      assert.deepEqual([result.attempts[0]?.dialStatus, result.attempts[0]?.cause], ['RINGING', 19]);
      assert.equal(result.next.kind, 'give-up');
      const [row] = await recorded(result.callId, 1);
      assert.deepEqual([row?.disposition, row?.q850_cause], ['NO ANSWER', 19]);
    });

    it('congestion on span 1, then answered on span 2: two CDRs with one linkedid', async () => {
      sup.standin!.onDial('_X.', { kind: 'congestion', cause: 42 }, { span: 1 });
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555333' });
      assert.deepEqual(result.attempts.map((a) => [a.span, a.outcome, a.cause]), [[1, 'congestion', 42], [2, 'answered', null]]);
      assert.equal(result.outcome, 'answered');
      sup.standin!.remoteHangup(result.answeredChannelId as string);
      const rows = await recorded(result.callId, 2);
      assert.deepEqual(rows.map((r) => [r.span, r.disposition, r.q850_cause]), [[1, 'CONGESTION', 42], [2, 'ANSWERED', 16]]);
    });

    it('span 1 full: straight to span 2; both full: 500 Allocation failed on each, congestion', async () => {
      const inbound = Array.from({ length: 30 }, (_, i) => sup.standin!.placeInboundCall({ span: 1, did: '100', callerId: `0691000${i}` }));
      const inCall = (span: number) => sup.trunkMap.snapshot().spans.find((s) => s.span === span)?.counts['in-call'];
      await waitFor(() => inCall(1) === 30, 'span 1 full');
      // The map knows span 1 is full: no originate is wasted on it.
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555444' });
      assert.deepEqual(result.attempts.map((a) => [a.span, a.outcome, a.cause, a.channelId]), [[2, 'answered', null, result.answeredChannelId]]);
      sup.standin!.remoteHangup(result.answeredChannelId as string);
      const rows = await recorded(result.callId, 1);
      assert.deepEqual(rows.map((r) => r.span), [2]);
      // Both full: each span is still tried (a channel may free meanwhile); chan_dahdi refuses both.
      const more = Array.from({ length: 30 }, (_, i) => sup.standin!.placeInboundCall({ span: 2, did: '100', callerId: `0692000${i}` }));
      await waitFor(() => inCall(2) === 30, 'span 2 full');
      const none = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555445' });
      assert.deepEqual(none.attempts.map((a) => [a.span, a.outcome, a.cause, a.channelId]), [[1, 'congestion', 34, null], [2, 'congestion', 34, null]]);
      for (const ch of [...inbound, ...more]) sup.standin!.remoteHangup(ch.id);
      // The refused attempts made no channel, so - as in Asterisk - they have no CDR.
      await waitFor(() => inCall(1) === 0 && inCall(2) === 0, 'spans free again');
      assert.deepEqual(await rowsOf(none.callId), []);
    });

    it('spans in alarm get no attempt; all in alarm: congestion, retried after the congestion delay', async () => {
      sim.raiseFault(1, 'LOS');
      await waitFor(() => sup.trunkMap.snapshot().spans.find((s) => s.span === 1)?.condition === 'alarm', 'span 1 in alarm');
      const one = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555555' });
      assert.deepEqual(one.attempts.map((a) => a.dial), ['DAHDI/i2-g1/030555555']);
      sup.standin!.remoteHangup(one.answeredChannelId as string);
      sim.raiseFault(2, 'LOS');
      await waitFor(() => sup.trunkMap.snapshot().spans.find((s) => s.span === 2)?.condition === 'alarm', 'span 2 in alarm');
      const none = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555666' });
      assert.equal(none.outcome, 'congestion');
      assert.deepEqual(none.attempts, []);
      assert.deepEqual(none.next, { kind: 'retry-later', delaySeconds: 60, retriesUsed: 1 });
    });

    it('a span alarm mid-call: the CDR carries cause 38 and the alarm', async () => {
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555777' });
      const id = result.answeredChannelId as string;
      await waitFor(() => sup.trunkMap.snapshot().channels.find((c) => c.callRef === id), 'claimed');
      sim.raiseFault(1, 'LOS');
      const [row] = await recorded(result.callId, 1);
      assert.equal(row?.q850_cause, 38);
      assert.equal(row?.disposition, 'ANSWERED');
      assert.match(row?.userfield ?? '', /span alarm/);
    });

    it('ARI socket lost mid-call: the end missed is closed by reconciliation, one CDR', async () => {
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555999', target: 'support' });
      const id = result.answeredChannelId as string;
      await waitFor(() => sup.standin!.channels().find((c) => c.id === id && c.dialplan.context === 'cc-support'), 'sent on');
      const reconnect = async (whileAway = (): void => undefined): Promise<void> => {
        const before = sup.ari.stats().connections;
        const runs = sup.calls.reconciler.runs;
        sup.standin!.dropSocket();
        whileAway();
        await waitFor(() => sup.ari.stats().connections > before && sup.calls.reconciler.runs > runs, 'reconnected and reconciled');
      };
      await reconnect(); // the call is still up: reconciliation keeps it as ours, outbound
      assert.equal(sup.calls.outbound.active, 1);
      assert.equal(sup.calls.inbound.active, 0);
      await reconnect(() => sup.standin!.remoteHangup(id)); // its ChannelDestroyed is lost with the socket
      const [row] = await recorded(result.callId, 1);
      assert.equal(row?.disposition, 'ANSWERED');
      assert.match(row?.userfield ?? '', /closed by reconciliation/);
      await sup.calls.settled();
      assert.equal((await rowsOf(result.callId)).length, 1);
      assert.equal(sup.calls.inbound.stats.adopted, 0, 'not mistaken for an inbound call');
    });

    it('an outbound channel of an earlier run answering in Stasis: hung up (nobody to send it on), recorded', async () => {
      // As a supervisor killed mid-dial would have left it: our id prefix, our app, no request here.
      const id = 'tdmgate-o-0123456789ab-1';
      await sup.ari.originate({ endpoint: 'DAHDI/i1-g1/030555000', app: 'tdmgate', appArgs: 'outbound,tdmgate-o-0123456789ab', channelId: id, timeout: 30 });
      const [row] = await recorded('tdmgate-o-0123456789ab', 1);
      assert.equal(row?.uniqueid, id);
      assert.equal(row?.direction, 'outbound');
      assert.match(row?.userfield ?? '', /adopted/);
      assert.equal(sup.standin!.channels().find((c) => c.id === id), undefined, 'hung up');
      assert.equal(sup.calls.inbound.stats.offered, 0, 'not taken for an inbound call');
    });

    it('an originate ARI never answers (REST stalled): failed, and the channel it made after all is hung up and recorded', async () => {
      sup.standin!.stallRest(1000);
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555123' });
      assert.equal(result.outcome, 'failed');
      assert.equal(result.next.kind, 'retry-later');
      // Once the stall ends Asterisk makes the channel and the far end answers: nobody wants it now.
      const [row] = await recorded(result.callId, 1);
      assert.match(row?.userfield ?? '', /originate request unanswered; answered after its request was given up/);
      assert.equal(sup.standin!.channels().find((c) => c.id === row?.uniqueid), undefined, 'hung up');
      assert.equal(sup.calls.inbound.stats.offered, 0);
    });

    it('the far end says invalid number: given up, never retried', async () => {
      sup.standin!.onDial('_X.', { kind: 'invalid', cause: 28 });
      const result = await sup.calls.outbound.originate({ group: 'carrier', number: '+4930555888' });
      assert.equal(result.outcome, 'invalid-number');
      assert.equal(result.next.kind, 'give-up');
      assert.match(result.next.kind === 'give-up' ? result.next.reason : '', /never retried/);
    });

    it('bad requests are refused naming the field, and nothing is dialled', async () => {
      const refused = (req: unknown, code: string, field: RegExp): Promise<void> =>
        assert.rejects(sup.calls.outbound.originate(req), (err: unknown) => isOutboundError(err) && err.code === code && field.test(err.message));
      await refused({ group: 'carrier', number: '0301234abc' }, 'INVALID_NUMBER', /"a"/);
      await refused({ group: 'carrier', number: '+49301234567890123' }, 'INVALID_NUMBER', /E\.164 allows 15/);
      await refused({ group: 'nope', number: '+4930555' }, 'UNKNOWN_GROUP', /group: "nope" .*carrier \(1\)/);
      await refused({ group: 'carrier', number: '+4930555', target: 'nowhere' }, 'UNKNOWN_TARGET', /target: "nowhere" .*sales/);
      await refused({ group: 'carrier', number: '+4930555', timeoutSeconds: 1 }, 'INVALID_REQUEST', /timeoutSeconds: 1 is not a whole number from 5 to 300/);
      await refused({ group: 'carrier', number: '+4930555', callerId: 'ACME' }, 'INVALID_REQUEST', /callerId/);
      await refused({ group: 'carrier', number: '+4930555', variables: { TDMGATE_SPAN: '9' } }, 'INVALID_REQUEST', /reserved/);
      await refused({ group: 'carrier', number: '+4930555', colour: 'red' }, 'INVALID_REQUEST', /colour: "red" is not a request field/);
      assert.equal(sup.calls.outbound.stats.attempts, 0);
    });
  });
}
