// Bridges through the real ari-client, as the call-centre features will use them: a bridge's life
// with two channels (BridgeCreated, ChannelEnteredBridge, ChannelLeftBridge on hangup, the
// bridge kept until DELETE, then BridgeDestroyed), the Bridge model's fields, who gets bridge
// events (subscription counting), playback and recording on a bridge, and every documented error.

import assert from 'node:assert/strict';
import { channelOf, connectClient, raw, startRig, stopRig, waitEvent, type Rig } from './helpers';
import type { AriBridgeJson, AriClient, AriEvent } from './ari-client-types';

const ARI_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

/** The Bridge model's fields of what ari-client hands back (a resource object). */
function model(b: AriBridgeJson): Record<string, unknown> {
  const { id, technology, bridge_type, bridge_class, creator, name, channels, video_mode } = b;
  return { id, technology, bridge_type, bridge_class, creator, name, channels: [...channels], video_mode };
}

const bridgeOf = (e: AriEvent): AriBridgeJson => e.bridge as AriBridgeJson;

/** Bridge events of the log as "Type" or "Type:<channel id>", in arrival order. */
function bridgeTrail(events: AriEvent[]): string[] {
  return events.filter((e) => e.bridge !== undefined).map((e) => (e.channel ? `${e.type}:${channelOf(e).id}` : e.type));
}

