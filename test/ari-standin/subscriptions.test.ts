// Who gets which event: StasisStart/StasisEnd only to their own app (subscribeAll or not), an
// originate into an app nobody registered answered without StasisStart and destroyed with
// cause 0, and what subscribeAll adds - ChannelCreated, ChannelCallerId, ChannelVarset,
// ChannelConnectedLine, ChannelDialplan, DeviceStateChanged - with Dial's forward key; every
// type sent is a model of events.json (ari-client throws on any other).

import assert from 'node:assert/strict';
import { loadApiDocs } from '../../src/demo/ari-standin/api-docs';
import { channelOf, connectClient, rawApp, startRig, stopRig, trail, waitEvent, waitUntil, type Rig } from './helpers';

describe('ARI stand-in: subscriptions', () => {
  let rig: Rig;
  beforeEach(async () => (rig = await startRig({ dial: { default: { kind: 'answer', afterMs: 20 } } })));
  afterEach(async () => stopRig(rig));

  it('originate into an app nobody registered: answered, no StasisStart, ChannelDestroyed 0', async () => {
    const client = await connectClient(rig, ['tdmgate'], true);
    const ch = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'nobody' });
    const destroyed = await waitEvent(rig, 'ChannelDestroyed');
    assert.deepEqual([destroyed.cause, destroyed.cause_txt], [0, 'Unknown']);
    const t = trail(rig, ch.id);
    assert.ok(t.includes('Dial:ANSWER') && t.includes('State:Up'), t.join());
    assert.ok(!t.includes('StasisStart'), 'no StasisStart for an unregistered app');
  });

  it('subscribeAll does not leak another app\'s StasisStart/StasisEnd', async () => {
    await connectClient(rig, ['tdmgate'], true);
    const other = await rawApp(rig, 'other');
    try {
      const placed = rig.standin.placeInboundCall({ did: '100', callerId: '0691', app: 'other' });
      await waitUntil(() => other.events.find((e) => e.type === 'StasisStart'), 'the other app\'s StasisStart');
      rig.standin.remoteHangup(placed.id);
      await waitEvent(rig, 'ChannelDestroyed');
      await waitUntil(() => other.events.find((e) => e.type === 'ChannelDestroyed'), 'the other app sees the end');
      assert.deepEqual(other.events.map((e) => e.type), ['StasisStart', 'ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
      const ours = trail(rig, placed.id);
      assert.ok(!ours.includes('StasisStart') && !ours.includes('StasisEnd'), ours.join());
      assert.deepEqual(ours, ['ChannelCreated', 'ChannelHangupRequest', 'ChannelDestroyed']);
    } finally {
      other.close();
    }
  });

  it('subscribeAll sees ChannelCreated, ChannelCallerId, ChannelVarset, ChannelConnectedLine, DeviceStateChanged, and Dial has forward', async () => {
    const client = await connectClient(rig, ['tdmgate'], true);
    const ch = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate', callerId: '"ACME" <5550000>', variables: { 'CDR(accountcode)': 'camp1', CAMPAIGN: 'c7' } });
    await waitEvent(rig, 'StasisStart');
    await client.channels.hangup({ channelId: ch.id });
    await waitEvent(rig, 'ChannelDestroyed');
    assert.deepEqual(trail(rig, ch.id), [
      'ChannelCreated', 'ChannelCallerId', 'ChannelVarset', 'ChannelConnectedLine',
      'State:Dialing', 'Dial:', 'Dial:PROCEEDING', 'State:Ringing', 'Dial:RINGING', 'State:Up', 'Dial:ANSWER', 'StasisStart',
      'ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed',
    ]);
    const callerId = await waitEvent(rig, 'ChannelCallerId');
    assert.deepEqual([callerId.caller_presentation, callerId.caller_presentation_txt], [0, 'Presentation Allowed, Not Screened']);
    assert.deepEqual((channelOf(callerId) as unknown as { caller: unknown }).caller, { name: 'ACME', number: '5550000' });
    // CDR(accountcode) is a function write: no ChannelVarset for it, only for the plain variable.
    assert.deepEqual(rig.events.filter((e) => e.type === 'ChannelVarset').map((e) => [e.variable, e.value]), [['CAMPAIGN', 'c7']]);
    const connected = await waitEvent(rig, 'ChannelConnectedLine');
    assert.deepEqual((connected.channel as { connected: unknown }).connected, { name: '', number: '5551234' });
    for (const d of rig.events.filter((e) => e.type === 'Dial')) assert.equal(d.forward, '', 'dial_to_json always writes forward');
    // The device is the channel name without its sequence: in use, ringing, in use, gone.
    const devices = rig.events.filter((e) => e.type === 'DeviceStateChanged').map((e) => e.device_state as { name: string; state: string });
    assert.deepEqual(devices, ['INUSE', 'RINGING', 'INUSE', 'UNKNOWN'].map((state) => ({ name: 'DAHDI/i1/5551234', state })));
  });

  it('writes each event with type first and asterisk_id, application last, as Asterisk does', async () => {
    const app = await rawApp(rig, 'tdmgate', true);
    try {
      const placed = rig.standin.placeInboundCall({ did: '100', callerId: '0691' });
      await waitUntil(() => app.events.find((e) => e.type === 'StasisStart'), 'StasisStart');
      rig.standin.remoteHangup(placed.id);
      await waitUntil(() => app.events.find((e) => e.type === 'ChannelDestroyed'), 'ChannelDestroyed');
      assert.ok(app.texts.length >= 5, app.texts.join('\n'));
      for (const text of app.texts) {
        const e = JSON.parse(text) as Record<string, unknown>;
        const keys = Object.keys(e);
        assert.deepEqual([keys.slice(0, 2), keys.slice(-2)], [['type', 'timestamp'], ['asterisk_id', 'application']], text);
        assert.equal(text, JSON.stringify(e), 'compact JSON, one event a frame');
      }
    } finally {
      app.close();
    }
  });

  it('sends only event types events.json defines', async () => {
    const client = await connectClient(rig, ['tdmgate'], true);
    const ch = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate', callerId: '5550000', variables: { X: '1' } });
    await waitEvent(rig, 'StasisStart');
    await client.channels.play({ channelId: ch.id, media: 'sound:hello' });
    rig.standin.pressDtmf(ch.id, '1', { durationMs: 5, gapMs: 5 });
    await waitEvent(rig, 'ChannelDtmfReceived');
    await client.channels.continueInDialplan({ channelId: ch.id, context: 'from-pstn', extension: 's' });
    await waitEvent(rig, 'ChannelDialplan');
    await client.channels.hangup({ channelId: ch.id });
    await waitEvent(rig, 'ChannelDestroyed');
    const known = loadApiDocs().eventTypes;
    const sent = new Set(rig.events.map((e) => e.type));
    for (const type of sent) assert.ok(known.has(type), `${type} is not in events.json`);
    assert.ok(sent.size >= 14, [...sent].join());
  });
});
