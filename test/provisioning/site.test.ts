// The site file as a user meets it: every example loads, mistakes come back all at once with
// file:line, path, value and a did-you-mean; YAML syntax errors give line:column; unreadable
// files are SITE_UNREADABLE; the source hash is the file's sha256.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProvisioningError } from '../../src/provisioning/errors';
import { loadSiteFile } from '../../src/provisioning/site/load';
import { EXAMPLES, e1Site, invalid, valid } from './site-helpers';

describe('site file', () => {
  it('loads every shipped example without warnings', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
    assert.equal(files.length, 8);
    for (const f of files) {
      const loaded = await loadSiteFile(join(EXAMPLES, f));
      assert.deepEqual(loaded.warnings, [], f);
      assert.equal(loaded.source.sha256, createHash('sha256').update(readFileSync(join(EXAMPLES, f))).digest('hex'));
    }
  });

  it('numbers spans in file order and lays channels out consecutively (31 per E1, 24 per T1)', async () => {
    const { site } = await loadSiteFile(join(EXAMPLES, 'mixed-pri-analog.yaml'));
    assert.deepEqual([site.cards[0]?.spans[0]?.span, site.cards[0]?.spans[0]?.baseChannel], [1, 1]);
    assert.deepEqual([site.cards[1]?.analog?.span, site.cards[1]?.analog?.baseChannel], [2, 32]);
  });

  it('suggests the key a typo meant, with the file line', () => {
    invalid('site: a\ntoneZone: us\ncards:\n  - location: X\n    spnas: []\n', [/site\.yaml:5: cards\[0\]\.spnas: unknown key \(did you mean "spans"\?\)/]);
    invalid('site: a\ntonezone: us\n', [/site\.yaml:2: tonezone: unknown key \(did you mean "toneZone"\?\)/]);
    invalid('site: a\ntoneZone: cnn\n', [/site\.yaml:2: toneZone: "cnn" is not one of .* \(did you mean "cn"\?\)/]);
  });

  it('reports every problem at once, each with its own line', () => {
    assert.throws(() => valid(e1Site('{ line: E3, signalling: pri_cpe }', '{ line: E1, signalling: pri_cpe, lbo: 9 }')), (err: unknown) => {
      assert.ok(isProvisioningError(err, 'SITE_INVALID'));
      const lines = err.issues.filter((i) => i.severity === 'error').map((i) => [i.path, i.line]);
      assert.deepEqual(lines, [['cards[0].spans[0].line', 6], ['cards[0].spans[1].lbo', 7]]);
      assert.match(err.message, /spans\[0\]\.line: "E3" is not one of E1, T1, J1, BRI \(did you mean "E1"\?\)/);
      return true;
    });
  });

  it('gives YAML syntax errors with line:column and no stack trace', () => {
    invalid('site: a\ncards:\n  - location: [X\n', [/^site\.yaml:\d+:\d+: YAML syntax error/]);
    invalid('site: a\nsite: b\n', [/^site\.yaml:2:1: YAML syntax error: Map keys must be unique/]);
  });

  it('refuses a document that is not a mapping, and requires the essentials', () => {
    invalid('- just\n- a list\n', [/\(top level\): expected a mapping/]);
    invalid('toneZone: us\n', [/site: is required/, /cards: is required/]);
  });

  it('says which file it could not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdmgate-site-'));
    await assert.rejects(loadSiteFile(join(dir, 'nope.yaml')), (err) => isProvisioningError(err, 'SITE_UNREADABLE') && /ENOENT/.test(err.message));
    writeFileSync(join(dir, 'bad.yaml'), 'site: x\ncards: 3\n');
    await assert.rejects(loadSiteFile(join(dir, 'bad.yaml')), (err) => isProvisioningError(err, 'SITE_INVALID') && err.message.includes(`${join(dir, 'bad.yaml')}:2: cards: expected a list, got 3`));
  });
});
