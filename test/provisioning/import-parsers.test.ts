// system.conf and chan_dahdi.conf as dahdi_cfg and chan_dahdi read them, and how the site builder
// carries them into the model: channel lists, span lines, genconf hints, the accumulate-and-snapshot
// channel model, dahdichan sections, and the notes for what the model holds only once.

import assert from 'node:assert/strict';
import { parseChannelList, formatChannelList } from '../../src/provisioning/import/channel-list';
import { lexAsteriskConf } from '../../src/provisioning/import/conf-lexer';
import { buildSections } from '../../src/provisioning/import/conf-sections';
import { parseChanDahdi } from '../../src/provisioning/import/chan-dahdi-parser';
import { importSite } from '../../src/provisioning/import/import';
import { parseSystemConf } from '../../src/provisioning/import/system-conf-parser';
import { TONE_ZONES } from '../../src/provisioning/site/site-types';
import { memoryReader } from './import-helpers';

const system = (text: string): ReturnType<typeof parseSystemConf> => parseSystemConf(text, 'system.conf', TONE_ZONES);
const chanDahdi = (text: string): ReturnType<typeof parseChanDahdi> => parseChanDahdi(buildSections(lexAsteriskConf(text, 'chan_dahdi.conf').lines));

async function importTexts(systemConf: string, chan?: string): ReturnType<typeof importSite> {
  const files = new Map([['/s/system.conf', systemConf]]);
  if (chan !== undefined) files.set('/a/chan_dahdi.conf', chan);
  return importSite({ systemConf: '/s/system.conf', chanDahdi: chan === undefined ? undefined : '/a/chan_dahdi.conf', readFile: memoryReader(files) });
}

const E1_PRI = 'span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\ndchan=16\n';

describe('import: channel lists', () => {
  it('reads ranges and single channels with spaces, and writes the shortest list back', () => {
    const parsed = parseChannelList(' 1-3 , 5,7-8 ');
    assert.deepEqual(parsed, { ok: true, channels: [1, 2, 3, 5, 7, 8] });
    assert.equal(formatChannelList([8, 7, 5, 3, 2, 1]), '1-3,5,7-8');
  });

  it('refuses what dahdi_cfg refuses: 0, 1024, backwards ranges, words', () => {
    for (const bad of ['0', '1024', '5-3', 'x', '1-', '']) assert.equal(parseChannelList(bad).ok, false, bad);
    assert.equal(parseChannelList('1023').ok, true);
  });
});

describe('import: system.conf', () => {
  it('reads span lines with every optional keyword, case-insensitive, and genconf hints', () => {
    const conf = system('# Span 1: TE2/0/1 "T2XXP (PCI) Card 0 Span 1" (MASTER)\nSPAN=1,0,3,CCS,AMI,crc4,yellow,nt,term\n# termtype: nt\nbchan=1,2\nhardhdlc=3\n');
    assert.deepEqual(conf.spans[0] && { ...conf.spans[0], at: undefined }, {
      span: 1, timing: 0, lbo: 3, framing: 'ccs', coding: 'ami', crc4: true, yellow: true, side: 'nt', term: true, termtype: 'nt', hardwareName: 'TE2/0/1', at: undefined,
    });
  });

  it('gives digital channels the span line above them and analog lines none, as dahdi_cfg does', () => {
    const conf = system(`${E1_PRI}fxsks=32-33\nfxoks=34\n`);
    assert.deepEqual(conf.channels.filter((c) => c.channel >= 15 && c.channel <= 17).map((c) => [c.channel, c.kind, c.span]), [[15, 'bchan', 1], [16, 'dchan', 1], [17, 'bchan', 1]]);
    assert.deepEqual(conf.channels.filter((c) => c.channel > 31).map((c) => [c.kind, c.span]), [['fxsks', null], ['fxsks', null], ['fxoks', null]]);
  });

  it('takes the aliases (indclear, user) and notes what the model does not hold', () => {
    const conf = system('span=1,1,0,cas,hdb3\nuser=1-15:1101\nindclear=17\nalaw=1-15\ndynamic=eth,eth0/00:11:22:33:44:55,24,0\ntx=1000\nloadzone=nowhere\n');
    assert.equal(conf.channels.find((c) => c.channel === 1)?.kind, 'cas');
    assert.equal(conf.channels.find((c) => c.channel === 1)?.idleBits, '1101');
    assert.equal(conf.channels.find((c) => c.channel === 17)?.kind, 'bchan');
    assert.deepEqual(conf.notes.map((n) => n.line), [4, 5, 6, 7]);
  });

  it('reads echocanceller lists in several comma-separated pieces', () => {
    const conf = system(`${E1_PRI}echocanceller=oslec,1-15,17-31\n`);
    assert.equal(conf.echoCancellers.size, 30);
    assert.equal(conf.echoCancellers.get(31)?.name, 'oslec');
  });
});

