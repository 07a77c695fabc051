// Inbound calls through the real ari-client: StasisStart on a DAHDI channel, the chan_dahdi
// CHANNEL() values, answer, continue (and its 404/409/412), hangup with a reason giving the
// cause, the timeslot shown in use in the sim and freed, and a span alarm clearing calls (38).

import assert from 'node:assert/strict';
import { channelOf, connectClient, startRig, stopRig, trail, waitEvent, waitUntil, type Rig } from './helpers';

describe('ARI stand-in: inbound calls', () => {
  let rig: Rig;
  // The Asterisk behind has a tdmgate-in context with a sales extension to continue into.
  beforeEach(async () => (rig = await startRig({ dialplan: { 'tdmgate-in': [{ exten: 'sales', app: 'Queue', appData: 'sales' }] } })));
  afterEach(async () => stopRig(rig));

  it('delivers StasisStart for a call on a PRI timeslot, with chan_dahdi variables', async () => {
    const client = await connectClient(rig);
    const placed = rig.standin.placeInboundCall({ span: 2, did: '8001', callerId: '13800138000', callerName: 'Li' });
    const start = await waitEvent(rig, 'StasisStart');
    const ch = channelOf(start);
    assert.equal(ch.id, placed.id);
    assert.match(ch.name, /^DAHDI\/i2\/13800138000-1$/);
    assert.equal(ch.state, 'Ring');
    // The recommended dialplan passes the channel: Stasis(tdmgate,${CHANNEL(dahdi_channel)}).
    assert.deepEqual(start.args, ['62']);
    assert.equal(start.application, 'tdmgate');
    assert.match(start.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const channel = await client.channels.get({ channelId: ch.id });
    assert.deepEqual(channel.caller, { name: 'Li', number: '13800138000' });
    assert.equal(channel.dialplan.exten, '8001');
    assert.equal(channel.dialplan.app_data, 'tdmgate,62');
    const v = async (variable: string): Promise<string> => (await client.channels.getChannelVar({ channelId: ch.id, variable })).value;
    // The far end picks from the top of span 2 (channels 32-62, TS16 = 47 is the D-channel).
    assert.equal(await v('CHANNEL(dahdi_channel)'), '62');
    assert.equal(await v('CHANNEL(dahdi_span)'), '2');
    assert.equal(await v('CHANNEL(dahdi_type)'), 'pri');
    assert.equal(await v('CHANNEL(dahdi_group)'), '2'); // group 1 as chan_dahdi's bitmask
    await assert.rejects(client.channels.getChannelVar({ channelId: ch.id, variable: 'NOPE' }), /Provided variable was not found/);
  });

  it('marks the timeslot in use in the sim and frees it when the call ends with the reason\'s cause', async () => {
    const client = await connectClient(rig);
    const placed = rig.standin.placeInboundCall({ span: 1, did: '8001', callerId: '5551234' });
    await waitEvent(rig, 'StasisStart');
    const inUse = async (): Promise<number[]> => (await rig.sim.channels(1)).filter((c) => c.inUse).map((c) => c.channel);
    assert.deepEqual(await inUse(), [31]);
    await client.channels.answer({ channelId: placed.id });
    await waitEvent(rig, 'ChannelStateChange', (e) => channelOf(e).state === 'Up');
    await client.channels.hangup({ channelId: placed.id, reason: 'busy' });
    const destroyed = await waitEvent(rig, 'ChannelDestroyed');
    assert.equal(destroyed.cause, 17);
    assert.equal(destroyed.cause_txt, 'User busy');
    assert.deepEqual(trail(rig, placed.id), ['StasisStart', 'State:Up', 'ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
    // A REST DELETE is ast_softhangup(EXPLICIT): the flag 32, whatever the reason's cause.
    const request = rig.events.find((e) => e.type === 'ChannelHangupRequest');
    assert.deepEqual([request?.cause, request?.soft], [32, true]);
    assert.deepEqual(await inUse(), []);
    await assert.rejects(client.channels.get({ channelId: placed.id }), /Channel not found/);
  });

  it('takes reason_code as the cause and refuses an unknown reason', async () => {
    const client = await connectClient(rig);
    const placed = rig.standin.placeInboundCall({ did: '8001', callerId: '5551234' });
    await waitEvent(rig, 'StasisStart');
    await assert.rejects(client.channels.hangup({ channelId: placed.id, reason: 'bogus' }), /Invalid reason for hangup reason provided/);
    await assert.rejects(client.channels.hangup({ channelId: placed.id, reason_code: 'x' }), /Invalid reason for hangup reason code provided/);
    // The channel is looked up before the reason is read.
    await assert.rejects(client.channels.hangup({ channelId: 'no-such', reason: 'bogus' }), /Channel not found/);
    await client.channels.hangup({ channelId: placed.id, reason_code: '21' });
    assert.equal((await waitEvent(rig, 'ChannelDestroyed')).cause, 21);
  });

  it('continues into the dialplan (StasisEnd), then 409; 404 for an unknown channel; 412 while hanging up', async () => {
    const client = await connectClient(rig);
    const placed = rig.standin.placeInboundCall({ did: '8001', callerId: '5551234' });
    await waitEvent(rig, 'StasisStart');
    await client.channels.setChannelVar({ channelId: placed.id, variable: 'TDMGATE_ROUTE', value: 'sales' });
    assert.equal((await waitEvent(rig, 'ChannelVarset')).value, 'sales');
    await client.channels.continueInDialplan({ channelId: placed.id, context: 'tdmgate-in', extension: 'sales', priority: 1 });
    await waitEvent(rig, 'StasisEnd');
    const after = await client.channels.get({ channelId: placed.id });
    assert.deepEqual([after.dialplan.context, after.dialplan.exten, after.dialplan.priority], ['tdmgate-in', 'sales', 1]);
    await assert.rejects(client.channels.continueInDialplan({ channelId: placed.id, context: 'x' }), /not in Stasis/);
    await assert.rejects(client.channels.continueInDialplan({ channelId: 'no-such', context: 'x' }), /Channel not found/);
    const second = rig.standin.placeInboundCall({ did: '8002', callerId: '5551235' });
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === second.id);
    // A hangup is requested and its teardown not run yet when continue arrives: 412.
    rig.standin.stallRest();
    const hung = client.channels.hangup({ channelId: second.id });
    await waitUntil(() => rig.standin.stalledRequests() === 1, 'the hangup held');
    const cont = client.channels.continueInDialplan({ channelId: second.id, context: 'x' });
    await waitUntil(() => rig.standin.stalledRequests() === 2, 'the continue held');
    rig.standin.resumeRest();
    await hung;
    await assert.rejects(cont, /Channel in invalid state/);
    // The continued channel is still up in the dialplan; the far end hangs up later.
    rig.standin.remoteHangup(placed.id, 16);
    await waitUntil(() => rig.standin.channels().length === 0, 'all channels gone');
  });

  it('clears calls on a span that goes into alarm with cause 38 and hunts elsewhere', async () => {
    await connectClient(rig);
    const placed = rig.standin.placeInboundCall({ span: 1, did: '8001', callerId: '5551234' });
    await waitEvent(rig, 'StasisStart');
    rig.sim.raiseFault(1, 'LOS');
    const destroyed = await waitEvent(rig, 'ChannelDestroyed');
    assert.equal(channelOf(destroyed).id, placed.id);
    assert.equal(destroyed.cause, 38);
    assert.equal(destroyed.cause_txt, 'Network out of order');
    assert.deepEqual(trail(rig, placed.id), ['StasisStart', 'StasisEnd', 'ChannelDestroyed']);
    assert.throws(() => rig.standin.placeInboundCall({ span: 1, did: '8001', callerId: '1' }), /no free timeslot/);
    const other = rig.standin.placeInboundCall({ group: 1, did: '8001', callerId: '1' });
    assert.match(other.name, /^DAHDI\/i2\//);
  });
});
