// `check spans` judged: each span's alarms as diag reads them (a service-affecting alarm is
// CRITICAL, RECOVER/LOOPBACK/NOTOPEN a WARNING) and each error counter's rate over the window
// against -w/-c (errors per second). The status line names the span and alarm the way
// technicians write them (`span 2 RED (LOS)`); the plain-words explanation and what to do next
// follow on the long-output lines. Pure.

import type { CounterRates } from '../../diagnostics/counter-rates';
import { diagnoseSpans, explainIssue } from '../../diagnostics/explain';
import type { AlarmName } from '../../hardware/dahdi-constants';
import { COUNTER_NAMES, type SpanStatus } from '../../hardware/types';
import { judge, worse, type PerfDatum, type PluginResult, type PluginState } from './plugin-output';
import type { PluginRange } from './plugin-range';

export interface SpansCheckInput {
  spans: readonly SpanStatus[];
  /** Counter rates over the window; null when the window was 0 (alarms only). */
  rates: ReadonlyMap<number, CounterRates> | null;
  windowSeconds: number;
  warn: PluginRange | null;
  crit: PluginRange | null;
}

const COLOURS: readonly AlarmName[] = ['RED', 'YELLOW', 'BLUE'];
const REASONS: readonly AlarmName[] = ['LOS', 'LFA', 'LMFA'];

/** `RED (LOS)`, `YELLOW`, `LOS` (a reason with no colour), `LOOPBACK`: colours first, their reasons in brackets. */
export function alarmPhrase(names: readonly AlarmName[]): string {
  const colours = COLOURS.filter((n) => names.includes(n));
  const reasons = REASONS.filter((n) => names.includes(n));
  const others = names.filter((n) => !COLOURS.includes(n) && !REASONS.includes(n));
  const head = colours.length > 0 ? `${colours.join('+')}${reasons.length > 0 ? ` (${reasons.join('+')})` : ''}` : reasons.join('+');
  return [head, ...others].filter((s) => s !== '').join(' ');
}

export function checkSpans(input: SpansCheckInput): PluginResult {
  const { spans, rates, warn, crit } = input;
  if (spans.length === 0) {
    return { state: 'UNKNOWN', summary: 'no spans: the driver shows none (load the card driver and run dahdi_cfg)', perfdata: [], details: [] };
  }
  const critical: string[] = [];
  const warning: string[] = [];
  const details: string[] = [];
  let state: PluginState = 'OK';
  const issues = diagnoseSpans(spans, null).filter((i) => i.severity !== 'info');
  const inAlarm = new Set<number>();
  for (const status of spans) {
    const own = issues.filter((i) => i.span === status.span);
    if (own.length === 0) continue;
    const spanState: PluginState = own.some((i) => i.severity === 'alarm') ? 'CRITICAL' : 'WARNING';
    if (spanState === 'CRITICAL') inAlarm.add(status.span);
    state = worse(state, spanState);
    (spanState === 'CRITICAL' ? critical : warning).push(`span ${status.span} ${alarmPhrase(status.alarmNames)}`);
    for (const issue of own) {
      const f = explainIssue(issue, 'en');
      details.push(`span ${status.span}: ${f.title}. ${f.next}`);
    }
  }
  const perfdata: PerfDatum[] = [{ label: 'spans_in_alarm', value: inAlarm.size, min: 0, max: spans.length }];
  for (const status of spans) {
    const spanRates = rates?.get(status.span);
    if (!spanRates) continue;
    for (const counter of COUNTER_NAMES) {
      const rate = spanRates[counter];
      if (rate === null) continue; // not reported by this driver: no figure to judge or graph
      const counterState = judge(rate.perSecond, warn, crit);
      perfdata.push({ label: `span${status.span}_${counter}`, value: rate.perSecond, warn, crit, min: 0 });
      if (counterState === 'OK') continue;
      state = worse(state, counterState);
      (counterState === 'CRITICAL' ? critical : warning).push(`span ${status.span} ${counter} ${perSecond(rate.perSecond)}/s`);
      details.push(`span ${status.span}: ${counter} +${rate.delta} in ${input.windowSeconds} s`);
    }
  }
  const summary = state === 'OK' ? okSummary(input) : [...critical, ...warning].join(', ');
  return { state, summary, perfdata, details };
}

function okSummary(input: SpansCheckInput): string {
  const n = input.spans.length;
  const spans = `${n} span${n === 1 ? '' : 's'} up`;
  return input.rates === null ? `${spans} (alarms only: --window 0)` : `${spans}, error counters within thresholds over ${input.windowSeconds} s`;
}

function perSecond(n: number): string {
  return n >= 10 ? n.toFixed(0) : n.toFixed(2).replace(/\.?0+$/, '');
}
