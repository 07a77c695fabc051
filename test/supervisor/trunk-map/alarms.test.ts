// Span alarms in the map, on the sim in virtual time: a call interrupted and the span blocked
// within one watcher interval, nothing new routed there, recovery only after the hold-down, a
// flapping span debounced with a growing hold-down, maintenance and loops, clean shutdown.

import assert from 'node:assert/strict';
import { isTrunkMapError } from '../../../src/supervisor/trunk-map';
import { close, rig, type Rig } from './trunk-helpers';

const INTERVAL = 100;

describe('trunk map: alarms', () => {
  let r: Rig;
  afterEach(() => close(r));

  it('an alarm mid-call: call-interrupted and the span blocked within one interval, nothing new there', async () => {
    r = await rig({ intervalMs: INTERVAL });
    r.map.claim(5, 'call-5', { direction: 'in' });
    r.map.answer(5);
    r.map.claim(6, 'call-6');
    r.sim.raiseFault(1, 'LOS');
    await r.step(INTERVAL);
    assert.equal(r.map.channel(5).state, 'blocked-alarm');
    const interrupted = r.events['call-interrupted'];
    assert.deepEqual(interrupted.map((e) => [e.channel, e.span, e.timeslot, e.group, e.callRef, e.state, e.cause]), [
      [5, 1, 5, 1, 'call-5', 'in-call', 'alarm'],
      [6, 1, 6, 1, 'call-6', 'ringing', 'alarm'],
    ]);
    assert.deepEqual(interrupted[0]?.alarms, ['RED', 'LOS']);
    assert.deepEqual(r.events['span-out-of-service'].map((e) => [e.span, e.reason]), [[1, ['RED', 'LOS']]]);
    // Nothing is routed or originated on span 1 now.
    assert.deepEqual(r.map.planAttempts('pri', '5551234'), [{ span: 2, dial: 'DAHDI/i2-g1/5551234' }]);
    assert.deepEqual(r.map.groupCapacity('pri'), { group: 1, name: 'pri', free: 30, inUse: 0, blocked: 30 });
    assert.throws(() => r.map.claim(3, 'new'), (err: unknown) => isTrunkMapError(err, 'CHANNEL_UNAVAILABLE') && err.span === 1);
    // Asterisk's hangup of the dead call arrives later: harmless.
    assert.equal(r.map.release(5).state, 'blocked-alarm');
    const snap = r.map.snapshot();
    assert.equal(snap.spans[0]?.counts['blocked-alarm'], 30);
    assert.equal(snap.groups[0]?.counts.idle, 30);
  });

  it('recovery: unblocked only after the hold-down since the alarm cleared', async () => {
    r = await rig({ intervalMs: INTERVAL, holdDownMs: 2500 });
    r.sim.raiseFault(1, 'AIS');
    await r.step(INTERVAL);
    assert.deepEqual(r.events['span-out-of-service'][0]?.reason, ['BLUE']);
    await r.step(10_000);
    r.sim.clearFault(1);
    await r.step(INTERVAL); // the poll that sees the clear (RECOVER shows)
    const clearedAt = r.clock.now();
    await r.step(2400);
    assert.equal(r.map.channel(1).state, 'blocked-alarm');
    assert.equal(r.events['span-in-service'].length, 0);
    await r.step(100);
    assert.equal(r.map.channel(1).state, 'idle');
    assert.deepEqual(r.events['span-in-service'].map((e) => [e.span, e.at - clearedAt]), [[1, 2500]]);
    assert.deepEqual(r.map.planAttempts('pri', '1').map((a) => a.span), [1, 2]);
  });

  it('a flapping span: one block, a hold-down doubling per flap, one unblock', async () => {
    r = await rig({ intervalMs: INTERVAL, holdDownMs: 1000, maxHoldDownMs: 8000 });
    const t0 = r.clock.now();
    r.sim.raiseFault(1, 'flap', { count: 5, durationMs: 5000 }); // LOS on at 0, 1000, ... off at 500, ..., 4500
    await r.step(5000);
    const lastClear = t0 + 4500;
    assert.equal(r.events['span-out-of-service'].length, 1);
    assert.equal(r.map.channel(1).state, 'blocked-alarm');
    // Five alarms in the episode: 1000 * 2^4 = 16000, capped at 8000.
    await r.step(lastClear + 7900 - r.clock.now());
    assert.equal(r.map.channel(1).state, 'blocked-alarm');
    await r.step(200);
    assert.equal(r.map.channel(1).state, 'idle');
    assert.equal(r.events['span-in-service'].length, 1);
    // Only span 1 moved; every change of its channels is block then unblock, once each.
    assert.equal(r.events['state-changed'].filter((e) => e.channel === 1).length, 2);
  });

  it('maintenance wins over an alarm and ends into blocked-alarm while the span is still in alarm', async () => {
    r = await rig({ intervalMs: INTERVAL });
    r.map.claim(40, 'call-40');
    await r.sim.maintenance(2, 'local-loop');
    await r.step(INTERVAL);
    assert.equal(r.map.channel(40).state, 'maintenance');
    assert.deepEqual(r.events['call-interrupted'].map((e) => [e.channel, e.cause, e.alarms]), [[40, 'maintenance', []]]);
    assert.deepEqual(r.events['span-out-of-service'].map((e) => [e.span, e.state, e.reason]), [[2, 'maintenance', ['LOOPBACK']]]);
    assert.deepEqual(r.map.planAttempts('pri', '1').map((a) => a.span), [1]);
    r.sim.raiseFault(2, 'LOS');
    await r.step(INTERVAL);
    assert.equal(r.map.channel(40).state, 'maintenance');
    await r.sim.maintenance(2, 'none');
    await r.step(INTERVAL);
    assert.equal(r.map.channel(40).state, 'blocked-alarm');
    assert.ok(!r.events['state-changed'].some((e) => e.channel === 40 && e.to === 'idle'), 'never idle in between');
    r.sim.clearFault(2);
    await r.step(INTERVAL + 2500);
    assert.equal(r.map.channel(40).state, 'idle');
  });

  it('a loop started on the driver (LOOPBACK) puts the span in maintenance', async () => {
    r = await rig({ intervalMs: INTERVAL });
    const outcome = await r.sim.maintenance(1, 'local-loop');
    assert.ok(outcome.supported);
    await r.step(INTERVAL);
    assert.equal(r.map.channel(1).state, 'maintenance');
    assert.deepEqual(r.map.snapshot().spans[0]?.reason, ['LOOPBACK']);
    await r.sim.maintenance(1, 'none');
    await r.step(INTERVAL);
    assert.equal(r.map.channel(1).state, 'idle');
  });

  it('a span removed mid-call: interrupted with "span missing"', async () => {
    r = await rig({ intervalMs: INTERVAL });
    r.map.claim(33, 'c33', { direction: 'in' });
    r.sim.removeSpan(2);
    await r.step(INTERVAL);
    assert.deepEqual(r.events['call-interrupted'].map((e) => [e.channel, e.alarms]), [[33, ['span missing']]]);
  });

  it('a throwing listener is logged and changes nothing for the others', async () => {
    r = await rig({ intervalMs: INTERVAL });
    r.map.on('span-out-of-service', () => {
      throw new Error('listener bug');
    });
    r.sim.raiseFault(1, 'LOS');
    await r.step(INTERVAL);
    assert.equal(r.map.channel(1).state, 'blocked-alarm');
    assert.equal(r.events['span-out-of-service'].length, 1);
    assert.ok(r.logs.some((l) => l.level === 'error' && /listener threw/.test(l.msg)));
  });

  it('calls: claim, answer, release through the table; refused events change nothing', async () => {
    r = await rig({ intervalMs: INTERVAL });
    assert.throws(() => r.map.answer(2), (err: unknown) => isTrunkMapError(err, 'BAD_TRANSITION'));
    r.map.claim(2, 'a');
    assert.throws(() => r.map.claim(2, 'b'), (err: unknown) => isTrunkMapError(err, 'CHANNEL_UNAVAILABLE'));
    assert.equal(r.map.channel(2).callRef, 'a');
    assert.deepEqual(r.map.groupCapacity('pri'), { group: 1, name: 'pri', free: 59, inUse: 1, blocked: 0 });
    r.map.claim(1, 'c', { direction: 'in' });
    r.map.answer(1);
    assert.deepEqual(r.map.groupCapacity('pri'), { group: 1, name: 'pri', free: 58, inUse: 2, blocked: 0 });
    assert.equal(r.map.release(2).state, 'idle');
    assert.equal(r.map.release(2).state, 'idle'); // a duplicate hangup is not an error
    assert.deepEqual(r.events['state-changed'].map((e) => `${e.channel}:${e.from}>${e.to}`), ['2:idle>ringing', '1:idle>ringing', '1:ringing>in-call', '2:ringing>idle']);
  });

  it('stop() leaves no timer behind', async () => {
    r = await rig({ intervalMs: INTERVAL });
    r.sim.raiseFault(1, 'LOS');
    await r.step(INTERVAL);
    r.sim.clearFault(1);
    await r.step(INTERVAL); // a hold-down timer is pending now
    await r.map.stop();
    await r.sim.close();
    assert.equal(r.clock.pending, 0);
  });
});
