// Findings: what a span's alarms and rising counters mean for the technician. diagnose*()
// decides (language-free issues, used by health and JSON); explain*() puts them into words.

import { SERVICE_AFFECTING_ALARMS } from '../hardware/dahdi-constants';
import type { CounterName, SpanStatus } from '../hardware/types';
import { risingCounters, unreportedCounters, type CounterRates } from './counter-rates';
import { FINDING_TEXT, formatText, label, type FindingKey, type FindingText, type Lang } from './messages';

export type Severity = 'alarm' | 'warning' | 'info';

export interface Issue {
  /** The span the issue is about; for a note covering several spans, the first of them. */
  span: number;
  key: FindingKey;
  severity: Severity;
  /** Counters behind the issue (rising ones, or the ones not reported). */
  counters: CounterName[];
  /** Language-free facts the text refers to. */
  vars: Record<string, string | number>;
}

export type Finding = Issue & FindingText;

const SEVERITY_ORDER: Record<Severity, number> = { alarm: 0, warning: 1, info: 2 };

const DIGITAL_SPAN_TYPES = new Set(['E1', 'T1', 'J1', 'BRI']);

/** Counters whose rise points at the line itself; slips, IRQ misses and E-bits have their own findings. */
const LINE_ERROR_COUNTERS: readonly CounterName[] = ['bpv', 'cv', 'crc4', 'fas', 'fe', 'be', 'prbs', 'errsec'];

/** The findings a span's alarm names call for, in the order they are explained (the web page reads them too). */
export function alarmFindingKeys(alarmNames: readonly string[]): FindingKey[] {
  const has = new Set(alarmNames);
  const keys: FindingKey[] = [];
  // DAHDI raises RED together with the reason when the driver knows it (LOS or LFA); a bare
  // RED is nearly always loss of signal. LFA and LMFA are consequences of LOS, so LOS wins.
  if (has.has('LOS') || (has.has('RED') && !has.has('LFA'))) keys.push('los');
  else if (has.has('LFA')) keys.push('lfa');
  else if (has.has('LMFA')) keys.push('lmfa');
  if (has.has('YELLOW')) keys.push('yellow');
  if (has.has('BLUE')) keys.push('blue');
  if (has.has('RECOVER')) keys.push('recover');
  if (has.has('LOOPBACK')) keys.push('loopback');
  if (has.has('NOTOPEN')) keys.push('notopen');
  return keys;
}

const ALARM_SEVERITY: Partial<Record<FindingKey, Severity>> = {
  los: 'alarm',
  lfa: 'alarm',
  lmfa: 'alarm',
  yellow: 'alarm',
  blue: 'alarm',
  recover: 'warning',
  loopback: 'warning',
  notopen: 'warning',
};

export function isServiceAffected(status: SpanStatus): boolean {
  return status.alarmNames.some((name) => SERVICE_AFFECTING_ALARMS.includes(name));
}

function describeCounters(names: readonly CounterName[], rates: CounterRates): string {
  return names
    .map((name) => {
      const rate = rates[name];
      return rate ? `${name} +${rate.delta} (${rate.perSecond.toFixed(1)}/s)` : name;
    })
    .join(', ');
}

function spanVars(status: SpanStatus): Record<string, string | number> {
  return {
    span: status.span,
    alarms: status.alarmNames.join('+') || 'OK',
    lineconfig: status.lineConfigNames.join('/') || '-',
    lbo: status.lboName || String(status.lbo),
    syncSource: status.syncSource,
    driver: status.driver,
  };
}

