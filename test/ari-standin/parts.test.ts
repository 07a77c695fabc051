// The stand-in's parts on their own: dial strings and names, Asterisk patterns and the seeded
// outcome mix, the sim's setInUse control, the trunk plan from hardware, and the traffic
// generator placing and ending calls.

import assert from 'node:assert/strict';
import { AriStandin, causeText, dialStatusForCause, NAMED_CAUSES, planFromHardware, planFromSite } from '../../src/demo/ari-standin';
import { ChannelNamer, parseEndpoint } from '../../src/demo/ari-standin/dahdi-naming';
import { appendAudio, encodeAudio, linearToAlaw, linearToUlaw, recordedSamples } from '../../src/demo/ari-standin/audio-file';
import { parseBridgeType } from '../../src/demo/ari-standin/bridges';
import { asteriskPattern, DialScript } from '../../src/demo/ari-standin/dial-script';
import { parseIfExists, parseTerminateOn } from '../../src/demo/ari-standin/recordings';
import { parseCallerId } from '../../src/demo/ari-standin/originate';
import { readVariable } from '../../src/demo/ari-standin/routes/channel-routes';
import { ariTimestamp } from '../../src/demo/ari-standin/timestamp';
import { TrunkPool } from '../../src/demo/ari-standin/trunk-pool';
import { parseSite } from '../../src/provisioning/site/load';
import { createSimBackend } from '../../src/hardware/sim';
import { waitUntil } from './helpers';

