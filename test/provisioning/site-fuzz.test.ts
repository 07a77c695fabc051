// Fuzzing the site file: thousands of mutations of the shipped examples (keys deleted,
// duplicated, retyped, given random values; text truncated, lines shuffled, junk bytes) under a
// seeded PRNG. Every case either validates and generates, or fails with a ProvisioningError -
// never another exception, never a hang. Prints the counts.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Prng } from '../../src/hardware/sim/prng';
import { isProvisioningError } from '../../src/provisioning/errors';
import { generateConfig } from '../../src/provisioning/generate';
import { parseSite } from '../../src/provisioning/site/load';
import { EXAMPLES } from './site-helpers';

const CASES = 3000;
const SEED = 20240603;
const KEYS = ['line', 'signalling', 'framing', 'coding', 'crc4', 'timing', 'group', 'channels', 'port', 'ports', 'type', 'start',
  'mfcr2', 'variant', 'category', 'maxAni', 'switchtype', 'location', 'hardwareId', 'groups', 'routes', 'number', 'spans'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function randomValue(r: Prng): Json {
  return r.pick<() => Json>([
    () => null, () => true, () => r.int(-5, 2000), () => r.next() * 100, () => r.pick(KEYS), () => '1-15,17-31', () => '31-1',
    () => '', () => [], () => ({}), () => [r.int(0, 40), 'x'], () => ({ [r.pick(KEYS)]: r.int(0, 64) }), () => 'E1', () => 'fxoks',
  ])();
}

/** Applies one structural mutation somewhere in the tree; returns the (possibly new) root. */
function mutateTree(r: Prng, node: Json): Json {
  if (node === null || typeof node !== 'object' || r.next() < 0.25) {
    return r.pick<() => Json>([() => randomValue(r), () => (Array.isArray(node) ? node : [node]), () => String(node)])();
  }
  if (Array.isArray(node)) {
    if (node.length === 0 || r.next() < 0.2) return [...node, randomValue(r)];
    const i = r.int(0, node.length - 1);
    const op = r.int(0, 2);
    if (op === 0) return node.filter((_, j) => j !== i);
    if (op === 1) return [...node, structuredClone(node[i] as Json)];
    return node.map((x, j) => (j === i ? mutateTree(r, x) : x));
  }
  const keys = Object.keys(node);
  if (keys.length === 0) return { [r.pick(KEYS)]: randomValue(r) };
  const key = r.pick(keys);
  const op = r.int(0, 3);
  const copy = { ...node };
  if (op === 0) delete copy[key];
  else if (op === 1) copy[`${key}${r.pick(['s', '_', 'x', ''])}${r.int(0, 9)}`] = copy[key] as Json;
  else if (op === 2) copy[r.pick(KEYS)] = randomValue(r);
  else copy[key] = mutateTree(r, copy[key] as Json);
  return copy;
}

function mutateText(r: Prng, text: string): string {
  switch (r.int(0, 4)) {
    case 0:
      return text.slice(0, r.int(0, text.length));
    case 1: {
      const at = r.int(0, text.length);
      const junk = Array.from({ length: r.int(1, 12) }, () => String.fromCharCode(r.int(0, 255))).join('');
      return text.slice(0, at) + junk + text.slice(at);
    }
    case 2: {
      const lines = text.split('\n');
      const i = r.int(0, lines.length - 1);
      return [...lines.slice(0, i), ...lines.slice(i + 1), lines[i] ?? ''].join('\n');
    }
    case 3:
      return text.replace(/ {2}/g, () => (r.next() < 0.05 ? '\t' : '  '));
    default:
      return `${text}\n${r.pick(['&a [*a]', '{', 'cards: *nope', '- - -', ': :', 'x: !!binary ???'])}\n`;
  }
}

describe('site file fuzzing', function () {
  this.timeout(60_000);

  it(`survives ${CASES} mutated site files with only ProvisioningErrors`, () => {
    const r = new Prng(SEED);
    const sources = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
    const outcomes = new Map<string, number>();
    let slowest = 0;
    for (let n = 0; n < CASES; n++) {
      const base = r.pick(sources);
      let text: string;
      if (r.next() < 0.6) {
        let tree = parse(base) as Json;
        for (let k = r.int(1, 4); k > 0; k--) tree = mutateTree(r, tree);
        text = stringify(tree);
      } else {
        text = mutateText(r, base);
      }
      const started = process.hrtime.bigint();
      try {
        const loaded = parseSite(text, `fuzz-${n}.yaml`);
        generateConfig(loaded.site, loaded.source, { chanDahdiMode: r.next() < 0.5 ? 'full' : 'include' });
        outcomes.set('valid', (outcomes.get('valid') ?? 0) + 1);
      } catch (err) {
        assert.ok(isProvisioningError(err), `case ${n} threw ${String(err)}\n--- input ---\n${text}`);
        assert.ok(err.issues.length > 0, `case ${n}: a ProvisioningError without issues`);
        outcomes.set(err.code, (outcomes.get(err.code) ?? 0) + 1);
      }
      slowest = Math.max(slowest, Number(process.hrtime.bigint() - started) / 1e6);
    }
    const counts = [...outcomes].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`      ${CASES} cases (seed ${SEED}): ${counts}; slowest case ${slowest.toFixed(1)} ms`);
    assert.ok(slowest < 1000, `a case took ${slowest} ms`);
    assert.ok((outcomes.get('SITE_INVALID') ?? 0) > CASES / 4, 'the mutations should break most files');
  });
});
