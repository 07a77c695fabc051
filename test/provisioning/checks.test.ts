// Every site check catches the mistake it exists for: each test below fails without its check.
// Errors carry the path, the file line, the value, what is allowed and a did-you-mean.

import assert from 'node:assert/strict';
import { SIGTYPES } from '../../src/hardware/dahdi-constants';
import { e1Site, invalid, simFacts, valid } from './site-helpers';

const pri = (extra = ''): string => `{ line: E1, signalling: pri_cpe, group: 1${extra} }`;
const warnings = (yaml: string): string[] => valid(yaml).warnings.map((w) => w.message);

describe('site checks: line settings', () => {
  it('lays out E1 PRI as 30 B-channels with the D-channel on TS16 and refuses TS16 as a bearer', () => {
    const span = valid(e1Site(pri())).site.cards[0]?.spans[0];
    assert.deepEqual(span?.channels[0]?.timeslots.length, 30);
    assert.ok(!span?.channels[0]?.timeslots.includes(16));
    invalid(e1Site('{ line: E1, signalling: pri_cpe, channels: [{ timeslots: 1-16, group: 1 }] }'),
      [/site\.yaml:6: cards\[0\]\.spans\[0\]\.channels\[0\]\.timeslots: 16 cannot carry calls: timeslot 16 carries the D-channel of E1 pri_cpe; bearer channels are 1-15,17-31/]);
  });

  it('puts the T1 PRI D-channel on 24 with 23 B-channels', () => {
    assert.equal(valid(e1Site('{ line: T1, signalling: pri_cpe }')).site.cards[0]?.spans[0]?.channels[0]?.timeslots.length, 23);
    invalid(e1Site('{ line: T1, signalling: pri_cpe, channels: [{ timeslots: 1-24 }] }'), [/24 cannot carry calls: timeslot 24 carries the D-channel of T1 pri_cpe/]);
  });

  it('keeps CRC-4 and HDB3 to E1', () => {
    invalid(e1Site('{ line: T1, signalling: pri_cpe, crc4: true }'), [/spans\[0\]\.crc4: CRC-4 is E1-only/]);
    invalid(e1Site('{ line: T1, signalling: pri_cpe, coding: hdb3 }'), [/spans\[0\]\.coding: HDB3 is E1-only; a T1 span takes b8zs or ami/]);
  });

  it('keeps ESF, D4 and B8ZS to T1/J1', () => {
    invalid(e1Site('{ line: E1, signalling: pri_cpe, framing: esf }'), [/framing: "esf" is T1\/J1 framing; an E1 span takes ccs/]);
    invalid(e1Site('{ line: E1, signalling: pri_cpe, framing: d4 }'), [/framing: "d4" is T1\/J1 framing/]);
    invalid(e1Site('{ line: E1, signalling: pri_cpe, coding: b8zs }'), [/coding: B8ZS is T1\/J1-only; an E1 span takes hdb3 or ami/]);
    invalid(e1Site('{ line: J1, signalling: pri_cpe, framing: ccs }'), [/framing: "ccs" is E1 framing; a J1 span takes esf or d4/]);
  });

  it('refuses E1 framing that cannot carry the signalling', () => {
    invalid(e1Site('{ line: E1, signalling: pri_cpe, framing: cas }'), [/"cas" cannot carry pri_cpe on E1: PRI needs ccs/]);
    invalid(e1Site('{ line: E1, signalling: mfcr2, framing: ccs, mfcr2: { variant: cn } }'), [/"ccs" cannot carry mfcr2 on E1/]);
  });

  it('checks MFC/R2 variant, category, digit counts and line type', () => {
    invalid(e1Site('{ line: E1, signalling: mfcr2, mfcr2: { variant: cm } }'), [/mfcr2\.variant: "cm" is not one of ar, br, cn, .* \(did you mean "cn"\?\)/]);
    invalid(e1Site('{ line: E1, signalling: mfcr2, mfcr2: { variant: cn, category: national_subscribr } }'),
      [/category: "national_subscribr" is not one of .* \(did you mean "national_subscriber"\?\)/]);
    invalid(e1Site('{ line: E1, signalling: mfcr2, mfcr2: { variant: cn, maxDnis: 0 } }'), [/maxDnis: expected a number from 1 to 80, got 0/]);
    invalid(e1Site('{ line: E1, signalling: mfcr2 }'), [/mfcr2\.variant: is required/]);
    invalid(e1Site('{ line: T1, signalling: mfcr2, mfcr2: { variant: cn } }'), [/signalling: "mfcr2" cannot run on T1/]);
  });

  it('refuses options of another signalling and E&M of the other line family', () => {
    invalid(e1Site('{ line: E1, signalling: pri_cpe, mfcr2: { variant: cn } }'), [/spans\[0\]\.mfcr2: has no meaning for pri_cpe spans/]);
    invalid(e1Site('{ line: E1, signalling: cas, protocol: em_w }'), [/protocol: "em_w" is not E1 E&M signalling; E1 takes em_e1/]);
  });
});

