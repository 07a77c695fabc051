// The attempt-rate caps as token buckets over given times: a burst of one second's worth, then
// one attempt every 1/rate s; per-span buckets apart from each other and from a group's.

import assert from 'node:assert/strict';
import { AttemptRate, SpanPacing } from '../../../src/supervisor/outbound/attempt-rate';

describe('attempt-rate caps', () => {
  it('a bucket lets a second\'s worth through, then one per 1/rate s; a cap below one still lets one through in its time', () => {
    const r = new AttemptRate(2, 0);
    r.take(0);
    r.take(0);
    assert.equal(r.waitMs(0), 500);
    assert.equal(r.waitMs(250), 250);
    assert.equal(r.waitMs(500), 0);
    const slow = new AttemptRate(0.5, 0);
    assert.equal(slow.waitMs(0), 0, 'one attempt at once');
    slow.take(0);
    assert.equal(slow.waitMs(0), 2000);
    assert.equal(new AttemptRate(null, 0).waitMs(0), 0, 'no cap');
  });

  it('spans are paced apart; a group-wide bucket is its own; no cap never waits', () => {
    let now = 0;
    const p = new SpanPacing(() => now);
    p.take({ span: 1 }, 1);
    assert.equal(p.waitMs({ span: 1 }, 1), 1000);
    assert.equal(p.waitMs({ span: 2 }, 1), 0);
    assert.equal(p.waitMs({ group: 1 }, 1), 0, 'group 1 is not span 1');
    p.take({ group: 1 }, 1);
    assert.equal(p.waitMs({ group: 1 }, 1), 1000);
    now = 400;
    assert.equal(p.waitMs({ span: 1 }, 1), 600);
    p.take({ span: 3 }, null);
    assert.equal(p.waitMs({ span: 3 }, null), 0);
  });
});
