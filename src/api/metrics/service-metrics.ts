// The service families of /metrics, read at scrape time: the CDR sink (state, records by
// result, spool depth in bytes), the ARI connection (state, connects, replacements, timeouts,
// events not acted on), the job queues (Redis up, jobs per group and state, each job try's
// outcome) and the webhooks (deliveries by result, events buffered while Redis is away).

import { Counter, Gauge, type Registry } from 'prom-client';
import type { AriStatus } from '../../supervisor/ari/ari-adapter';
import type { CdrSinkStatus } from '../../supervisor/cdr/cdr-sink';
import type { MetricSources } from './metric-sources';

const CDR_STATES: readonly CdrSinkStatus[] = ['connecting', 'ready', 'spooling', 'closing', 'closed'];
const ARI_STATES: readonly AriStatus[] = ['connecting', 'ready', 'closing', 'closed'];
/** Redis round trips of a scrape are bounded: a Redis away must not hang the scrape. */
const QUEUE_COUNTS_TIMEOUT_MS = 2_000;

export function registerServiceMetrics(registry: Registry, sources: MetricSources): void {
  const registers = [registry];
  new Gauge({
    name: 'tdmgate_cdr_sink_state', help: 'CDR sink state, 1 for the current one (ready: writing to the database; spooling: to the local spool)', labelNames: ['state'], registers,
    collect() {
      for (const state of CDR_STATES) this.set({ state }, sources.cdr.status === state ? 1 : 0);
    },
  });
  new Counter({
    name: 'tdmgate_cdr_records_total', help: 'CDRs by what became of them: written to the database, spooled, replayed from the spool, rejected by the database', labelNames: ['result'], registers,
    collect() {
      this.reset();
      const s = sources.cdr.stats();
      for (const [result, value] of [['written', s.written], ['spooled', s.spooled], ['replayed', s.replayed], ['rejected', s.rejected]] as const) this.inc({ result }, value);
    },
  });
  new Gauge({
    name: 'tdmgate_cdr_spool_bytes', help: 'Bytes of CDRs in the local spool waiting for the database', registers,
    async collect() {
      this.set(await sources.cdr.spoolBytes());
    },
  });
  new Gauge({
    name: 'tdmgate_ari_connection_state', help: 'ARI connection state, 1 for the current one', labelNames: ['state'], registers,
    collect() {
      for (const state of ARI_STATES) this.set({ state }, sources.ari.status === state ? 1 : 0);
    },
  });
  const ariCounter = (name: string, help: string, read: () => number): void => {
    new Counter({
      name, help, registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  ariCounter('tdmgate_ari_connects_total', 'ARI connections made (the first and every reconnect)', () => sources.ari.stats().connections);
  ariCounter('tdmgate_ari_connections_replaced_total', 'ARI connections retired because they looked dead (socket closed, no pong, REST timeout)', () => sources.ari.stats().replaced);
  ariCounter('tdmgate_ari_rest_timeouts_total', 'ARI REST calls that did not answer in time', () => sources.ari.stats().restTimeouts);
  new Counter({
    name: 'tdmgate_ari_events_unused_total', help: 'ARI events not acted on: ignored (types tdmgate does not use) or malformed', labelNames: ['reason'], registers,
    collect() {
      this.reset();
      const s = sources.ari.stats();
      this.inc({ reason: 'ignored' }, s.ignoredEvents);
      this.inc({ reason: 'malformed' }, s.malformedEvents);
    },
  });
  const queues = sources.queues;
  if (queues) registerQueueMetrics(registry, queues);
  const webhooks = sources.webhooks;
  if (webhooks) {
    new Counter({
      name: 'tdmgate_webhook_deliveries_total', help: 'Webhook deliveries by result: queued, delivered, retried, dead_letter, dropped (buffer full or not handed over at stop)', labelNames: ['result'], registers,
      collect() {
        this.reset();
        const s = webhooks.stats();
        for (const [result, value] of [['queued', s.queued], ['delivered', s.delivered], ['retried', s.retried], ['dead_letter', s.deadLetters], ['dropped', s.dropped]] as const) this.inc({ result }, value);
      },
    });
    new Gauge({
      name: 'tdmgate_webhook_buffered_events', help: 'Call events waiting in memory for Redis', registers,
      collect() {
        this.set(webhooks.stats().buffered);
      },
    });
  }
}

function registerQueueMetrics(registry: Registry, queues: NonNullable<MetricSources['queues']>): void {
  const registers = [registry];
  new Gauge({
    name: 'tdmgate_queue_redis_up', help: "1 when the job queues' Redis answers, else 0", registers,
    collect() {
      this.set(queues.ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tdmgate_queue_jobs', help: 'Call jobs per trunk group and state (waiting, delayed, active, completed and failed kept in Redis); absent while Redis is away', labelNames: ['group', 'state'], registers,
    async collect() {
      this.reset();
      if (!queues.ready) return;
      const counts = await withTimeout(queues.counts(), QUEUE_COUNTS_TIMEOUT_MS);
      for (const [group, states] of Object.entries(counts ?? {})) {
        for (const [state, value] of Object.entries(states)) this.set({ group, state }, value);
      }
    },
  });
  new Counter({
    name: 'tdmgate_call_jobs_total', help: "Call job tries taken by this supervisor by outcome: completed, retried, failed, requeued (ARI away), skipped (do-not-call, campaign), held (slot gone)", labelNames: ['outcome'], registers,
    collect() {
      this.reset();
      const s = queues.stats();
      for (const [outcome, value] of [['completed', s.completed], ['retried', s.retried], ['failed', s.failed], ['requeued', s.requeued], ['skipped', s.skipped], ['held', s.held]] as const) this.inc({ outcome }, value);
    },
  });
  new Counter({
    name: 'tdmgate_call_jobs_started_total', help: 'Call job tries this supervisor started', registers,
    collect() {
      this.reset();
      this.inc(queues.stats().started);
    },
  });
}

/** The value, or null when it failed or took longer than `ms`. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([p.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
