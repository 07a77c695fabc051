// The pure hold-down rules: block at once, unblock only with no line alarm AND the hold-down
// passed, a hold-down that doubles per flap up to its cap, and a fresh start after a quiet window.

import assert from 'node:assert/strict';
import { ALARM_BITS as A } from '../../../src/hardware/dahdi-constants';
import { CLEAN_RECORD, initialRecord, observe, settle, unblockAt, type AlarmPolicy } from '../../../src/supervisor/trunk-map/alarm-policy';

const P: AlarmPolicy = { holdDownMs: 1000, maxHoldDownMs: 5000, flapWindowMs: 30_000 };
const RED = A.RED | A.LOS;

describe('trunk map: alarm policy', () => {
  it('blocks on a line alarm, holds down after it clears, then unblocks', () => {
    let r = observe(CLEAN_RECORD, RED, false, 0, P);
    assert.equal(r.inAlarm, true);
    assert.equal(unblockAt(r), null);
    r = observe(r, A.RECOVER, false, 400, P); // RECOVER alone is not a line alarm
    assert.equal(unblockAt(r), 1400);
    assert.equal(settle(r, 1399).inAlarm, true);
    r = settle(r, 1400);
    assert.equal(r.inAlarm, false);
  });

  it('YELLOW, BLUE and NOTOPEN block; LOOPBACK and RECOVER do not', () => {
    for (const bits of [A.YELLOW, A.BLUE, A.NOTOPEN, A.RED | A.LFA]) assert.equal(observe(CLEAN_RECORD, bits, false, 0, P).inAlarm, true, String(bits));
    for (const bits of [A.LOOPBACK, A.RECOVER]) assert.equal(observe(CLEAN_RECORD, bits, false, 0, P).inAlarm, false, String(bits));
  });

  it('a flapping span waits longer each time, up to the cap', () => {
    let r = CLEAN_RECORD;
    const holds: number[] = [];
    let t = 0;
    for (let i = 0; i < 6; i++) {
      r = observe(r, RED, false, t, P);
      r = observe(r, 0, false, t + 10, P);
      holds.push(r.holdDownMs);
      t += 100; // back in alarm before the hold-down ends
    }
    assert.deepEqual(holds, [1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('a new alarm soon after an unblock is a flap; after a quiet window a fresh outage', () => {
    let r = settle(observe(observe(CLEAN_RECORD, RED, false, 0, P), 0, false, 10, P), 2000);
    r = observe(r, RED, false, 2000 + P.flapWindowMs - 1, P);
    assert.equal(r.flaps, 2);
    r = settle(observe(r, 0, false, 40_000, P), 50_000);
    r = observe(r, RED, false, 50_000 + P.flapWindowMs, P);
    assert.equal(r.flaps, 1);
  });

  it('a span missing blocks; one found in RECOVER at start waits a hold-down', () => {
    assert.equal(initialRecord(0, true, 0, P).inAlarm, true);
    const r = initialRecord(A.RECOVER, false, 500, P);
    assert.equal(unblockAt(r), 1500);
    assert.equal(initialRecord(0, false, 0, P).inAlarm, false);
  });
});
