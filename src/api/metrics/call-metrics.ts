// The call families of /metrics: call legs ended by direction, outcome and Q.850 cause class
// (counted from the calls' hang-up events), calls in progress (read at scrape time) and the
// inbound setup decision's duration (a histogram in seconds fed by the decision timings), and
// the toll-fraud guard's refusals by rule and token suspensions.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { GUARD_RULES } from '../../supervisor/toll-guard/guard-errors';
import { causeClass, callOutcome } from './metric-labels';
import type { MetricSources } from './metric-sources';

/** Seconds; the goal is a p99 under 5 ms, so the buckets are dense below 10 ms. */
export const DECISION_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Registers the families and subscribes to the calls' events and decision timings. */
export function registerCallMetrics(registry: Registry, sources: MetricSources): void {
  const registers = [registry];
  const calls = new Counter({
    name: 'tdmgate_calls_total', help: 'Call legs ended (one per CDR: each seizure of a trunk channel, so an outbound call tried on two spans counts twice), by direction, outcome and Q.850 cause class',
    labelNames: ['direction', 'outcome', 'cause_class'], registers,
  });
  new Gauge({
    name: 'tdmgate_calls_active', help: 'Call legs in progress', labelNames: ['direction'], registers,
    collect() {
      for (const direction of ['inbound', 'outbound'] as const) this.set({ direction }, sources.calls.active(direction));
    },
  });
  const decisions = new Histogram({
    name: 'tdmgate_inbound_decision_duration_seconds', help: 'Inbound setup decision: from the StasisStart reaching tdmgate to Asterisk accepting the continue (routed) or the hangup (rejected)',
    labelNames: ['outcome'], buckets: DECISION_BUCKETS, registers,
  });
  // Both outcomes from the start, so a rate() over them works before the first rejection.
  for (const outcome of ['routed', 'rejected']) decisions.zero({ outcome });
  sources.calls.onEvent((e) => {
    if (e.kind !== 'hangup' || e.end === null) return;
    calls.inc({ direction: e.direction, outcome: callOutcome(e.end.disposition), cause_class: causeClass(e.end.cause) });
  });
  sources.calls.onDecision((t) => decisions.observe({ outcome: t.outcome }, t.seconds));

  const refusals = new Counter({ name: 'tdmgate_toll_guard_refusals_total', help: 'Originates the toll-fraud guard refused, by the rule that refused them', labelNames: ['rule'], registers });
  for (const rule of GUARD_RULES) refusals.inc({ rule }, 0);
  const suspensions = new Counter({ name: 'tdmgate_toll_guard_suspensions_total', help: 'API tokens the toll-fraud guard suspended for hitting a cap', registers });
  sources.guard.onRefused((e) => refusals.inc({ rule: e.rule }));
  sources.guard.onSuspended(() => suspensions.inc());
}
