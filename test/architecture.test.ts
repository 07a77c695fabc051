// The direction of dependency, checked on the sources: each top-level folder of src/ may import
// only the folders below it (docs/architecture in the README's folder table). Above all, the
// supervisor never imports the ARI stand-in or the demo: the test double stays out of the
// production import graph, and only the composition root (src/app) knows every piece.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Folder -> the folders it may import. Plain files at the top of src/ (clock, package-root) are open to all. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  validation: [],
  store: [],
  hardware: ['validation'],
  provisioning: ['hardware', 'validation'],
  diagnostics: ['hardware'],
  supervisor: ['hardware', 'provisioning', 'store', 'validation'],
  jobs: ['provisioning', 'supervisor', 'validation'],
  demo: ['hardware', 'provisioning', 'supervisor'],
  webhooks: ['jobs', 'supervisor'],
  // diagnostics: the status page shows alarms in the diag's own words and its counter rates.
  api: ['diagnostics', 'hardware', 'jobs', 'provisioning', 'store', 'supervisor', 'webhooks'],
  app: ['api', 'demo', 'hardware', 'jobs', 'provisioning', 'store', 'supervisor', 'validation', 'webhooks'],
  cli: ['app', 'diagnostics', 'hardware', 'jobs', 'provisioning', 'store', 'supervisor', 'validation', 'webhooks'],
};

function isFolder(name: string): boolean {
  try {
    return statSync(path.join(SRC, name)).isDirectory();
  } catch {
    return false;
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of a file (static and require()), as top-level folders of src/. */
function importedFolders(file: string): { spec: string; folder: string }[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\(|require\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specs.flatMap((spec) => {
    const rel = path.relative(SRC, path.resolve(path.dirname(file), spec));
    const top = rel.split(path.sep)[0] as string;
    // A plain file at the top of src/ ('../clock') is open to all; a folder is checked.
    return isFolder(top) ? [{ spec, folder: top }] : [];
  });
}

describe('architecture: one direction of dependency', () => {
  const folders = readdirSync(SRC).filter((n) => statSync(path.join(SRC, n)).isDirectory());

  it('every folder of src/ has its place in the table', () => {
    assert.deepEqual(folders.filter((f) => !(f in MAY_IMPORT)), []);
  });

  for (const folder of Object.keys(MAY_IMPORT)) {
    it(`${folder}/ imports only ${MAY_IMPORT[folder]?.join(', ') || 'itself'}`, () => {
      const wrong: string[] = [];
      for (const file of sources(path.join(SRC, folder))) {
        for (const { spec, folder: to } of importedFolders(file)) {
          if (to !== folder && !MAY_IMPORT[folder]?.includes(to)) wrong.push(`${path.relative(SRC, file)} imports ${spec}`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  }
});