describe('site checks: channels, groups and routes', () => {
  it('refuses a channel in two sets (and so in two groups)', () => {
    invalid(e1Site('{ line: E1, signalling: pri_cpe, channels: [{ timeslots: 1-10, group: 1 }, { timeslots: 10-15 }] }'),
      [/channels\[1\]\.timeslots: timeslot 10 is already in cards\[0\]\.spans\[0\]\.channels\[0\]/]);
  });

  it('refuses an analog port described twice', () => {
    invalid('site: a\ntoneZone: us\ncards:\n  - location: X\n    ports:\n      - { port: 1-2, type: fxo }\n      - { port: 2, type: fxs }\n',
      [/site\.yaml:7: cards\[0\]\.ports\[1\]\.port: port 2 is already described by cards\[0\]\.ports\[0\]/]);
  });

  it('requires every group a span or route names to exist, with a did-you-mean', () => {
    invalid(e1Site('{ line: E1, signalling: pri_cpe, group: 7 }'), [/spans\[0\]\.group: group 7 does not exist; defined: 1 \(carrier\)/]);
    invalid(`${e1Site(pri())}routes:\n  - { name: out, groups: [carier] }\n`, [/routes\[0\]\.groups\[0\]: group "carier" does not exist \(did you mean "carrier"\?\)/]);
  });

  it('refuses routes through inbound-only groups and groups that mix phones with trunks', () => {
    const inOnly = e1Site(pri()).replace('context: from-carrier }', 'context: from-carrier, direction: in }');
    invalid(`${inOnly}routes:\n  - { name: out, groups: [1] }\n`, [/routes\[0\]\.groups\[0\]: group 1 \(carrier\) is inbound-only/]);
    const mixed = e1Site(pri()).replace('groups:', '  - location: Y\n    ports: [{ port: 1, type: fxs, group: 1 }]\ngroups:');
    invalid(mixed, [/group 1 \(carrier\) mixes FXS ports \(phones\) with trunks/]);
  });

  it('puts a channel in several groups with a list (chan_dahdi group=1,2); the first gives the context', () => {
    const two = (span: string): string => `${e1Site(span)}  - { number: 2, name: all, context: from-carrier }\n`;
    const sets = valid(two('{ line: E1, signalling: pri_cpe, group: [carrier, 2] }')).site.cards[0]?.spans[0]?.channels;
    assert.deepEqual(sets?.map((x) => x.groups), [[1, 2]]);
    const split = valid(two('{ line: E1, signalling: pri_cpe, group: 2, channels: [{ timeslots: 1-15, group: [1, 2] }, { timeslots: 17-31 }] }'));
    assert.deepEqual(split.site.cards[0]?.spans[0]?.channels.map((x) => x.groups), [[1, 2], [2]]);
    invalid(two('{ line: E1, signalling: pri_cpe, channels: [{ timeslots: 1-10, group: [1, 2] }, { timeslots: 10-15, group: 2 }] }'),
      [/channels\[1\]\.timeslots: timeslot 10 is already in cards\[0\]\.spans\[0\]\.channels\[0\]/]);
    invalid(two('{ line: E1, signalling: pri_cpe, group: [1, carier] }'), [/spans\[0\]\.group\[1\]: group "carier" does not exist \(did you mean "carrier"\?\)/]);
    invalid(two('{ line: E1, signalling: pri_cpe, group: [1, 1] }'), [/spans\[0\]\.group\[1\]: group 1 is listed twice/]);
    invalid(two('{ line: E1, signalling: pri_cpe, group: [] }'), [/spans\[0\]\.group: lists no group/]);
  });

  it('checks phones against trunks per group, and warns when a later group\'s context never applies', () => {
    const phones = `${e1Site(pri())}  - { number: 2, name: desks, context: from-desks }\n`
      .replace('groups:', '  - location: Y\n    ports: [{ port: 1, type: fxs, group: [desks, carrier] }]\ngroups:');
    invalid(phones, [/group 1 \(carrier\) mixes FXS ports \(phones\) with trunks/]);
    const apart = `${e1Site('{ line: E1, signalling: pri_cpe, group: [1, 2] }')}  - { number: 2, name: other, context: from-other }\n`;
    assert.ok(warnings(apart).some((w) => /answer in from-carrier, their first group's context; group 2's context from-other does not apply/.test(w)));
  });

  it('refuses duplicate group numbers and names', () => {
    invalid(`${e1Site(pri())}  - { number: 1, name: other, context: x }\n`, [/groups\[1\]: group number 1 is already used by groups\[0\]/]);
  });
});