describe('ARI stand-in: bridges', () => {
  let rig: Rig;
  let client: AriClient;
  afterEach(async () => stopRig(rig));

  const inStasis = async (did: string): Promise<string> => {
    const placed = rig.standin.placeInboundCall({ did, callerId: `069${did}` });
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === placed.id);
    return placed.id;
  };

  describe('with a subscribeAll client', () => {
    beforeEach(async () => {
      rig = await startRig({ dialplan: { 'cc-queue': ['s'] }, media: { defaultMs: 30 } });
      client = await connectClient(rig, ['tdmgate'], true);
    });

    it('lives from POST to DELETE: created empty, two channels enter, a hangup leaves, DELETE empties and destroys it', async () => {
      const a = await inStasis('100');
      const b = await inStasis('101');
      const bridge = await client.bridges.create({ type: 'mixing', name: 'conf-1' });
      assert.match(bridge.id, /^[0-9a-f-]{36}$/, 'a UUID when no bridgeId is given');
      assert.deepEqual(model(bridge), {
        id: bridge.id, technology: 'simple_bridge', bridge_type: 'mixing', bridge_class: 'stasis', creator: 'Stasis',
        name: 'conf-1', channels: [], video_mode: 'talker',
      });
      assert.match(bridge.creationtime, ARI_TIME);
      await client.bridges.addChannel({ bridgeId: bridge.id, channel: [a, b] });
      await waitEvent(rig, 'ChannelEnteredBridge', (e) => channelOf(e).id === b);
      assert.deepEqual((await client.bridges.get({ bridgeId: bridge.id })).channels, [a, b]);
      assert.deepEqual((await client.bridges.list()).map((x) => x.id), [bridge.id]);

      rig.standin.remoteHangup(a);
      await waitEvent(rig, 'ChannelDestroyed', (e) => channelOf(e).id === a);
      // The channel leaves its bridge before it leaves Stasis; the bridge stays with the other one.
      const aEvents = rig.events.filter((e) => channelOf(e)?.id === a).map((e) => e.type);
      assert.deepEqual(aEvents.slice(-4), ['ChannelHangupRequest', 'ChannelLeftBridge', 'StasisEnd', 'ChannelDestroyed']);
      assert.deepEqual((await client.bridges.get({ bridgeId: bridge.id })).channels, [b]);

      await client.bridges.destroy({ bridgeId: bridge.id });
      await waitEvent(rig, 'BridgeDestroyed');
      assert.deepEqual(bridgeTrail(rig.events), [
        'BridgeCreated', `ChannelEnteredBridge:${a}`, `ChannelEnteredBridge:${b}`, `ChannelLeftBridge:${a}`, `ChannelLeftBridge:${b}`, 'BridgeDestroyed',
      ]);
      // Each event carries the bridge as it is after the change.
      const entered = rig.events.filter((e) => e.type === 'ChannelEnteredBridge').map((e) => bridgeOf(e).channels);
      assert.deepEqual(entered, [[a], [a, b]]);
      assert.deepEqual(bridgeOf(await waitEvent(rig, 'BridgeDestroyed')).channels, []);
      // The other channel is back in its Stasis app, not hung up.
      assert.equal(rig.events.some((e) => e.type === 'StasisEnd' && channelOf(e).id === b), false);
      assert.equal((await client.channels.get({ channelId: b })).id, b);
      assert.deepEqual(await client.bridges.list(), []);
      await assert.rejects(client.bridges.get({ bridgeId: bridge.id }), /Bridge not found/);
    });

    it('keeps an emptied bridge until DELETE; removeChannel takes a channel out; a continue leaves the bridge before StasisEnd', async () => {
      const a = await inStasis('100');
      const b = await inStasis('101');
      const bridge = await client.bridges.createWithId({ bridgeId: 'queue-7', type: 'holding' });
      assert.deepEqual([bridge.id, bridge.bridge_type, bridge.technology, bridge.video_mode], ['queue-7', 'holding', 'holding_bridge', 'none']);
      await client.bridges.addChannel({ bridgeId: 'queue-7', channel: a });
      await client.bridges.addChannel({ bridgeId: 'queue-7', channel: b });
      await waitEvent(rig, 'ChannelEnteredBridge', (e) => channelOf(e).id === b);
      await client.bridges.removeChannel({ bridgeId: 'queue-7', channel: a });
      await waitEvent(rig, 'ChannelLeftBridge', (e) => channelOf(e).id === a);
      await client.channels.continueInDialplan({ channelId: b, context: 'cc-queue', extension: 's' });
      await waitEvent(rig, 'StasisEnd', (e) => channelOf(e).id === b);
      const bEvents = rig.events.filter((e) => channelOf(e)?.id === b).map((e) => e.type);
      const end = bEvents.indexOf('StasisEnd');
      assert.deepEqual(bEvents.slice(end - 1, end + 2), ['ChannelLeftBridge', 'StasisEnd', 'ChannelDialplan']);
      assert.deepEqual((await client.bridges.get({ bridgeId: 'queue-7' })).channels, []);
      assert.equal(rig.events.some((e) => e.type === 'BridgeDestroyed'), false);
    });

    it('plays to a bridge (target bridge:<id>) and records it (RecordingStarted, RecordingFinished)', async () => {
      const a = await inStasis('100');
      const bridge = await client.bridges.create({});
      await client.bridges.addChannel({ bridgeId: bridge.id, channel: a });
      await waitEvent(rig, 'ChannelEnteredBridge');
      const created = await raw(rig.port, 'POST', `/ari/bridges/${bridge.id}/play?media=sound:hello&playbackId=pb-b`, true);
      assert.deepEqual([created.status, created.headers.location], [201, '/playbacks/pb-b']);
      assert.equal((JSON.parse(created.body) as { target_uri: string }).target_uri, `bridge:${bridge.id}`);
      const finished = await waitEvent(rig, 'PlaybackFinished');
      assert.deepEqual([(finished.playback as { state: string }).state, finished.bridge], ['done', undefined]);
      const rec = await client.bridges.record({ bridgeId: bridge.id, name: 'conf-rec', format: 'wav' });
      assert.deepEqual([rec.state, rec.target_uri], ['queued', `bridge:${bridge.id}`]);
      await waitEvent(rig, 'RecordingStarted');
      await client.recordings.stop({ recordingName: 'conf-rec' });
      const done = await waitEvent(rig, 'RecordingFinished');
      assert.deepEqual([(done.recording as { state: string }).state, typeof (done.recording as { duration: number }).duration], ['done', 'number']);
      assert.deepEqual(await client.recordings.getStored({ recordingName: 'conf-rec' }).then((s) => [s.name, s.format]), ['conf-rec', 'wav']);
    });

    it('answers every documented error with Asterisk\'s status and message', async () => {
      const status = async (method: string, path: string): Promise<[number, string]> => {
        const r = await raw(rig.port, method, path, true);
        return [r.status, r.body === '' ? '' : (JSON.parse(r.body) as { message: string }).message];
      };
      const a = await inStasis('100');
      const b = await inStasis('101');
      await client.bridges.createWithId({ bridgeId: 'br-1' });
      // Bridge lookups first.
      for (const [method, path] of [['GET', ''], ['DELETE', ''], ['POST', '/addChannel?channel=x'], ['POST', '/removeChannel?channel=x'], ['POST', '/play?media=sound:x'], ['POST', '/record?name=r&format=wav'], ['POST', '/moh']] as const) {
        assert.deepEqual(await status(method, `/ari/bridges/nope${path}`), [404, 'Bridge not found'], `${method} ${path}`);
      }
      // An existing bridge and an operation the stand-in does not model: 501, not a made-up success.
      assert.equal((await status('POST', '/ari/bridges/br-1/moh'))[0], 501);
      assert.deepEqual(await status('POST', '/ari/bridges/br-1'), [409, "Bridge with id 'br-1' already exists"]);
      assert.deepEqual(await status('POST', '/ari/bridges?bridgeId=br-1'), [409, "Bridge with id 'br-1' already exists"]);
      assert.deepEqual(await status('POST', '/ari/bridges?type=holding,mixing'), [500, "Unable to create bridge. Possible duplicate bridge id '(null)'"]);
      assert.deepEqual(await status('POST', '/ari/bridges/br-2?type=dtmf_events'), [500, 'Unable to create bridge']);
      assert.deepEqual(await status('POST', '/ari/bridges/br-1/addChannel'), [400, 'Missing parameter channel']);
      assert.deepEqual(await status('POST', '/ari/bridges/br-1/addChannel?channel=nope'), [400, 'Channel not found']);
      assert.deepEqual(await status('POST', `/ari/bridges/br-1/removeChannel?channel=${a}`), [422, 'Channel not in this bridge']);
      assert.deepEqual(await status('POST', '/ari/bridges/br-1/record?name=r&format=mp3'), [422, 'specified format is unknown on this system']);
      assert.deepEqual(await status('POST', '/ari/bridges/br-1/record?name=r&format=wav&terminateOn=x'), [400, 'terminateOn invalid']);
      assert.deepEqual(await status('POST', '/ari/bridges/br-1/record?name=r&format=wav&maxDurationSeconds=-1'), [500, 'Error parsing request']);
      // A channel recording cannot be bridged (409); one outside Stasis is a 422.
      await client.channels.record({ channelId: a, name: 'busy-rec', format: 'wav' });
      assert.deepEqual(await status('POST', `/ari/bridges/br-1/addChannel?channel=${a}`), [409, `Channel ${a} currently recording`]);
      await client.channels.continueInDialplan({ channelId: b, context: 'cc-queue', extension: 's' });
      await waitEvent(rig, 'StasisEnd', (e) => channelOf(e).id === b);
      assert.deepEqual(await status('POST', `/ari/bridges/br-1/addChannel?channel=${b}`), [422, 'Channel not in Stasis application']);
      await assert.rejects(client.bridges.addChannel({ bridgeId: 'br-1', channel: 'nope' }), /Channel not found/);
    });

    it('a channel in a bridge cannot be recorded: 201, then RecordingFailed with the cause', async () => {
      const a = await inStasis('100');
      await client.bridges.createWithId({ bridgeId: 'br-1' });
      await client.bridges.addChannel({ bridgeId: 'br-1', channel: a });
      await waitEvent(rig, 'ChannelEnteredBridge');
      const rec = await client.channels.record({ channelId: a, name: 'in-bridge', format: 'wav' });
      assert.equal(rec.state, 'queued');
      const failed = await waitEvent(rig, 'RecordingFailed');
      assert.deepEqual([(failed.recording as { state: string }).state, (failed.recording as { cause: string }).cause], ['failed', 'Cannot record channel while in bridge']);
      await assert.rejects(client.recordings.getStored({ recordingName: 'in-bridge' }), /Recording not found/);
    });
  });

  it('an app that did not subscribe to everything sees its channels enter and leave, not BridgeCreated or BridgeDestroyed', async () => {
    rig = await startRig();
    client = await connectClient(rig);
    const a = await inStasis('100');
    const bridge = await client.bridges.create({ name: 'x' });
    await client.bridges.addChannel({ bridgeId: bridge.id, channel: a });
    await waitEvent(rig, 'ChannelEnteredBridge');
    const apps = await raw(rig.port, 'GET', '/ari/applications/tdmgate', true);
    assert.deepEqual((JSON.parse(apps.body) as { bridge_ids: string[] }).bridge_ids, [bridge.id]);
    await client.bridges.destroy({ bridgeId: bridge.id });
    await waitEvent(rig, 'ChannelLeftBridge');
    // Bound the wait on an event that follows: a playback on the channel, which is still in Stasis.
    await client.channels.play({ channelId: a, media: 'sound:x' });
    await waitEvent(rig, 'PlaybackFinished');
    assert.deepEqual(bridgeTrail(rig.events), [`ChannelEnteredBridge:${a}`, `ChannelLeftBridge:${a}`]);
    assert.ok(rig.standin.channels().some((c) => c.id === a), 'the channel is still up');
  });
});