function counterIssues(status: SpanStatus, rates: CounterRates): Issue[] {
  const rising = risingCounters(rates);
  const issue = (key: FindingKey, counters: CounterName[]): Issue => ({
    span: status.span,
    key,
    severity: 'warning',
    counters,
    vars: { ...spanVars(status), counters: describeCounters(counters, rates) },
  });
  const issues: Issue[] = [];
  // The host missing interrupts has nothing to do with the line, so it counts even in alarm.
  if (rising.includes('irqmisses')) issues.push(issue('irqmisses', ['irqmisses']));
  // A span in alarm piles up slips and line errors as a consequence; the alarm is the finding.
  if (isServiceAffected(status)) return issues;
  let lineErrors = rising.filter((name) => LINE_ERROR_COUNTERS.includes(name));
  // dahdi_scan's inference: far-end framing errors rising with no alarm on a CRC-4 span is LMFA,
  // i.e. a CRC-4 setting that differs from the carrier's.
  if (lineErrors.includes('fe') && status.lineConfigNames.includes('CRC4')) {
    issues.push(issue('crc4-mismatch', ['fe']));
    lineErrors = lineErrors.filter((name) => name !== 'fe');
  }
  if (rising.includes('slips')) issues.push(issue('slips', ['slips']));
  if (rising.includes('ebit')) issues.push(issue('ebit', ['ebit']));
  if (lineErrors.length > 0) issues.push(issue('line-errors', lineErrors));
  return issues;
}

/** Issues of one span; rates null means the counters were not measured over a window. */
export function diagnoseSpan(status: SpanStatus, rates: CounterRates | null): Issue[] {
  const issues: Issue[] = alarmFindingKeys(status.alarmNames).map((key) => ({
    span: status.span,
    key,
    severity: ALARM_SEVERITY[key] ?? 'alarm',
    counters: [],
    vars: spanVars(status),
  }));
  if (rates) issues.push(...counterIssues(status, rates));
  if (issues.length === 0) issues.push({ span: status.span, key: 'ok', severity: 'info', counters: [], vars: spanVars(status) });
  return issues;
}

/**
 * One note per driver and set of missing counters, however many spans share it: sixteen
 * identical notes on a 16-E1 box would bury the real findings.
 */
export function unreportedNotes(spans: readonly SpanStatus[]): Issue[] {
  const groups = new Map<string, { spans: SpanStatus[]; counters: CounterName[] }>();
  for (const status of spans) {
    if (!DIGITAL_SPAN_TYPES.has(status.spanType)) continue;
    const counters = unreportedCounters(status.counters);
    if (counters.length === 0) continue;
    const id = `${status.driver}|${counters.join(',')}`;
    const group = groups.get(id) ?? { spans: [], counters };
    group.spans.push(status);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ spans: members, counters }) => {
    const first = members[0] as SpanStatus;
    return {
      span: first.span,
      key: 'not-reported' as const,
      severity: 'info' as const,
      counters,
      vars: { ...spanVars(first), spans: members.map((s) => s.span).join(', '), counters: counters.join(', ') },
    };
  });
}

/** Issues of every span, spans in order, most severe first inside a span. */
export function diagnoseSpans(spans: readonly SpanStatus[], rates: ReadonlyMap<number, CounterRates> | null): Issue[] {
  const notes = unreportedNotes(spans);
  return spans.flatMap((status) => {
    const own = [...diagnoseSpan(status, rates?.get(status.span) ?? null), ...notes.filter((n) => n.span === status.span)];
    return own.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  });
}

export function explainIssue(issue: Issue, lang: Lang): Finding {
  const syncSource = Number(issue.vars.syncSource ?? 0);
  const sync = syncSource > 0 ? label('span-clock', lang, { sync: syncSource }) : label('freeRun', lang);
  const vars = { ...issue.vars, sync };
  const text = FINDING_TEXT[issue.key][lang];
  return {
    ...issue,
    title: formatText(text.title, vars),
    meaning: formatText(text.meaning, vars),
    cause: formatText(text.cause, vars),
    next: formatText(text.next, vars),
  };
}

export function explainSpans(spans: readonly SpanStatus[], rates: ReadonlyMap<number, CounterRates> | null, lang: Lang): Finding[] {
  return diagnoseSpans(spans, rates).map((issue) => explainIssue(issue, lang));
}
