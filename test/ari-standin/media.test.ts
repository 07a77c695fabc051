// Playback and DTMF through ari-client, as the notification calls of the job queues will use
// them: play a prompt (201 + Location, PlaybackStarted/Finished, queued one after another),
// look it up and stop it; send DTMF; the far end pressing a digit (ChannelDtmfReceived), on
// demand or scripted after answer; and the lookups Asterisk makes first (Channel not found,
// not in Stasis, Playback not found) - also for operations the stand-in does not model.

import assert from 'node:assert/strict';
import { channelOf, connectClient, raw, startRig, stopRig, waitEvent, waitUntil, type Rig } from './helpers';
import type { AriClient } from './ari-client-types';

describe('ARI stand-in: playback and DTMF', () => {
  let rig: Rig;
  let client: AriClient;
  beforeEach(async () => {
    rig = await startRig({ media: { defaultMs: 30, durations: { 'sound:long-prompt': 5000 } }, dialplan: { 'cc-queue': ['s'] } });
    client = await connectClient(rig);
  });
  afterEach(async () => stopRig(rig));

  const inStasis = async (): Promise<string> => {
    const placed = rig.standin.placeInboundCall({ did: '100', callerId: '0691' });
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === placed.id);
    return placed.id;
  };

  it('plays media: queued in the answer, PlaybackStarted, PlaybackFinished done; a second one waits for the first', async () => {
    const id = await inStasis();
    const first = await client.channels.play({ channelId: id, media: 'sound:confirm-call', playbackId: 'pb-1' });
    // ari-client hands back a Playback resource; compare the fields of the model.
    const fields = (({ id, media_uri, target_uri, language, state }) => ({ id, media_uri, target_uri, language, state }))(first);
    assert.deepEqual(fields, { id: 'pb-1', media_uri: 'sound:confirm-call', target_uri: `channel:${id}`, language: 'en', state: 'queued' });
    const second = await client.channels.play({ channelId: id, media: 'sound:press-1' });
    assert.match(second.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'playback_create makes a UUID');
    const finished = await waitUntil(() => rig.events.filter((e) => e.type === 'PlaybackFinished').length === 2 && rig.events, 'both playbacks finished');
    const order = finished.filter((e) => e.type.startsWith('Playback')).map((e) => `${e.type}:${(e.playback as { id: string; state: string }).id}:${(e.playback as { state: string }).state}`);
    assert.deepEqual(order, ['PlaybackStarted:pb-1:playing', 'PlaybackFinished:pb-1:done', `PlaybackStarted:${second.id}:playing`, `PlaybackFinished:${second.id}:done`]);
    await assert.rejects(client.playbacks.get({ playbackId: 'pb-1' }), /Playback not found/);
  });

  it('answers 201 with a Location, GET shows the playing one, DELETE stops it (PlaybackFinished)', async () => {
    const id = await inStasis();
    const created = await raw(rig.port, 'POST', `/ari/channels/${id}/play?media=sound:long-prompt&playbackId=pb-9`, true);
    assert.equal(created.status, 201);
    assert.equal(created.headers.location, '/playbacks/pb-9');
    await waitEvent(rig, 'PlaybackStarted');
    assert.equal((await client.playbacks.get({ playbackId: 'pb-9' })).state, 'playing');
    await client.playbacks.stop({ playbackId: 'pb-9' });
    const done = await waitEvent(rig, 'PlaybackFinished');
    assert.equal((done.playback as { state: string }).state, 'done');
    await assert.rejects(client.playbacks.stop({ playbackId: 'pb-9' }), /Playback not found/);
  });

  it('a list of media: Started and Continuing for each but the last, Started and Finished for the last', async () => {
    const id = await inStasis();
    await client.channels.play({ channelId: id, media: ['sound:a', 'sound:b'] });
    await waitEvent(rig, 'PlaybackFinished');
    const pbs = rig.events.filter((e) => e.type.startsWith('Playback')).map((e) => {
      const pb = e.playback as { media_uri: string; next_media_uri?: string; state: string };
      return [e.type, pb.media_uri, pb.next_media_uri, pb.state];
    });
    assert.deepEqual(pbs, [
      ['PlaybackStarted', 'sound:a', 'sound:b', 'playing'], ['PlaybackContinuing', 'sound:a', 'sound:b', 'continuing'],
      ['PlaybackStarted', 'sound:b', undefined, 'playing'], ['PlaybackFinished', 'sound:b', undefined, 'done'],
    ]);
  });

  it('a hangup during playback: PlaybackFinished "failed" before StasisEnd; a queued one stopped says Finished "done" on its turn', async () => {
    const id = await inStasis();
    await client.channels.play({ channelId: id, media: 'sound:x', playbackId: 'first' });
    await client.channels.play({ channelId: id, media: 'sound:long-prompt', playbackId: 'cancelled' });
    await client.channels.play({ channelId: id, media: 'sound:long-prompt', playbackId: 'second' });
    await client.playbacks.stop({ playbackId: 'cancelled' });
    await waitEvent(rig, 'PlaybackStarted', (e) => (e.playback as { id: string }).id === 'second');
    rig.standin.remoteHangup(id);
    await waitEvent(rig, 'ChannelDestroyed');
    const seen = rig.events.filter((e) => e.type.startsWith('Playback')).map((e) => `${e.type}:${(e.playback as { id: string }).id}:${(e.playback as { state: string }).state}`);
    assert.deepEqual(seen, ['PlaybackStarted:first:playing', 'PlaybackFinished:first:done', 'PlaybackFinished:cancelled:done', 'PlaybackStarted:second:playing', 'PlaybackFinished:second:failed']);
    assert.deepEqual(rig.events.slice(-4).map((e) => e.type), ['ChannelHangupRequest', 'PlaybackFinished', 'StasisEnd', 'ChannelDestroyed']);
  });

  it('a continue asked for during a playback waits for it (commands on the control run in order)', async () => {
    const id = await inStasis();
    await client.channels.play({ channelId: id, media: 'sound:x' });
    await client.channels.continueInDialplan({ channelId: id, context: 'cc-queue', extension: 's' });
    await waitEvent(rig, 'StasisEnd');
    assert.deepEqual(rig.events.slice(-3).map((e) => e.type), ['PlaybackStarted', 'PlaybackFinished', 'StasisEnd']);
  });

  it('sends DTMF (204, 400 without digits); the far end presses a digit: ChannelDtmfReceived with digit and duration_ms', async () => {
    const id = await inStasis();
    await client.channels.sendDTMF({ channelId: id, dtmf: '12#', duration: 100 });
    assert.equal(rig.standin.sentDtmf(id), '12#');
    await assert.rejects(client.channels.sendDTMF({ channelId: id }), /DTMF is required/);
    rig.standin.pressDtmf(id, '1', { durationMs: 80 });
    const dtmf = await waitEvent(rig, 'ChannelDtmfReceived');
    assert.deepEqual([dtmf.digit, dtmf.duration_ms, channelOf(dtmf).id], ['1', 80, id]);
    assert.throws(() => rig.standin.pressDtmf(id, 'x'), /not DTMF digits/);
  });

  it('the far end of an outbound call confirms with a digit after answer when scripted', async () => {
    rig.standin.onDial('5551234', { kind: 'answer', afterMs: 10, press: { digits: '1', afterMs: 20, durationMs: 40 } });
    const ch = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate' });
    const dtmf = await waitEvent(rig, 'ChannelDtmfReceived');
    assert.deepEqual([dtmf.digit, dtmf.duration_ms, channelOf(dtmf).id], ['1', 40, ch.id]);
    const order = rig.events.map((e) => e.type);
    assert.ok(order.indexOf('StasisStart') < order.indexOf('ChannelDtmfReceived'));
  });

  it('the far end reacts to the prompt: digits counted from the first PlaybackStarted, none when nothing is played', async () => {
    rig.standin.onDial('5551234', { kind: 'answer', afterMs: 10, press: { digits: '1', afterMs: 0, durationMs: 40, from: 'playback' } });
    const silent = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate' });
    const heard = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate' });
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === heard.id);
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === silent.id);
    await client.channels.play({ channelId: heard.id, media: 'sound:long-prompt', playbackId: 'prompt' });
    const dtmf = await waitEvent(rig, 'ChannelDtmfReceived');
    assert.deepEqual([dtmf.digit, channelOf(dtmf).id], ['1', heard.id]);
    // Asterisk's ARI playbacks take no stop digits: the prompt plays on under the DTMF.
    assert.equal((await client.playbacks.get({ playbackId: 'prompt' })).state, 'playing');
    const order = rig.events.map((e) => `${e.type}:${e.type.startsWith('Playback') ? '' : channelOf(e).id}`);
    assert.ok(order.indexOf('PlaybackStarted:') < order.indexOf(`ChannelDtmfReceived:${heard.id}`));
    assert.equal(order.includes(`ChannelDtmfReceived:${silent.id}`), false);
  });

  it('the far end hangs up on the prompt: ChannelHangupRequest (16, not soft), PlaybackFinished failed, StasisEnd, ChannelDestroyed', async () => {
    rig.standin.onDial('5551234', { kind: 'answer', afterMs: 10, promptHangupMs: 20 });
    const ch = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate' });
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === ch.id);
    await client.channels.play({ channelId: ch.id, media: 'sound:long-prompt', playbackId: 'prompt' });
    await waitEvent(rig, 'ChannelDestroyed');
    const tail = rig.events.slice(-5);
    assert.deepEqual(tail.map((e) => e.type), ['PlaybackStarted', 'ChannelHangupRequest', 'PlaybackFinished', 'StasisEnd', 'ChannelDestroyed']);
    assert.deepEqual([tail[1]?.cause, tail[1]?.soft, (tail[2]?.playback as { state: string }).state, tail[4]?.cause], [16, undefined, 'failed', 16]);
  });

  it('unknown channel: 404 "Channel not found" for play, dtmf and operations not modelled; 409 outside Stasis', async () => {
    await assert.rejects(client.channels.play({ channelId: 'nope', media: 'sound:x' }), /Channel not found/);
    await assert.rejects(client.channels.sendDTMF({ channelId: 'nope', dtmf: '1' }), /Channel not found/);
    await assert.rejects(client.channels.sendDTMF({ channelId: 'nope' }), /Channel not found/);
    await assert.rejects(client.channels.hold({ channelId: 'nope' }), /Channel not found/);
    await assert.rejects(client.bridges.get({ bridgeId: 'nope' }), /Bridge not found/);
    await assert.rejects(client.playbacks.get({ playbackId: 'nope' }), /Playback not found/);
    const id = await inStasis();
    // A known channel and an operation the stand-in does not model: 501, not a made-up success.
    const held = await raw(rig.port, 'POST', `/ari/channels/${id}/hold`, true);
    assert.equal(held.status, 501);
    const noMedia = await raw(rig.port, 'POST', `/ari/channels/${id}/play`, true);
    assert.deepEqual([noMedia.status, JSON.parse(noMedia.body)], [500, { message: 'Failed to queue media for playback' }]);
    const negative = await raw(rig.port, 'POST', `/ari/channels/${id}/play?media=sound:x&skipms=-1`, true);
    assert.deepEqual([negative.status, JSON.parse(negative.body)], [400, { message: 'skipms cannot be negative' }]);
    await client.channels.continueInDialplan({ channelId: id, context: 'cc-queue', extension: 's' });
    await waitEvent(rig, 'StasisEnd');
    await assert.rejects(client.channels.play({ channelId: id, media: 'sound:x' }), /Channel not in Stasis application/);
    await assert.rejects(client.channels.sendDTMF({ channelId: id, dtmf: '1' }), /Channel not in Stasis application/);
  });
});
