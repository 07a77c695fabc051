// The V8 code cache of the CLI bundle: where a command's cache lives (per user, one file per
// command) and the file format that makes a stale or damaged cache harmless. V8 checks only a
// cache's length and version: handed bytes made from another build of the bundle it runs old
// bytecode, and handed damaged bytes it aborts the process. So every file names the bundle it
// was made from and carries a checksum of its own payload, and any doubt means "no cache".

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { leadingWords } from './command';

/** Which build of the bundle a cache belongs to. */
export interface BundleId {
  readonly crc: number;
  readonly length: number;
}

export function bundleId(bundle: Uint8Array): BundleId {
  return { crc: crc32(bundle), length: bundle.length };
}

const MAGIC = Buffer.from('tdmgate V8 cache', 'latin1');
// MAGIC, then four little-endian u32: bundle crc, bundle length, payload crc, payload length.
const HEADER_BYTES = MAGIC.length + 16;

export function sealCodeCache(bundle: BundleId, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32LE(bundle.crc, MAGIC.length);
  header.writeUInt32LE(bundle.length, MAGIC.length + 4);
  header.writeUInt32LE(crc32(payload), MAGIC.length + 8);
  header.writeUInt32LE(payload.length, MAGIC.length + 12);
  return Buffer.concat([header, payload]);
}

/** The V8 payload of a sealed file, or undefined when it is not for this bundle or is damaged. */
export function openCodeCache(file: Buffer, bundle: BundleId): Buffer | undefined {
  if (file.length < HEADER_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (file.readUInt32LE(MAGIC.length) !== bundle.crc || file.readUInt32LE(MAGIC.length + 4) !== bundle.length) return undefined;
  const payload = file.subarray(HEADER_BYTES);
  if (file.readUInt32LE(MAGIC.length + 12) !== payload.length || file.readUInt32LE(MAGIC.length + 8) !== crc32(payload)) return undefined;
  return payload;
}

/** Runs that execute little of a command's code would leave a poor cache for its real runs. */
const UNCACHED_FLAGS = ['--help', '-h', '--version'];

/**
 * The cache file for the command argv names: `$XDG_CACHE_HOME/tdmgate/diag-scan.v8cache`, or
 * under ~/.cache. Each command gets its own, holding the functions that command ran. Undefined
 * when there is no per-user place (never a shared directory such as /tmp: the cache is code
 * this process will run) or argv names no plausible command.
 */
export function codeCachePath(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (argv.some((arg) => UNCACHED_FLAGS.includes(arg))) return undefined;
  const words = leadingWords(argv);
  if (words.length === 0 || !words.every((word) => /^[a-z]+$/.test(word))) return undefined;
  const xdg = env.XDG_CACHE_HOME;
  const home = env.HOME;
  const root = xdg && path.isAbsolute(xdg) ? xdg : home && path.isAbsolute(home) ? path.join(home, '.cache') : undefined;
  return root === undefined ? undefined : path.join(root, 'tdmgate', `${words.join('-')}.v8cache`);
}

/** The payload stored for this bundle; undefined when absent, unreadable, stale or damaged. */
export function readCodeCache(file: string, bundle: BundleId): Buffer | undefined {
  let sealed: Buffer;
  try {
    sealed = readFileSync(file);
  } catch {
    // Missing or unreadable: the CLI compiles from source, as it would without a cache.
    return undefined;
  }
  return openCodeCache(sealed, bundle);
}

/**
 * Stores a payload, replacing the file in one rename so a concurrent run reads the old cache or
 * the new one, never half of one. Never throws: a read-only or full disk only means the next
 * run compiles again, never an error the technician sees.
 */
export function writeCodeCache(file: string, bundle: BundleId, payload: Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // The cache root (~/.cache) and its tdmgate folder, but never the folders above: a service
    // account's HOME=/nonexistent must stay nonexistent, even for root.
    makeFolder(path.dirname(path.dirname(file)));
    makeFolder(path.dirname(file));
    writeFileSync(temp, sealCodeCache(bundle, payload), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder stopped taking changes mid-write; a stray temp file is all that is left.
    }
  }
}

function makeFolder(folder: string): void {
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
