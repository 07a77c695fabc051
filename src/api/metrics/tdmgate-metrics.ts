// The supervisor's Prometheus metrics: one prom-client Registry per app (never the library's
// global one, so two supervisors in one process - the tests - keep their figures apart), the
// families of hardware-, call- and service-metrics.ts, and the scrape: state is read when
// Prometheus asks (the hardware and the TrunkMap once per scrape, so the families agree),
// counters of events are fed as they happen.

import { Registry } from 'prom-client';
import type { SpanStatus } from '../../hardware/types';
import { registerCallMetrics } from './call-metrics';
import { registerHardwareMetrics } from './hardware-metrics';
import type { MetricSources } from './metric-sources';
import { registerServiceMetrics } from './service-metrics';

export class TdmgateMetrics {
  readonly registry = new Registry();
  private spansRead: Promise<readonly SpanStatus[] | null> | null = null;
  private trunksRead: ReturnType<MetricSources['trunks']> | null = null;

  constructor(sources: MetricSources) {
    registerHardwareMetrics(this.registry, {
      spans: () => (this.spansRead ??= sources.spans().then((s) => s, () => null)),
      trunks: () => (this.trunksRead ??= sources.trunks()),
    });
    // Subscribed for the app's life: its call events end with it.
    registerCallMetrics(this.registry, sources);
    registerServiceMetrics(this.registry, sources);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text of every family, read now. */
  async scrape(): Promise<string> {
    this.forget();
    try {
      return await this.registry.metrics();
    } finally {
      this.forget();
    }
  }

  private forget(): void {
    this.spansRead = null;
    this.trunksRead = null;
  }
}
