// The routing section's checks: each mistake is reported with path, file line, the allowed
// values and a did-you-mean; the routing examples pass and generate the same files as the
// examples they extend (routing never changes generated output).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSite } from '../../src/provisioning/site/load';
import { compilePattern } from '../../src/provisioning/site/number-pattern';
import { EXAMPLES, e1Site, invalid, valid } from './site-helpers';

/** e1Site with a PRI span on group 1 plus the given top-level lines (routing: ... ). */
const site = (tail: string): string => `timezone: Asia/Shanghai\n${e1Site('{ line: E1, signalling: pri_cpe, group: 1 }')}${tail}`;
const TARGETS = 'routing:\n  targets:\n    - { name: ivr, context: cc-ivr, limit: 5, overflow: queue }\n    - { name: queue, context: cc-queue }\n';

describe('routing checks', () => {
  it('accepts a full routing section and fills defaults', () => {
    const r = valid(site(`${TARGETS}  inbound:\n    - { name: a, did: "_64XX", target: ivr }\n  default: queue\n  outbound:\n    - { group: carrier }\n`)).site.routing;
    assert.equal(r?.targets[1]?.extension, 's');
    assert.equal(r?.targets[1]?.priority, 1);
    assert.deepEqual(r?.outbound[0], { group: 1, callerId: null, timeout: 45, maxRetries: 2, dial: 'national', retryDelay: { busy: 300, noAnswer: 900, congestion: 60, failed: 600 }, inboundReserve: { kind: 'channels', count: 0 }, attemptsPerSecond: null, attemptsPerSecondPerSpan: null });
  });

  it('refuses a bad time, naming path, line and the allowed form', () => {
    invalid(site(`${TARGETS}  inbound:\n    - name: a\n      time: [{ days: mon-fri, from: "25:00", to: "18:00" }]\n      target: ivr\n`),
      [/site\.yaml:16: routing\.inbound\[0\]\.time\[0\]\.from: "25:00" is not a time; write HH:MM from 00:00 to 23:59/]);
    invalid(site(`${TARGETS}  inbound:\n    - { name: a, time: [{ from: "08:00", to: "08:00" }], target: ivr }\n`), [/an empty window/]);
    invalid(site(`${TARGETS}  inbound:\n    - { name: a, time: [{ days: [mon, frj], from: "08:00", to: "09:60" }], target: ivr }\n`),
      [/days\[1\]: "frj" is not a day; one of sun, mon, .* \(did you mean "fri"\?\)/, /\.to: "09:60" is not a time/]);
  });

  it('refuses an unknown holiday calendar, target or group with did-you-mean, and bad dates', () => {
    invalid(site(`${TARGETS}  holidays: { cn-public: ["2025-10-01", "2025-02-30", "2025-05-05..2025-05-01"] }\n  inbound:\n    - { name: a, holidays: { calendar: cn-publik }, target: ivrr }\n    - { name: b, groups: [carier], target: queue }\n`), [
      /holidays\.cn-public\[1\]: "2025-02-30" is not a date/,
      /holidays\.cn-public\[2\]: range 2025-05-05\.\.2025-05-01 ends before it starts/,
      /inbound\[0\]\.holidays\.calendar: holiday calendar "cn-publik" does not exist \(did you mean "cn-public"\?\); defined: cn-public/,
      /inbound\[0\]\.target: target "ivrr" does not exist \(did you mean "ivr"\?\)/,
      /inbound\[1\]\.groups\[0\]: group "carier" does not exist \(did you mean "carrier"\?\)/,
    ]);
  });

  it('refuses overflow cycles', () => {
    invalid(site('routing:\n  targets:\n    - { name: a, context: x, limit: 1, overflow: b }\n    - { name: b, context: x, limit: 1, overflow: c }\n    - { name: c, context: x, limit: 1, overflow: a }\n'),
      [/site\.yaml:\d+: routing\.targets\[0\]\.overflow: overflow loops: a -> b -> c -> a/]);
  });

  it('refuses patterns with illegal characters, misplaced wildcards and unquoted numbers', () => {
    invalid(site(`${TARGETS}  blacklist: { callers: ["_86A.", "40O", "_1.2", "_[9-1]X", 4008] }\n`), [
      /blacklist\.callers\[0\]: pattern "_86A\." has "A" at position 4, not allowed in a pattern; allowed: digits, \* #, X, Z, N/,
      /callers\[1\]: pattern "40O" "40O" has "O", which a plain prefix cannot hold/,
      /callers\[2\]: pattern "_1\.2" "\." at position 3 must be the last character/,
      /callers\[3\]: pattern "_\[9-1\]X" range "9-1" runs backwards/,
      /callers\[4\]: 4008 is not a text; quote numbers and patterns/,
    ]);
  });

  it('checks numbering, the time zone and outbound settings', () => {
    invalid(site('routing:\n  numbering: { country: "87", nationalPrefix: 0, internationalPrefix: "00" }\n'),
      [/numbering\.country: "87" is not an assigned E\.164 country code \(did you mean "\d\d"\?\)/, /nationalPrefix: 0 is not 1 to 4 digits as a quoted text \(quote it/]);
    invalid(`timezone: Asia/Shangai\n${e1Site('{ line: E1, signalling: pri_cpe, group: 1 }')}`, [/timezone: "Asia\/Shangai" is not an IANA time zone name .*\(did you mean "Asia\/Shanghai"\?\)/]);
    invalid(site('routing:\n  outbound:\n    - { group: carrier, timeout: 0, dial: nationl, retryDelay: { bussy: 3 }, attemptsPerSecondPerSpan: 0 }\n    - { group: 1 }\n'), [
      /outbound\[0\]\.timeout: expected a number from 5 to 300, got 0/,
      /outbound\[0\]\.attemptsPerSecondPerSpan: expected a number from 0\.1 to 1000, got 0/,
      /outbound\[0\]\.dial: "nationl" is not one of national, international, e164, local \(did you mean "national"\?\)/,
      /retryDelay\.bussy: unknown key \(did you mean "busy"\?\)/,
      /outbound\[1\]\.group: group 1 already has outbound settings in routing\.outbound\[0\]/,
    ]);
  });

  it('refuses outbound settings on an inbound-only group and inbound rules on an outbound-only one', () => {
    const yaml = e1Site('{ line: E1, signalling: pri_cpe, group: 1 }').replace('context: from-carrier }', 'context: from-carrier, direction: in }') +
      '  - { number: 2, name: out, context: x, direction: out }\nrouting:\n  targets: [{ name: t, context: x }]\n  inbound: [{ name: a, groups: [out], target: t }]\n  outbound: [{ group: carrier }]\n';
    invalid(yaml, [/inbound\[0\]\.groups\[0\]: group 2 is outbound-only/, /outbound\[0\]\.group: group 1 is inbound-only/]);
  });

  it('warns that a short plain blacklist number is a prefix, naming the exact and the explicit prefix forms', () => {
    const callers = '["10086", "_10086", "_10086.", "+49900", "13800138000"]';
    const warnings = valid(site(`${TARGETS}  blacklist: { callers: ${callers} }\n  default: queue\n`)).warnings;
    assert.deepEqual(warnings.filter((w) => /is a prefix/.test(w.message)).map((w) => `${w.line}: ${w.message}`), [
      '14: routing.blacklist.callers[0]: "10086" is a prefix: it blocks every caller whose number starts with 10086 (1008611 too), not only 10086. ' +
      'Write "_10086" to block that number alone, or "_10086." to block the numbers that start with it',
    ]);
    // What each form matches, as the supervisor's blacklist reads them.
    const matches = (pattern: string): boolean[] => ['10086', '1008611'].map((n) => compilePattern(pattern).test(n));
    assert.deepEqual(matches('10086'), [true, true]);
    assert.deepEqual(matches('_10086'), [true, false]);
    assert.deepEqual(matches('_10086.'), [false, true]);
  });

  it('warns about unreachable rules, a missing default and times without a zone', () => {
    const w = valid(site(`${TARGETS}  inbound:\n    - { name: all, target: ivr }\n    - { name: late, did: "1", target: queue }\n`)).warnings.map((i) => i.message);
    assert.ok(w.some((m) => /rule "late" is never reached: rule "all" before it has no condition/.test(m)), w.join('\n'));
    const noDefault = valid(site(`${TARGETS}  inbound:\n    - { name: a, did: "1", target: ivr }\n`)).warnings.map((i) => i.message);
    assert.ok(noDefault.some((m) => /no default: calls that match no rule are refused with cause 1/.test(m)));
    const noZone = valid(`${e1Site('{ line: E1, signalling: pri_cpe, group: 1 }')}${TARGETS}  inbound:\n    - { name: a, time: [{ from: "08:00", to: "18:00" }], target: ivr }\n  default: ivr\n`).warnings;
    assert.ok(noZone.some((i) => i.path === 'timezone' && /read in UTC/.test(i.message)));
  });

  for (const name of ['china-e1-mfcr2', 'euroisdn-4e1-cpe']) {
    it(`the ${name}.yaml example carries a routing section that validates cleanly`, () => {
      const loaded = parseSite(readFileSync(join(EXAMPLES, `${name}.yaml`), 'utf8'), `${name}.yaml`);
      assert.deepEqual(loaded.warnings, []);
      assert.ok(loaded.site.routing !== null && loaded.site.routing.inbound.length > 0);
    });
  }
});
