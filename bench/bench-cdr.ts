// The CDR the benches write: an answered inbound call on one of 16 spans, unique per index,
// shaped like what the supervisor hands the sink.

import type { CdrInput } from '../src/supervisor/cdr/cdr-record';

export function benchCdr(i: number): CdrInput {
  const start = new Date(Date.UTC(2025, 10, 24, 8) + i * 100);
  return {
    calldate: start, clid: `"Caller" <5551${i}>`, src: `5551${i}`, dst: '8001', dcontext: 'from-pstn',
    channel: `DAHDI/${(i % 480) + 1}-1`, dstchannel: 'PJSIP/agent-0001', lastapp: 'Dial', lastdata: 'PJSIP/agent,30',
    duration: 95, billsec: 80, disposition: 'ANSWERED', amaflags: 3, uniqueid: `1732435200.${i}`, linkedid: `1732435200.${i}`,
    span: (i % 16) + 1, timeslot: (i % 31) + 1, trunk_group: 'pstn-in', direction: 'inbound', q850_cause: 16,
    ring_time: start, answer_time: new Date(start.getTime() + 15_000), end_time: new Date(start.getTime() + 95_000), route: 'did-8001',
  };
}
