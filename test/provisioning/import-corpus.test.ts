// The import corpus end to end: every site imports, its site file parses back to the same model,
// generate(import(x)) configures the same spans and channels as x (compared through the import's
// own parsers), and every broken file is refused with its file, line and reason.

import assert from 'node:assert/strict';
import { basename, dirname, join } from 'node:path';
import { generateConfig, TARGETS } from '../../src/provisioning/generate';
import { isProvisioningError } from '../../src/provisioning/errors';
import { importSite } from '../../src/provisioning/import/import';
import { siteToYaml } from '../../src/provisioning/import/site-yaml';
import { parseAssignedSpans, parseSpanTypes, spanTypeFor } from '../../src/provisioning/import/span-assignments-parser';
import { parseSite } from '../../src/provisioning/site/load';
import { brokenSites, configFacts, corpusFiles, corpusSites, memoryReader, type CorpusSite } from './import-helpers';

const SOURCE = { path: 'imported.yaml', sha256: '0'.repeat(64) };

async function importCorpus(site: CorpusSite): ReturnType<typeof importSite> {
  return importSite({ systemConf: site.systemConf, chanDahdi: site.chanDahdi, readFile: memoryReader(corpusFiles(site)) });
}

/** Channels the site model does not regenerate, each backed by a note at its line. */
const NOT_REGENERATED: Record<string, number[]> = {
  // MFC/R2: dchan=16 declares TS16, which carries the ABCD bits; the site has no D-channel there.
  'china-mfcr2': [16, 47],
};

describe('provision import: corpus', () => {
  const sites = corpusSites();

  it('holds the sites the issue names', () => {
    assert.deepEqual(sites.map((s) => s.name).sort(), [
      'china-mfcr2', 'elastix-mixed', 'exec-include', 'odd-syntax', 't1-pri-ni2', 'tdm410p-genconf', 'te410p-freepbx', 'templates', 'zaptel-legacy',
    ]);
  });

  for (const site of sites) {
    describe(site.name, () => {
      it('round trip: generate(import(x)) configures the same spans and channels as x', async () => {
        const { site: imported, notes } = await importCorpus(site);
        const generated = new Map(generateConfig(imported, SOURCE).map((f) => [f.target, f.content]));
        const before = await configFacts(site.systemConf, site.chanDahdi, memoryReader(corpusFiles(site)));
        const after = await configFacts(TARGETS.systemConf, TARGETS.chanDahdi, memoryReader(generated));
        assert.deepEqual(after.spans, before.spans);
        const skipped = NOT_REGENERATED[site.name] ?? [];
        for (const n of skipped) {
          const line = before.channels.get(n);
          assert.ok(line, `channel ${n} in the source`);
          assert.ok(notes.some((x) => x.message.includes(`=${n} not carried over`)), `a note explains channel ${n}`);
          before.channels.delete(n);
        }
        assert.deepEqual(after.channels, before.channels);
      });

      it('pins cards as assigned-spans.conf does (or says it cannot), each span typed as span-types.conf types it', async () => {
        const files = corpusFiles(site);
        const dir = dirname(site.systemConf);
        const assignedText = files.get(join(dir, 'assigned-spans.conf'));
        const typesText = files.get(join(dir, 'span-types.conf'));
        const { site: imported, notes } = await importCorpus(site);
        if (assignedText === undefined) {
          assert.ok(notes.some((n) => n.message.startsWith(`no ${join(dir, 'assigned-spans.conf')}: nothing says which card is which`)));
          return;
        }
        const generated = new Map(generateConfig(imported, SOURCE).map((f) => [f.target, f.content]));
        const meaning = (text: string): string[] => parseAssignedSpans(text, 'x').map((a) => `${a.key} ${a.localSpan}:${a.span}:${a.baseChannel}`).sort();
        const before = parseAssignedSpans(assignedText, 'x');
        assert.deepEqual(meaning(generated.get(TARGETS.assignedSpans) ?? ''), meaning(assignedText));
        const typesBefore = parseSpanTypes(typesText ?? '', 'x');
        const typesAfter = parseSpanTypes(generated.get(TARGETS.spanTypes) ?? '', 'x');
        const typeOf = (rules: typeof typesBefore): Array<string | undefined> => before.map((a) => spanTypeFor(rules, a.key, a.localSpan)?.type);
        assert.deepEqual(typeOf(typesAfter), typeOf(typesBefore));
      });

      it('writes a site file that parses back, without errors, to the same model', async () => {
        const { site: imported, notes } = await importCorpus(site);
        const loaded = parseSite(siteToYaml(imported, notes), 'imported.yaml');
        assert.deepEqual(loaded.site, imported);
      });

      it('gives every note a file it read and a line in it', async () => {
        const files = corpusFiles(site);
        const { notes } = await importCorpus(site);
        for (const n of notes) {
          const text = files.get(n.file);
          assert.ok(text !== undefined, `${n.file} was read`);
          assert.ok(n.line >= 1 && n.line <= text.split('\n').length, `${basename(n.file)}:${n.line} exists`);
        }
      });
    });
  }
});

