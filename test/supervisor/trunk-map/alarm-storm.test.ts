// An alarm storm: 10,000 alarm edges per (virtual) second through the sim's inject() while a
// setImmediate ticker runs. The event loop's delay stays bounded (generous bound, no speed
// asserts), no timers pile up, and the final state is right.

import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ALARM_BITS as A, alarmNames } from '../../../src/hardware/dahdi-constants';
import type { HardwareEvent } from '../../../src/hardware/types';
import { close, rig, type Rig } from './trunk-helpers';

const INTERVAL = 100;
const EDGES_PER_POLL = 1000; // 1000 per 100 ms = 10,000 edges a second
const POLLS = 50;

/** n alternating RED+LOS / RECOVER edges on one span, the last one raising or clearing. */
function storm(at: number, span: number, n: number, endRaised: boolean): HardwareEvent[] {
  const events: HardwareEvent[] = [];
  for (let i = 0; i < n; i++) {
    const raised = (n - 1 - i) % 2 === 0 ? endRaised : !endRaised;
    const alarms = raised ? A.RED | A.LOS : A.RECOVER;
    const previous = raised ? A.RECOVER : A.RED | A.LOS;
    events.push({ at, span, kind: 'alarm', previous, alarms, raised: alarmNames(alarms & ~previous), cleared: alarmNames(previous & ~alarms) });
  }
  return events;
}

describe('trunk map: alarm storm', () => {
  let r: Rig;
  afterEach(() => close(r));

  it('10,000 edges/s never starve the event loop; the final state is right', async () => {
    r = await rig({ intervalMs: INTERVAL, holdDownMs: 1000, maxHoldDownMs: 30_000 });
    r.map.claim(5, 'call-5');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let ticks = 0;
    let ticking = true;
    const ticker = (): void => {
      ticks++;
      if (ticking) setImmediate(ticker);
    };
    delay.enable();
    setImmediate(ticker);
    let maxPending = 0;
    for (let poll = 0; poll < POLLS; poll++) {
      // The last batches leave span 1 in alarm and span 2 clear.
      r.sim.inject(storm(r.clock.now(), 1, EDGES_PER_POLL / 2, true));
      r.sim.inject(storm(r.clock.now(), 2, EDGES_PER_POLL / 2, false));
      await r.step(INTERVAL);
      maxPending = Math.max(maxPending, r.clock.pending);
    }
    ticking = false;
    delay.disable();
    // One watcher timer plus the one hold-down timer (the sim has no faults running): no pile-up.
    assert.ok(maxPending <= 3, `timers pending: ${maxPending}`);
    assert.ok(ticks >= POLLS, `ticker ran ${ticks} times`);
    // Generous: the whole storm's work per poll is a loop over 1000 events.
    assert.ok(delay.max / 1e6 < 500, `event loop delay max ${(delay.max / 1e6).toFixed(1)} ms`);
    assert.equal(r.events['span-out-of-service'].filter((e) => e.span === 1).length, 1);
    assert.equal(r.events['call-interrupted'].length, 1);
    assert.equal(r.map.channel(1).state, 'blocked-alarm');
    // Span 2 flapped all along: blocked, and its hold-down is at the cap.
    assert.equal(r.map.channel(32).state, 'blocked-alarm');
    await r.step(29_000);
    assert.equal(r.map.channel(32).state, 'blocked-alarm');
    await r.step(1100);
    assert.equal(r.map.channel(32).state, 'idle');
    assert.equal(r.map.channel(1).state, 'blocked-alarm');
    assert.equal(r.events['span-in-service'].length, 1);
  });
});
