// The inbound decider: every rule kind, their order, VIP before blacklist before rules,
// overflow, time windows and holidays in the site's zone, and malformed input as a cause.

import assert from 'node:assert/strict';
import { decideInbound } from '../../../src/supervisor/routing/decide-inbound';
import { compileInbound } from '../../../src/supervisor/routing/compile';
import type { InboundDecision } from '../../../src/supervisor/routing/types';
import { call, idle, rulesFor } from './routing-helpers';

const TARGETS = `  numbering: { country: "86", nationalPrefix: "0", internationalPrefix: "00", localAreaCode: "21", nationalPatterns: ["_1[3-9]XXXXXXXXX"] }
  targets:
    - { name: ivr, context: cc-ivr, extension: "{did}", limit: 2, overflow: queue }
    - { name: queue, context: cc-queue, extension: s, limit: 1 }
    - { name: vip, context: cc-vip, extension: s, priority: 2 }
    - { name: sales, context: cc-sales, extension: s }
    - { name: support, context: cc-support, extension: s }
    - { name: closed, context: cc-closed, extension: s }
`;

function target(d: InboundDecision): string {
  assert.equal(d.action, 'continue', d.reason);
  return d.action === 'continue' ? `${d.route}->${d.target}` : '';
}

function cause(d: InboundDecision): number {
  assert.equal(d.action, 'hangup', d.reason);
  return d.action === 'hangup' ? d.cause : 0;
}

describe('decideInbound: rules', () => {
  const rules = rulesFor(`${TARGETS}  inbound:
    - { name: sales, did: ["_6400XXXX"], target: sales }
    - { name: support-line, did: "6500", target: support }
    - { name: backup-trunk, groups: [backup], target: support }
    - { name: mobile-callers, callerId: ["_1[3-9]XXXXXXXXX"], target: ivr }
    - { name: e164-callers, callerId: ["+862164"], target: closed }
    - { name: refuse, did: ["_99XX"], reject: 34 }
  default: closed
`);

  it('matches DID patterns (Asterisk _X.) and plain prefixes, first rule in file order wins', () => {
    assert.equal(target(decideInbound(call({ did: '64001234' }), rules, idle)), 'sales->sales');
    assert.equal(target(decideInbound(call({ did: '65001234' }), rules, idle)), 'support-line->support');
    // 6400123 is one digit short of _6400XXXX: falls to the caller-ID rule.
    assert.equal(target(decideInbound(call({ did: '6400123' }), rules, idle)), 'mobile-callers->ivr');
  });

  it('matches the trunk group, caller-ID patterns and caller IDs in E.164 whatever form arrives', () => {
    assert.equal(target(decideInbound(call({ did: '7000', groups: [2] }), rules, idle)), 'backup-trunk->support');
    // A channel in two groups (group=1,2): a rule on either matches.
    assert.equal(target(decideInbound(call({ did: '7000', groups: [1, 2] }), rules, idle)), 'backup-trunk->support');
    assert.equal(target(decideInbound(call({ did: '7000', callerId: '02164001111' }), rules, idle)), 'e164-callers->closed');
    assert.equal(target(decideInbound(call({ did: '7000', callerId: '00862164001111' }), rules, idle)).split('->')[0], 'e164-callers');
    assert.equal(target(decideInbound(call({ did: '7000', callerId: '64001111' }), rules, idle)).split('->')[0], 'e164-callers');
  });

  it('rejects with a rule\'s cause, falls back to the default, and refuses with cause 1 without one', () => {
    assert.equal(cause(decideInbound(call({ did: '9912', callerId: '88888888' }), rules, idle)), 34);
    assert.equal(target(decideInbound(call({ did: '7000', callerId: '' }), rules, idle)), 'default->closed');
    const noDefault = rulesFor(`${TARGETS}  inbound:\n    - { name: sales, did: ["_6400XXXX"], target: sales }\n`);
    assert.equal(cause(decideInbound(call({ did: '7000' }), noDefault, idle)), 1);
  });

  it('continues with the target\'s context, extension ({did}), priority and the TDMGATE_ variables', () => {
    const d = decideInbound(call({ did: '7000', span: 2, timeslot: 17, groups: [1] }), rules, idle);
    assert.deepEqual(d.action === 'continue' && { ...d, reason: '' }, {
      action: 'continue', context: 'cc-ivr', extension: '7000', priority: 1, route: 'mobile-callers', target: 'ivr', reason: '',
      variables: { TDMGATE_SPAN: '2', TDMGATE_TIMESLOT: '17', TDMGATE_GROUP: '1', TDMGATE_ROUTE: 'mobile-callers' },
    });
  });
});

