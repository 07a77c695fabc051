// The live parts /metrics reads, gathered into its small MetricSources interface: the
// composition root's only knowledge of what the metrics need, so neither side sees the other's
// insides and the metrics never hold the App.

import type { MetricSources } from '../api/metrics/metric-sources';
import type { HardwareBackend } from '../hardware/types';
import type { AriAdapter } from '../supervisor/ari/ari-adapter';
import type { CallControl } from '../supervisor/call-control';
import type { CdrSink } from '../supervisor/cdr/cdr-sink';
import type { TollGuard } from '../supervisor/toll-guard/toll-guard';
import type { TrunkMap } from '../supervisor/trunk-map';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import type { Queues } from './app';

export interface MetricParts {
  backend: HardwareBackend;
  trunkMap: TrunkMap;
  calls: CallControl;
  sink: CdrSink;
  ari: AriAdapter;
  queues: Queues | null;
  webhooks: WebhookDispatcher | null;
  guard: TollGuard;
}

export function metricSources(p: MetricParts): MetricSources {
  const { queues, webhooks } = p;
  return {
    spans: () => p.backend.spans(),
    trunks: () => p.trunkMap.snapshot(),
    calls: {
      onEvent: (listener) => p.calls.events.on(listener),
      onDecision: (listener) => p.calls.inbound.decisions.on(listener),
      active: (direction) => p.calls.legs.count(direction),
    },
    cdr: {
      get status() {
        return p.sink.status;
      },
      stats: () => p.sink.stats(),
      spoolBytes: () => p.sink.spool.pendingBytes(),
    },
    ari: {
      get status() {
        return p.ari.status;
      },
      stats: () => p.ari.stats(),
    },
    queues: queues && {
      get ready() {
        return queues.dispatcher.ready;
      },
      counts: () => queues.jobs.counts(),
      stats: () => ({ ...queues.dispatcher.stats }),
    },
    webhooks: webhooks && { stats: () => webhooks.stats },
    guard: {
      onRefused: (listener) => void p.guard.on('refused', listener),
      onSuspended: (listener) => void p.guard.on('suspended', () => listener()),
    },
  };
}
