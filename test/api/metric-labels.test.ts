// The label values /metrics may use for calls: Q.850 causes folded into the standard's classes
// and CDR dispositions into outcomes, each a small closed set whatever comes in.

import assert from 'node:assert/strict';
import { CALL_OUTCOMES, CAUSE_CLASSES, callOutcome, causeClass } from '../../src/api/metrics/metric-labels';

describe('metric labels', () => {
  const classes: [number | null, string][] = [
    [null, 'none'], [0, 'none'], [128, 'none'], [-1, 'none'], [16.5, 'none'],
    [1, 'normal'], [16, 'normal'], [17, 'normal'], [21, 'normal'], [31, 'normal'],
    [34, 'resource_unavailable'], [38, 'resource_unavailable'], [47, 'resource_unavailable'],
    [58, 'service_unavailable'], [65, 'service_not_implemented'], [88, 'invalid_message'],
    [102, 'protocol_error'], [111, 'protocol_error'], [127, 'interworking'],
  ];
  for (const [cause, cls] of classes) it(`cause ${cause} is ${cls}`, () => assert.equal(causeClass(cause), cls));
  it('every class and outcome is one of the declared label values', () => {
    for (let c = -5; c < 140; c++) assert.ok((CAUSE_CLASSES as readonly string[]).includes(causeClass(c)));
    for (const d of ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION', 'something new', '']) assert.ok((CALL_OUTCOMES as readonly string[]).includes(callOutcome(d)));
  });
  it('dispositions as outcomes', () => {
    assert.deepEqual(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION', 'weird'].map(callOutcome), ['answered', 'no_answer', 'busy', 'failed', 'congestion', 'failed']);
  });
});
