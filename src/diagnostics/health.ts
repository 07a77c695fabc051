// Exit codes monitoring systems read (Nagios-style: 0 ok, 1 warning, 2 critical, 3 unknown),
// plus the codes for usage mistakes and internal faults, and the rule that picks one.

import type { Issue } from './explain';

export const EXIT_CODES = {
  /** Every span up, no error counter rising. */
  OK: 0,
  /** No span in alarm, but error counters rising or a span in RECOVER/LOOPBACK/NOTOPEN. */
  WARNING: 1,
  /** At least one span in a service-affecting alarm (RED, YELLOW, BLUE, LOS, LFA, LMFA). */
  ALARM: 2,
  /** Cannot tell: no driver, no spans, or the hardware could not be read. */
  UNKNOWN: 3,
  /** A diag loopback that was interrupted (128 + SIGINT, as shells report it). */
  INTERRUPTED: 130,
  /** The command line was wrong (BSD sysexits EX_USAGE). */
  USAGE: 64,
  /** A bug: an unexpected error (EX_SOFTWARE). */
  INTERNAL: 70,
} as const;

export type HealthCode = typeof EXIT_CODES.OK | typeof EXIT_CODES.WARNING | typeof EXIT_CODES.ALARM | typeof EXIT_CODES.UNKNOWN;

/** spanCount 0 means the backend shows no spans at all, which proves nothing about the lines. */
export function healthCode(issues: readonly Issue[], spanCount: number): HealthCode {
  if (spanCount === 0) return EXIT_CODES.UNKNOWN;
  if (issues.some((issue) => issue.severity === 'alarm')) return EXIT_CODES.ALARM;
  if (issues.some((issue) => issue.severity === 'warning')) return EXIT_CODES.WARNING;
  return EXIT_CODES.OK;
}

export function healthWord(code: HealthCode): 'OK' | 'WARNING' | 'ALARM' | 'UNKNOWN' {
  return (['OK', 'WARNING', 'ALARM', 'UNKNOWN'] as const)[code];
}
