// A span's hardware health as the status page's header shows it: the alarms the card reports
// and the findings they call for (the keys of the diag explanations, worded by the page in its
// language), the clock source, each error counter's rate, and the D-channel. Pure: one
// hardware status, the previous counter reading and the D-channel's state in, the health out.

import { alarmFindingKeys } from '../../diagnostics/explain';
import { counterRates, type CounterSnapshot } from '../../diagnostics/counter-rates';
import type { FindingKey } from '../../diagnostics/messages';
import { COUNTER_NAMES, type CounterName, type SpanStatus } from '../../hardware/types';
import type { DchannelState } from '../dchannel-states';

export interface SpanHealth {
  span: number;
  /** Alarm names as DAHDI reports them (RED, LOS, YELLOW, ...); empty when the span is clean. */
  alarms: string[];
  /** What the alarms mean, as keys of the diag explanations (GET /assets/texts.json words them). */
  findings: FindingKey[];
  /** Span number the host takes its clock from; 0 = its own oscillator (free run). */
  syncSource: number;
  /**
   * Errors per second of each counter since the last reading; null = the driver does not report
   * it (unknown, not zero); absent before the second reading.
   */
  rates: Partial<Record<CounterName, number | null>>;
  /** 'up' / 'down' on spans with a D-channel, null elsewhere (api/dchannel-states.ts says how it is known). */
  dchannel: DchannelState | null;
}

export function spanHealth(status: SpanStatus, before: CounterSnapshot | null, now: number, dchannel: DchannelState | null): SpanHealth {
  const rates: SpanHealth['rates'] = {};
  if (before !== null && now > before.at) {
    const measured = counterRates(before, { at: now, counters: status.counters });
    // Rounded: a rate that wobbles in the third decimal is no change worth an event.
    for (const name of COUNTER_NAMES) rates[name] = measured[name] === null ? null : Math.round((measured[name]?.perSecond ?? 0) * 100) / 100;
  }
  return {
    span: status.span,
    alarms: [...status.alarmNames],
    findings: alarmFindingKeys(status.alarmNames),
    syncSource: status.syncSource,
    rates,
    dchannel,
  };
}

/** Whether two readings differ in anything the page shows (an unchanged span sends no event). */
export function healthChanged(a: SpanHealth | undefined, b: SpanHealth): boolean {
  return a === undefined || JSON.stringify(a) !== JSON.stringify(b);
}