describe('provision import: what each site teaches', () => {
  const byName = new Map(corpusSites().map((s) => [s.name, s]));
  const get = (name: string): CorpusSite => byName.get(name) as CorpusSite;

  it('dahdi_genconf TE410P: four E1 PRI on one card, clock from each span in turn, group=0,1x keeps both groups', async () => {
    const { site, notes } = await importCorpus(get('te410p-freepbx'));
    assert.equal(site.cards.length, 1);
    assert.equal(site.cards[0]?.name, 'TE4/0');
    assert.deepEqual(site.cards[0]?.spans.map((s) => [s.span, s.timing, s.signalling.type]), [[1, 1, 'pri_cpe'], [2, 2, 'pri_cpe'], [3, 3, 'pri_cpe'], [4, 4, 'pri_cpe']]);
    assert.deepEqual(site.groups.map((g) => [g.number, g.context]), [[0, 'from-pstn'], [11, 'from-pstn'], [12, 'from-pstn'], [13, 'from-pstn'], [14, 'from-pstn']]);
    assert.deepEqual(site.cards[0]?.spans.map((s) => s.channels.map((set) => set.groups)), [[[0, 11]], [[0, 12]], [[0, 13]], [[0, 14]]]);
    assert.ok(!notes.some((n) => n.message.startsWith('group=')), 'no note about secondary groups');
    // chan_dahdi keys tdmgate knows come across into the span's chanDahdi, in place of a note.
    assert.deepEqual(site.cards[0]?.spans.map((s) => s.settings.callwaiting), ['yes', 'yes', 'yes', 'yes']);
    assert.ok(!notes.some((n) => n.message.startsWith('callwaiting=')));
  });

  it('TDM410P: FXS signalling means an FXO port and the other way round', async () => {
    const { site } = await importCorpus(get('tdm410p-genconf'));
    assert.deepEqual(site.cards[0]?.analog?.ports.map((p) => [p.port, p.type, p.groups[0]]), [[1, 'fxs', 5], [2, 'fxs', 5], [3, 'fxo', 0], [4, 'fxo', 0]]);
    assert.deepEqual(site.groups.map((g) => [g.number, g.context]), [[0, 'from-pstn'], [5, 'from-internal']]);
  });

  it('Elastix: [channels](+) in an included file extends [channels]; an empty module slot keeps the port numbers', async () => {
    const { site } = await importCorpus(get('elastix-mixed'));
    assert.equal(site.echoCanceller, 'oslec');
    assert.deepEqual(site.cards[1]?.analog?.ports.map((p) => [p.port, p.type]), [[1, 'fxo'], [2, 'fxo'], [3, 'fxo'], [4, 'fxo'], [7, 'fxs'], [8, 'fxs']]);
  });

  it('China MFC/R2: variant cn, category, ANI/DNIS lengths, one group per span', async () => {
    const { site, notes } = await importCorpus(get('china-mfcr2'));
    const spans = site.cards[0]?.spans ?? [];
    assert.deepEqual(spans.map((s) => s.signalling), [
      { type: 'mfcr2', variant: 'cn', category: 'national_subscriber', maxAni: 10, maxDnis: 4 },
      { type: 'mfcr2', variant: 'cn', category: 'national_subscriber', maxAni: 10, maxDnis: 4 },
    ]);
    assert.deepEqual(spans.map((s) => [s.framing, s.crc4, s.channels[0]?.groups]), [['cas', false, [1]], ['cas', false, [2]]]);
    assert.equal(site.toneZone, 'cn');
    assert.deepEqual(spans.map((s) => s.settings.mfcr2_logdir), ['span1', 'span2']);
    assert.ok(!notes.some((n) => n.message.startsWith('mfcr2_logdir=')));
  });

  it('T1: ESF/B8ZS, NI-2 as chan_dahdi\'s "national", a NET span that is never a clock source, hardware echo cancelling', async () => {
    const { site } = await importCorpus(get('t1-pri-ni2'));
    const spans = site.cards[0]?.spans ?? [];
    assert.deepEqual(spans.map((s) => [s.line, s.framing, s.coding, s.timing, s.signalling.type, s.dchannel]), [
      ['T1', 'esf', 'b8zs', 1, 'pri_cpe', 'hardhdlc'], ['T1', 'esf', 'b8zs', 0, 'pri_net', 'hardhdlc'],
    ]);
    assert.equal(site.echoCanceller, 'hardware');
  });

  it('zaptel.conf + zapata.conf read as their DAHDI successors', async () => {
    const { site, notes } = await importCorpus(get('zaptel-legacy'));
    assert.deepEqual(site.cards.map((c) => [c.spans.length, c.analog?.ports.length ?? 0]), [[1, 0], [0, 4]]);
    assert.equal(site.toneZone, 'uk');
    assert.equal(site.echoCanceller, 'none');
    assert.ok(notes.every((n) => /zaptel\.conf$|zapata\.conf$/.test(n.file)));
  });

  it('templates: [span1](trunk) inherits, [span2](+) overrides, section names name the groups', async () => {
    const { site } = await importCorpus(get('templates'));
    assert.deepEqual(site.groups.map((g) => [g.number, g.name, g.context]), [[1, 'span1', 'from-pstn'], [2, 'span2', 'from-carrier-b']]);
  });

  it('odd syntax: CRLF, tabs, block comments, +=, escaped semicolons and mixed case all read as Asterisk reads them', async () => {
    const { site, notes } = await importCorpus(get('odd-syntax'));
    assert.deepEqual(site.groups.map((g) => [g.number, g.context]), [[1, 'from-pstn'], [2, 'from-pbx']]);
    assert.deepEqual(site.cards[0]?.spans.map((s) => [s.signalling.type, s.timing]), [['pri_cpe', 1], ['pri_net', 0]]);
    assert.equal(site.cards[0]?.spans[0]?.settings.description, 'ACME; Paris');
    assert.ok(!notes.some((n) => n.message.includes('fxs_ks')), 'settings inside the block comment are ignored');
  });

  it('#exec is reported, never run; a missing #tryinclude is reported; #include <file> is followed', async () => {
    const { site, notes } = await importCorpus(get('exec-include'));
    assert.ok(notes.some((n) => n.line === 9 && n.message.startsWith('#exec /usr/local/sbin/dahdi-overrides.sh not carried over')));
    assert.ok(notes.some((n) => n.line === 10 && n.message.startsWith('#tryinclude dahdi-local.conf')));
    assert.deepEqual(site.cards[0]?.spans.map((s) => s.signalling.type), ['pri_cpe', 'pri_net']);
  });
});