describe('site checks: clocking', () => {
  it('gives carrier-facing spans clock priorities 1, 2 ... and NET spans 0 by default', () => {
    const spans = valid(e1Site(pri(), '{ line: E1, signalling: pri_net }', pri())).site.cards[0]?.spans ?? [];
    assert.deepEqual(spans.map((s) => s.timing), [1, 0, 2]);
  });

  it('refuses two spans with the same non-zero timing priority', () => {
    invalid(e1Site(pri(', timing: 1'), pri(', timing: 1')), [/spans\[1\]\.timing: timing priority 1 is also given to cards\[0\]\.spans\[0\]/]);
  });

  it('refuses a CPE site that takes clock from no carrier-facing span', () => {
    invalid(e1Site(pri(', timing: 0'), '{ line: E1, signalling: pri_net, timing: 1 }'), [/no carrier-facing span .* is a clock source/]);
    assert.equal(valid(e1Site(pri(', timing: 0')).replace('site: t', 'site: t\nclock: internal')).site.clock, 'internal');
  });

  it('warns when a NET span is offered as a clock source', () => {
    const w = warnings(e1Site(pri(), '{ line: E1, signalling: pri_net, timing: 2 }'));
    assert.ok(w.some((m) => /spans\[1\]\.timing: a pri_net span faces equipment that takes clock from us/.test(m)), w.join('\n'));
  });
});

describe('site checks: analog ports and the FXO/FXS naming trap', () => {
  const analog = (port: string): string => `site: a\ntoneZone: us\ncards:\n  - location: X\n    ports:\n      - ${port}\n`;

  it('accepts FXS signalling on an FXO port, which is what DAHDI wants', () => {
    assert.equal(valid(analog('{ port: 1, type: fxo, signalling: fxsks }')).site.cards[0]?.analog?.ports[0]?.start, 'kewl');
    assert.equal(valid(analog('{ port: 1, type: fxo, signalling: fxsgs }')).site.cards[0]?.analog?.ports[0]?.start, 'ground');
  });

  it('refuses FXO signalling on an FXO port and explains the naming', () => {
    invalid(analog('{ port: 1, type: fxo, signalling: fxoks }'),
      [/site\.yaml:6: cards\[0\]\.ports\[0\]\.signalling: "fxoks" cannot drive an FXO port: DAHDI names signalling from the far end/,
        /Leave signalling out and tdmgate writes fxsks/]);
    invalid(analog('{ port: 1, type: fxs, signalling: fxsls }'), [/"fxsls" cannot drive an FXS port/]);
    invalid(analog('{ port: 1, type: fxo, start: loop, signalling: fxsks }'), [/"fxsks" is kewl start but start says loop/]);
  });
});

