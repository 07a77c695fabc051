// Unified diffs of what is on disk against what would be written: a Myers line diff (no
// dependency for ~100 lines of config) and the `---/+++/@@` text technicians know from diff -u.

export type EditOp = 'equal' | 'delete' | 'insert';

export interface Edit {
  op: EditOp;
  /** The line with its terminator ("\n"), so a missing final newline is a difference too. */
  line: string;
}

/** Lines with their terminators; the last one may lack "\n". */
export function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

/** Myers' O(ND) shortest edit script between two line arrays, after trimming common ends. */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const head = a.slice(0, start).map((line): Edit => ({ op: 'equal', line }));
  const tail = a.slice(endA).map((line): Edit => ({ op: 'equal', line }));
  return [...head, ...myers(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function myers(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d += 1) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
  }
  return [];
}

/** Walks the saved V arrays back from (n, m) to (0, 0), collecting the edits in reverse. */
function backtrack(trace: readonly Int32Array[], a: readonly string[], b: readonly string[], offset: number, dEnd: number): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d -= 1) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: 'equal', line: a[x - 1] as string });
      x -= 1;
      y -= 1;
    }
    if (down) edits.push({ op: 'insert', line: b[y - 1] as string });
    else edits.push({ op: 'delete', line: a[x - 1] as string });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    edits.push({ op: 'equal', line: a[x - 1] as string });
    x -= 1;
    y -= 1;
  }
  return edits.reverse();
}

interface Hunk {
  oldStart: number;
  newStart: number;
  edits: Edit[];
}

/** Groups changes with `context` unchanged lines around them; nearby changes share a hunk. */
function hunks(edits: readonly Edit[], context: number): Hunk[] {
  const changed = edits.flatMap((e, i) => (e.op === 'equal' ? [] : [i]));
  const result: Hunk[] = [];
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] as number;
    let last = first;
    while (i + 1 < changed.length && (changed[i + 1] as number) - last <= 2 * context + 1) {
      i += 1;
      last = changed[i] as number;
    }
    const from = Math.max(0, first - context);
    const to = Math.min(edits.length, last + context + 1);
    const before = edits.slice(0, from);
    result.push({
      oldStart: before.filter((e) => e.op !== 'insert').length + 1,
      newStart: before.filter((e) => e.op !== 'delete').length + 1,
      edits: edits.slice(from, to),
    });
    i += 1;
  }
  return result;
}

function range(start: number, count: number): string {
  // diff -u names an empty range by the line before it: "-0,0" for a new file.
  const at = count === 0 ? start - 1 : start;
  return count === 1 ? `${at}` : `${at},${count}`;
}

function editText(edit: Edit): string {
  const sign = edit.op === 'equal' ? ' ' : edit.op === 'delete' ? '-' : '+';
  return edit.line.endsWith('\n') ? `${sign}${edit.line}` : `${sign}${edit.line}\n\\ No newline at end of file\n`;
}

export interface DiffLabels {
  /** Shown after ---; a missing old file is always /dev/null. */
  old: string;
  new: string;
}

/** `diff -u` text from old (null: the file does not exist) to new; '' when they are equal. */
export function unifiedDiff(oldText: string | null, newText: string, labels: DiffLabels, context = 3): string {
  if (oldText === newText) return '';
  const edits = diffLines(splitLines(oldText ?? ''), splitLines(newText));
  const out = [`--- ${oldText === null ? '/dev/null' : labels.old}\n`, `+++ ${labels.new}\n`];
  for (const hunk of hunks(edits, context)) {
    const oldCount = hunk.edits.filter((e) => e.op !== 'insert').length;
    const newCount = hunk.edits.filter((e) => e.op !== 'delete').length;
    out.push(`@@ -${range(hunk.oldStart, oldCount)} +${range(hunk.newStart, newCount)} @@\n`);
    out.push(...hunk.edits.map(editText));
  }
  return out.join('');
}

/** Lines added and removed, for one-line summaries. */
export function diffStat(oldText: string | null, newText: string): { added: number; removed: number } {
  const edits = diffLines(splitLines(oldText ?? ''), splitLines(newText));
  return { added: edits.filter((e) => e.op === 'insert').length, removed: edits.filter((e) => e.op === 'delete').length };
}