describe('decideInbound: VIP, blacklist and overflow', () => {
  const rules = rulesFor(`${TARGETS}  vip:
    - { name: key-accounts, callers: ["+8613800138000", "_0216400000X"], target: vip }
  blacklist:
    callers: ["400", "+8613800138000", "_+86170XXXXXXXX"]
    anonymous: true
  inbound:
    - { name: all, target: ivr }
`);

  it('sends a VIP straight to its target, before the blacklist and the rules', () => {
    const d = decideInbound(call({ callerId: '013800138000' }), rules, idle);
    assert.equal(target(d), 'key-accounts->vip');
    assert.equal(d.action === 'continue' && d.priority, 2);
    assert.equal(target(decideInbound(call({ callerId: '02164000003' }), rules, idle)), 'key-accounts->vip');
  });

  it('rejects blacklisted callers (prefix, E.164 pattern, withheld) with cause 21', () => {
    assert.equal(cause(decideInbound(call({ callerId: '4008123456' }), rules, idle)), 21);
    assert.equal(cause(decideInbound(call({ callerId: '17012345678' }), rules, idle)), 21);
    for (const withheld of ['', 'anonymous', 'Restricted']) assert.equal(cause(decideInbound(call({ callerId: withheld }), rules, idle)), 21);
    assert.equal(target(decideInbound(call({ callerId: '13912345678' }), rules, idle)), 'all->ivr');
  });

  it('overflows a target at its limit along its chain, then refuses busy (17)', () => {
    const c = call();
    assert.equal(target(decideInbound(c, rules, { activeCallsByTarget: { ivr: 1 } })), 'all->ivr');
    const over = decideInbound(c, rules, { activeCallsByTarget: { ivr: 2 } });
    assert.equal(target(over), 'all->queue');
    assert.match(over.reason, /over limit: ivr \(2\/2\)/);
    const full = decideInbound(c, rules, { activeCallsByTarget: { ivr: 2, queue: 1 } });
    assert.equal(cause(full), 17);
    assert.match(full.reason, /every target is at its limit: ivr \(2\/2\), queue \(1\/1\)/);
  });

  it('survives an overflow loop in a hand-built config', () => {
    const looped = { ...rules, targets: new Map([['ivr', { name: 'ivr', context: 'a', extension: 's', priority: 1, limit: 1, overflow: 'queue' }],
      ['queue', { name: 'queue', context: 'b', extension: 's', priority: 1, limit: 1, overflow: 'ivr' }]]) };
    assert.equal(cause(decideInbound(call(), looped, { activeCallsByTarget: { ivr: 1, queue: 1 } })), 17);
  });
});

describe('decideInbound: malformed input never throws', () => {
  const rules = rulesFor(`${TARGETS}  inbound:\n    - { name: all, target: ivr }\n`);
  const cases: [string, Partial<Parameters<typeof call>[0]>, number, RegExp][] = [
    ['caller ID with letters', { callerId: '1391234ABCD' }, 28, /caller ID "1391234ABCD" has characters other than digits/],
    ['DID with letters', { did: '64OO1234' }, 28, /called number "64OO1234"/],
    ['caller ID too long', { callerId: '1'.repeat(25) }, 28, /has 25 digits/],
    ['DID too long', { did: '9'.repeat(40) }, 28, /has 40 digits/],
    ['span 0', { span: 0 }, 41, /malformed call: span 0/],
    ['timeslot NaN', { timeslot: Number.NaN }, 41, /timeslot NaN/],
    ['invalid date', { at: new Date('nope') }, 41, /no valid time/],
    ['unknown group', { groups: [1, 9] }, 41, /group 9 is not in the site file/],
    ['callerId not a string', { callerId: 42 as unknown as string }, 28, /caller ID 42/],
  ];
  for (const [what, extra, expected, reason] of cases) {
    it(`${what} -> hangup ${expected} with a reason`, () => {
      const d = decideInbound(call(extra), rules, idle);
      assert.equal(cause(d), expected);
      assert.match(d.reason, reason);
    });
  }

  it('takes an empty or "s" DID as no DID ({did} becomes s)', () => {
    for (const did of ['', 's']) {
      const d = decideInbound(call({ did }), rules, idle);
      assert.equal(d.action === 'continue' && d.extension, 's');
    }
  });

  it('without a routing section sends calls to their group\'s context', () => {
    const plain = compileInbound({ timezone: 'UTC', routing: null, groups: [{ number: 1, name: 'carrier', context: 'from-carrier', direction: 'both', presentation: 'allowed', hunt: 'ascending' }] });
    const d = decideInbound(call({ did: '6400' }), plain, idle);
    assert.equal(d.action === 'continue' && `${d.context}/${d.extension}/${d.route}`, 'from-carrier/6400/group-carrier');
  });
});