describe('site checks: pinning and hardware', () => {
  it('requires each card to be pinned by hardwareId or location, in the form dahdi_span_assignments compares', () => {
    invalid('site: a\ntoneZone: us\ncards:\n  - ports: [{ port: 1, type: fxo }]\n', [/cards\[0\]: is not pinned to hardware/]);
    invalid('site: a\ntoneZone: us\ncards:\n  - location: PCI Bus 03 Slot 01\n    ports: [{ port: 1, type: fxo }]\n',
      [/write it as PCI_Bus_03_Slot_01/]);
  });

  it('refuses, without hardware, a span beyond the card\'s declared ports (its numbers belong to the next card)', () => {
    const yaml = e1Site(pri(), pri()).replace('    spans:', '    portCount: 1\n    spans:');
    invalid(yaml, [/site\.yaml:8: cards\[0\]\.spans\[1\]\.port: port 2 is beyond the card's portCount 1/]);
  });

  it('refuses more spans than the detected hardware has', async () => {
    const hw = await simFacts('cards:\n  - driver: wct4xxp\n    location: "0000:02:00.0"\n    spans: [{ type: E1 }]\n');
    invalid(e1Site(pri(), pri()).replace('PCI_Bus_03_Slot_01', 'PCI_Bus_02_Slot_01'), [/the site describes 2 spans but the hardware has 1/, /has 1 span\(s\), there is no port 2/], hw);
    invalid(e1Site(pri()), [/location: no detected span is at "PCI_Bus_03_Slot_01" \(did you mean "PCI_Bus_02_Slot_01"\?\)/], hw);
  });

  it('takes spans in order when the driver reports no location (DAHDI dynamic spans), still counting them', async () => {
    const hw = await simFacts('cards:\n  - driver: wct4xxp\n    location: "0000:02:00.0"\n    spans: [{ type: E1 }, { type: E1 }]\n');
    const unlocated = { ...hw, spans: hw.spans.map((s) => ({ ...s, location: '' })) };
    assert.deepEqual(valid(e1Site(pri(), pri()), unlocated).warnings, []);
    const oneSpan = { ...unlocated, spans: unlocated.spans.slice(0, 1) };
    invalid(e1Site(pri(), pri()), [/the site describes 2 spans but the hardware has 1/], oneSpan);
  });

  it('accepts a software D-channel on a clear-capable channel, as dahdi_cfg does, but not hardhdlc', async () => {
    const hw = await simFacts('cards:\n  - driver: wct4xxp\n    location: "0000:03:00.0"\n    spans: [{ type: E1 }]\n');
    // dahdi_dynamic's sigcap: no HDLC bits at all, yet dahdi-base.c accepts dchan on CLEAR channels.
    const dynamicSigcap = SIGTYPES.EM | SIGTYPES.CLEAR | SIGTYPES.FXSLS | SIGTYPES.FXSKS | SIGTYPES.FXSGS | SIGTYPES.FXOLS |
      SIGTYPES.FXOKS | SIGTYPES.FXOGS | SIGTYPES.SF | SIGTYPES.DACS_RBS | SIGTYPES.CAS;
    const dynamic = { ...hw, channels: (hw.channels ?? []).map((ch) => ({ ...ch, sigcap: dynamicSigcap })) };
    assert.deepEqual(valid(e1Site(pri(', dchannel: dchan')), dynamic).warnings, []);
    invalid(e1Site(pri(', dchannel: hardhdlc')), [/channel 16 cannot do hardhdlc; use dchannel: dchan/], dynamic);
  });

  it('refuses line settings the detected span cannot run (linecompat)', async () => {
    const hw = await simFacts('cards:\n  - driver: wct4xxp\n    location: "0000:02:00.0"\n    spans: [{ type: T1 }]\n');
    invalid(e1Site(pri()).replace('PCI_Bus_03_Slot_01', 'PCI_Bus_02_Slot_01'), [/cannot run E1 ccs\/hdb3\/crc4: it lacks CCS, HDB3, CRC4/], hw);
  });

  it('refuses signalling a detected channel cannot do (sigcap): an FXS module described as an FXO line', async () => {
    const hw = await simFacts('cards:\n  - driver: wctdm24xxp\n    location: "0000:05:00.0"\n    ports: [{ type: fxo }, { type: fxs }]\n');
    const site = (types: string): string => `site: a\ntoneZone: us\ncards:\n  - location: PCI_Bus_05_Slot_01\n    ports: ${types}\n`;
    assert.ok(valid(site('[{ port: 1, type: fxo }, { port: 2, type: fxs }]'), hw));
    invalid(site('[{ port: 1, type: fxo }, { port: 2, type: fxo }]'), [/port 2 \(fxo, kewl start\) needs fxsks, which channel \d+ cannot do - the module on port 2 is an FXS module/], hw);
  });
});
