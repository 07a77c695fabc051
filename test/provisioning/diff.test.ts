// The line diff and its unified-diff text: minimal edit scripts (checked against an LCS on
// random inputs), diff -u's hunk headers, new files, missing final newlines.

import assert from 'node:assert/strict';
import { diffLines, diffStat, splitLines, unifiedDiff } from '../../src/provisioning/apply/diff';

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diag = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const up = row[j] as number;
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(up, row[j - 1] as number);
      diag = up;
    }
  }
  return row[b.length] as number;
}

/** A small deterministic generator, so a failure names a reproducible case. */
function lines(seed: number, n: number): string[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return `l${s % 5}\n`;
  });
}

describe('provision diff: Myers line diff', () => {
  it('is a minimal edit script that turns a into b (500 random pairs)', () => {
    for (let seed = 1; seed <= 500; seed += 1) {
      const a = lines(seed, seed % 17);
      const b = lines(seed * 7 + 3, (seed * 3) % 19);
      const edits = diffLines(a, b);
      assert.deepEqual(edits.filter((e) => e.op !== 'insert').map((e) => e.line), a, `seed ${seed}: old side`);
      assert.deepEqual(edits.filter((e) => e.op !== 'delete').map((e) => e.line), b, `seed ${seed}: new side`);
      const changes = edits.filter((e) => e.op !== 'equal').length;
      assert.equal(changes, a.length + b.length - 2 * lcsLength(a, b), `seed ${seed}: not minimal`);
    }
  });

  it('prints nothing for equal texts', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', { old: 'a/x', new: 'b/x' }), '');
  });

  it('shows a new file against /dev/null', () => {
    assert.equal(unifiedDiff(null, 'one\ntwo\n', { old: 'a/etc/x', new: 'b/etc/x' }), '--- /dev/null\n+++ b/etc/x\n@@ -0,0 +1,2 @@\n+one\n+two\n');
  });

  it('gives one hunk with three lines of context, as diff -u does', () => {
    const before = Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join('');
    const after = before.replace('line 5\n', 'line five\n');
    const expected = [
      '--- a/f',
      '+++ b/f',
      '@@ -2,7 +2,7 @@',
      ' line 2',
      ' line 3',
      ' line 4',
      '-line 5',
      '+line five',
      ' line 6',
      ' line 7',
      ' line 8',
      '',
    ].join('\n');
    assert.equal(unifiedDiff(before, after, { old: 'a/f', new: 'b/f' }), expected);
  });

  it('splits distant changes into separate hunks', () => {
    const before = Array.from({ length: 30 }, (_, i) => `${i + 1}\n`).join('');
    const after = before.replace(/^2\n/m, 'two\n').replace(/^28\n/m, 'twenty-eight\n');
    const text = unifiedDiff(before, after, { old: 'a', new: 'b' });
    assert.deepEqual(text.match(/^@@.*@@$/gm), ['@@ -1,5 +1,5 @@', '@@ -25,6 +25,6 @@']);
  });

  it('marks a missing final newline', () => {
    const text = unifiedDiff('a\nb', 'a\nb\n', { old: 'a/f', new: 'b/f' });
    assert.match(text, /-b\n\\ No newline at end of file\n\+b\n/);
    assert.deepEqual(splitLines('a\nb'), ['a\n', 'b']);
  });

  it('counts added and removed lines', () => {
    assert.deepEqual(diffStat('a\nb\nc\n', 'a\nc\nd\ne\n'), { added: 2, removed: 1 });
    assert.deepEqual(diffStat(null, 'a\n'), { added: 1, removed: 0 });
  });
});
