// The outbound attempts of a group: one per in-service ISDN span in the hunt direction, one
// group-wide on R2/CAS/analog, none when no span is in service, full spans last, spans held back
// by their attempt-rate cap after the free ones; on the map,
// unknown groups refused.

import assert from 'node:assert/strict';
import { planAttempts, type GroupSpan } from '../../../src/supervisor/trunk-map/attempts';
import { isTrunkMapError } from '../../../src/supervisor/trunk-map';
import { close, rig, type Rig } from './trunk-helpers';

const pri = (span: number, state: GroupSpan['state'] = 'in-service', free = 30, waitMs = 0): GroupSpan => ({ span, state, isdn: true, free, waitMs });

describe('trunk map: outbound attempts', () => {
  it('one attempt per in-service PRI span in hunt direction, skipping alarm and maintenance', () => {
    const spans = [pri(1, 'alarm'), pri(2), pri(3), pri(4, 'maintenance')];
    assert.deepEqual(planAttempts(1, 'ascending', spans, '013800138000'), [
      { span: 2, dial: 'DAHDI/i2-g1/013800138000' }, { span: 3, dial: 'DAHDI/i3-g1/013800138000' },
    ]);
    assert.deepEqual(planAttempts(5, 'round-robin-descending', spans, '1').map((a) => a.dial), ['DAHDI/i3-R5/1', 'DAHDI/i2-R5/1']);
    assert.deepEqual(planAttempts(5, 'descending', [pri(1)], '1'), [{ span: 1, dial: 'DAHDI/i1-G5/1' }]);
  });

  it('one group-wide attempt on R2/CAS spans (chan_dahdi cannot hold them to a span); none when all are down', () => {
    const r2: GroupSpan[] = [{ span: 1, state: 'alarm', isdn: false, free: 30, waitMs: 0 }, { span: 2, state: 'in-service', isdn: false, free: 30, waitMs: 0 }];
    assert.deepEqual(planAttempts(1, 'round-robin', r2, '64001234'), [{ span: null, dial: 'DAHDI/r1/64001234' }]);
    assert.deepEqual(planAttempts(1, 'ascending', [pri(1, 'alarm'), pri(2, 'maintenance')], '1'), []);
  });

  it('a span with no channel free (counting attempts under way) comes after those with one, still in hunt order', () => {
    const spans = [pri(1, 'in-service', 0), pri(2, 'in-service', 3), pri(3, 'in-service', -1), pri(4)];
    assert.deepEqual(planAttempts(1, 'ascending', spans, '1').map((a) => a.span), [2, 4, 1, 3]);
    assert.deepEqual(planAttempts(1, 'descending', spans, '1').map((a) => a.span), [4, 2, 3, 1]);
  });

  it('a span its attempt-rate cap holds back comes after the free spans that may take an attempt now, before full ones, soonest first', () => {
    const spans = [pri(1, 'in-service', 5, 400), pri(2, 'in-service', 5, 900), pri(3, 'in-service', 0), pri(4)];
    assert.deepEqual(planAttempts(1, 'ascending', spans, '1').map((a) => a.span), [4, 1, 2, 3]);
    assert.deepEqual(planAttempts(1, 'ascending', [pri(1, 'in-service', 5, 900), pri(2, 'in-service', 5, 400)], '1').map((a) => a.span), [2, 1]);
  });

  describe('on the map', () => {
    let r: Rig;
    afterEach(() => close(r));

    it('plans from the live spans; refuses an unknown group and a number a trunk cannot dial', async () => {
      r = await rig();
      assert.deepEqual(r.map.planAttempts('lines', '5551234'), [{ span: null, dial: 'DAHDI/G2/5551234' }]);
      assert.throws(() => r.map.planAttempts('nope', '1'), (err: unknown) => isTrunkMapError(err, 'UNKNOWN_GROUP'));
      assert.throws(() => r.map.groupCapacity(9), (err: unknown) => isTrunkMapError(err, 'UNKNOWN_GROUP'));
      assert.throws(() => r.map.planAttempts('pri', '555 1234'), (err: unknown) => isTrunkMapError(err, 'BAD_DIAL_STRING'));
    });
  });
});
