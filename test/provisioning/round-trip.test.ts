// Importing tdmgate's own files is a round trip: every example (the China ones and the field
// options included) generated, imported and generated again gives the same bytes, and the
// imported site equals the original in every field import carries (everything but routes,
// routing and time zone, which no generated file holds - import says so, pointing to the site file).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateConfig, type GeneratedFile } from '../../src/provisioning/generate';
import { importSite, type ImportNote } from '../../src/provisioning/import/import';
import { siteToYaml } from '../../src/provisioning/import/site-yaml';
import { parseSite } from '../../src/provisioning/site/load';
import type { LoadedSite, SiteConfig } from '../../src/provisioning/site/site-types';
import { EXAMPLES } from './site-helpers';

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();

function load(file: string): LoadedSite {
  return parseSite(readFileSync(join(EXAMPLES, file), 'utf8'), `dahdi-config/examples/${file}`);
}

async function importFiles(files: readonly GeneratedFile[], chanDahdi = '/etc/asterisk/chan_dahdi.conf'): Promise<{ site: SiteConfig; notes: ImportNote[] }> {
  const byPath = new Map(files.map((f) => [f.target, f.content]));
  return importSite({ systemConf: '/etc/dahdi/system.conf', chanDahdi, readFile: async (p) => byPath.get(p) ?? null });
}

/**
 * The fields import claims to carry: all but routes, routing and timezone. A card's portCount is
 * compared by what it lays out (the spans, unused ports and channels, compared in full): written
 * or left to the highest port, it is the same card.
 */
function carried(site: SiteConfig): Omit<SiteConfig, 'routes' | 'routing' | 'timezone'> {
  const rest: Partial<SiteConfig> & Omit<SiteConfig, 'routes' | 'routing' | 'timezone'> = { ...site };
  delete rest.routes;
  delete rest.routing;
  delete rest.timezone;
  const laidOut = (c: SiteConfig['cards'][number]): number => (c.analog ? Math.max(...c.analog.ports.map((p) => p.port)) : c.spans.length + c.unused.length);
  return { ...rest, cards: rest.cards.map((c) => ({ ...c, portCount: c.portCount === laidOut(c) ? null : c.portCount })) };
}

describe('provision import: tdmgate\'s own files round-trip', () => {
  for (const file of examples) {
    it(`${file}: generate -> import -> generate gives the same bytes and the same site`, async () => {
      const original = load(file);
      const files = generateConfig(original.site, original.source);
      const { site, notes } = await importFiles(files);
      // With what the note says to keep from the site file put back, the same bytes; without
      // it, the same bytes but the header line that lists what only the site file held - and
      // the dialplan, which is made from the routing section alone.
      const restored = { ...site, routes: original.site.routes, routing: original.site.routing, timezone: original.site.timezone };
      assert.deepEqual(generateConfig(restored, original.source), files);
      const withoutKept = (fs: readonly GeneratedFile[]): GeneratedFile[] => fs
        .filter((f) => !f.target.endsWith('/extensions_tdmgate.conf') || original.site.routing === null)
        .map((f) => ({ ...f, content: f.content.replace(/^; kept only in the site file: .*\n/m, '') }));
      const regenerated = generateConfig(site, original.source).filter((f) => !f.target.endsWith('/extensions_tdmgate.conf') || original.site.routing === null);
      assert.deepEqual(regenerated, withoutKept(files));
      assert.deepEqual(carried(site), carried(original.site));
      // Nothing else is lost: the only other note import may give says channel sets were kept.
      const lost = notes.filter((n) => !n.message.startsWith('not carried: ') && !/kept as \d+ channel sets$/.test(n.message));
      assert.deepEqual(lost, []);
      // The site file import writes parses back to the same model.
      const reparsed = parseSite(siteToYaml(site, notes), 'imported.yaml');
      assert.deepEqual(carried(reparsed.site), carried(site));
    });
  }

  it('says what it cannot carry - routes, routing rules, time zone - and points to the site file', async () => {
    const original = load('china-e1-mfcr2.yaml');
    const { site, notes } = await importFiles(generateConfig(original.site, original.source));
    const note = notes.find((n) => n.message.startsWith('not carried: '));
    assert.ok(note, 'a not-carried note');
    assert.equal(note.file, '/etc/asterisk/chan_dahdi.conf');
    assert.match(note.message, /^not carried: routes \(1\), routing \(2 inbound rules\), timezone Asia\/Shanghai - no generated file holds them; keep your site file dahdi-config\/examples\/china-e1-mfcr2\.yaml \(sha256 [0-9a-f]{12}\.\.\.\)/);
    assert.deepEqual([site.routes, site.routing, site.timezone], [[], null, 'UTC']);
    const plain = load('analog-office.yaml');
    const quiet = await importFiles(generateConfig({ ...plain.site, routes: [] }, plain.source));
    assert.ok(!quiet.notes.some((n) => n.message.startsWith('not carried: ')), 'nothing to say when the site holds nothing else');
  });

  it('keeps passthrough presentation, group names, direction and hunt, the default context and the site name', async () => {
    const original = load('china-field-options.yaml');
    const files = generateConfig(original.site, original.source);
    const { site } = await importFiles(files);
    assert.equal(site.name, 'guangzhou-branch');
    assert.deepEqual(site.groups.map((g) => [g.name, g.presentation, g.direction, g.hunt]), [
      ['telecom', 'passthrough', 'both', 'ascending'], ['unicom', 'restricted', 'both', 'ascending'],
      ['lines', 'allowed', 'out', 'descending'], ['phones', 'allowed', 'in', 'ascending'],
    ]);
    const renamed = { ...original.site, name: 'a "quoted" name; with ; and #', defaultContext: 'from-nowhere' };
    const again = await importFiles(generateConfig(renamed, original.source));
    assert.equal(again.site.name, renamed.name);
    assert.equal(again.site.defaultContext, 'from-nowhere');
  });

  it('a group no channel is in still comes back from the header', async () => {
    const original = load('china-field-options.yaml');
    const spare = { number: 9, name: 'spare', context: 'from-spare', direction: 'out' as const, presentation: 'allowed' as const, hunt: 'round-robin' as const };
    const site = { ...original.site, groups: [...original.site.groups, spare] };
    const imported = await importFiles(generateConfig(site, original.source));
    assert.deepEqual(imported.site.groups.find((g) => g.number === 9), spare);
  });

  it('the include file under a hand-written chan_dahdi.conf imports the same site', async () => {
    const original = load('china-field-options.yaml');
    const files = generateConfig(original.site, original.source, { chanDahdiMode: 'include' });
    const wrapper = { target: '/etc/asterisk/chan_dahdi.conf', content: '[general]\n\n[channels]\nlanguage=zh\n#include dahdi-channels-tdmgate.conf\n' };
    const { site, notes } = await importFiles([...files, wrapper]);
    // language=zh from the hand-written part reaches every channel: it comes over as their setting.
    const strip = (s: SiteConfig): SiteConfig => ({
      ...s,
      cards: s.cards.map((c) => ({
        ...c,
        spans: c.spans.map((sp) => ({ ...sp, settings: Object.fromEntries(Object.entries(sp.settings).filter(([k]) => k !== 'language')) })),
        analog: c.analog && { ...c.analog, ports: c.analog.ports.map((p) => ({ ...p, settings: Object.fromEntries(Object.entries(p.settings).filter(([k]) => k !== 'language')) })) },
      })),
    });
    assert.deepEqual(carried(strip(site)), carried(original.site));
    assert.equal(site.cards[0]?.spans[0]?.settings.language, 'zh');
    assert.deepEqual(notes, []);
  });
});
