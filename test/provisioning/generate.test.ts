// The generators: every example's output equals its golden files byte for byte, output is
// stable (same site -> same bytes; key order in the YAML does not matter), and the files carry
// the facts dahdi_cfg and chan_dahdi need. UPDATE_GOLDEN=1 rewrites the golden files - only
// after checking the new output by eye.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { generateConfig, TARGETS, type GeneratedFile } from '../../src/provisioning/generate';
import { parseSite } from '../../src/provisioning/site/load';
import { EXAMPLES, GOLDEN, e1Site, valid } from './site-helpers';

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();

function generateExample(file: string, mode: 'full' | 'include'): GeneratedFile[] {
  const { site, source } = parseSite(readFileSync(join(EXAMPLES, file), 'utf8'), `dahdi-config/examples/${file}`);
  return generateConfig(site, source, { chanDahdiMode: mode });
}

function content(files: readonly GeneratedFile[], name: string): string {
  const f = files.find((x) => basename(x.target) === name);
  assert.ok(f, `no ${name} in ${files.map((x) => x.target).join(', ')}`);
  return f.content;
}

describe('generators', () => {
  for (const file of examples) {
    it(`matches the golden files for ${file}`, () => {
      const dir = join(GOLDEN, basename(file, '.yaml'));
      const include = generateExample(file, 'include').filter((f) => f.target === TARGETS.chanDahdiInclude);
      const files = [...generateExample(file, 'full'), ...include];
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dir, { recursive: true });
        for (const f of files) writeFileSync(join(dir, basename(f.target)), f.content);
      }
      for (const f of files) {
        const golden = join(dir, basename(f.target));
        assert.ok(existsSync(golden), `missing golden file ${golden}`);
        assert.equal(f.content, readFileSync(golden, 'utf8'), `${golden} differs`);
      }
    });
  }

  it('names the install paths and the site file with its sha256 in every header', () => {
    const files = generateExample('china-e1-mfcr2.yaml', 'include');
    assert.deepEqual(files.map((f) => f.target), [
      '/etc/dahdi/system.conf', '/etc/dahdi/assigned-spans.conf', '/etc/dahdi/span-types.conf', '/etc/asterisk/dahdi-channels-tdmgate.conf',
      '/etc/asterisk/extensions_tdmgate.conf', '/etc/modprobe.d/dahdi-tdmgate.conf',
    ]);
    for (const f of files) assert.match(f.content, /from the site file dahdi-config\/examples\/china-e1-mfcr2\.yaml\n. site file sha256: [0-9a-f]{64}\n/);
  });

  it('is byte-stable: same bytes on every run, whatever the key order in the YAML', () => {
    const a = valid(e1Site('{ line: E1, signalling: pri_cpe, group: 1 }'));
    const b = valid(e1Site('{ group: 1, signalling: pri_cpe, line: E1 }'));
    const strip = (fs: GeneratedFile[]): string[] => fs.map((f) => f.content.replace(/sha256: \w+/, ''));
    assert.deepEqual(generateConfig(a.site, a.source), generateConfig(a.site, a.source));
    assert.deepEqual(strip(generateConfig(a.site, a.source)), strip(generateConfig(b.site, b.source)));
    for (const f of generateConfig(a.site, a.source)) assert.doesNotMatch(f.content, /\b20\d\d-\d\d-\d\d\b/);
  });

  it('writes a channel set in several groups as group=1,2, with the first group\'s context', () => {
    const yaml = `${e1Site('{ line: E1, signalling: pri_cpe, group: [carrier, 2] }')}  - { number: 2, name: all, context: from-all }\n`
      .replace('groups:', '  - location: Y\n    ports: [{ port: 1-2, type: fxo, group: [2, 1] }]\ngroups:');
    const { site, source } = valid(yaml);
    const chan = content(generateConfig(site, source), 'chan_dahdi.conf');
    assert.match(chan, /group=1,2\ncontext=from-carrier\n[^]*channel => 1-15,17-31\n/);
    assert.match(chan, /group=2,1\ncontext=from-all\n[^]*channel => 32-33\n/);
  });

  it('writes E1 PRI as bchan 1-15,17-31 + hardhdlc 16, T1 PRI as bchan 1-23 + hardhdlc 24', () => {
    const sys = content(generateExample('euroisdn-4e1-cpe.yaml', 'full'), 'system.conf');
    assert.match(sys, /span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\nhardhdlc=16\necho/);
    assert.match(sys, /span=4,4,0,ccs,hdb3,crc4\nbchan=94-108,110-124\nhardhdlc=109\n/);
    assert.match(content(generateExample('t1-pri-ni2.yaml', 'full'), 'system.conf'), /span=2,2,0,esf,b8zs\nbchan=25-47\nhardhdlc=48\n/);
  });

  it('writes MFC/R2 as cas channels with idle bits and the OpenR2 options', () => {
    const files = generateExample('china-e1-mfcr2.yaml', 'full');
    assert.match(content(files, 'system.conf'), /span=1,1,0,cas,hdb3\ncas=1-15:1101\ncas=17-31:1101\n/);
    assert.match(content(files, 'chan_dahdi.conf'), /signalling=mfcr2\nmfcr2_variant=cn\nmfcr2_category=national_subscriber\nmfcr2_max_ani=12\nmfcr2_max_dnis=8\n/);
  });

  it('writes FXS signalling for FXO ports and FXO signalling for FXS ports', () => {
    const files = generateExample('analog-office.yaml', 'full');
    assert.match(content(files, 'system.conf'), /fxsks=1-2\n.*\nfxoks=3-4\n/);
    assert.match(content(files, 'chan_dahdi.conf'), /signalling=fxs_ks\n(.*\n)*channel => 1-2\n/);
  });

  it('pins spans in assigned-spans.conf and sets line types in span-types.conf', () => {
    const files = generateExample('mixed-pri-analog.yaml', 'full');
    assert.match(content(files, 'assigned-spans.conf'), /\nwcte13xp:1 +1:1:1\n(.*\n)*@PCI_Bus_06_Slot_00 +1:2:32\n/);
    assert.match(content(files, 'span-types.conf'), /\nwcte13xp:1 +1:E1\n$/);
  });

  it('writes a whole chan_dahdi.conf in full mode and a section-less include file otherwise', () => {
    assert.match(content(generateExample('t1-pri-ni2.yaml', 'full'), 'chan_dahdi.conf'), /\[trunkgroups\]\n\n\[channels\]\n/);
    assert.doesNotMatch(content(generateExample('t1-pri-ni2.yaml', 'include'), 'dahdi-channels-tdmgate.conf'), /^\[/m);
  });
});
