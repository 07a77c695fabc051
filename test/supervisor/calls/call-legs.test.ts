// The call-leg engine on a real TrunkMap (sim hardware, manual clock) fed ARI events as the
// adapter parses them: call times come from the events' own timestamps (not from when they
// are handled), a leg failing within milliseconds keeps the span its name gives, a continue
// into a context Asterisk does not have is a routing error in the record, the records carry
// Asterisk's default amaflags, and a span alarm wins the cause.

import assert from 'node:assert/strict';
import type { AriChannel, SupervisorEvent } from '../../../src/supervisor/ari/ari-events';
import { CallLegs } from '../../../src/supervisor/calls/call-legs';
import type { Leg, LegEnd } from '../../../src/supervisor/calls/leg';
import type { CdrInput } from '../../../src/supervisor/cdr/cdr-record';
import { inboundCdr, type InboundData } from '../../../src/supervisor/inbound/inbound-cdr';
import { close, E1_PRI_SITE, rig, site, type Rig } from '../trunk-map/trunk-helpers';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0 + ms);

function channel(id: string, name: string, state = 'Ring'): AriChannel {
  return { id, name, state, caller: { name: '', number: '0301234567' }, dialplan: { context: 'from-pri', exten: '6912345', priority: 1, app_name: 'Stasis', app_data: 'tdmgate' }, creationtime: '' };
}

function inboundData(): InboundData {
  return { did: '6912345', callerId: '0301234567', callerName: '', context: 'from-pri', route: 'sales', target: 'sales', stasisHint: null, app: 'tdmgate', offeredAt: null };
}

