// A span's availability for new calls: the one vocabulary the snapshot, the outbound attempts,
// the span events and the logs use. In service; out of service by an alarm (a line alarm, the
// span missing or misfit, or the hold-down after an alarm); or in maintenance (a loop running).

export const SPAN_AVAILABILITY = ['in-service', 'alarm', 'maintenance'] as const;
export type SpanAvailability = (typeof SPAN_AVAILABILITY)[number];

/** The availability with the reasons a technician reads (alarm names, 'span missing', 'LOOPBACK'). */
export type SpanCondition = { state: 'in-service' } | { state: 'alarm' | 'maintenance'; reason: string[] };

export const IN_SERVICE: SpanCondition = { state: 'in-service' };
