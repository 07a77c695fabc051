import assert from 'node:assert/strict';
import { counterRates, type CounterRates } from '../../src/diagnostics/counter-rates';
import { diagnoseSpan, diagnoseSpans, explainSpans } from '../../src/diagnostics/explain';
import { FINDING_TEXT, LANGS } from '../../src/diagnostics/messages';
import type { AlarmName } from '../../src/hardware/dahdi-constants';
import type { Counters, SpanStatus } from '../../src/hardware/types';
import { makeSpan, zeroCounters } from './span-fixture';

function ratesOf(rise: Partial<Counters>, base: Counters = zeroCounters()): CounterRates {
  return counterRates({ at: 0, counters: base }, { at: 1000, counters: { ...base, ...rise } });
}

function keysOf(status: SpanStatus, rates: CounterRates | null = null): string[] {
  return diagnoseSpan(status, rates).map((issue) => issue.key);
}

describe('explain', () => {
  describe('alarms', () => {
    const cases: [AlarmName[], string, string][] = [
      [['RED', 'LOS'], 'los', 'alarm'],
      [['RED'], 'los', 'alarm'],
      [['RED', 'LFA'], 'lfa', 'alarm'],
      [['LMFA'], 'lmfa', 'alarm'],
      [['YELLOW'], 'yellow', 'alarm'],
      [['BLUE'], 'blue', 'alarm'],
      [['RECOVER'], 'recover', 'warning'],
      [['LOOPBACK'], 'loopback', 'warning'],
      [['NOTOPEN'], 'notopen', 'warning'],
    ];
    for (const [alarms, key, severity] of cases) {
      it(`${alarms.join('+')} -> ${key} (${severity})`, () => {
        const issues = diagnoseSpan(makeSpan({ alarmList: alarms }), null);
        assert.deepEqual(
          issues.map((i) => [i.key, i.severity]),
          [[key, severity]],
        );
      });
    }

    it('lets LOS explain a RED with LFA instead of reporting both', () => {
      assert.deepEqual(keysOf(makeSpan({ alarmList: ['RED', 'LOS', 'LFA'] })), ['los']);
    });

    it('says the span is fine when nothing is wrong', () => {
      assert.deepEqual(keysOf(makeSpan(), ratesOf({})), ['ok']);
    });
  });

  describe('rising counters', () => {
    it('slips -> clock source finding that names the current clock', () => {
      const [finding] = explainSpans([makeSpan({ syncSource: 0 })], new Map([[1, ratesOf({ slips: 3 })]]), 'en');
      assert.equal(finding?.key, 'slips');
      assert.match(finding?.cause ?? '', /free run/);
      assert.match(finding?.next ?? '', /priority 1/);
      assert.match(finding?.meaning ?? '', /slips \+3 \(3\.0\/s\)/);
    });

    it('IRQ misses -> host load finding, even while the span is in alarm', () => {
      assert.deepEqual(keysOf(makeSpan({ alarmList: ['RED', 'LOS'] }), ratesOf({ irqmisses: 5, crc4: 9 })), ['los', 'irqmisses']);
    });

    it('fe rising with no alarm on a CRC-4 span -> CRC-4 mismatch (dahdi_scan LMFA)', () => {
      assert.deepEqual(keysOf(makeSpan(), ratesOf({ fe: 4 })), ['crc4-mismatch']);
    });

    it('fe rising on a span without CRC-4 is a line error', () => {
      assert.deepEqual(keysOf(makeSpan({ lineConfigNames: ['CCS', 'HDB3'] }), ratesOf({ fe: 4 })), ['line-errors']);
    });

    it('E-bit -> far end sees our CRC errors; BPV/CV -> line errors', () => {
      assert.deepEqual(keysOf(makeSpan(), ratesOf({ ebit: 1, bpv: 2, cv: 7 })), ['ebit', 'line-errors']);
      const finding = explainSpans([makeSpan()], new Map([[1, ratesOf({ bpv: 2, cv: 7 })]]), 'en')[0];
      assert.match(finding?.meaning ?? '', /bpv \+2.*cv \+7/);
      assert.match(finding?.cause ?? '', /impedance/);
    });

    it('counters that stay flat raise nothing', () => {
      const base = { ...zeroCounters(), crc4: 100, slips: 7 };
      assert.deepEqual(keysOf(makeSpan(), ratesOf({}, base)), ['ok']);
    });
  });

  describe('counters not reported by the driver', () => {
    const unreported = { ...zeroCounters(), bpv: null, fas: null, slips: null };

    it('notes them once for all spans of the same driver', () => {
      const spans = [1, 2, 3].map((span) => makeSpan({ span, driver: 'wanpipe', counters: unreported }));
      const notes = diagnoseSpans(spans, null).filter((issue) => issue.key === 'not-reported');
      assert.equal(notes.length, 1);
      assert.deepEqual(notes[0]?.counters, ['bpv', 'fas', 'slips']);
      assert.equal(notes[0]?.vars.spans, '1, 2, 3');
    });

    it('never judges a not-reported counter as rising or as a clean zero', () => {
      const rates = counterRates({ at: 0, counters: unreported }, { at: 1000, counters: unreported });
      assert.equal(rates.bpv, null);
      assert.deepEqual(keysOf(makeSpan({ counters: unreported }), rates), ['ok']);
    });

    it('says nothing about counters on analog spans, which have none', () => {
      const analog = makeSpan({ spanType: 'ANALOG', counters: unreported });
      assert.deepEqual(diagnoseSpans([analog], null).map((i) => i.key), ['ok']);
    });
  });

  describe('languages', () => {
    it('has every text in English and Chinese', () => {
      for (const [key, byLang] of Object.entries(FINDING_TEXT)) {
        for (const lang of LANGS) {
          for (const field of ['title', 'meaning', 'cause', 'next'] as const) {
            assert.ok(byLang[lang][field].length > 0, `${key}.${lang}.${field}`);
          }
        }
      }
    });

    it('explains in Chinese with the span filled in', () => {
      const [finding] = explainSpans([makeSpan({ span: 2, alarmList: ['YELLOW'] })], null, 'zh');
      assert.match(finding?.title ?? '', /黄色告警/);
      assert.match(finding?.meaning ?? '', /第 2 路/);
      assert.doesNotMatch(`${finding?.meaning}${finding?.next}`, /\{\w+\}/);
    });

    it('fills every placeholder in every finding and language', () => {
      const spans = [makeSpan({ alarmList: ['RED', 'LOS', 'YELLOW', 'BLUE', 'RECOVER', 'LOOPBACK', 'NOTOPEN'] }), makeSpan({ span: 2, counters: { ...zeroCounters(), bpv: null } })];
      const rates = new Map([[2, ratesOf({ slips: 1, irqmisses: 1, ebit: 1, fe: 1, cv: 1 }, { ...zeroCounters(), bpv: null })]]);
      for (const lang of LANGS) {
        for (const finding of explainSpans(spans, rates, lang)) {
          assert.doesNotMatch(`${finding.title}${finding.meaning}${finding.cause}${finding.next}`, /\{\w+\}/, `${finding.key} ${lang}`);
        }
      }
    });
  });
});