describe('import: chan_dahdi.conf channel model', () => {
  it('snapshots the settings in force at each channel => line; later changes do not reach earlier channels', () => {
    const conf = chanDahdi('[channels]\nsignalling=pri_cpe\ncontext=a\nchannel => 1-2\ncontext=b\nchannel => 3\n');
    assert.deepEqual(conf.channels.map((c) => [c.channel, c.settings.get('context')?.value]), [[1, 'a'], [2, 'a'], [3, 'b']]);
  });

  it('starts dahdichan sections from the state [channels] ended in, and configures them at the section end', () => {
    const conf = chanDahdi('[channels]\nsignalling=fxs_ks\ncontext=base\n[lines]\ndahdichan=5-6\ncontext=lines\n[tmpl](!)\ndahdichan=9\n');
    assert.deepEqual(conf.channels.map((c) => [c.channel, c.section, c.settings.get('context')?.value, c.settings.get('signalling')?.value]), [
      [5, 'lines', 'lines', 'fxs_ks'], [6, 'lines', 'lines', 'fxs_ks'],
    ]);
  });

  it('folds signaling into signalling and zapchan into dahdichan; ignores channel => in a new-style section', () => {
    const conf = chanDahdi('[channels]\n[x]\nSignaling=fxo_ks\nzapchan=4\nchannel => 7\n');
    assert.deepEqual(conf.channels.map((c) => [c.channel, c.settings.get('signalling')?.value]), [[4, 'fxo_ks']]);
    assert.ok(conf.notes.some((n) => n.line === 5 && /ignored by chan_dahdi; use dahdichan=/.test(n.message)));
  });

  it('keeps the later of two definitions of a channel, as chan_dahdi does, and says so', () => {
    const conf = chanDahdi('[channels]\nsignalling=pri_cpe\ngroup=1\nchannel => 1\ngroup=2\nchannel => 1\n');
    assert.equal(conf.channels[0]?.settings.get('group')?.value, '2');
    assert.match(conf.notes[0]?.message ?? '', /already configured at chan_dahdi\.conf:4; chan_dahdi keeps this later one/);
  });

  it('reports [trunkgroups], [general] and a second [channels]', () => {
    const conf = chanDahdi('[trunkgroups]\ntrunkgroup => 1,24\n[general]\nfoo=1\n[channels]\n[channels]\n');
    assert.deepEqual(conf.notes.map((n) => n.line), [6, 2, 4]);
  });
});

describe('import: building the site', () => {
  it('notes settings that vary inside one span and keeps the most common', async () => {
    const chan = '[channels]\nsignalling=pri_cpe\nswitchtype=euroisdn\ncontext=a\ngroup=1\nchannel => 1-10\ncontext=b\nchannel => 11-15,17-31\n';
    const { site, notes } = await importTexts(E1_PRI, chan);
    assert.equal(site.groups[0]?.context, 'b');
    assert.ok(notes.some((n) => n.line === 4 && /group 1: context a differs from the group's b/.test(n.message)));
  });

  it('splits a span over several groups into channel sets', async () => {
    const chan = '[channels]\nsignalling=pri_cpe\ngroup=1\nchannel => 1-15\ngroup=2\nchannel => 17-31\n';
    const { site } = await importTexts(E1_PRI, chan);
    assert.deepEqual(site.cards[0]?.spans[0]?.channels.map((s) => [formatChannelList(s.timeslots), s.groups]), [['1-15', [1]], ['17-31', [2]]]);
  });

  it('without chan_dahdi.conf, guesses PRI CPE (NET from a genconf termtype) and says so', async () => {
    const { site, notes } = await importTexts(`${E1_PRI}span=2,0,0,ccs,hdb3,crc4\n# termtype: nt\nbchan=32-46,48-62\ndchan=47\n`);
    assert.deepEqual(site.cards[0]?.spans.map((s) => s.signalling.type), ['pri_cpe', 'pri_net']);
    assert.equal(notes.filter((n) => /signalling guessed/.test(n.message)).length, 2);
  });

  it('renumbers spans that do not start at 1 or leave channel gaps, with a note for each', async () => {
    const { site, notes } = await importTexts('span=3,1,0,ccs,hdb3,crc4\nbchan=101-115,117-131\ndchan=116\n');
    assert.deepEqual(site.cards[0]?.spans.map((s) => [s.span, s.baseChannel]), [[1, 1]]);
    assert.ok(notes.some((n) => /span 3 \(channels from 101\) becomes span 1 \(channels from 1\)/.test(n.message)));
  });

  it('refuses a channel configured beyond its span, and follows system.conf when chan_dahdi disagrees on an analog port', async () => {
    await assert.rejects(importTexts('span=1,1,0,esf,b8zs\nbchan=1-23\nhardhdlc=24\nbchan=25\n'), /system\.conf:4: .*channel 25 cannot be on span 1: a T1 span has 24 channels/);
    const { site, notes } = await importTexts('fxsks=1\n', '[channels]\nsignalling=fxo_ks\nchannel => 1\n');
    assert.equal(site.cards[0]?.analog?.ports[0]?.type, 'fxo');
    assert.ok(notes.some((n) => /chan_dahdi signalling fxo_ks does not match system\.conf fxsks/.test(n.message)));
  });

  it('drops a span whose signalling the model lacks (robbed-bit FXS on a T1), with the reason', async () => {
    const { site, notes } = await importTexts('span=1,1,0,esf,b8zs\nfxsks=1-24\n', '[channels]\nsignalling=fxs_ks\nchannel => 1-24\n');
    assert.equal(site.cards.length, 0);
    assert.ok(notes.some((n) => n.line === 2 && /span 1: robbed-bit fxsks channels 1-24 not carried over/.test(n.message)));
  });
});
