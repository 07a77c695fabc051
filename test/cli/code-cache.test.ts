// The bin's V8 code cache: its file format refuses stale and damaged caches, and end to end the
// CLI prints the same bytes and exit code with no cache, a fresh one, a damaged one, a cache of
// another build and a cache folder it cannot write - and never crashes on any of them.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleId, codeCachePath, openCodeCache, readCodeCache, sealCodeCache, writeCodeCache } from '../../src/cli/code-cache';
import { CLI, type CliRun } from './cli-helpers';

const BUNDLE = path.join(path.dirname(CLI), 'tdmgate-cli.js');
const SCENARIO = path.resolve(__dirname, '../../../dahdi-config/scenarios/32-e1.yaml');
const SCAN = ['diag', 'scan', '--json', '--backend', 'sim', '--scenario', SCENARIO];

describe('CLI code cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-code-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('file format', () => {
    const bundle = bundleId(Buffer.from('the bundle'));
    const payload = Buffer.from('bytecode '.repeat(50));

    it('gives back the payload it sealed for the same bundle', () => {
      assert.deepEqual(openCodeCache(sealCodeCache(bundle, payload), bundle), payload);
    });

    it('refuses a cache made from another build of the bundle', () => {
      const sealed = sealCodeCache(bundle, payload);
      assert.equal(openCodeCache(sealed, bundleId(Buffer.from('the bundle, rebuilt'))), undefined);
      assert.equal(openCodeCache(sealed, { crc: bundle.crc, length: bundle.length + 1 }), undefined);
    });

    it('refuses a damaged, truncated or foreign file', () => {
      const sealed = sealCodeCache(bundle, payload);
      const flipped = Buffer.from(sealed);
      flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0x40;
      assert.equal(openCodeCache(flipped, bundle), undefined);
      assert.equal(openCodeCache(sealed.subarray(0, sealed.length - 1), bundle), undefined);
      assert.equal(openCodeCache(sealed.subarray(0, 8), bundle), undefined);
      assert.equal(openCodeCache(Buffer.concat([Buffer.from('X'), sealed.subarray(1)]), bundle), undefined);
    });

    it('reads nothing from a missing file, and writing where no folder can be made is silent', () => {
      assert.equal(readCodeCache(path.join(dir, 'missing.v8cache'), bundle), undefined);
      writeFileSync(path.join(dir, 'file'), '');
      const blocked = path.join(dir, 'file', 'tdmgate', 'diag-scan.v8cache');
      writeCodeCache(blocked, bundle, payload);
      assert.deepEqual(readdirSync(dir), ['file']);
    });

    it('makes the cache root and its tdmgate folder, never a missing home above them', () => {
      const file = path.join(dir, '.cache', 'tdmgate', 'diag-scan.v8cache');
      writeCodeCache(file, bundle, payload);
      assert.deepEqual(readCodeCache(file, bundle), payload);
      writeCodeCache(path.join(dir, 'nonexistent', '.cache', 'tdmgate', 'diag-scan.v8cache'), bundle, payload);
      assert.deepEqual(readdirSync(dir), ['.cache']);
    });
  });

  describe('where a command keeps its cache', () => {
    it('one file per command under $XDG_CACHE_HOME, else ~/.cache', () => {
      assert.equal(codeCachePath(['diag', 'scan', '--json'], { XDG_CACHE_HOME: '/c', HOME: '/h' }), '/c/tdmgate/diag-scan.v8cache');
      assert.equal(codeCachePath(['supervise'], { HOME: '/h' }), '/h/.cache/tdmgate/supervise.v8cache');
      assert.equal(codeCachePath(['diag', 'scan'], { XDG_CACHE_HOME: 'relative', HOME: '/h' }), '/h/.cache/tdmgate/diag-scan.v8cache');
    });

    it('none without a per-user folder, for help and version runs, or for words that are no command', () => {
      assert.equal(codeCachePath(['diag', 'scan'], {}), undefined);
      assert.equal(codeCachePath(['diag', 'scan', '--help'], { HOME: '/h' }), undefined);
      assert.equal(codeCachePath(['--version'], { HOME: '/h' }), undefined);
      assert.equal(codeCachePath(['--json'], { HOME: '/h' }), undefined);
      assert.equal(codeCachePath(['..', 'scan'], { HOME: '/h' }), undefined);
    });
  });

  describe('end to end', function () {
    this.timeout(30_000);

    function run(script: string, args: readonly string[], cacheHome: string): CliRun & { signal: NodeJS.Signals | null } {
      const env = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome };
      const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 20_000, env });
      return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
    }

    /** The bundle run by node itself, without the launcher: what every cached run must print. */
    function reference(args: readonly string[]): CliRun {
      const result = run(BUNDLE, args, path.join(dir, 'unused'));
      assert.equal(result.signal, null);
      return result;
    }

    function assertSame(actual: CliRun & { signal: NodeJS.Signals | null }, expected: CliRun): void {
      assert.equal(actual.signal, null, actual.stderr);
      assert.deepEqual({ code: actual.code, stdout: actual.stdout, stderr: actual.stderr }, { code: expected.code, stdout: expected.stdout, stderr: expected.stderr });
    }

    const cacheFile = () => path.join(dir, 'tdmgate', 'diag-scan.v8cache');
    const currentBundle = () => bundleId(readFileSync(BUNDLE));

    it('prints the same with no cache, then with the cache the first run wrote', () => {
      const expected = reference(SCAN);
      assert.equal(expected.code, 0, expected.stderr);
      assertSame(run(CLI, SCAN, dir), expected);
      const written = readFileSync(cacheFile());
      assert.ok(openCodeCache(written, currentBundle()), 'the first run leaves a cache for this bundle');
      const before = statSync(cacheFile()).mtimeMs;
      assertSame(run(CLI, SCAN, dir), expected);
      assert.equal(statSync(cacheFile()).mtimeMs, before, 'a cache V8 accepted is not written again');
    });

    it('survives a damaged cache (V8 alone would abort on it) and replaces it', () => {
      const expected = reference(SCAN);
      assertSame(run(CLI, SCAN, dir), expected);
      const damaged = readFileSync(cacheFile());
      for (let i = 0; i < 256; i++) damaged[Math.floor(damaged.length / 3) + i] = (damaged[Math.floor(damaged.length / 3) + i] ?? 0) ^ 0x5a;
      writeFileSync(cacheFile(), damaged);
      assertSame(run(CLI, SCAN, dir), expected);
      assert.ok(openCodeCache(readFileSync(cacheFile()), currentBundle()), 'the damaged cache was replaced');
    });

    it('ignores a cache of another build and replaces it', () => {
      const expected = reference(SCAN);
      assertSame(run(CLI, SCAN, dir), expected);
      const payload = openCodeCache(readFileSync(cacheFile()), currentBundle());
      assert.ok(payload);
      const other = { crc: (currentBundle().crc + 1) >>> 0, length: currentBundle().length };
      writeFileSync(cacheFile(), sealCodeCache(other, payload));
      assertSame(run(CLI, SCAN, dir), expected);
      assert.ok(openCodeCache(readFileSync(cacheFile()), currentBundle()));
    });

    it('runs as usual when the cache folder cannot be written', () => {
      const blocked = path.join(dir, 'not-a-folder');
      writeFileSync(blocked, '');
      assertSame(run(CLI, SCAN, blocked), reference(SCAN));
    });

    it('keeps no cache for usage errors or --help', () => {
      const usage = ['diag', 'scan', '--bogus'];
      assertSame(run(CLI, usage, dir), reference(usage));
      assertSame(run(CLI, [...SCAN, '--help'], dir), reference([...SCAN, '--help']));
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});
