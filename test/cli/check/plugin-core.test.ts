// The check commands' pure core, table-driven: range syntax and evaluation as the
// monitoring-plugins guidelines define them, perfdata and status lines, the exposition parser,
// and the three judgements (spans, trunks, supervisor) on plain data.

import assert from 'node:assert/strict';
import { CheckUsageError } from '../../../src/cli/check/check-errors';
import { parseExposition } from '../../../src/cli/check/exposition';
import { formatPerfDatum, formatResult, judge, perfNumber } from '../../../src/cli/check/plugin-output';
import { alerts, parseRange } from '../../../src/cli/check/plugin-range';
import { alarmPhrase, checkSpans } from '../../../src/cli/check/spans-check';
import { checkSupervisor } from '../../../src/cli/check/supervisor-check';
import { checkTrunks, groupChannels } from '../../../src/cli/check/trunks-check';
import { counterRates } from '../../../src/diagnostics/counter-rates';
import { createSimBackend } from '../../../src/hardware/sim';
import type { SpanStatus } from '../../../src/hardware/types';

describe('check: plugin ranges (monitoring-plugins syntax)', () => {
  // [range, value, alerts?] - the guidelines' own table, plus the edges.
  const table: [string, number, boolean][] = [
    ['10', -1, true], ['10', 0, false], ['10', 10, false], ['10', 10.5, true],
    ['10:', 9.99, true], ['10:', 10, false], ['10:', 1e9, false],
    ['~:10', -1e9, false], ['~:10', 10, false], ['~:10', 11, true],
    ['10:20', 9, true], ['10:20', 10, false], ['10:20', 20, false], ['10:20', 21, true],
    ['@10:20', 9, false], ['@10:20', 10, true], ['@10:20', 15, true], ['@10:20', 20, true], ['@10:20', 21, false],
    ['0', 0, false], ['0', 0.1, true], ['1:', 0, true], ['1:', 1, false],
    ['-5:-1', -3, false], ['-5:-1', 0, true], ['0.5:1.5', 1.6, true], [':10', 0, false], [':10', -1, true],
    ['@0', 0, true], ['@0', 1, false],
  ];
  for (const [text, value, expected] of table) {
    it(`${text} with ${value}: ${expected ? 'alerts' : 'quiet'}`, () => {
      assert.equal(alerts(parseRange('-w', text), value), expected);
    });
  }
  const bad = ['', '@', 'a', '1:a', '20:10', '~', '1::2', '1:2:3', '10 20', '--1', '@~'];
  for (const text of bad) {
    it(`refuses '${text}', naming the option and the syntax`, () => {
      assert.throws(() => parseRange('-c', text), (err: unknown) => err instanceof CheckUsageError && err.message.startsWith(`-c: '${text.trim()}' is not a range`) && err.message.includes('@10:20'));
    });
  }
  it('judge: critical before warning, OK otherwise', () => {
    const w = parseRange('-w', '5');
    const c = parseRange('-c', '10');
    assert.deepEqual([0, 5, 6, 10, 11].map((v) => judge(v, w, c)), ['OK', 'OK', 'WARNING', 'WARNING', 'CRITICAL']);
    assert.equal(judge(1e6, null, null), 'OK');
  });
});

describe('check: perfdata and status lines', () => {
  const w = parseRange('-w', '5:');
  const c = parseRange('-c', '1:');
  const table: [Parameters<typeof formatPerfDatum>[0], string][] = [
    [{ label: 'span1_errsec', value: 0, warn: parseRange('-w', '0'), crit: null, min: 0 }, "'span1_errsec'=0;0;;0"],
    [{ label: 'carrier_free', value: 48, warn: w, crit: c, min: 0, max: 60 }, "'carrier_free'=48;5:;1:;0;60"],
    [{ label: 'time', value: 0.0123456789, uom: 's', min: 0 }, "'time'=0.012346s;;;0"],
    [{ label: 'spans_in_alarm', value: 1 }, "'spans_in_alarm'=1"],
    [{ label: "o'clock group", value: 2 }, "'o''clock group'=2"],
    [{ label: 'x', value: 3, warn: parseRange('-w', '@10:20') }, "'x'=3;@10:20"],
  ];
  for (const [datum, text] of table) it(text, () => assert.equal(formatPerfDatum(datum), text));
  it('numbers never in exponent form', () => {
    assert.deepEqual([1e-7, 1.5, 2, 1234567.25].map(perfNumber), ['0', '1.5', '2', '1234567.25']);
  });
  it('one status line, perfdata after a pipe, long output below; a pipe in the text cannot start perfdata', () => {
    const out = formatResult('SPANS', { state: 'CRITICAL', summary: 'span 2 RED (LOS) | x', perfdata: [{ label: 'a', value: 1 }], details: ['more | here'] });
    assert.equal(out, "TDMGATE SPANS CRITICAL - span 2 RED (LOS) / x | 'a'=1\nmore / here\n");
    assert.equal(formatResult('X', { state: 'OK', summary: 'fine', perfdata: [], details: [] }), 'TDMGATE X OK - fine\n');
  });
});

