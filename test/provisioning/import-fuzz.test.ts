// Fuzz: thousands of corpus files mutated with a seeded generator (characters that mean something
// to the lexers, deleted/duplicated/swapped lines, #include lines pointing anywhere, including back
// at themselves). The import must never crash or hang: every outcome is a site with notes or a
// ProvisioningError. The counts are printed so a run shows what the mutations exercised.

import assert from 'node:assert/strict';
import { basename, dirname, join } from 'node:path';
import { Prng } from '../../src/hardware/sim/prng';
import { isProvisioningError } from '../../src/provisioning/errors';
import { importSite } from '../../src/provisioning/import/import';
import { siteToYaml } from '../../src/provisioning/import/site-yaml';
import { corpusFiles, corpusSites, memoryReader, type CorpusSite } from './import-helpers';

const CASES = 3000;
const SEED = 20261124;
const SPECIAL = [';', '-', '--', ';--', '--;', '[', ']', '(', ')', '(!)', '(+)', '!', '+', '=', '=>', '+=', '#', ',', ':', '\\', '"', '<', '>', '\r', '\n', '\t', ' ', '0', '1', '16', '31', '1024', '-1', 'x'];

function mutateText(rng: Prng, text: string, siblings: readonly string[]): string {
  let lines = text.split('\n');
  const edits = rng.int(1, 6);
  for (let e = 0; e < edits; e++) {
    const i = rng.int(0, Math.max(0, lines.length - 1));
    const line = lines[i] ?? '';
    switch (rng.int(0, 6)) {
      case 0: {
        const at = rng.int(0, line.length);
        lines[i] = line.slice(0, at) + rng.pick(SPECIAL) + line.slice(at);
        break;
      }
      case 1: {
        const at = rng.int(0, line.length);
        lines[i] = line.slice(0, at) + line.slice(at + rng.int(1, 4));
        break;
      }
      case 2:
        lines.splice(i, 1);
        break;
      case 3:
        lines.splice(i, 0, line);
        break;
      case 4:
        lines.splice(i, 0, `${rng.pick(['#include', '#tryinclude', '#exec', '#bogus'])} ${rng.pick(siblings)}`);
        break;
      case 5: {
        const j = rng.int(0, Math.max(0, lines.length - 1));
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        break;
      }
      default:
        lines = lines.slice(0, rng.int(0, lines.length));
    }
  }
  return lines.join(rng.next() < 0.1 ? '\r\n' : '\n');
}

function mutatedSite(rng: Prng, site: CorpusSite): Map<string, string> {
  const files = corpusFiles(site);
  const names = [...files.keys()].map((p) => basename(p));
  const out = new Map(files);
  for (const [path, text] of files) {
    if (rng.next() < 0.6) out.set(path, mutateText(rng, text, [...names, 'missing.conf', join(dirname(path), basename(path))]));
  }
  return out;
}

describe('provision import: fuzz', function () {
  this.timeout(120_000);

  it(`${CASES} mutated config sets: no crash, no hang, every failure a ProvisioningError`, async () => {
    const rng = new Prng(SEED);
    const sites = corpusSites();
    const counts = new Map<string, number>();
    let slowest = 0;
    for (let n = 0; n < CASES; n++) {
      const site = rng.pick(sites);
      const files = mutatedSite(rng, site);
      const started = performance.now();
      try {
        const result = await importSite({ systemConf: site.systemConf, chanDahdi: site.chanDahdi, readFile: memoryReader(files) });
        siteToYaml(result.site, result.notes);
        counts.set('imported', (counts.get('imported') ?? 0) + 1);
      } catch (err) {
        assert.ok(isProvisioningError(err), `case ${n} (${site.name}) threw ${String(err)}\n${(err as Error).stack ?? ''}`);
        assert.ok(err.issues.length > 0 && err.issues.every((i) => i.path !== ''), `case ${n}: ${err.message} names its file`);
        counts.set(err.code, (counts.get(err.code) ?? 0) + 1);
      }
      slowest = Math.max(slowest, performance.now() - started);
    }
    console.log(`      fuzz: ${CASES} cases, ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}; slowest ${slowest.toFixed(1)} ms`);
    assert.equal([...counts.values()].reduce((a, b) => a + b, 0), CASES);
    assert.ok(slowest < 2000, `slowest case took ${slowest} ms`);
  });
});