describe('ARI stand-in: parts', () => {
  it('parses chan_dahdi dial strings', () => {
    const p = (e: string): unknown => { const r = parseEndpoint(e); return r.ok ? r.dial.target : r.reason; };
    assert.deepEqual(p('DAHDI/g1/555'), { kind: 'group', group: 1, hunt: 'ascending', span: null });
    assert.deepEqual(p('DAHDI/R3/555'), { kind: 'group', group: 3, hunt: 'round-robin-descending', span: null });
    assert.deepEqual(p('DAHDI/i2-g1/555'), { kind: 'group', group: 1, hunt: 'ascending', span: 2 });
    assert.deepEqual(p('DAHDI/17/555'), { kind: 'channel', channel: 17 });
    assert.equal(p('PJSIP/100'), 'not-dahdi');
    assert.equal(p('DAHDI/x1/5'), 'bad-resource');
    assert.throws(() => parseEndpoint('DAHDI'), /Invalid endpoint/);
    const n = new ChannelNamer();
    const pri = { channel: 3, span: 1, type: 'pri' };
    assert.deepEqual([n.name(pri, '555'), n.name(pri, '556'), n.name({ channel: 64, span: 3, type: 'analog' }, '1')], ['DAHDI/i1/555-1', 'DAHDI/i1/556-2', 'DAHDI/64-1']);
  });

  it('names every cause Asterisk names (26 of them used to print "Unknown")', () => {
    const once = [5, 7, 8, 14, 20, 23, 30, 43, 50, 52, 54, 57, 65, 66, 69, 81, 88, 95, 96, 97, 98, 99, 100, 101, 103, 111];
    for (const c of once) assert.notEqual(causeText(c), 'Unknown', `cause ${c}`);
    assert.equal(NAMED_CAUSES.length, 49); // main/channel.c causes[]
    assert.deepEqual([causeText(20), causeText(30), causeText(97), causeText(4)], ['Subscriber absent', 'Response to STATus ENQuiry', 'Message type nonexist.', 'Unknown']);
  });

  it('maps a clearing before answer to a Dial status by signalling: PRI congestion causes, the generic table otherwise', () => {
    const generic = [2, 3, 16, 17, 19, 20, 21, 27, 34, 38, 41, 42].map((c) => dialStatusForCause(c));
    assert.deepEqual(generic, ['NOANSWER', 'CHANUNAVAIL', 'NOANSWER', 'BUSY', 'NOANSWER', 'CHANUNAVAIL', 'NOANSWER', 'NOANSWER', 'CONGESTION', 'NOANSWER', 'NOANSWER', 'NOANSWER']);
    const pri = [17, 20, 21, 27, 34, 38, 41, 42, 16].map((c) => dialStatusForCause(c, 'pri'));
    assert.deepEqual(pri, ['BUSY', 'CHANUNAVAIL', 'CONGESTION', 'CONGESTION', 'CONGESTION', 'CONGESTION', 'CONGESTION', 'CONGESTION', 'NOANSWER']);
    assert.deepEqual([21, 20].map((c) => dialStatusForCause(c, 'analog')), ['NOANSWER', 'CHANUNAVAIL']);
  });

  it('matches Asterisk patterns and draws a seeded mix', () => {
    assert.ok(asteriskPattern('9NXX.').test('92345'));
    assert.ok(!asteriskPattern('9NXX.').test('9134'));
    assert.ok(asteriskPattern('[13]Z!').test('39'));
    const mix = { mix: [{ weight: 1, outcome: { kind: 'busy' as const } }, { weight: 3, outcome: { kind: 'answer' as const } }] };
    const draw = (seed: number): string[] => { const s = new DialScript({ default: mix, seed }); return Array.from({ length: 20 }, () => s.outcomeFor('1', 1).kind); };
    assert.deepEqual(draw(7), draw(7));
    assert.ok(draw(7).includes('busy') && draw(7).includes('answer'));
    const bySpan = new DialScript({ rules: [{ pattern: '_X.', outcome: { kind: 'congestion', cause: 42 }, span: 1 }], default: { kind: 'busy' } });
    assert.equal(bySpan.outcomeFor('5551234', 1).kind, 'congestion');
    assert.equal(bySpan.outcomeFor('5551234', 2).kind, 'busy');
    assert.deepEqual(parseCallerId('"ACME" <5550000>'), { name: 'ACME', number: '5550000' });
    assert.deepEqual(parseCallerId('5550000'), { name: '', number: '5550000' });
    assert.equal(ariTimestamp(Date.UTC(2026, 0, 1)), '2026-01-01T00:00:00.000+0000');
  });

  it('reads bridge types and recording options as res_stasis does', () => {
    assert.deepEqual(parseBridgeType(undefined), { holding: false, videoMode: 'talker' });
    assert.deepEqual(parseBridgeType('mixing, dtmf_events,proxy_media,unknown'), { holding: false, videoMode: 'talker' });
    assert.deepEqual(parseBridgeType('holding'), { holding: true, videoMode: 'none' });
    assert.deepEqual(parseBridgeType('mixing,video_sfu'), { holding: false, videoMode: 'sfu' });
    assert.equal(parseBridgeType('holding,mixing'), null, 'holding and mixing do not mix');
    assert.equal(parseBridgeType('dtmf_events'), null, 'no capability, no bridge');
    assert.deepEqual(['', 'NONE', 'Any', '#', '*', '1'].map((v) => parseTerminateOn(v)), ['none', 'none', 'any', '#', '*', undefined]);
    assert.deepEqual([undefined, 'Overwrite', 'append', 'keep'].map((v) => parseIfExists(v)), ['fail', 'overwrite', 'append', undefined]);
  });

  it('writes audio as the format modules do: G.711 by the book, a WAV header that grows with append', () => {
    assert.deepEqual([0, 1000, -1000, 32767, -32768].map(linearToUlaw), [0xff, 0xce, 0x4e, 0x80, 0x00]);
    assert.deepEqual([0, 1000, -1000, 32767, -32768].map(linearToAlaw), [0xd5, 0xfa, 0x7a, 0xaa, 0x2a]);
    const tone = recordedSamples(800, [{ from: 400, to: 800 }]);
    assert.ok(tone.slice(0, 400).some((x) => x !== 0) && tone.slice(400).every((x) => x === 0), 'tone, then silence where muted');
    const wav = encodeAudio('wav', tone);
    assert.deepEqual([wav.length, wav.readUInt32LE(40), wav.readUInt32LE(24)], [44 + 1600, 1600, 8000]);
    const longer = appendAudio('wav', wav, recordedSamples(160));
    assert.deepEqual([longer.length, longer.readUInt32LE(4), longer.readUInt32LE(40)], [44 + 1920, 36 + 1920, 1920]);
    assert.equal(encodeAudio('gsm', recordedSamples(161)).length, 2 * 33, 'whole 20 ms frames');
  });

  it('sim setInUse marks a channel held, refuses one held by another program, frees only its own', async () => {
    const sim = createSimBackend();
    try {
      assert.equal(sim.setInUse(5, true), true);
      assert.equal((await sim.channels(1)).find((c) => c.channel === 5)?.inUse, true);
      await assert.rejects(sim.openChannel(5), /held by another program/);
      const owned = await sim.openChannel(6);
      assert.equal(sim.setInUse(6, true), false);
      assert.equal(sim.setInUse(6, false), false);
      await owned.close();
      assert.equal(sim.setInUse(5, false), true);
      assert.equal((await sim.channels(1)).find((c) => c.channel === 5)?.inUse, false);
    } finally {
      await sim.close();
    }
  });

  it('a channel in several groups (group=0,12) is hunted in each and reports every group bit', () => {
    const { site } = parseSite(`site: m
toneZone: de
cards:
  - location: PCI_Bus_03_Slot_00
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, group: [0, 11] }
      - { port: 2, line: E1, signalling: pri_cpe, group: [0, 12] }
groups:
  - { number: 0, name: all, context: from-pstn }
  - { number: 11, name: span1, context: from-span1 }
  - { number: 12, name: span2, context: from-span2 }
`, 'site.yaml');
    const pool = new TrunkPool(planFromSite(site), null);
    const ch = pool.take({ kind: 'group', group: 12, hunt: 'ascending', span: null });
    assert.deepEqual([ch?.span, ch?.groups, ch?.context], [2, [0, 12], 'from-pstn']);
    assert.equal(pool.take({ kind: 'group', group: 0, hunt: 'ascending', span: null })?.span, 1);
    assert.equal(readVariable({ trunk: ch } as never, 'CHANNEL(dahdi_group)'), String(2 ** 0 + 2 ** 12));
  });

  it('derives the trunk plan from the sim: PRI B-channels in group 1, FXO ports in group 2, no D-channels', async () => {
    const sim = createSimBackend();
    try {
      const plan = await planFromHardware(sim);
      assert.equal(plan.channels.filter((c) => c.groups[0] === 1).length, 60);
      assert.ok(!plan.channels.some((c) => c.channel === 16 || c.channel === 47));
      assert.deepEqual(plan.channels.filter((c) => c.groups[0] === 2).map((c) => [c.channel, c.type]), [[63, 'analog'], [64, 'analog']]);
      const custom = await planFromHardware(sim, { groups: [{ number: 5, spans: [2], hunt: 'descending', context: 'in-2' }] });
      assert.deepEqual([...new Set(custom.channels.filter((c) => c.groups[0] === 5).map((c) => c.span))], [2]);
    } finally {
      await sim.close();
    }
  });

  it('generates seeded inbound traffic: calls placed, ended by the far end, blocked when full', async () => {
    const sim = createSimBackend();
    const standin = new AriStandin({ hardware: sim, trunks: { groups: [{ number: 1, spans: [3] }] } });
    await standin.start();
    try {
      // Nobody is registered for the app: Stasis fails and the call ends at once (placed, not talking).
      const gen = standin.startTraffic({ callsPerMinute: 60000, seed: 3, group: 1 });
      await waitUntil(() => gen.stats.placed >= 5, 'calls placed');
      gen.stop();
      assert.equal(gen.stats.blocked, 0);
      assert.equal(standin.channels().length, 0);
    } finally {
      await standin.stop();
      await sim.close();
    }
  });
});
