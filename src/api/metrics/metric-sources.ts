// What /metrics reads, as a small interface: the hardware's spans, the TrunkMap's counts, the
// calls' events and decision timings, the CDR sink, the ARI connection, the job queues, the
// webhooks and the toll-fraud guard. The composition root hands the live parts in (src/app/metric-sources.ts); the
// metrics never see the App, and a test can hand in anything of this shape.

import type { SpanStatus } from '../../hardware/types';
import type { DispatcherStats } from '../../jobs/dispatch-types';
import type { AriStats, AriStatus } from '../../supervisor/ari/ari-adapter';
import type { CallEventListener } from '../../supervisor/calls/call-events';
import type { Direction } from '../../supervisor/calls/leg';
import type { CdrSinkStats, CdrSinkStatus } from '../../supervisor/cdr/cdr-sink';
import type { DecisionListener } from '../../supervisor/inbound/decision-timings';
import type { GuardRuleName } from '../../supervisor/toll-guard/guard-errors';
import type { TrunkMapSnapshot } from '../../supervisor/trunk-map';
import type { WebhookStats } from '../../webhooks/webhook-dispatcher';

export interface MetricSources {
  /** Every span now, with its alarms and error counters (read from the hardware at scrape time). */
  spans(): Promise<readonly SpanStatus[]>;
  /** Channels by state per span and per trunk group, now. */
  trunks(): Pick<TrunkMapSnapshot, 'spans' | 'groups'>;
  calls: {
    /** Ring, answer and hang-up of every call leg. */
    onEvent(listener: CallEventListener): () => void;
    /** Each inbound setup decision's duration. */
    onDecision(listener: DecisionListener): () => void;
    active(direction: Direction): number;
  };
  cdr: {
    readonly status: CdrSinkStatus;
    stats(): CdrSinkStats;
    /** Bytes in the spool waiting for the database. */
    spoolBytes(): Promise<number>;
  };
  ari: {
    readonly status: AriStatus;
    stats(): AriStats;
  };
  /** null when the job queues are off. */
  queues: {
    /** Redis answers. */
    readonly ready: boolean;
    /** Jobs per group and state (Redis round trips). */
    counts(): Promise<Record<string, Record<string, number>>>;
    stats(): DispatcherStats;
  } | null;
  /** null when no webhooks are configured. */
  webhooks: { stats(): WebhookStats } | null;
  /** The toll-fraud guard's refusals (by rule) and token suspensions. */
  guard: {
    onRefused(listener: (e: { rule: GuardRuleName }) => void): void;
    onSuspended(listener: () => void): void;
  };
}
