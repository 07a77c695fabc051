// Every example site's generated system.conf goes through the real dahdi_cfg's parser (-t: check
// only, no span is touched), so a syntax the generator writes but DAHDI's tools refuse - an MFC/R2
// cas= line, an E&M or FXO keyword, a tone zone - fails here and not on a customer's box. The VM
// has only two loc spans, so the examples are checked, not applied.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/cli/cli-helpers';
import { requireDahdi, tool } from './env';

// dist/hardware-tests -> the checkout's dahdi-config/examples.
const EXAMPLES = join(__dirname, '..', '..', 'dahdi-config', 'examples');

describe('example sites through the real dahdi_cfg', () => {
  let dir: string;
  before(() => {
    requireDahdi();
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-hw-examples-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
  it('has examples to check', () => assert.ok(examples.length >= 6, examples.join(', ')));

  it('dahdi_cfg -t really parses: it refuses a bad keyword and a bad CAS pattern', () => {
    for (const [name, line] of [['keyword', 'bchanel=1-15'], ['cas', 'cas=1-15:1x01']]) {
      const conf = join(dir, `broken-${name}.conf`);
      writeFileSync(conf, `span=1,1,0,cas,hdb3\n${line}\n`);
      assert.throws(() => tool('dahdi_cfg', ['-t', '-c', conf]), /exited/, `dahdi_cfg -t accepted ${line}`);
    }
  });

  for (const example of examples) {
    it(`${example}: dahdi_cfg -t accepts the generated system.conf`, () => {
      const out = join(dir, example);
      const gen = runCli(['provision', 'generate', join(EXAMPLES, example), '--out', out]);
      assert.equal(gen.code, 0, gen.stdout + gen.stderr);
      tool('dahdi_cfg', ['-t', '-c', join(out, 'etc', 'dahdi', 'system.conf')]);
    });
  }
});
