// The values /metrics puts in labels, each from a small closed set: a call's outcome from its
// CDR disposition and its Q.850 cause as the standard's class, never the cause, the number or
// the call id (a label per call would make a new series per call and swamp Prometheus).

/** ITU-T Q.850 cause classes (the cause value's top three bits). */
export const CAUSE_CLASSES = ['none', 'normal', 'resource_unavailable', 'service_unavailable', 'service_not_implemented', 'invalid_message', 'protocol_error', 'interworking'] as const;
export type CauseClass = (typeof CAUSE_CLASSES)[number];

/** A Q.850 cause's class; null, 0 and values outside 1-127 are 'none'. Pure. */
export function causeClass(cause: number | null): CauseClass {
  if (cause === null || !Number.isInteger(cause) || cause < 1 || cause > 127) return 'none';
  if (cause <= 31) return 'normal'; // classes 000 and 001: normal events
  if (cause <= 47) return 'resource_unavailable';
  if (cause <= 63) return 'service_unavailable';
  if (cause <= 79) return 'service_not_implemented';
  if (cause <= 95) return 'invalid_message';
  if (cause <= 111) return 'protocol_error';
  return 'interworking';
}

export const CALL_OUTCOMES = ['answered', 'no_answer', 'busy', 'failed', 'congestion'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** A CDR disposition (ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION) as a label value; anything else is 'failed'. */
export function callOutcome(disposition: string): CallOutcome {
  const label = disposition.toLowerCase().replace(/\s+/g, '_');
  return (CALL_OUTCOMES as readonly string[]).includes(label) ? (label as CallOutcome) : 'failed';
}
