// Threshold ranges as the monitoring-plugins guidelines define them, so -w/-c read the same as
// in every Nagios/Icinga plugin: `10` alerts outside 0..10, `10:` below 10, `~:10` above 10,
// `10:20` outside 10..20, `@10:20` inside 10..20 (both ends included). Pure.

import { CheckUsageError } from './check-errors';

export interface PluginRange {
  /** As given: perfdata repeats it in the warn/crit fields. */
  text: string;
  start: number;
  end: number;
  /** `@`: alert when the value is inside the range instead of outside. */
  inside: boolean;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses a range; `option` names the flag in the error (e.g. '-w'). */
export function parseRange(option: string, text: string): PluginRange {
  const bad = (why: string): CheckUsageError => new CheckUsageError(`${option}: '${text}' is not a range (${why}); use 10, 10:, ~:10, 10:20 or @10:20`);
  let body = text.trim();
  const inside = body.startsWith('@');
  if (inside) body = body.slice(1);
  if (body === '') throw bad('it is empty');
  const colon = body.indexOf(':');
  let start = 0;
  let end = Infinity;
  if (colon === -1) {
    end = number(body, bad);
  } else {
    const head = body.slice(0, colon);
    const tail = body.slice(colon + 1);
    if (head === '~') start = -Infinity;
    else if (head !== '') start = number(head, bad);
    if (tail !== '') end = number(tail, bad);
  }
  if (start > end) throw bad('its start is above its end');
  return { text: text.trim(), start, end, inside };
}

function number(s: string, bad: (why: string) => CheckUsageError): number {
  if (!NUMBER.test(s)) throw bad(`'${s}' is not a number`);
  return Number(s);
}

/** Whether `value` raises the alert the range stands for. */
export function alerts(range: PluginRange, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}