describe('check: the exposition parser', () => {
  it('reads names, labels (escapes included), values and skips comments', () => {
    const text = [
      '# HELP tdmgate_trunk_channels Channels',
      '# TYPE tdmgate_trunk_channels gauge',
      'tdmgate_trunk_channels{group="carrier",state="idle"} 48',
      'tdmgate_up 1 1700000000000',
      'x_bucket{le="+Inf",q="a\\"b\\\\c\\nd"} +Inf',
      '',
      'y NaN',
    ].join('\n');
    const samples = parseExposition(text);
    assert.deepEqual(samples.slice(0, 2), [
      { name: 'tdmgate_trunk_channels', labels: { group: 'carrier', state: 'idle' }, value: 48 },
      { name: 'tdmgate_up', labels: {}, value: 1 },
    ]);
    assert.deepEqual(samples[2]?.labels, { le: '+Inf', q: 'a"b\\c\nd' });
    assert.equal(samples[2]?.value, Infinity);
    assert.ok(Number.isNaN(samples[3]?.value));
  });
  it('refuses a line that is no sample, naming it', () => {
    assert.throws(() => parseExposition('ok 1\n<html>'), /line 2/);
    assert.throws(() => parseExposition('a{b=c} 1'), /line 1: labels/);
    assert.throws(() => parseExposition('a 1x'), /line 1/);
  });
});

describe('check: spans judged', () => {
  let spans: SpanStatus[];
  before(async () => {
    const sim = createSimBackend();
    spans = await sim.spans();
    await sim.close();
  });
  const withAlarms = (span: number, alarmNames: SpanStatus['alarmNames']): SpanStatus[] => spans.map((s) => (s.span === span ? { ...s, alarmNames } : s));

  it('alarm phrases as technicians write them', () => {
    assert.equal(alarmPhrase(['RED', 'LOS']), 'RED (LOS)');
    assert.equal(alarmPhrase(['YELLOW']), 'YELLOW');
    assert.equal(alarmPhrase(['RED', 'LFA', 'RECOVER']), 'RED (LFA) RECOVER');
    assert.equal(alarmPhrase(['LOOPBACK']), 'LOOPBACK');
  });
  it('all up, alarms only: OK with the count of spans', () => {
    const r = checkSpans({ spans, rates: null, windowSeconds: 0, warn: null, crit: null });
    assert.equal(formatResult('SPANS', r), "TDMGATE SPANS OK - 3 spans up (alarms only: --window 0) | 'spans_in_alarm'=0;;;0;3\n");
  });
  it('a span in RED/LOS: CRITICAL naming it, the plain words and what to do below', () => {
    const r = checkSpans({ spans: withAlarms(2, ['RED', 'LOS']), rates: null, windowSeconds: 0, warn: null, crit: null });
    assert.equal(r.state, 'CRITICAL');
    assert.equal(r.summary, 'span 2 RED (LOS)');
    assert.match(r.details[0] ?? '', /^span 2: RED alarm \/ LOS: no signal received\. Check the cable/);
  });
  it('LOOPBACK alone is a WARNING; with another span in alarm, CRITICAL lists the alarm first', () => {
    assert.equal(checkSpans({ spans: withAlarms(1, ['LOOPBACK']), rates: null, windowSeconds: 0, warn: null, crit: null }).state, 'WARNING');
    const both = withAlarms(1, ['LOOPBACK']).map((s) => (s.span === 2 ? { ...s, alarmNames: ['BLUE' as const] } : s));
    const r = checkSpans({ spans: both, rates: null, windowSeconds: 0, warn: null, crit: null });
    assert.deepEqual([r.state, r.summary], ['CRITICAL', 'span 2 BLUE, span 1 LOOPBACK']);
  });
  it('counter rates against -w/-c: perfdata per reported counter, the worst one decides', () => {
    const before = spans.map((s) => ({ at: 0, counters: s.counters }));
    const rates = new Map(spans.map((s, i) => {
      const after = s.span === 1 ? { ...s.counters, crc4: (s.counters.crc4 ?? 0) + 30, slips: (s.counters.slips ?? 0) + 2 } : s.counters;
      return [s.span, counterRates(before[i] as { at: number; counters: SpanStatus['counters'] }, { at: 10_000, counters: after })];
    }));
    const r = checkSpans({ spans, rates, windowSeconds: 10, warn: parseRange('-w', '0'), crit: parseRange('-c', '1') });
    assert.equal(r.state, 'CRITICAL');
    assert.equal(r.summary, 'span 1 crc4 3/s, span 1 slips 0.2/s');
    const labels = r.perfdata.map((p) => p.label);
    assert.ok(labels.includes('span1_crc4') && labels.includes('span2_errsec'));
    // A counter the driver never reports gets no figure (unknown is not zero).
    assert.ok(!labels.includes('span1_bpv') && !labels.includes('span3_crc4'));
  });
  it('no spans at all: UNKNOWN', () => {
    assert.equal(checkSpans({ spans: [], rates: null, windowSeconds: 0, warn: null, crit: null }).state, 'UNKNOWN');
  });
});

