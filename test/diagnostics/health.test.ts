import assert from 'node:assert/strict';
import { diagnoseSpans } from '../../src/diagnostics/explain';
import { counterRates } from '../../src/diagnostics/counter-rates';
import { EXIT_CODES, healthCode, healthWord } from '../../src/diagnostics/health';
import { makeSpan, zeroCounters } from './span-fixture';

describe('health exit codes', () => {
  const up = makeSpan({ span: 1 });

  it('is 0 when every span is up', () => {
    assert.equal(healthCode(diagnoseSpans([up, makeSpan({ span: 2 })], null), 2), EXIT_CODES.OK);
  });

  it('is 1 when error counters rise on a span without alarm', () => {
    const rates = new Map([[1, counterRates({ at: 0, counters: zeroCounters() }, { at: 1000, counters: { ...zeroCounters(), slips: 2 } })]]);
    assert.equal(healthCode(diagnoseSpans([up], rates), 1), EXIT_CODES.WARNING);
  });

  it('is 1 for maintenance states that are not line failures', () => {
    assert.equal(healthCode(diagnoseSpans([makeSpan({ alarmList: ['NOTOPEN'] })], null), 1), 1);
  });

  it('is 2 when any span is in alarm', () => {
    const red = makeSpan({ span: 2, alarmList: ['RED', 'LOS'] });
    assert.equal(healthCode(diagnoseSpans([up, red], null), 2), EXIT_CODES.ALARM);
    assert.equal(healthWord(2), 'ALARM');
  });

  it('is 3 when there is no span to judge', () => {
    assert.equal(healthCode([], 0), EXIT_CODES.UNKNOWN);
  });
});
