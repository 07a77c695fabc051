// Time windows and holidays in the site's zone: windows across midnight, DST in Europe/Berlin
// (and Shanghai's none since 1991), holiday calendars with only/except.

import assert from 'node:assert/strict';
import { decideInbound } from '../../../src/supervisor/routing/decide-inbound';
import { localClock } from '../../../src/supervisor/routing/local-time';
import { call, idle, rulesFor } from './routing-helpers';

const SECTION = `  holidays:
    public: ["2025-10-01..2025-10-03", "2025-12-25"]
  targets:
    - { name: day, context: day, extension: s }
    - { name: night, context: night, extension: s }
    - { name: closed, context: closed, extension: s }
  inbound:
    - { name: holiday, holidays: { calendar: public, match: only }, target: closed }
    - name: night-shift
      time: [{ days: [fri], from: "22:00", to: "06:00" }]
      target: night
    - name: office
      time: [{ days: mon-fri, from: "08:00", to: "18:00" }, { days: sat, from: "09:00", to: "12:00" }]
      target: day
  default: closed
`;

function routeAt(iso: string, timezone: string): string {
  const d = decideInbound(call({ at: new Date(iso) }), rulesFor(SECTION, timezone), idle);
  return d.route ?? 'none';
}

describe('time rules in Asia/Shanghai (UTC+8, no DST)', () => {
  const tz = 'Asia/Shanghai';
  it('opens at 08:00 local and closes before 18:00 (to is exclusive)', () => {
    assert.equal(routeAt('2025-03-05T00:00:00Z', tz), 'office'); // Wed 08:00
    assert.equal(routeAt('2025-03-04T23:59:00Z', tz), 'default'); // Wed 07:59
    assert.equal(routeAt('2025-03-05T09:59:00Z', tz), 'office'); // Wed 17:59
    assert.equal(routeAt('2025-03-05T10:00:00Z', tz), 'default'); // Wed 18:00
    assert.equal(routeAt('2025-03-08T01:30:00Z', tz), 'office'); // Sat 09:30
    assert.equal(routeAt('2025-03-09T01:30:00Z', tz), 'default'); // Sun 09:30
  });

  it('runs a Friday 22:00-06:00 window across midnight into Saturday only', () => {
    assert.equal(routeAt('2025-03-07T14:00:00Z', tz), 'night-shift'); // Fri 22:00
    assert.equal(routeAt('2025-03-07T21:59:00Z', tz), 'night-shift'); // Sat 05:59
    assert.equal(routeAt('2025-03-07T22:00:00Z', tz), 'default'); // Sat 06:00
    assert.equal(routeAt('2025-03-06T14:00:00Z', tz), 'default'); // Thu 22:00
    assert.equal(routeAt('2025-03-06T21:00:00Z', tz), 'default'); // Fri 05:00 (window starts Fri evening)
  });

  it('takes holidays by the local date, not the UTC one', () => {
    assert.equal(routeAt('2025-09-30T16:30:00Z', tz), 'holiday'); // 2025-10-01 00:30 local, 09-30 in UTC
    assert.equal(routeAt('2025-10-03T15:59:00Z', tz), 'holiday'); // 10-03 23:59 local
    assert.equal(routeAt('2025-10-04T02:00:00Z', tz), 'office'); // Sat 10-04 10:00, holiday over
  });

  it('follows the zone data, including the DST China kept 1986-1991', () => {
    assert.equal(localClock(tz)(new Date('2025-07-01T01:30:00Z')).minutes, 9 * 60 + 30);
    assert.equal(localClock(tz)(new Date('1990-07-01T01:30:00Z')).minutes, 10 * 60 + 30);
  });

  it('one clock asked many times a second still turns at the minute, and its answers are not shared', () => {
    const clock = localClock(tz);
    const first = clock(new Date('2025-07-01T01:59:59.000Z'));
    first.minutes = -1;
    assert.equal(clock(new Date('2025-07-01T01:59:59.999Z')).minutes, 9 * 60 + 59);
    assert.equal(clock(new Date('2025-07-01T02:00:00.000Z')).minutes, 10 * 60);
    // 1900 Shanghai kept local mean time, +08:05:43: its minutes turn at second 17 of a UTC minute.
    assert.equal(clock(new Date('1900-07-01T01:30:16.999Z')).minutes, 9 * 60 + 35);
    assert.equal(clock(new Date('1900-07-01T01:30:17.000Z')).minutes, 9 * 60 + 36);
  });
});

describe('time rules in Europe/Berlin across DST', () => {
  const tz = 'Europe/Berlin';
  it('opens at 08:00 local on both sides of the spring change (UTC+1 -> UTC+2 on 2025-03-30)', () => {
    assert.equal(routeAt('2025-03-28T07:00:00Z', tz), 'office'); // Fri 08:00 CET
    assert.equal(routeAt('2025-03-31T06:00:00Z', tz), 'office'); // Mon 08:00 CEST
    assert.equal(routeAt('2025-03-31T05:59:00Z', tz), 'default'); // Mon 07:59 CEST (06:59 would be CET)
  });

  it('keeps a night window through the change night and the autumn repeat hour', () => {
    // Fri 2025-03-28 22:00 CET .. Sat 06:00: the spring change is Sunday, so check autumn's too.
    assert.equal(routeAt('2025-03-29T04:59:00Z', tz), 'night-shift'); // Sat 05:59 CET
    assert.equal(routeAt('2025-10-24T20:00:00Z', tz), 'night-shift'); // Fri 22:00 CEST
    assert.equal(routeAt('2025-10-25T03:59:00Z', tz), 'night-shift'); // Sat 05:59 CEST
    assert.equal(routeAt('2025-10-25T04:00:00Z', tz), 'default'); // Sat 06:00 CEST
  });

  it('reads the local time on the change days from the zone data', () => {
    const clock = localClock(tz);
    assert.equal(clock(new Date('2025-03-30T00:59:00Z')).minutes, 1 * 60 + 59); // 01:59 CET
    assert.equal(clock(new Date('2025-03-30T01:00:00Z')).minutes, 3 * 60); // 03:00 CEST: 02:xx never happens
    assert.equal(clock(new Date('2025-10-26T00:30:00Z')).minutes, 2 * 60 + 30); // 02:30 CEST
    assert.equal(clock(new Date('2025-10-26T01:30:00Z')).minutes, 2 * 60 + 30); // 02:30 CET, the repeat
    assert.equal(clock(new Date('2025-12-24T23:30:00Z')).date, '2025-12-25');
  });

  it('takes the Christmas holiday from local midnight', () => {
    assert.equal(routeAt('2025-12-24T23:00:00Z', tz), 'holiday'); // 12-25 00:00 CET
    assert.equal(routeAt('2025-12-24T22:59:00Z', tz), 'default'); // Wed 12-24 23:59
  });
});

describe('holiday match: except', () => {
  it('applies a rule on every date but the calendar\'s', () => {
    const rules = rulesFor(`  holidays: { public: ["2025-10-01"] }
  targets: [{ name: a, context: a }, { name: b, context: b }]
  inbound: [{ name: workday, holidays: { calendar: public, match: except }, target: a }]
  default: b
`);
    assert.equal(decideInbound(call({ at: new Date('2025-10-01T04:00:00Z') }), rules, idle).route, 'default');
    assert.equal(decideInbound(call({ at: new Date('2025-10-02T04:00:00Z') }), rules, idle).route, 'workday');
  });
});