describe('check: trunks and supervisor judged', () => {
  const metrics = parseExposition([
    'tdmgate_trunk_channels{group="carrier",state="idle"} 3',
    'tdmgate_trunk_channels{group="carrier",state="ringing"} 1',
    'tdmgate_trunk_channels{group="carrier",state="in-call"} 50',
    'tdmgate_trunk_channels{group="carrier",state="blocked-alarm"} 6',
    'tdmgate_trunk_channels{group="carrier",state="maintenance"} 0',
    'tdmgate_trunk_channels{group="lines",state="idle"} 2',
    'tdmgate_trunk_channels{group="lines",state="in-call"} 0',
  ].join('\n'));
  it('free channels per group against the thresholds', () => {
    const groups = groupChannels(metrics);
    assert.deepEqual(groups[0], { group: 'carrier', free: 3, busy: 51, blocked: 6, total: 60 });
    const r = checkTrunks({ groups, only: [], warn: parseRange('-w', '5:'), crit: parseRange('-c', '1:') });
    assert.equal(formatResult('TRUNKS', r).split('\n')[0], "TDMGATE TRUNKS WARNING - carrier 3 free of 60, lines 2 free of 2 | 'carrier_free'=3;5:;1:;0;60 'carrier_busy'=51;;;0;60 'carrier_blocked'=6;;;0;60 'lines_free'=2;5:;1:;0;2 'lines_busy'=0;;;0;2 'lines_blocked'=0;;;0;2");
    const crit = checkTrunks({ groups, only: [], warn: parseRange('-w', '5:'), crit: parseRange('-c', '3:') });
    assert.deepEqual([crit.state, crit.summary], ['CRITICAL', 'lines 2 free of 2, carrier 3 free of 60']);
    const ok = checkTrunks({ groups, only: ['lines'], warn: parseRange('-w', '1:'), crit: null });
    assert.deepEqual([ok.state, ok.summary], ['OK', 'lines 2 free of 2']);
    assert.equal(checkTrunks({ groups, only: ['nope'], warn: null, crit: null }).state, 'UNKNOWN');
    assert.equal(checkTrunks({ groups: [], only: [], warn: null, crit: null }).state, 'UNKNOWN');
  });
  it('/readyz: 200 OK, 503 CRITICAL naming what is not ready, anything else UNKNOWN', () => {
    const ready = JSON.stringify({ ready: true, checks: { ari: { ok: true, detail: 'ready' }, cdr: { ok: true, detail: 'ready' }, hardware: { ok: true, detail: 'sim' } } });
    assert.equal(formatResult('SUPERVISOR', checkSupervisor(200, ready, 0.004)), "TDMGATE SUPERVISOR OK - ari ready, cdr ready, hardware sim | 'time'=0.004s;;;0\n");
    const notReady = JSON.stringify({ ready: false, checks: { ari: { ok: false, detail: 'connecting' }, cdr: { ok: true, detail: 'spooling' } } });
    const r = checkSupervisor(503, notReady, 0.01);
    assert.deepEqual([r.state, r.summary], ['CRITICAL', 'not ready: ari connecting']);
    assert.equal(checkSupervisor(200, '<html>', 0).state, 'UNKNOWN');
    assert.equal(checkSupervisor(404, '{"error":"x"}', 0).state, 'UNKNOWN');
  });
});
