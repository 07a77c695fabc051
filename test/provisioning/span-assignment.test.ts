// assigned-spans.conf takes effect only where the dahdi module leaves span assignment to user
// space (auto_assign_spans=0): what the module's option says, read from a sysfs tree.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { autoAssignPath, readSpanAssignment, spanAssignment } from '../../src/provisioning/apply/span-assignment';

describe('provision apply: does assigned-spans.conf take effect (auto_assign_spans)', () => {
  it('0: the files pin the spans; 1: the kernel numbers them in probe order and says how to change it; no module: cannot tell', () => {
    assert.equal(spanAssignment('0\n').mode, 'files');
    const kernel = spanAssignment('1\n');
    assert.deepEqual([kernel.mode, kernel.autoAssignSpans], ['kernel', 1]);
    assert.match(kernel.message, /assigned-spans\.conf and span-types\.conf are ignored .*\/etc\/modprobe\.d\/dahdi-tdmgate\.conf \("options dahdi auto_assign_spans=0"\) makes them take effect from the next driver load/);
    assert.deepEqual([spanAssignment(null).mode, spanAssignment(null).autoAssignSpans], ['unknown', null]);
    assert.equal(spanAssignment('garbage').mode, 'unknown');
  });

  it('reads the running module\'s option from sysfs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tdmgate-sys-'));
    try {
      assert.equal((await readSpanAssignment(root)).mode, 'unknown');
      mkdirSync(dirname(autoAssignPath(root)), { recursive: true });
      writeFileSync(autoAssignPath(root), '1\n');
      assert.equal((await readSpanAssignment(root)).mode, 'kernel');
      writeFileSync(autoAssignPath(root), '0\n');
      assert.equal((await readSpanAssignment(root)).mode, 'files');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