/** broken case -> [file, line, reason] the refusal must name. */
const REFUSALS: Record<string, [string, number, RegExp]> = {
  'addition-to-missing-section': ['chan_dahdi.conf', 1, /\[span1\]\(\+\) adds to a section that does not exist/],
  'bchan-after-analog': ['system.conf', 3, /no span= line above it/],
  'bchan-without-span': ['system.conf', 2, /no span= line above it/],
  'cas-without-idle-bits': ['system.conf', 2, /idle bits/],
  'chan-list-backwards': ['chan_dahdi.conf', 3, /runs backwards/],
  'channel-before-signalling': ['chan_dahdi.conf', 3, /before any signalling=/],
  'channel-off-span': ['system.conf', 2, /channel 33 cannot be on span 1: an E1 span has 31 channels/],
  'channel-out-of-range': ['system.conf', 4, /outside 1-1023/],
  'channel-twice': ['system.conf', 4, /channel 31 already configured as 'bchan' at line 2/],
  'include-cycle': ['b.conf', 2, /include cycle: .*chan_dahdi\.conf -> .*a\.conf -> .*b\.conf -> .*a\.conf/],
  'include-missing': ['chan_dahdi.conf', 2, /dahdi-channels\.conf does not exist/],
  'include-self': ['chan_dahdi.conf', 3, /include cycle/],
  'inherit-missing-template': ['chan_dahdi.conf', 1, /inherits from 'trunk', which is not defined/],
  'no-equals': ['system.conf', 2, /<keyword>=<value>/],
  'section-unclosed': ['chan_dahdi.conf', 1, /no closing '\]'/],
  'setting-before-section': ['chan_dahdi.conf', 1, /before any \[section\]/],
  'span-bad-framing': ['system.conf', 1, /framing 'ccs4'/],
  'span-bad-lbo': ['system.conf', 1, /line build-out '9'/],
  'span-bad-timing': ['system.conf', 1, /timing '300'/],
  'span-too-few-fields': ['system.conf', 1, /span= takes/],
  'span-twice': ['system.conf', 4, /span 1 is declared twice \(first at line 1\)/],
  'unknown-keyword': ['system.conf', 2, /unknown keyword 'bchannel'/],
  'unknown-mfcr2-variant': ['chan_dahdi.conf', 3, /unknown MFC\/R2 variant 'china'/],
  'unknown-signalling': ['chan_dahdi.conf', 2, /unknown signalling 'pri_cep'/],
  'unknown-switchtype': ['chan_dahdi.conf', 3, /unknown switchtype 'euro'/],
  'unknown-zone': ['system.conf', 6, /defaultzone=xx/],
};

describe('provision import: refuses what dahdi_cfg or chan_dahdi would refuse', () => {
  const cases = brokenSites();

  it('has one broken file per rule, and a rule per broken file', () => {
    assert.deepEqual(cases.map((c) => c.name), Object.keys(REFUSALS).sort());
  });

  for (const c of cases) {
    it(c.name, async () => {
      const [file, line, reason] = REFUSALS[c.name] ?? ['', 0, /./];
      await assert.rejects(importCorpus(c), (err: unknown) => {
        assert.ok(isProvisioningError(err, 'IMPORT_INVALID'), String(err));
        const issue = err.issues[0];
        assert.equal(basename(issue?.path ?? ''), file);
        assert.equal(issue?.line, line);
        assert.match(err.message, reason);
        assert.ok(err.message.includes(`${file}:${line}: `), err.message);
        return true;
      });
    });
  }
});
