// A check's result as a monitoring plugin prints it (monitoring-plugins guidelines): one status
// line `TDMGATE SPANS CRITICAL - summary | 'label'=value[UOM];warn;crit;min;max ...`, optional
// long output on the lines after it, and the exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
// Pure.

import { alerts, type PluginRange } from './plugin-range';

export const PLUGIN_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type PluginState = (typeof PLUGIN_STATES)[number];

export const EXIT_OF: Readonly<Record<PluginState, 0 | 1 | 2 | 3>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

/** The worse of two states: CRITICAL over WARNING over UNKNOWN over OK, as plugins that aggregate rank them. */
export function worse(a: PluginState, b: PluginState): PluginState {
  const rank: Record<PluginState, number> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };
  return rank[a] >= rank[b] ? a : b;
}

export interface PerfDatum {
  label: string;
  value: number;
  /** '', 's', '%', 'B', 'c' (a continuous counter) ... */
  uom?: string;
  warn?: PluginRange | null;
  crit?: PluginRange | null;
  min?: number;
  max?: number;
}

/** A number as perfdata wants it: plain decimal, no exponent, at most 6 decimals. */
export function perfNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** `'label'=value[UOM];warn;crit;min;max` with trailing empty fields left off; quotes in a label doubled. */
export function formatPerfDatum(d: PerfDatum): string {
  const fields = [
    `${perfNumber(d.value)}${d.uom ?? ''}`,
    d.warn?.text ?? '',
    d.crit?.text ?? '',
    d.min === undefined ? '' : perfNumber(d.min),
    d.max === undefined ? '' : perfNumber(d.max),
  ];
  while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
  return `'${d.label.replace(/'/g, "''")}'=${fields.join(';')}`;
}

export interface PluginResult {
  state: PluginState;
  summary: string;
  perfdata: readonly PerfDatum[];
  /** Long output: lines after the status line. */
  details: readonly string[];
}

/** The plugin's whole output, newline-terminated. `service` is the status line's subject ('SPANS'). */
export function formatResult(service: string, r: PluginResult): string {
  // A '|' in the summary would start the perfdata early.
  const summary = r.summary.replace(/\|/g, '/');
  const perf = r.perfdata.length > 0 ? ` | ${r.perfdata.map(formatPerfDatum).join(' ')}` : '';
  return [`TDMGATE ${service} ${r.state} - ${summary}${perf}`, ...r.details.map((l) => l.replace(/\|/g, '/'))].join('\n') + '\n';
}

/** The state a value earns against the thresholds: CRITICAL before WARNING. */
export function judge(value: number, warn: PluginRange | null, crit: PluginRange | null): PluginState {
  if (crit && alerts(crit, value)) return 'CRITICAL';
  if (warn && alerts(warn, value)) return 'WARNING';
  return 'OK';
}
