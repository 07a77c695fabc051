// Hunt orders as chan_dahdi applies them: g lowest first, G highest first, r/R round robin
// that starts after the last channel used and wraps, skipping what is not available.

import assert from 'node:assert/strict';
import { huntChannel } from '../../../src/supervisor/trunk-map/hunt';

const members = [1, 2, 3, 33, 34];
const all = (): boolean => true;

function rounds(order: 'round-robin' | 'round-robin-descending', n: number, available: (c: number) => boolean = all): number[] {
  const out: number[] = [];
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    const r = huntChannel(members, order, available, cursor);
    if (!r) break;
    out.push(r.channel);
    cursor = r.cursor;
  }
  return out;
}

describe('trunk map: hunt orders', () => {
  it('g takes the lowest available, G the highest', () => {
    assert.equal(huntChannel(members, 'ascending', all)?.channel, 1);
    assert.equal(huntChannel(members, 'ascending', (c) => c > 2)?.channel, 3);
    assert.equal(huntChannel(members, 'descending', all)?.channel, 34);
    assert.equal(huntChannel(members, 'descending', (c) => c < 34)?.channel, 33);
  });

  it('r goes round upwards and wraps; R downwards', () => {
    assert.deepEqual(rounds('round-robin', 7), [1, 2, 3, 33, 34, 1, 2]);
    assert.deepEqual(rounds('round-robin-descending', 7), [34, 33, 3, 2, 1, 34, 33]);
  });

  it('round robin skips busy channels and keeps going from the one it took', () => {
    assert.deepEqual(rounds('round-robin', 4, (c) => c !== 2 && c !== 33), [1, 3, 34, 1]);
  });

  it('nothing available (or an empty group) gives null', () => {
    assert.equal(huntChannel(members, 'round-robin', () => false, 3), null);
    assert.equal(huntChannel([], 'ascending', all), null);
  });
});
