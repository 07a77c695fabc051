// Outbound calls through the real ari-client: originate answers at once in state Down; answered
// calls reach StasisStart after Dial ANSWER; busy, no answer, invalid number give only Dial
// events (a far-end clearing its ChannelHangupRequest first) and ChannelDestroyed with the
// cause; the originate timeout ends the call with cause 19 and no Dial status; a DELETE while
// ringing gives the Dial status of its reason; no free timeslot fails the originate (500).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { channelOf, connectClient, startRig, stopRig, trail, waitEvent, type Rig } from './helpers';
import type { AriClient } from './ari-client-types';

describe('ARI stand-in: originate', () => {
  let rig: Rig;
  let client: AriClient;
  beforeEach(async () => {
    rig = await startRig({ dial: { default: { kind: 'answer', afterMs: 30 } } });
    client = await connectClient(rig);
  });
  afterEach(async () => stopRig(rig));

  const originate = (number: string, extra: Record<string, unknown> = {}): Promise<{ id: string; name: string; state: string }> =>
    client.channels.originate({ endpoint: `DAHDI/g1/${number}`, app: 'tdmgate', appArgs: 'out,camp1', callerId: '"ACME" <5550000>', timeout: 5, channelId: randomUUID(), variables: { 'CDR(accountcode)': 'camp1' }, ...extra });

  it('answers in state Down, then Dialing, RINGING, Up, ANSWER and StasisStart with the args', async () => {
    const ch = await originate('5551234');
    assert.equal(ch.state, 'Down');
    assert.equal(ch.name, 'DAHDI/i1/5551234-1');
    const start = await waitEvent(rig, 'StasisStart');
    assert.deepEqual(start.args, ['out', 'camp1']);
    assert.deepEqual(trail(rig, ch.id), ['State:Dialing', 'Dial:', 'Dial:PROCEEDING', 'State:Ringing', 'Dial:RINGING', 'State:Up', 'Dial:ANSWER', 'StasisStart']);
    const dial = rig.events.find((e) => e.type === 'Dial');
    assert.equal(dial?.dialstring, 'g1/5551234');
    const got = await client.channels.get({ channelId: ch.id });
    assert.deepEqual(got.caller, { name: 'ACME', number: '5550000' });
    assert.equal((got as unknown as { accountcode: string }).accountcode, 'camp1');
    // Group 1 ascending: the lowest channel of span 1.
    assert.equal((await client.channels.getChannelVar({ channelId: ch.id, variable: 'CHANNEL(dahdi_channel)' })).value, '1');
  });

  it('busy: the far end\'s hangup request (17, not soft), then Dial BUSY and ChannelDestroyed 17, no StasisStart; the timeslot is freed', async () => {
    rig.standin.onDial('5550017', { kind: 'busy', afterMs: 10 });
    const ch = await originate('5550017');
    const destroyed = await waitEvent(rig, 'ChannelDestroyed');
    assert.equal(destroyed.cause, 17);
    assert.deepEqual(trail(rig, ch.id), ['State:Dialing', 'Dial:', 'Dial:PROCEEDING', 'ChannelHangupRequest', 'Dial:BUSY', 'ChannelDestroyed']);
    const request = rig.events.find((e) => e.type === 'ChannelHangupRequest');
    assert.equal(request?.cause, 17);
    assert.ok(!('soft' in (request ?? {})), 'a far-end clearing is not a soft hangup');
    assert.equal((await rig.sim.channels(1)).filter((c) => c.inUse).length, 0);
  });

  it('no answer: rings until the originate timeout, then ChannelDestroyed 19 with no Dial status after RINGING', async () => {
    rig.standin.onDial('_555001X', { kind: 'noanswer', ringMs: 5 });
    const ch = await originate('5550019', { timeout: 1 });
    const destroyed = await waitEvent(rig, 'ChannelDestroyed', () => true, 3000);
    assert.deepEqual(trail(rig, ch.id).slice(-3), ['State:Ringing', 'Dial:RINGING', 'ChannelDestroyed']);
    assert.deepEqual([destroyed.cause, destroyed.cause_txt], [19, 'User alerting, no answer']);
    assert.ok(!rig.events.some((e) => e.type === 'StasisStart' || (e.type === 'Dial' && e.dialstatus === 'NOANSWER')));
  });

  it('invalid number: cause 28; congestion from the network: cause 34', async () => {
    rig.standin.onDial('000', { kind: 'invalid' });
    rig.standin.onDial(/^0034/, { kind: 'congestion' });
    const bad = await originate('000');
    const cong = await originate('0034111');
    const d1 = await waitEvent(rig, 'ChannelDestroyed', (e) => channelOf(e).id === bad.id);
    const d2 = await waitEvent(rig, 'ChannelDestroyed', (e) => channelOf(e).id === cong.id);
    assert.deepEqual([d1.cause, d1.cause_txt], [28, 'Invalid number format']);
    assert.deepEqual([d2.cause, d2.cause_txt], [34, 'Circuit/channel congestion']);
    assert.ok(trail(rig, cong.id).includes('Dial:CONGESTION'));
  });

  it('far-end causes before answer follow the signalling: PRI 21 CONGESTION; analog 21 NOANSWER and 20 CHANUNAVAIL "Subscriber absent"', async () => {
    rig.standin.onDial('21', { kind: 'reject', cause: 21, afterMs: 10 });
    rig.standin.onDial('20', { kind: 'reject', cause: 20, afterMs: 10 });
    const status = async (endpoint: string): Promise<[unknown, unknown, unknown]> => {
      const ch = await client.channels.originate({ endpoint, app: 'tdmgate' });
      const destroyed = await waitEvent(rig, 'ChannelDestroyed', (e) => channelOf(e).id === ch.id);
      const dial = rig.events.filter((e) => e.type === 'Dial' && channelOf(e).id === ch.id).pop();
      return [dial?.dialstatus, destroyed.cause, destroyed.cause_txt];
    };
    assert.deepEqual(await status('DAHDI/g1/21'), ['CONGESTION', 21, 'Call Rejected']);
    // Channel 63 is an FXO port (analog signalling): the generic mapping.
    assert.deepEqual(await status('DAHDI/63/21'), ['NOANSWER', 21, 'Call Rejected']);
    assert.deepEqual(await status('DAHDI/63/20'), ['CHANUNAVAIL', 20, 'Subscriber absent']);
  });

  it('all timeslots busy: originate fails with 500 "Allocation failed" as chan_dahdi refuses the request', async () => {
    rig.standin.setDefaultOutcome({ kind: 'noanswer' });
    // Group 1 = spans 1 and 2: 60 B-channels.
    for (let i = 0; i < 60; i++) await originate(`555${String(i).padStart(4, '0')}`, { timeout: -1 });
    assert.equal((await rig.sim.channels(1)).filter((c) => c.inUse).length, 30);
    assert.equal((await rig.sim.channels(2)).filter((c) => c.inUse).length, 30);
    // res_ari's allocation-failure body is {"error": ...}, not {"message": ...}; the client rejects with the body text.
    await assert.rejects(originate('5559999'), (err: Error) => err.message === '{"error":"Allocation failed"}');
    await assert.rejects(client.channels.originate({ endpoint: 'SIP/x', app: 'tdmgate' }), /Allocation failed/);
    await assert.rejects(client.channels.originate({ endpoint: 'nonsense', app: 'tdmgate' }), /Invalid endpoint/);
  });

  it('hangup while ringing: ChannelHangupRequest 32 soft, the Dial status of the reason (never CANCEL), ChannelDestroyed with its cause', async () => {
    rig.standin.setDefaultOutcome({ kind: 'noanswer' });
    const cases: [string, string, number][] = [['busy', 'BUSY', 17], ['congestion', 'CONGESTION', 34], ['normal', 'NOANSWER', 16], ['no_answer', 'NOANSWER', 19]];
    for (const [reason, status, cause] of cases) {
      const ch = await originate('5551111');
      await waitEvent(rig, 'Dial', (e) => e.dialstatus === 'RINGING' && channelOf(e).id === ch.id);
      await client.channels.hangup({ channelId: ch.id, reason });
      const destroyed = await waitEvent(rig, 'ChannelDestroyed', (e) => channelOf(e).id === ch.id);
      assert.deepEqual(trail(rig, ch.id).slice(-3), ['ChannelHangupRequest', `Dial:${status}`, 'ChannelDestroyed'], reason);
      const request = rig.events.find((e) => e.type === 'ChannelHangupRequest' && channelOf(e).id === ch.id);
      assert.deepEqual([request?.cause, request?.soft], [32, true], reason);
      assert.equal(destroyed.cause, cause, reason);
    }
  });

  it('hunts by the dial string: G highest first, i<span>- one span, a fixed channel, r round robin', async () => {
    rig.standin.setDefaultOutcome({ kind: 'noanswer' });
    const name = async (endpoint: string): Promise<string> => (await client.channels.originate({ endpoint, app: 'tdmgate', timeout: -1 })).name;
    assert.equal(await name('DAHDI/G1/100'), 'DAHDI/i2/100-1');
    assert.equal(await name('DAHDI/i1-G1/101'), 'DAHDI/i1/101-1');
    assert.equal(await name('DAHDI/64/102'), 'DAHDI/64-1');
    const r1 = await name('DAHDI/r1/103');
    const r2 = await name('DAHDI/r1/104');
    assert.deepEqual([r1, r2], ['DAHDI/i1/103-2', 'DAHDI/i1/104-3']);
    const chans = (await rig.sim.channels(1)).filter((c) => c.inUse).map((c) => c.channel);
    assert.deepEqual(chans, [1, 2, 31]);
  });
});
