// Test fixture: a healthy E1 PRI span as the contract describes it, with overrides per test.

import { alarmBits, alarmNames, type AlarmName } from '../../src/hardware/dahdi-constants';
import { COUNTER_NAMES, type Counters, type SpanStatus } from '../../src/hardware/types';

export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as Counters;
}

export function makeSpan(overrides: Partial<SpanStatus> & { alarmList?: AlarmName[] } = {}): SpanStatus {
  const { alarmList = [], ...rest } = overrides;
  const alarms = alarmBits(alarmList);
  return {
    span: 1,
    name: 'TE4/0/1',
    description: 'T4XXP (PCI) Card 0 Span 1',
    alarms,
    alarmNames: alarmNames(alarms),
    counters: zeroCounters(),
    driver: 'wct4xxp',
    syncSource: 1,
    lbo: 0,
    lboName: '0 db (CSU) / 0-133 feet (DSX-1)',
    lineConfig: 512 | 256 | 1024,
    lineConfigNames: ['CCS', 'HDB3', 'CRC4'],
    spanType: 'E1',
    spanTypeText: 'E1',
    baseChannel: 1,
    totalChannels: 31,
    configuredChannels: 31,
    location: 'PCI Bus 03 Slot 01',
    manufacturer: 'Digium',
    deviceType: 'Wildcard TE420',
    linecompat: 0,
    txLevel: 0,
    rxLevel: 0,
    ...rest,
  };
}
