// The map built from a site and checked against the sim's hardware: E1 PRI (TS16 is the
// D-channel), T1 PRI (D on 24), MFC/R2 (TS16 carries CAS, no D-channel), analog ports; names
// resolved to span/timeslot/group; spans missing or not fitting blocked, never a crash.

import assert from 'node:assert/strict';
import { isHardwareError } from '../../../src/hardware/errors';
import { createSimBackend, ManualClock } from '../../../src/hardware/sim';
import { isTrunkMapError, TrunkMap } from '../../../src/supervisor/trunk-map';
import { close, E1_PRI_SITE, R2_SCENARIO, R2_SITE, rig, site, T1_SCENARIO, T1_SITE, type Rig } from './trunk-helpers';

describe('trunk map: mapping', () => {
  let r: Rig;
  afterEach(() => close(r));

  it('E1 PRI: 30 B-channels per span, TS16 in no group, channel 17 = span 1 TS17', async () => {
    r = await rig();
    const pri = r.map.snapshot().channels.filter((c) => c.group === 1);
    assert.equal(pri.length, 60);
    assert.deepEqual(r.map.channel(17), { channel: 17, span: 1, timeslot: 17, group: 1, groups: [1], port: null, state: 'idle', callRef: null, direction: null, since: r.map.channel(17).since });
    assert.deepEqual([r.map.channel(32).span, r.map.channel(32).timeslot], [2, 1]);
    assert.deepEqual([r.map.channel(62).span, r.map.channel(62).timeslot], [2, 31]);
    for (const d of [16, 47]) {
      assert.throws(() => r.map.channel(d), (err: unknown) => isTrunkMapError(err, 'NOT_A_BEARER') && /D-channel/.test(err.message));
    }
    assert.throws(() => r.map.channel(67), (err: unknown) => isTrunkMapError(err, 'UNKNOWN_CHANNEL'));
  });

  it('analog ports: one channel per port, timeslot = port, fxo/fxs kept', async () => {
    r = await rig();
    const ports = [63, 64, 65, 66].map((c) => r.map.channel(c));
    assert.deepEqual(ports.map((p) => [p.span, p.timeslot, p.group, p.port]), [[3, 1, 2, 'fxo'], [3, 2, 2, 'fxo'], [3, 3, 3, 'fxs'], [3, 4, 3, 'fxs']]);
    const res = r.map.resolveChannelName('DAHDI/64-1');
    assert.ok(res.ok && res.value.kind === 'channel' && res.value.info.group === 2);
  });

  it('T1 PRI: 23 B-channels, channel 24 the D-channel, a span split over two groups', async () => {
    r = await rig({ siteYaml: T1_SITE, scenarioYaml: T1_SCENARIO });
    const snap = r.map.snapshot();
    assert.equal(snap.channels.length, 46);
    assert.throws(() => r.map.channel(24), (err: unknown) => isTrunkMapError(err, 'NOT_A_BEARER'));
    assert.throws(() => r.map.channel(48), (err: unknown) => isTrunkMapError(err, 'NOT_A_BEARER'));
    assert.deepEqual([r.map.channel(25).span, r.map.channel(25).timeslot, r.map.channel(25).group], [2, 1, 2]);
    assert.deepEqual([r.map.channel(37).timeslot, r.map.channel(37).group], [13, 1]);
    assert.deepEqual(snap.groups.map((g) => [g.name, g.counts.idle]), [['att', 34], ['ivr-in', 12]]);
  });

  it('MFC/R2: TS16 is no channel, 30 per span, no D-channel', async () => {
    r = await rig({ siteYaml: R2_SITE, scenarioYaml: R2_SCENARIO });
    assert.equal(r.map.snapshot().channels.length, 60);
    assert.throws(() => r.map.channel(16), (err: unknown) => isTrunkMapError(err, 'NOT_A_BEARER') && /TS16/.test(err.message));
    assert.deepEqual([r.map.channel(48).span, r.map.channel(48).timeslot], [2, 17]);
    const res = r.map.resolveChannelName('DAHDI/48-2');
    assert.ok(res.ok && res.value.kind === 'channel' && res.value.info.timeslot === 17);
  });

  it('PRI names resolve to the span, and to the B-channel with CHANNEL(dahdi_channel)', async () => {
    r = await rig();
    const span = r.map.resolveChannelName('DAHDI/i2/5551234-1f');
    assert.ok(span.ok && span.value.kind === 'span' && span.value.span.span === 2);
    assert.deepEqual(span.ok && span.value.kind === 'span' ? span.value.groups : null, [1]);
    const ch = r.map.resolveChannelName('DAHDI/i2/5551234-1f', { dahdiChannel: 40 });
    assert.ok(ch.ok && ch.value.kind === 'channel' && ch.value.info.timeslot === 9);
    // The hint and the name disagree: refused, not guessed.
    const wrong = r.map.resolveChannelName('DAHDI/i1/5551234-1f', { dahdiChannel: 40 });
    assert.ok(!wrong.ok && wrong.error.code === 'UNKNOWN_CHANNEL');
    assert.ok(r.map.resolveChannelName('DAHDI/pseudo-77').ok);
  });

  it('unknown names are refused with a reason, never a throw', async () => {
    r = await rig();
    const cases: [unknown, string][] = [
      ['DAHDI/16-1', 'NOT_A_BEARER'], ['DAHDI/500-1', 'UNKNOWN_CHANNEL'], ['DAHDI/i9/555-1', 'UNKNOWN_SPAN'],
      ['Local/100@ctx-0001;1', 'BAD_CHANNEL_NAME'], [undefined, 'BAD_CHANNEL_NAME'], ['DAHDI/i1/555-1', ''],
    ];
    for (const [name, code] of cases) {
      const res = r.map.resolveChannelName(name);
      if (code === '') assert.ok(res.ok);
      else assert.ok(!res.ok && res.error.code === code && res.error.message.length > 0, String(name));
    }
  });

  it('a site span missing in the hardware: its channels blocked "span missing", logged; back when it appears', async () => {
    r = await rig({ before: (sim) => sim.removeSpan(2) });
    assert.equal(r.map.channel(40).state, 'blocked-alarm');
    assert.deepEqual(r.map.snapshot().spans.find((s) => s.span === 2)?.reason, ['span missing']);
    assert.ok(r.logs.some((l) => l.level === 'warn' && (l.obj as { span?: number }).span === 2 && /cannot carry calls/.test(l.msg)));
    assert.equal(r.map.channel(1).state, 'idle');
    r.sim.restoreSpan(2);
    await r.step(100);
    assert.equal(r.map.channel(40).state, 'blocked-alarm'); // hold-down after it reappears
    await r.step(2500);
    assert.equal(r.map.channel(40).state, 'idle');
  });

  it('a site span the hardware numbers differently is blocked for good with the reason', async () => {
    // Three E1 in the site, but hardware span 3 is the 4-port analog card.
    const yaml = `
site: misfit
toneZone: de
cards:
  - location: PCI_Bus_03_Slot_00
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: pri }
      - { port: 2, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: pri }
      - { port: 3, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: pri }
groups:
  - { number: 1, name: pri, context: from-pri }
`;
    r = await rig({ siteYaml: yaml });
    assert.equal(r.map.channel(70).state, 'blocked-alarm');
    assert.match(r.map.snapshot().spans[2]?.reason[0] ?? '', /span too small/);
    assert.deepEqual(r.map.planAttempts('pri', '1').map((a) => a.span), [1, 2]);
  });

  it('start() on unreadable hardware rejects with the hardware error and can be retried', async () => {
    r = await rig();
    const sim = createSimBackend({ clock: new ManualClock() });
    await sim.close();
    const map = TrunkMap.create({ site: site(E1_PRI_SITE), backend: sim });
    await assert.rejects(map.start(), (err: unknown) => isHardwareError(err, 'CLOSED'));
    await assert.rejects(map.start(), (err: unknown) => isHardwareError(err, 'CLOSED'));
    await map.stop();
  });
});
