// The chan_dahdi options the field needs and the chanDahdi escape hatch: each refused value names
// its line and what is allowed; unknown keys get a did-you-mean, modelled ones the field to use,
// keys of another section where they go; chan_dahdi.conf writes an option in every block once one
// block sets it (chan_dahdi carries settings from one channel => line to the next); import carries
// them back and says what it cannot; a placeholder card location is named against the hardware.

import assert from 'node:assert/strict';
import { generateConfig, type GeneratedFile } from '../../src/provisioning/generate';
import { importSite } from '../../src/provisioning/import/import';
import { e1Site, invalid, simFacts, valid } from './site-helpers';

function file(files: readonly GeneratedFile[], name: string): string {
  const f = files.find((x) => x.target.endsWith(`/${name}`));
  assert.ok(f, name);
  return f.content;
}

/** Lines of the chan_dahdi block that ends with `channel => <channels>`. */
function block(chan: string, channels: string): string[] {
  const blocks = chan.trimEnd().split('\n\n').map((b) => b.split('\n'));
  const found = blocks.find((b) => b[b.length - 1] === `channel => ${channels}`);
  assert.ok(found, `a block for ${channels}`);
  return found;
}

const ANALOG = (ports: string): string =>
  `site: t\ntoneZone: cn\ncards:\n  - location: PCI_Bus_04_Slot_01\n    ports:\n${ports}groups:\n  - { number: 1, name: lines, context: from-lines }\n`;

