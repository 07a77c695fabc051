// Recording through the real ari-client, as the recording features will use it: a recording on
// an answered channel stopped and found stored with a real WAV file (8000 Hz, 16-bit, mono, its
// data the length of the duration), each format's file, maxDurationSeconds, terminateOn with a
// far-end digit, a hangup mid-recording, ifExists, pause/mute/cancel, a recording queued behind a
// prompt, copy and delete of stored recordings, and the documented errors.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { channelOf, connectClient, raw, rawBytes, startRig, stopRig, waitEvent, type Rig } from './helpers';
import type { AriClient, AriEvent, AriLiveRecordingJson } from './ari-client-types';

interface WavInfo {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
}

/** The canonical RIFF/WAVE header, checked field by field. */
function wavInfo(bytes: Buffer): WavInfo {
  assert.equal(bytes.toString('ascii', 0, 4), 'RIFF');
  assert.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size');
  assert.equal(bytes.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(bytes.readUInt16LE(20), 1, 'PCM');
  assert.equal(bytes.toString('ascii', 36, 40), 'data');
  assert.equal(bytes.readUInt32LE(40), bytes.length - 44, 'data size');
  return { channels: bytes.readUInt16LE(22), sampleRate: bytes.readUInt32LE(24), bitsPerSample: bytes.readUInt16LE(34), dataBytes: bytes.readUInt32LE(40) };
}

const recordingOf = (e: AriEvent): AriLiveRecordingJson => e.recording as AriLiveRecordingJson;

describe('ARI stand-in: recordings', () => {
  let rig: Rig;
  let client: AriClient;
  beforeEach(async () => {
    rig = await startRig({ dialplan: { 'cc-queue': ['s'] }, media: { defaultMs: 30, durations: { 'sound:long-prompt': 60000 } } });
    client = await connectClient(rig);
  });
  afterEach(async () => stopRig(rig));

  const inStasis = async (did = '100'): Promise<string> => {
    const placed = rig.standin.placeInboundCall({ did, callerId: `069${did}` });
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === placed.id);
    return placed.id;
  };
  const finishedOf = (name: string): Promise<AriEvent> => waitEvent(rig, 'RecordingFinished', (e) => recordingOf(e).name === name);
  const file = (name: string): ReturnType<typeof rawBytes> => rawBytes(rig.port, 'GET', `/ari/recordings/stored/${encodeURIComponent(name)}/file`, true);

  it('records an answered channel: 201 queued, RecordingStarted, stop, RecordingFinished with the duration, then a stored WAV of that length', async () => {
    const id = await inStasis();
    await client.channels.answer({ channelId: id });
    const created = await raw(rig.port, 'POST', `/ari/channels/${id}/record?name=call-1&format=wav&beep=true`, true);
    assert.deepEqual([created.status, created.headers.location], [201, '/recordings/live/call-1']);
    assert.deepEqual(JSON.parse(created.body), { name: 'call-1', format: 'wav', state: 'queued', target_uri: `channel:${id}` });
    const started = await waitEvent(rig, 'RecordingStarted');
    assert.deepEqual([recordingOf(started).state, channelOf(started)], ['recording', undefined]);
    assert.equal((await client.recordings.getLive({ recordingName: 'call-1' })).state, 'recording');
    await client.recordings.stop({ recordingName: 'call-1' });
    const done = recordingOf(await finishedOf('call-1'));
    assert.deepEqual([done.state, typeof done.duration], ['done', 'number']);
    await assert.rejects(client.recordings.getLive({ recordingName: 'call-1' }), /Recording not found/);
    assert.deepEqual((await client.recordings.listStored()).map((r) => [r.name, r.format]), [['call-1', 'wav']]);
    const got = await client.recordings.getStored({ recordingName: 'call-1' });
    assert.deepEqual([got.name, got.format], ['call-1', 'wav']);
    const wav = await file('call-1');
    assert.deepEqual([wav.status, wav.headers['content-type']], [200, 'audio/wav']);
    const info = wavInfo(wav.body);
    assert.deepEqual([info.sampleRate, info.bitsPerSample, info.channels], [8000, 16, 1]);
    assert.equal(Math.floor(info.dataBytes / 2 / 8000), done.duration, 'whole seconds of 8000 samples');
    assert.ok(existsSync(path.join(rig.standin.recordingsDir, 'call-1.wav')));
  });

  it('ends at maxDurationSeconds with every format\'s file the length of one second; ifExists=append adds to a file', async () => {
    // A short recording first, for append to add to.
    const first = await inStasis('99');
    await client.channels.record({ channelId: first, name: 'grow', format: 'wav' });
    await waitEvent(rig, 'RecordingStarted');
    await client.recordings.stop({ recordingName: 'grow' });
    await finishedOf('grow');
    const before = wavInfo((await file('grow')).body).dataBytes;
    const sizes: Record<string, number> = { wav: 44 + 16000, sln: 16000, ulaw: 8000, alaw: 8000, gsm: 50 * 33 };
    const formats = Object.keys(sizes);
    const ids = await Promise.all(formats.map((_, i) => inStasis(String(200 + i))));
    const appendTo = await inStasis('300');
    await Promise.all(formats.map((format, i) => client.channels.record({ channelId: ids[i] ?? '', name: `one-${format}`, format, maxDurationSeconds: 1 })));
    await client.channels.record({ channelId: appendTo, name: 'grow', format: 'wav', maxDurationSeconds: 1, ifExists: 'append' });
    for (const format of formats) {
      const done = recordingOf(await finishedOf(`one-${format}`));
      assert.deepEqual([done.state, done.duration], ['done', 1], format);
      const stored = await file(`one-${format}`);
      assert.deepEqual([stored.headers['content-type'], stored.body.length], [`audio/${format}`, sizes[format]], format);
    }
    const appended = await waitEvent(rig, 'RecordingFinished', (e) => recordingOf(e).target_uri === `channel:${appendTo}`);
    assert.equal(recordingOf(appended).duration, 1, 'the duration of what this recording added');
    assert.equal(wavInfo((await file('grow')).body).dataBytes, before + 16000);
    // The ulaw tone is G.711 (silence would be 0xFF throughout): the file carries sound.
    assert.ok((await file('one-ulaw')).body.some((b) => b !== 0xff));
  });

  it('ends on its terminateOn digit (after ChannelDtmfReceived); other digits leave it running', async () => {
    const id = await inStasis();
    await client.channels.record({ channelId: id, name: 'until-hash', format: 'wav', terminateOn: '#' });
    await waitEvent(rig, 'RecordingStarted');
    rig.standin.pressDtmf(id, '1', { durationMs: 5 });
    await waitEvent(rig, 'ChannelDtmfReceived', (e) => e.digit === '1');
    assert.equal((await client.recordings.getLive({ recordingName: 'until-hash' })).state, 'recording');
    rig.standin.pressDtmf(id, '#', { durationMs: 5 });
    await finishedOf('until-hash');
    assert.deepEqual(rig.events.slice(-2).map((e) => e.type === 'ChannelDtmfReceived' ? `${e.type}:${String(e.digit)}` : e.type), ['ChannelDtmfReceived:#', 'RecordingFinished']);
    await client.channels.record({ channelId: id, name: 'until-any', format: 'wav', terminateOn: 'any' });
    await waitEvent(rig, 'RecordingStarted', (e) => recordingOf(e).name === 'until-any');
    rig.standin.pressDtmf(id, '7', { durationMs: 5 });
    assert.equal(recordingOf(await finishedOf('until-any')).state, 'done');
  });

  it('answers a ringing channel first; a hangup mid-recording finishes it ("done") before StasisEnd and keeps the file', async () => {
    const id = await inStasis();
    await client.channels.record({ channelId: id, name: 'cut-off', format: 'wav' });
    await waitEvent(rig, 'RecordingStarted');
    rig.standin.remoteHangup(id);
    await waitEvent(rig, 'ChannelDestroyed');
    const trail = rig.events.filter((e) => e.type !== 'StasisStart').map((e) => e.type === 'ChannelStateChange' ? `State:${channelOf(e).state}` : e.type);
    assert.deepEqual(trail, ['State:Up', 'RecordingStarted', 'ChannelHangupRequest', 'RecordingFinished', 'StasisEnd', 'ChannelDestroyed']);
    assert.equal(recordingOf(await finishedOf('cut-off')).state, 'done');
    assert.equal((await client.recordings.getStored({ recordingName: 'cut-off' })).format, 'wav');
  });

  it('ifExists: fail (the default) refuses a stored name and one in progress; overwrite replaces it', async () => {
    const a = await inStasis('100');
    const b = await inStasis('101');
    await client.channels.record({ channelId: a, name: 'same', format: 'wav' });
    await assert.rejects(client.channels.record({ channelId: b, name: 'same', format: 'wav', ifExists: 'overwrite' }), /Recording 'same' already exists and can not be overwritten/);
    await client.recordings.stop({ recordingName: 'same' });
    await finishedOf('same');
    const refused = await raw(rig.port, 'POST', `/ari/channels/${b}/record?name=same&format=gsm`, true);
    assert.deepEqual([refused.status, JSON.parse(refused.body)], [409, { message: "Recording 'same' already exists and can not be overwritten" }]);
    await client.channels.record({ channelId: b, name: 'same', format: 'wav', ifExists: 'overwrite' });
    await waitEvent(rig, 'RecordingStarted', (e) => recordingOf(e).target_uri === `channel:${b}`);
  });

  it('pauses, mutes and cancels a live recording: a cancelled one leaves no file', async () => {
    const id = await inStasis();
    await client.channels.record({ channelId: id, name: 'tmp', format: 'wav' });
    await waitEvent(rig, 'RecordingStarted');
    await client.recordings.pause({ recordingName: 'tmp' });
    assert.equal((await client.recordings.getLive({ recordingName: 'tmp' })).state, 'paused');
    await client.recordings.pause({ recordingName: 'tmp' });
    await client.recordings.unpause({ recordingName: 'tmp' });
    assert.equal((await client.recordings.getLive({ recordingName: 'tmp' })).state, 'recording');
    await client.recordings.mute({ recordingName: 'tmp' });
    await client.recordings.unmute({ recordingName: 'tmp' });
    await client.recordings.cancel({ recordingName: 'tmp' });
    assert.equal(recordingOf(await finishedOf('tmp')).state, 'done');
    await assert.rejects(client.recordings.getStored({ recordingName: 'tmp' }), /Recording not found/);
    await assert.rejects(client.recordings.cancel({ recordingName: 'tmp' }), /Recording not found/);
  });

  it('waits behind a prompt on the channel\'s control: queued, "not in session" for pause, a stop before its turn cancels it', async () => {
    const id = await inStasis();
    await client.channels.play({ channelId: id, media: 'sound:long-prompt', playbackId: 'prompt' });
    await waitEvent(rig, 'PlaybackStarted');
    await client.channels.record({ channelId: id, name: 'later', format: 'wav' });
    assert.equal((await client.recordings.getLive({ recordingName: 'later' })).state, 'queued');
    await assert.rejects(client.recordings.pause({ recordingName: 'later' }), /Recording not in session/);
    await assert.rejects(client.recordings.mute({ recordingName: 'later' }), /Recording not in session/);
    await client.recordings.stop({ recordingName: 'later' });
    await client.playbacks.stop({ playbackId: 'prompt' });
    assert.equal(recordingOf(await finishedOf('later')).state, 'canceled');
    assert.equal(rig.events.some((e) => e.type === 'RecordingStarted'), false);
    await assert.rejects(client.recordings.getStored({ recordingName: 'later' }), /Recording not found/);
  });

  it('copies and deletes stored recordings, with 404, 409 and 403 as documented', async () => {
    const id = await inStasis();
    await client.channels.record({ channelId: id, name: 'calls/orig', format: 'wav', maxDurationSeconds: 1 });
    await finishedOf('calls/orig');
    const copy = await client.recordings.copyStored({ recordingName: 'calls/orig', destinationRecordingName: 'archive/copy-1' });
    assert.deepEqual([copy.name, copy.format], ['archive/copy-1', 'wav']);
    assert.deepEqual((await file('archive/copy-1')).body, (await file('calls/orig')).body);
    assert.deepEqual((await client.recordings.listStored()).map((r) => r.name), ['archive/copy-1', 'calls/orig']);
    await assert.rejects(client.recordings.copyStored({ recordingName: 'calls/orig', destinationRecordingName: 'archive/copy-1' }), /A recording with the same name already exists on the system/);
    await assert.rejects(client.recordings.copyStored({ recordingName: 'nope', destinationRecordingName: 'x' }), /Recording not found/);
    const outside = await raw(rig.port, 'POST', `/ari/recordings/stored/${encodeURIComponent('calls/orig')}/copy?destinationRecordingName=${encodeURIComponent('../escaped')}`, true);
    assert.equal(outside.status, 403);
    await client.recordings.deleteStored({ recordingName: 'calls/orig' });
    await assert.rejects(client.recordings.getStored({ recordingName: 'calls/orig' }), /Recording not found/);
    assert.equal((await file('calls/orig')).status, 404);
    await assert.rejects(client.recordings.deleteStored({ recordingName: 'calls/orig' }), /Recording not found/);
    assert.deepEqual((await client.recordings.listStored()).map((r) => r.name), ['archive/copy-1']);
  });

  it('writes into a private directory removed on stop, or into the one given, which stays', async () => {
    const own = rig.standin.recordingsDir;
    const given = path.join(own, 'given');
    const other = await startRig({ recordingsDir: given });
    try {
      assert.equal(other.standin.recordingsDir, given);
    } finally {
      await stopRig(other);
    }
    assert.ok(existsSync(given), 'a given directory is kept');
    await stopRig(rig);
    assert.equal(existsSync(own), false, 'its own directory is removed');
    rig = await startRig();
  });

  it('answers the documented errors of POST /channels/{id}/record in Asterisk\'s order', async () => {
    const status = async (query: string, channelId: string): Promise<[number, string]> => {
      const r = await raw(rig.port, 'POST', `/ari/channels/${channelId}/record?${query}`, true);
      return [r.status, (JSON.parse(r.body) as { message: string }).message];
    };
    const id = await inStasis();
    assert.deepEqual(await status('name=r&format=wav', 'nope'), [404, 'Channel not found']);
    assert.deepEqual(await status('name=r&format=wav&maxDurationSeconds=-1', 'nope'), [400, 'max_duration_seconds cannot be negative']);
    assert.deepEqual(await status('name=r&format=wav&maxSilenceSeconds=-1', id), [400, 'max_silence_seconds cannot be negative']);
    assert.deepEqual(await status('name=r&format=wav&terminateOn=5', id), [400, 'terminateOn invalid']);
    assert.deepEqual(await status('name=r&format=wav&ifExists=keep', id), [400, 'ifExists invalid']);
    assert.deepEqual(await status('name=r&format=mp3', id), [422, 'specified format is unknown on this system']);
    assert.deepEqual(await status('format=wav', id), [500, 'Error parsing request']);
    assert.deepEqual(await status(`name=${encodeURIComponent('../evil')}&format=wav`, id), [400, 'Recording name invalid']);
    for (const [method, suffix] of [['GET', ''], ['DELETE', ''], ['POST', '/stop'], ['POST', '/pause'], ['DELETE', '/pause'], ['POST', '/mute'], ['DELETE', '/mute']] as const) {
      const r = await raw(rig.port, method, `/ari/recordings/live/nope${suffix}`, true);
      assert.deepEqual([r.status, JSON.parse(r.body)], [404, { message: 'Recording not found' }], `${method} ${suffix}`);
    }
    await client.channels.continueInDialplan({ channelId: id, context: 'cc-queue', extension: 's' });
    await waitEvent(rig, 'StasisEnd');
    assert.deepEqual(await status('name=r&format=wav', id), [409, 'Channel not in Stasis application']);
  });
});
