// The sim backend: the shared hardware contract (real time), then what only the sim promises -
// DAHDI-faithful alarm sequences, counters per driver, maintenance, channel owners, scenario
// faults and determinism under a seed - driven in virtual time by a ManualClock.

import assert from 'node:assert/strict';
import { ALARM_BITS as A, CHANNEL_EVENTS as EV, LINECONFIG_BITS as L, SIGTYPES } from '../../src/hardware/dahdi-constants';
import { isHardwareError } from '../../src/hardware/errors';
import { createSimBackend, defaultScenario, ManualClock, parseScenario, type SimBackend } from '../../src/hardware/sim';
import type { HardwareEvent } from '../../src/hardware/types';
import { hardwareContract } from '../contract/hardware-contract';

const LOC_PAIR = `
recoverMs: 300
cards:
  - driver: dahdi_dynamic_loc
    location: dynamic:loc:0
    spans:
      - { type: E1, signalling: pri_cpe, wiredTo: 2 }
      - { type: E1, signalling: pri_net }
`;

describe('sim backend', () => {
  describe('contract', () => {
    let sim: SimBackend;
    hardwareContract('sim (default scenario)', async () => (sim = createSimBackend({ scenario: { ...defaultScenario(), recoverMs: 300 } })), {
      takeSpanAway: async (span) => sim.raiseFault(span, 'LOS'),
      restore: async () => sim.clearFault(1),
      expectRedSpan: 1,
    });
    // The same shape as the hardware VM: two loc spans cabled together, the peer destroyed.
    let loc: SimBackend;
    hardwareContract('sim (loc pair, like the hardware VM)', async () => (loc = createSimBackend({ scenario: parseScenario(LOC_PAIR) })), {
      takeSpanAway: async () => loc.removeSpan(2),
      restore: async () => loc.restoreSpan(2),
      expectRedSpan: 1,
    });
  });

  describe('virtual time', () => {
    let clock: ManualClock;
    let sim: SimBackend;
    let events: HardwareEvent[];

    function start(yaml?: string): void {
      clock = new ManualClock();
      sim = createSimBackend({ clock, ...(yaml === undefined ? {} : { scenario: parseScenario(yaml) }) });
      events = [];
      sim.subscribe((batch) => {
        for (const e of batch) events.push(e);
      }, { intervalMs: 100 });
      clock.advance(0);
    }
    /** Advances virtual time and returns the events delivered meanwhile. */
    function step(ms: number): HardwareEvent[] {
      const from = events.length;
      clock.advance(ms);
      return events.slice(from);
    }
    const alarmsOf = (evs: HardwareEvent[], span = 1) =>
      evs.flatMap((e) => (e.kind === 'alarm' && e.span === span ? [{ alarms: e.alarms, raised: e.raised, cleared: e.cleared }] : []));

    afterEach(async () => {
      await sim.close();
      assert.equal(clock.pending, 0, 'close() cancels every timer');
    });

    it('lays out the default hardware as DAHDI numbers it', async () => {
      start();
      assert.deepEqual(events.map((e) => `${e.kind}:${e.span}`), ['span-added:1', 'span-added:2', 'span-added:3']);
      const spans = await sim.spans();
      assert.deepEqual(spans.map((s) => [s.baseChannel, s.totalChannels]), [[1, 31], [32, 31], [63, 4]]);
      const [e1, , analog] = spans;
      assert.equal(e1?.lineConfig, L.CCS | L.HDB3 | L.CRC4);
      assert.equal(e1?.name, 'TE2/0/1');
      assert.equal(e1?.location, 'PCI Bus 03 Slot 01');
      assert.equal(e1?.linecompat, L.AMI | L.HDB3 | L.CCS | L.CRC4);
      assert.equal(analog?.spanType, 'ANALOG');
      assert.equal(analog?.spanTypeText, 'ANALO');
      const span1 = await sim.channels(1);
      assert.equal(span1[15]?.sigtype, SIGTYPES.HARDHDLC);
      assert.equal(span1[15]?.channel, 16);
      assert.equal(span1[0]?.sigtypeName, 'CLEAR');
      assert.equal(span1[0]?.hook, null);
      assert.equal(span1[0]?.rxBits, null);
      const ports = await sim.channels(3);
      // FXO ports speak FXS signalling and FXS ports FXO signalling.
      assert.deepEqual(ports.map((c) => [c.channel, c.sigtypeName, c.hook]), [
        [63, 'FXSKS', 'onhook'], [64, 'FXSKS', 'onhook'], [65, 'FXOKS', 'onhook'], [66, 'FXOKS', 'onhook'],
      ]);
      const cards = await sim.cards();
      assert.deepEqual(cards.map((c) => [c.vendorId, c.model, c.ports, c.portKind]), [[0xd161, 'TE205P', 2, 'E1/T1'], [0xd161, 'TDM410P', 4, 'analog']]);
    });

    it('reports only the counters each driver writes', async () => {
      start();
      const [e1, , analog] = await sim.spans();
      assert.equal(e1?.counters.bpv, null);
      assert.equal(e1?.counters.fas, null);
      assert.equal(e1?.counters.crc4, 0);
      assert.equal(e1?.counters.slips, 0);
      assert.equal(analog?.counters.irqmisses, 0);
      assert.equal(analog?.counters.crc4, null);
    });

    it('goes RED with LOS, through RECOVER for recoverMs, then back to no alarm', async () => {
      start();
      sim.raiseFault(1, 'LOS');
      const down = step(100);
      assert.deepEqual(alarmsOf(down), [{ alarms: A.RED | A.LOS, raised: ['RED', 'LOS'], cleared: [] }]);
      assert.ok(down.some((e) => e.kind === 'dchannel' && e.span === 1 && !e.up));
      assert.equal((await sim.span(2)).syncSource, 2, 'the card falls back to the next timing source');
      sim.clearFault(1);
      assert.deepEqual(alarmsOf(step(100)), [{ alarms: A.RECOVER, raised: ['RECOVER'], cleared: ['RED', 'LOS'] }]);
      assert.deepEqual(alarmsOf(step(2300)), []);
      const up = step(200);
      assert.deepEqual(alarmsOf(up), [{ alarms: 0, raised: [], cleared: ['RECOVER'] }]);
      assert.ok(up.some((e) => e.kind === 'dchannel' && e.span === 1 && e.up));
      assert.equal((await sim.span(2)).syncSource, 1);
    });

    it('shows RED -> YELLOW when LOS clears while the far end still signals RAI', () => {
      start();
      sim.raiseFault(1, 'RAI');
      sim.raiseFault(1, 'LOS');
      assert.deepEqual(alarmsOf(step(100)), [{ alarms: A.RED | A.LOS, raised: ['RED', 'LOS'], cleared: [] }]);
      sim.clearFault(1, 'LOS');
      assert.deepEqual(alarmsOf(step(100)), [{ alarms: A.YELLOW, raised: ['YELLOW'], cleared: ['RED', 'LOS'] }]);
    });

    it('maps AIS to BLUE and loss of frame to RED + LFA', () => {
      start();
      sim.raiseFault(1, 'AIS');
      sim.raiseFault(2, 'LOF');
      const evs = step(100);
      assert.equal(alarmsOf(evs, 1)[0]?.alarms, A.BLUE);
      assert.equal(alarmsOf(evs, 2)[0]?.alarms, A.RED | A.LFA);
    });

    it('sends ALARM/NOALARM to a channel owner only on any-alarm <-> no-alarm', async () => {
      start();
      const owned = await sim.openChannel(1);
      const codes: number[] = [];
      owned.onEvent((e) => codes.push(e.code));
      sim.raiseFault(1, 'LOS');
      sim.raiseFault(1, 'RAI');
      sim.clearFault(1, 'LOS'); // RED -> YELLOW: no event
      sim.clearFault(1, 'RAI'); // YELLOW -> RECOVER: no event
      step(3000);
      assert.deepEqual(codes, [EV.ALARM, EV.NOALARM]);
      assert.equal((await sim.channels(1))[0]?.inUse, true);
      await owned.close();
      assert.equal((await sim.channels(1))[0]?.inUse, false);
    });

    it('sets LOOPBACK during a loop and clears line alarms under a local loop', async () => {
      start();
      sim.raiseFault(1, 'LOS');
      step(100);
      assert.deepEqual(await sim.maintenance(1, 'local-loop'), { supported: true });
      const looped = alarmsOf(step(100))[0];
      assert.equal(looped?.alarms, A.LOOPBACK | A.RECOVER);
      assert.deepEqual(looped?.cleared, ['RED', 'LOS']);
      await sim.maintenance(1, 'none');
      assert.equal((await sim.span(1)).alarms, A.RED | A.LOS);
      // In-band loop codes are T1 only: an E1 framer answers ENOSYS.
      assert.deepEqual(await sim.maintenance(1, 'loopup'), { supported: false, reason: 'not supported by this driver' });
      assert.deepEqual(await sim.maintenance(3, 'local-loop'), { supported: false, reason: 'not supported by this driver' });
      await assert.rejects(sim.maintenance(9, 'none'), (err) => isHardwareError(err, 'UNKNOWN_SPAN') && /1, 2, 3/.test(err.message));
    });

    it('reports counter deltas and takes a reset as a new baseline', async () => {
      start();
      sim.raiseFault(1, 'slips', { count: 3 });
      sim.raiseFault(1, 'crc-burst', { count: 40 });
      const evs = step(100).filter((e) => e.kind === 'counters');
      assert.deepEqual(evs.map((e) => e.kind === 'counters' && e.deltas), [{ crc4: 40, errsec: 1, slips: 3 }]);
      await sim.maintenance(1, 'reset-counters');
      assert.equal((await sim.span(1)).counters.slips, 0);
      assert.deepEqual(step(100).filter((e) => e.kind === 'counters'), []);
    });

    it('stays silent about counters a driver does not report', async () => {
      start(`
cards:
  - driver: wanpipe
    vendor: Sangoma
    model: A102
    spans: [{ type: E1 }, { type: E1 }]
`);
      sim.raiseFault(1, 'crc-burst', { count: 10 });
      assert.deepEqual(step(100).filter((e) => e.kind === 'counters'), []);
      const span = await sim.span(1);
      assert.ok(Object.values(span.counters).every((v) => v === null));
      assert.deepEqual(await sim.maintenance(1, 'local-loop'), { supported: false, reason: 'not supported by this driver' });
    });

    it('delivers hook and ABCD edges to subscribers and owners', async () => {
      start(`
cards:
  - driver: wct4xxp
    spans: [{ type: E1, signalling: mfcr2 }]
  - driver: wctdm24xxp
    ports: [{ type: fxs }]
`);
      const chans = await sim.channels(1);
      assert.equal(chans[0]?.sigtypeName, 'CAS');
      assert.equal(chans[0]?.rxBits, 0b1001);
      assert.equal(chans[15]?.sigtype, SIGTYPES.NONE);
      await assert.rejects(sim.openChannel(16), (err) => isHardwareError(err, 'CHANNEL_UNCONFIGURED'));
      const cas = await sim.openChannel(1);
      const phone = await sim.openChannel(32);
      const codes: string[] = [];
      cas.onEvent((e) => codes.push(e.name));
      phone.onEvent((e) => codes.push(e.name));
      sim.setAbcd(1, 0b0001);
      sim.setHook(32, 'offhook');
      const evs = step(100);
      assert.deepEqual(evs.filter((e) => e.kind === 'abcd'), [{ at: clock.now(), span: 1, kind: 'abcd', channel: 1, previous: 0b1001, bits: 0b0001 }]);
      assert.deepEqual(evs.filter((e) => e.kind === 'hook'), [{ at: clock.now(), span: 2, kind: 'hook', channel: 32, hook: 'offhook' }]);
      assert.deepEqual(codes, ['BITSCHANGED', 'RINGOFFHOOK']);
      assert.throws(() => sim.setHook(1, 'offhook'), RangeError);
    });

    it('removes and restores a span, telling owners and subscribers', async () => {
      start();
      const owned = await sim.openChannel(40);
      const codes: number[] = [];
      owned.onEvent((e) => codes.push(e.code));
      sim.removeSpan(2);
      assert.deepEqual(step(100).map((e) => `${e.kind}:${e.span}`), ['span-removed:2']);
      assert.deepEqual(codes, [EV.REMOVED]);
      await assert.rejects(sim.span(2), (err) => isHardwareError(err, 'UNKNOWN_SPAN') && /spans present: 1, 3/.test(err.message));
      await assert.rejects(sim.openChannel(33), (err) => isHardwareError(err, 'UNKNOWN_CHANNEL'));
      sim.restoreSpan(2);
      assert.deepEqual(step(100).map((e) => `${e.kind}:${e.span}`), ['span-added:2']);
      assert.deepEqual((await sim.spans()).map((s) => s.baseChannel), [1, 32, 63]);
    });

    it('models a back-to-back cable: peer gone is LOS, peer in RED sends RAI, CPE needs NET', () => {
      start(LOC_PAIR);
      sim.raiseFault(2, 'LOS');
      let evs = step(100);
      assert.equal(alarmsOf(evs, 1)[0]?.alarms, A.YELLOW);
      assert.equal(alarmsOf(evs, 2)[0]?.alarms, A.RED | A.LOS);
      sim.clearFault(2);
      step(1000);
      sim.removeSpan(2);
      evs = step(100);
      assert.equal(alarmsOf(evs, 1)[0]?.alarms, A.RED | A.LOS);
      const cpeCpe = LOC_PAIR.replace('pri_net', 'pri_cpe');
      void sim.close();
      start(cpeCpe);
      step(1000);
      assert.ok(!events.some((e) => e.kind === 'dchannel' && e.up), 'two CPE ends never bring the D-channel up');
    });

    it('plays scripted faults at their times', () => {
      start(`
recoverMs: 500
faults:
  scripted:
    - { at: 1000, span: 2, fault: AIS, duration: 2000 }
    - { at: 1500, span: 1, fault: ebit-burst, count: 7 }
    - { at: 5000, span: 1, fault: flap, count: 2, duration: 1000 }
`);
      assert.deepEqual(alarmsOf(step(900), 2), []);
      assert.deepEqual(alarmsOf(step(200), 2).map((a) => a.alarms), [A.BLUE]);
      const burst = step(500).filter((e) => e.kind === 'counters');
      assert.deepEqual(burst.map((e) => e.kind === 'counters' && e.deltas), [{ ebit: 7 }]);
      assert.deepEqual(alarmsOf(step(1500), 2).map((a) => a.alarms), [A.RECOVER]);
      assert.deepEqual(alarmsOf(step(600), 2).map((a) => a.alarms), [0]);
      const flap = alarmsOf(step(3000), 1).map((a) => a.alarms);
      assert.deepEqual(flap, [A.RED | A.LOS, A.RECOVER, A.RED | A.LOS, A.RECOVER, 0]);
    });

    it('produces the same events from the same seed, and others from another seed', async () => {
      const yaml = (seed: number) => `
seed: ${seed}
cards:
  - driver: wct4xxp
    spans: [{ type: E1 }, { type: E1, signalling: mfcr2 }]
  - driver: wctdm24xxp
    ports: [{ type: fxo }, { type: fxs }]
faults:
  random: { ratePerMinute: 30 }
activity: { hookRatePerMinute: 20, abcdRatePerMinute: 2 }
`;
      const run = async (seed: number): Promise<string> => {
        start(yaml(seed));
        step(120_000);
        await sim.close();
        return JSON.stringify(events);
      };
      const a = await run(7);
      const b = await run(7);
      const c = await run(8);
      assert.ok(a.length > 1000, 'the run produced events');
      assert.equal(a, b);
      assert.notEqual(a, c);
    });

    it('passes 100,000 injected events per second through a subscription', () => {
      start();
      const burst: HardwareEvent[] = Array.from({ length: 200_000 }, (_, i) => ({
        at: 0, span: 3, kind: 'hook', channel: 63 + (i % 4), hook: i % 2 ? 'onhook' : 'offhook',
      }));
      const t0 = process.hrtime.bigint();
      sim.inject(burst);
      const delivered = step(100).length;
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      assert.equal(delivered, burst.length);
      assert.ok(burst.length / seconds >= 100_000, `${Math.round(burst.length / seconds)} events/s`);
    });

    it('generates high-rate line activity cheaply', () => {
      start(`
cards:
  - driver: wct4xxp
    spans: [{ type: E1, signalling: mfcr2 }, { type: E1, signalling: mfcr2 }]
activity: { abcdRatePerMinute: 60000 }
`);
      const abcd = step(1000).filter((e) => e.kind === 'abcd').length;
      // 60 channels x 1000 changes/s, seen by a 100 ms poll: about half of them show a change
      // per poll (an even number of flips in between looks like none, as on the real driver).
      assert.ok(abcd > 200 && abcd <= 600, `${abcd} ABCD edges in one second`);
    });
  });
});
