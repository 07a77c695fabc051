// The hardware and trunk families of /metrics, read at scrape time: each span's alarms (one
// series per span and alarm name, 1 while raised), the error counters its driver reports (a
// counter the driver never writes has no series: unknown is not zero), whether the hardware
// answered at all, and the TrunkMap's channels by state per span and per trunk group.

import { Counter, Gauge, type Registry } from 'prom-client';
import { ALARM_NAMES } from '../../hardware/dahdi-constants';
import { COUNTER_NAMES, type SpanStatus } from '../../hardware/types';
import { CHANNEL_STATES, SPAN_AVAILABILITY } from '../../supervisor/trunk-map';
import type { MetricSources } from './metric-sources';

/** What one scrape read, shared by the families (one hardware read, one TrunkMap snapshot, so they agree). */
export interface ScrapeReads {
  /** null when the hardware could not be read. */
  spans(): Promise<readonly SpanStatus[] | null>;
  trunks(): ReturnType<MetricSources['trunks']>;
}

export function registerHardwareMetrics(registry: Registry, reads: ScrapeReads): void {
  const { spans, trunks } = reads;
  const registers = [registry];
  new Gauge({
    name: 'tdmgate_hardware_up', help: '1 when the hardware (DAHDI driver or sim) answered this scrape, else 0', registers,
    async collect() {
      this.set((await spans()) === null ? 0 : 1);
    },
  });
  new Gauge({
    name: 'tdmgate_span_alarm', help: 'Span alarm, 1 while raised (RED, YELLOW, BLUE, LOS, LFA, LMFA, RECOVER, LOOPBACK, NOTOPEN)', labelNames: ['span', 'alarm'], registers,
    async collect() {
      this.reset();
      for (const s of (await spans()) ?? []) {
        for (const alarm of ALARM_NAMES) this.set({ span: String(s.span), alarm }, s.alarmNames.includes(alarm) ? 1 : 0);
      }
    },
  });
  new Counter({
    name: 'tdmgate_span_errors_total', help: "Span error counters as the driver counts them (bpv, crc4, ebit, fas, fe, cv, be, prbs, errsec, irqmisses, slips); counters the driver never reports are absent", labelNames: ['span', 'counter'], registers,
    async collect() {
      this.reset();
      for (const s of (await spans()) ?? []) {
        for (const counter of COUNTER_NAMES) {
          const value = s.counters[counter];
          if (value !== null) this.inc({ span: String(s.span), counter }, value);
        }
      }
    },
  });
  new Gauge({
    name: 'tdmgate_span_condition', help: 'Span availability for calls, 1 for the current one (in-service, alarm - including the hold-down after one - or maintenance)', labelNames: ['span', 'condition'], registers,
    collect() {
      this.reset();
      for (const s of trunks().spans) {
        for (const condition of SPAN_AVAILABILITY) this.set({ span: String(s.span), condition }, s.condition === condition ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'tdmgate_span_channels', help: 'Channels of the span by state (idle, ringing, in-call, blocked-alarm, maintenance)', labelNames: ['span', 'state'], registers,
    collect() {
      this.reset();
      for (const s of trunks().spans) for (const state of CHANNEL_STATES) this.set({ span: String(s.span), state }, s.counts[state]);
    },
  });
  new Gauge({
    name: 'tdmgate_trunk_channels', help: 'Channels of the trunk group by state; a channel in two groups counts in each', labelNames: ['group', 'state'], registers,
    collect() {
      this.reset();
      for (const g of trunks().groups) for (const state of CHANNEL_STATES) this.set({ group: g.name, state }, g.counts[state]);
    },
  });
}
