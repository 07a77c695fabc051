import assert from 'node:assert/strict';
import { counterRate, counterRates, risingCounters, unreportedCounters } from '../../src/diagnostics/counter-rates';
import { zeroCounters } from './span-fixture';

describe('counter-rates', () => {
  it('gives delta and rate per second between two snapshots', () => {
    const before = { at: 1_000, counters: { ...zeroCounters(), slips: 10, crc4: 5 } };
    const after = { at: 3_000, counters: { ...zeroCounters(), slips: 14, crc4: 5 } };
    const rates = counterRates(before, after);
    assert.deepEqual(rates.slips, { delta: 4, perSecond: 2, reset: false });
    assert.deepEqual(rates.crc4, { delta: 0, perSecond: 0, reset: false });
    assert.deepEqual(risingCounters(rates), ['slips']);
  });

  it('keeps not-reported counters null instead of inventing a zero rate', () => {
    const before = { at: 0, counters: { ...zeroCounters(), bpv: null } };
    const after = { at: 1_000, counters: { ...zeroCounters(), bpv: null } };
    assert.equal(counterRates(before, after).bpv, null);
    assert.equal(counterRate(5, null, 1), null);
    assert.deepEqual(unreportedCounters(before.counters), ['bpv']);
  });

  it('treats a counter that went backwards as reset and counts from zero', () => {
    assert.deepEqual(counterRate(100, 3, 1), { delta: 3, perSecond: 3, reset: true });
  });

  it('reports a zero rate rather than dividing by a zero-length window', () => {
    assert.deepEqual(counterRate(1, 4, 0), { delta: 3, perSecond: 0, reset: false });
  });
});