describe('call legs: the engine', () => {
  let r: Rig;
  let legs: CallLegs;
  let records: CdrInput[];
  let ends: LegEnd[];
  let logs: { level: string; msg: string; obj: object }[];
  const owner = {
    record: (leg: Leg<InboundData>, end: LegEnd) => inboundCdr(leg, end),
    ended: (_leg: Leg<InboundData>, end: LegEnd) => ends.push(end),
  };

  beforeEach(async () => {
    r = await rig({ siteYaml: E1_PRI_SITE });
    records = [];
    ends = [];
    logs = [];
    const log = (level: string) => (obj: object, msg: string) => logs.push({ level, msg, obj });
    legs = new CallLegs({
      trunkMap: r.map, site: site(E1_PRI_SITE), cdr: { write: (c) => Promise.resolve(void records.push(c)) },
      spanAlarms: () => Promise.resolve([]), hangup: () => Promise.resolve(), logger: { info: log('info'), warn: log('warn'), error: log('error') },
      // Handling happens long after the events: the record must not take this clock.
      now: () => at(100_000),
    });
  });
  afterEach(() => close(r));

  it('answer and end times are the events\' own timestamps, so billsec matches Asterisk\'s', async () => {
    const leg = legs.open({ id: 'in-1', direction: 'inbound', name: 'DAHDI/i1/0301234567-1', createdAt: at(0), data: inboundData() }, 'deciding', owner);
    legs.place(leg, 5);
    const events: SupervisorEvent[] = [
      { type: 'ChannelStateChange', at: at(5_200), channel: channel('in-1', leg.name, 'Up') },
      { type: 'ChannelDestroyed', at: at(65_900), channel: channel('in-1', leg.name, 'Up'), cause: 16, causeText: 'Normal Clearing' },
    ];
    for (const e of events) legs.onEvent(leg, e);
    await legs.settled();
    assert.equal(records.length, 1);
    const cdr = records[0] as CdrInput;
    assert.deepEqual([cdr.answer_time, cdr.end_time, cdr.billsec, cdr.duration], [at(5_200), at(65_900), 60, 65]);
    assert.deepEqual([cdr.span, cdr.timeslot, cdr.disposition, cdr.q850_cause], [1, 5, 'ANSWERED', 16]);
    assert.equal(cdr.amaflags, 3, 'Asterisk writes DOCUMENTATION (3) unless told otherwise');
    assert.equal(r.map.channel(5).state, 'idle', 'the trunk channel is released');
  });

  it('a leg gone within milliseconds keeps the span its name gives (PRI) or the channel (CAS/analog)', async () => {
    const pri = legs.open({ id: 'out-1', direction: 'inbound', name: '', createdAt: at(0), data: inboundData() }, 'deciding', owner);
    legs.onEvent(pri, { type: 'Dial', at: at(20), peer: channel('out-1', 'DAHDI/i2/5551234-3'), dialstatus: '', dialstring: 'i2-g1/5551234' });
    legs.onEvent(pri, { type: 'ChannelDestroyed', at: at(90), channel: channel('out-1', 'DAHDI/i2/5551234-3'), cause: 17, causeText: 'User busy' });
    const analog = legs.open({ id: 'out-2', direction: 'inbound', name: '', createdAt: at(0), data: inboundData() }, 'deciding', owner);
    legs.onEvent(analog, { type: 'ChannelCreated', at: at(5), channel: channel('out-2', 'DAHDI/63-1') });
    legs.onEvent(analog, { type: 'ChannelDestroyed', at: at(80), channel: channel('out-2', 'DAHDI/63-1'), cause: 34, causeText: '' });
    await legs.settled();
    assert.deepEqual(records.map((c) => [c.channel, c.span, c.timeslot]), [['DAHDI/i2/5551234-3', 2, null], ['DAHDI/63-1', 3, 1]]);
    assert.equal(r.map.channel(63).state, 'idle');
  });

  it('a continue into a context the dialplan lacks is a routing error in the log and the record', async () => {
    const bad = legs.open({ id: 'in-2', direction: 'inbound', name: 'DAHDI/i1/1-2', createdAt: at(0), data: inboundData() }, 'deciding', owner);
    legs.place(bad, 7);
    assert.ok(legs.continued(bad, { context: 'no-such-context', extension: 's', priority: 1 }));
    legs.onEvent(bad, { type: 'ChannelDestroyed', at: at(30), channel: channel('in-2', bad.name), cause: 0, causeText: 'Unknown' });
    const good = legs.open({ id: 'in-3', direction: 'inbound', name: 'DAHDI/i1/1-3', createdAt: at(0), data: inboundData() }, 'deciding', owner);
    legs.place(good, 8);
    assert.ok(legs.continued(good, { context: 'sales', extension: 's', priority: 1 }));
    legs.onEvent(good, { type: 'ChannelDialplan', at: at(10), channel: channel('in-3', good.name), app: 'Queue', appData: 'sales' });
    legs.onEvent(good, { type: 'ChannelDestroyed', at: at(9_000), channel: channel('in-3', good.name), cause: 0, causeText: 'Unknown' });
    await legs.settled();
    const [badCdr, goodCdr] = records as [CdrInput, CdrInput];
    assert.equal(badCdr.disposition, 'FAILED');
    assert.match(badCdr.userfield ?? '', /routing error: the dialplan has no no-such-context,s,1/);
    assert.deepEqual(ends.map((e) => e.routingError), [true, false]);
    assert.equal(goodCdr.disposition, 'NO ANSWER');
    assert.equal(legs.stats.routingErrors, 1);
    assert.ok(logs.some((l) => l.level === 'error' && /routing error/.test(l.msg) && (l.obj as { span?: number }).span === 1));
  });

  it('a span alarm wins the cause; a gone leg is closed once, however often it is reported', async () => {
    const leg = legs.open({ id: 'in-4', direction: 'inbound', name: 'DAHDI/i1/1-4', createdAt: at(0), data: inboundData() }, 'deciding', owner);
    legs.place(leg, 9);
    legs.onInterrupted({ span: 1, timeslot: 9, channel: 9, group: 1, callRef: 'in-4', state: 'ringing', cause: 'alarm', alarms: ['RED'], at: 0 });
    const destroyed: SupervisorEvent = { type: 'ChannelDestroyed', at: at(500), channel: channel('in-4', leg.name), cause: 16, causeText: '' };
    legs.onEvent(leg, destroyed);
    legs.onEvent(leg, destroyed);
    await legs.vanished('in-4');
    await legs.settled();
    assert.equal(records.length, 1);
    assert.deepEqual([records[0]?.q850_cause, records[0]?.disposition], [38, 'FAILED']);
    assert.match(records[0]?.userfield ?? '', /interrupted by span alarm: RED/);
  });

  it('shutdown leaves an unconfirmed originate to the next run and records the rest', async () => {
    legs.open({ id: 'tdmgate-o-1-1', direction: 'outbound', name: '', createdAt: at(0), data: inboundData() }, 'dialing', owner);
    const known = legs.open({ id: 'in-5', direction: 'inbound', name: 'DAHDI/i1/1-5', createdAt: at(0), data: inboundData() }, 'continued', owner);
    legs.place(known, 10);
    await legs.closeAll('supervisor stopped');
    await legs.settled();
    assert.deepEqual(records.map((c) => c.uniqueid), ['in-5']);
    assert.equal(legs.tracked.size, 0);
    assert.equal(legs.tracked.isFinished('tdmgate-o-1-1'), false, 'never recorded: the next run may adopt it');
  });
});
