// Reading YAML for validation: the parsed value, a locator that maps a checker path
// (cards[0].spans[1].type) to its source line, or the first syntax error with line:column.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { PathLocator } from './checker';

export type YamlSource =
  | { ok: true; value: unknown; locate: PathLocator }
  | { ok: false; line: number; col: number; message: string };

export function readYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    return { ok: false, line: pos.line, col: pos.col, message: syntax.message.split('\n')[0] ?? 'invalid YAML' };
  }
  const root = doc.contents as Node | null;
  const locate: PathLocator = (path) => {
    const offset = offsetOf(root, pathSegments(path));
    return offset === undefined ? undefined : lines.linePos(offset).line;
  };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown, locate };
  } catch (err) {
    // toJS refuses alias bombs and alias cycles it cannot expand; report them like syntax errors.
    return { ok: false, line: 1, col: 1, message: err instanceof Error ? err.message : String(err) };
  }
}

/** `cards[0].spans[1].type` -> ['cards', 0, 'spans', 1, 'type']. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[1] !== undefined) segments.push(m[1]);
  }
  return segments;
}

/**
 * Source offset of the deepest node the path reaches: a mapping entry is found at its key (so an
 * unknown key points at itself), a missing key at its parent mapping.
 */
function offsetOf(root: Node | null, segments: readonly (string | number)[]): number | undefined {
  let node: unknown = root;
  let offset = root?.range?.[0];
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) break;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