describe('site file: the chan_dahdi options the field needs', () => {
  it('refuses bad values naming the line, the allowed values and a did-you-mean', () => {
    invalid(e1Site('{ line: E1, signalling: pri_cpe, priDialplan: nationl, group: 1 }'), [
      /site\.yaml:6: cards\[0\]\.spans\[0\]\.priDialplan: "nationl" is not one of unknown, private, local, national, international, dynamic, redundant \(did you mean "national"\?\)/,
    ]);
    invalid(e1Site('{ line: E1, signalling: mfcr2, mfcr2: { variant: cn, logging: [error, cass], mfbackTimeout: 100, logdir: ../etc } }'), [
      /mfcr2\.logging\[1\]: "cass" is not one of all, error, warning, debug, notice, cas, mf, stack, nothing \(did you mean "cas"\?\)/,
      /mfcr2\.mfbackTimeout: expected a number from 500 to 30000, got 100/,
      /mfcr2\.logdir: "\.\.\/etc" is not a directory under Asterisk's log directory/,
    ]);
    invalid(e1Site('{ line: E1, signalling: mfcr2, mfcr2: { variant: cn, logging: [all, mf] } }'), [/"all" stands alone/]);
    invalid(ANALOG('      - { port: 1, type: fxo, cidSignalling: v32, busyPattern: "500", busyDetect: true }\n'), [
      /ports\[0\]\.cidSignalling: "v32" is not one of bell, v23, v23_jp, dtmf, smdi/,
      /ports\[0\]\.busyPattern: expected "tone,silence" in milliseconds, each 50-5000/,
    ]);
    invalid(ANALOG('      - { port: 1, type: fxs, callGroup: 64, pickupGroup: "1-x" }\n'), [
      /ports\[0\]\.callGroup: 64 is not call group: groups run from 0 to 63/,
      /ports\[0\]\.pickupGroup: "1-x" is not a channel or a range/,
    ]);
  });

  it('refuses an option where it means nothing, saying whose it is', () => {
    invalid(e1Site('{ line: E1, signalling: mfcr2, priDialplan: unknown, mfcr2: { variant: cn } }'), [
      /spans\[0\]\.priDialplan: has no meaning on a mfcr2 span: it is the ISDN type of number of the called party/,
    ]);
    invalid(ANALOG('      - { port: 1, type: fxs, busyDetect: true, cidStart: polarity }\n      - { port: 2, type: fxo, callGroup: 1, busyCount: 4 }\n'), [
      /ports\[0\]\.busyDetect: has no meaning on an FXS port: it listens for the exchange's busy tone/,
      /ports\[0\]\.cidStart: has no meaning on an FXS port/,
      /ports\[1\]\.callGroup: has no meaning on an FXO port: call pickup is for phones/,
      /ports\[1\]\.busyCount: takes effect only with busyDetect: true/,
    ]);
  });

  it('the escape hatch takes only chan_dahdi keys, each in its section, and refuses what the site models', () => {
    const yaml = `${e1Site('{ line: E1, signalling: pri_cpe, group: 1, chanDahdi: { callwaitng: yes, pridialplan: unknown, context: x, jbenable: yes, trunkgroup: "1,16", rxgain: [1] } }')}` +
      'chanDahdi: { callwaiting: yes }\n';
    invalid(yaml, [
      /chanDahdi\.callwaitng: is not a chan_dahdi key tdmgate knows \(did you mean "callwaiting"\?\)/,
      /chanDahdi\.pridialplan: is modelled by the site file: use priDialplan/,
      /chanDahdi\.context: is modelled by the site file: use groups\[\]\.context or defaultContext/,
      /spans\[0\]\.chanDahdi\.jbenable: is one setting for the whole driver: put it in the top-level chanDahdi/,
      /chanDahdi\.trunkgroup: belongs in \[trunkgroups\] \(NFAS\), which the site model does not write/,
      /chanDahdi\.rxgain: expected one value on one line/,
      /site\.yaml:\d+: chanDahdi\.callwaiting: is set per channel: put it in a span's or port's chanDahdi/,
    ]);
  });

  it('getAniFirst false is written (left out, OpenR2 picks for the variant); a span without it beside one with it is a warning', () => {
    const { site, source, warnings } = valid(e1Site(
      '{ line: E1, signalling: mfcr2, mfcr2: { variant: cn, getAniFirst: false } }',
      '{ line: E1, signalling: mfcr2, mfcr2: { variant: cn } }',
    ));
    assert.deepEqual(site.cards[0]?.spans.map((s) => s.settings), [{ mfcr2_get_ani_first: 'no' }, {}]);
    const chan = file(generateConfig(site, source), 'chan_dahdi.conf');
    assert.ok(block(chan, '1-15,17-31').includes('mfcr2_get_ani_first=no'));
    assert.ok(block(chan, '32-46,48-62').includes('mfcr2_get_ani_first='));
    const mine = warnings.filter((w) => w.path.startsWith('cards'));
    assert.deepEqual(mine.map((w) => [w.path, w.line]), [['cards[0].spans[1].mfcr2', 7]]);
    assert.match(mine[0]?.message ?? '', /cannot go back to the variant's own order[^]*say getAniFirst here too/);
  });

  it('a value that is chan_dahdi\'s default is a warning and writes nothing', () => {
    const { site, warnings } = valid(e1Site('{ line: E1, signalling: pri_cpe, group: 1, priDialplan: unknown, chanDahdi: { callwaiting: no } }'));
    assert.deepEqual(site.cards[0]?.spans[0]?.settings, {});
    assert.deepEqual(warnings.map((w) => w.path), ['cards[0].spans[0].priDialplan', 'cards[0].spans[0].chanDahdi.callwaiting']);
  });
});

describe('chan_dahdi.conf: options and escape-hatch keys', () => {
  const yaml = e1Site(
    '{ line: E1, signalling: pri_cpe, group: 1, priLocalDialplan: unknown, chanDahdi: { description: "ACME; Paris", overlapdial: incoming } }',
    '{ line: E1, signalling: pri_cpe, group: 1 }',
  ).replace('cards:', 'chanDahdi: { jitterbuffers: 8 }\ncards:');

  it('writes an option in every block once one block sets it, chan_dahdi\'s default where a block does not', () => {
    const { site, source } = valid(yaml);
    const chan = file(generateConfig(site, source), 'chan_dahdi.conf');
    assert.deepEqual(block(chan, '1-15,17-31').slice(-4), ['prilocaldialplan=unknown', 'description=ACME\\; Paris', 'overlapdial=incoming', 'channel => 1-15,17-31']);
    assert.deepEqual(block(chan, '32-46,48-62').slice(-4), ['prilocaldialplan=national', 'description=', 'overlapdial=no', 'channel => 32-46,48-62']);
    assert.match(chan, /\[channels\]\nusecallerid=yes\njitterbuffers=8\n/);
  });

  it('writes each card\'s echo canceller in system.conf and echocancelwhenbridged in every chan_dahdi block', () => {
    const two = `${yaml.replace('  - location: PCI_Bus_03_Slot_01\n', '  - location: PCI_Bus_03_Slot_01\n    echoCanceller: hpec\n    echoCancelWhenBridged: true\n')}`
      .replace('groups:', '  - location: PCI_Bus_04_Slot_01\n    ports: [{ port: 1, type: fxo }]\ngroups:');
    const { site, source } = valid(two);
    const files = generateConfig(site, source);
    assert.match(file(files, 'system.conf'), /echocanceller=hpec,1-15,17-31\n[^]*echocanceller=mg2,63\n/);
    assert.match(file(files, 'system.conf'), /# echo canceller of cards that do not name one: mg2 \(echocancelwhenbridged=no\)\n/);
    const chan = file(files, 'chan_dahdi.conf');
    assert.ok(block(chan, '1-15,17-31').includes('echocancelwhenbridged=yes'));
    assert.ok(block(chan, '63').includes('echocancelwhenbridged=no'));
  });

  it('writes nothing new for a site without the new keys', () => {
    const { site, source } = valid(e1Site('{ line: E1, signalling: pri_cpe, group: 1 }'));
    const chan = file(generateConfig(site, source), 'chan_dahdi.conf');
    assert.deepEqual(block(chan, '1-15,17-31').slice(1), [
      'signalling=pri_cpe', 'switchtype=euroisdn', 'group=1', 'context=from-carrier', 'hidecallerid=no', 'usecallingpres=no', 'echocancel=yes',
      'channel => 1-15,17-31',
    ]);
  });
});

describe('provision import: options from a hand-written chan_dahdi.conf', () => {
  const system = 'span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\nhardhdlc=16\nfxsks=32-33\nfxoks=34\nechocanceller=kb1,1-15,17-31\nloadzone=cn\ndefaultzone=cn\n';
  const chan = [
    '[channels]', 'jbenable=yes', 'signalling=pri_cpe', 'switchtype=euroisdn', 'pridialplan=unknwn', 'prilocaldialplan=unknown', 'busydetect=yes',
    'callwaiting=1', 'group=1', 'context=from-pstn', 'channel => 1-15,17-31',
    'signalling=fxs_ks', 'busydetect=yes', 'busypattern=500,500', 'group=2', 'callwaiting=no', 'channel => 32-33',
    'signalling=fxo_ks', 'callgroup=1,3-4', 'busydetect=no', 'frobnicate=yes', 'channel => 34', '',
  ].join('\n');
  const files = new Map([['/etc/dahdi/system.conf', system], ['/etc/asterisk/chan_dahdi.conf', chan]]);

  it('carries options and known keys into the span or port, names what it cannot carry', async () => {
    const { site, notes } = await importSite({ systemConf: '/etc/dahdi/system.conf', chanDahdi: '/etc/asterisk/chan_dahdi.conf', readFile: async (p) => files.get(p) ?? null });
    assert.deepEqual(site.cards[0]?.spans[0]?.settings, { callwaiting: 'yes', prilocaldialplan: 'unknown' });
    assert.deepEqual(site.cards[0]?.echoCanceller, 'kb1');
    assert.deepEqual(site.chanDahdi, { jbenable: 'yes' });
    // The FXS port inherits busypattern from the lines above it: meaningless there, so a note.
    assert.deepEqual(site.cards[1]?.analog?.ports.map((p) => p.settings), [
      { busydetect: 'yes', busypattern: '500,500' }, { busydetect: 'yes', busypattern: '500,500' }, { callgroup: '1,3-4' },
    ]);
    const messages = notes.map((n) => `${n.line}: ${n.message}`);
    assert.deepEqual(messages.filter((m) => m.startsWith('6: ')), ['6: prilocaldialplan=unknown not carried over: it means nothing on FXO ports', '6: prilocaldialplan=unknown not carried over: it means nothing on FXS ports']);
    assert.ok(messages.some((m) => /^5: pridialplan=unknwn not carried over: priDialplan: "unknwn" is not one of unknown, private/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => m === '7: busydetect=yes not carried over: it means nothing on pri_cpe spans'), messages.join('\n'));
    assert.ok(messages.some((m) => m === '14: busypattern=500,500 not carried over: it means nothing on FXS ports'), messages.join('\n'));
    assert.ok(messages.some((m) => m === '21: frobnicate=yes not carried over'), messages.join('\n'));
  });
});

describe('site checks: a placeholder location against the hardware', () => {
  it('warns naming the placeholder where the spans report no location (dynamic spans)', async () => {
    const hw = await simFacts('cards:\n  - driver: wct4xxp\n    location: "0000:02:00.0"\n    spans: [{ type: E1 }]\n');
    const unlocated = { ...hw, spans: hw.spans.map((s) => ({ ...s, location: '' })) };
    const yaml = e1Site('{ line: E1, signalling: pri_cpe, group: 1 }').replace('location: PCI_Bus_03_Slot_01', 'location: "unknown:digital-1"');
    const { warnings } = valid(yaml, unlocated);
    const w = warnings.find((x) => x.path === 'cards[0].location');
    assert.ok(w, 'a warning on the location');
    assert.match(w.message, /"unknown:digital-1" is a placeholder from provision import, not this card's location: the detected spans report no location, so it was checked against them by position only/);
    assert.equal(w.line, 4);
    const real = e1Site('{ line: E1, signalling: pri_cpe, group: 1 }').replace('PCI_Bus_03', 'PCI_Bus_02');
    assert.deepEqual(valid(real, hw).warnings.filter((x) => x.path === 'cards[0].location'), []);
  });

  it('with located spans the placeholder is an error (no span is at it) and the warning says why', async () => {
    const hw = await simFacts('cards:\n  - driver: wct4xxp\n    location: "0000:02:00.0"\n    spans: [{ type: E1 }]\n');
    const yaml = e1Site('{ line: E1, signalling: pri_cpe, group: 1 }').replace('location: PCI_Bus_03_Slot_01', 'location: "unknown:digital-1"');
    invalid(yaml, [/warning: site\.yaml:4: cards\[0\]\.location: "unknown:digital-1" is a placeholder from provision import[^\n]*no detected span can be at it/,
      /cards\[0\]\.location: no detected span is at "unknown:digital-1"/], hw);
  });
});
