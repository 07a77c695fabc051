// The support bundle: one tar.gz a technician mails to support, holding the scan, the findings,
// versions, DAHDI and chan_dahdi configuration, /proc/dahdi and the kernel's DAHDI messages.
// Secrets are removed from every file; a source that cannot be read is listed in MISSING.txt.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface BundlePaths {
  etcDahdi: string;
  etcAsterisk: string;
  procDahdi: string;
  kernLog: string;
}

export const DEFAULT_BUNDLE_PATHS: BundlePaths = {
  etcDahdi: '/etc/dahdi',
  etcAsterisk: '/etc/asterisk',
  procDahdi: '/proc/dahdi',
  kernLog: '/var/log/kern.log',
};

export interface BundleInput {
  /** Path of the .tar.gz to write. */
  out: string;
  scanJson: string;
  /** The findings as a technician reads them (English). */
  explainText: string;
  versions: Readonly<Record<string, string>>;
  paths?: Partial<BundlePaths>;
  /** The kernel ring buffer; injectable because dmesg needs privileges tests do not have. */
  readDmesg?: () => Promise<string>;
}

export interface BundleResult {
  path: string;
  /** Names inside the archive, below BUNDLE_DIR. */
  files: string[];
  missing: string[];
  redactedLines: number;
}

/** Top-level directory inside the archive, so untarring never litters the current directory. */
export const BUNDLE_DIR = 'tdmgate-support';

const ASTERISK_FILES = ['chan_dahdi.conf', 'dahdi-channels.conf'];

// Keys whose values are credentials: secret=, md5secret=, password=, pass=, dbpass:, api_key=,
// "token": ..., commented out or not. The key must end in the word, so passive= stays readable.
const SECRET_ASSIGNMENT = /((?:^|[\s;,{"'])[\w.-]*(?:secret|password|passwd|pass|api[_-]?key|apikey|token)["']?\s*(?:=>|=|:)\s*)(\S.*)$/i;
// Credentials inside a value: register => user:secret@host, scheme://user:secret@host.
const INLINE_CREDENTIAL = /((?:register\s*=>\s*|:\/\/)[^:@\s/]+:)[^@\s]+@/i;
const REDACTED = '<redacted>';

/** Removes credentials from text; returns the cleaned text and how many lines were touched. */
export function redactSecrets(text: string): { text: string; lines: number } {
  let lines = 0;
  const cleaned = text.split('\n').map((line) => {
    const assigned = line.replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
    const result = assigned.replace(INLINE_CREDENTIAL, `$1${REDACTED}@`);
    if (result !== line) lines += 1;
    return result;
  });
  return { text: cleaned.join('\n'), lines };
}

/** Files named by #include / #tryinclude lines of an Asterisk config, resolved against its directory. */
export function asteriskIncludes(text: string, dir: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/^\s*#(?:try)?include\s+"?([^"\s]+)"?/gim)) {
    const name = match[1] as string;
    found.push(path.isAbsolute(name) ? name : path.join(dir, name));
  }
  return found;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Asterisk allows wildcards in #include; expand them the way it does, in name order. */
async function expandInclude(file: string): Promise<string[]> {
  const base = path.basename(file);
  if (!/[*?]/.test(base)) return [file];
  const dir = path.dirname(file);
  const pattern = globToRegExp(base);
  const names = await readdir(dir).catch(() => []);
  return names.filter((name) => pattern.test(name)).sort().map((name) => path.join(dir, name));
}

interface Collected {
  entries: Map<string, string>;
  missing: string[];
}

async function readInto(collected: Collected, file: string, archiveName: string): Promise<boolean> {
  try {
    collected.entries.set(archiveName, await readFile(file, 'utf8'));
    return true;
  } catch (err) {
    collected.missing.push(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return false;
  }
}

async function readDirectory(collected: Collected, dir: string, archiveDir: string, keep: (name: string) => boolean): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(keep).sort();
  } catch (err) {
    collected.missing.push(`${dir}/: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return;
  }
  for (const name of names) await readInto(collected, path.join(dir, name), `${archiveDir}/${name}`);
}

function asteriskArchiveName(file: string, etcAsterisk: string): string {
  const relative = path.relative(etcAsterisk, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? `included${file}` : `etc/asterisk/${relative}`;
}

async function readAsterisk(collected: Collected, etcAsterisk: string): Promise<void> {
  const queue = ASTERISK_FILES.map((name) => path.join(etcAsterisk, name));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const name = asteriskArchiveName(file, etcAsterisk);
    if (!(await readInto(collected, file, name))) continue;
    for (const include of asteriskIncludes(collected.entries.get(name) ?? '', path.dirname(file))) {
      queue.push(...(await expandInclude(include)));
    }
  }
}

function dahdiLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => /dahdi/i.test(line))
    .join('\n');
}

async function defaultDmesg(): Promise<string> {
  const { stdout } = await promisify(execFile)('dmesg', [], { timeout: 5000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function readKernelMessages(collected: Collected, kernLog: string, readDmesg: () => Promise<string>): Promise<void> {
  try {
    collected.entries.set('kernel/dmesg-dahdi.txt', dahdiLines(await readDmesg()));
    return;
  } catch (err) {
    // dmesg is often restricted to root (kernel.dmesg_restrict); kern.log may still be readable.
    collected.missing.push(`dmesg: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    collected.entries.set('kernel/kern.log-dahdi.txt', dahdiLines(await readFile(kernLog, 'utf8')));
  } catch (err) {
    collected.missing.push(`${kernLog}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function versionsText(versions: Readonly<Record<string, string>>): string {
  return Object.entries(versions)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

/** Everything the bundle holds, as archive name -> text, plus what could not be read. */
export async function collectBundle(input: BundleInput): Promise<Collected> {
  const paths = { ...DEFAULT_BUNDLE_PATHS, ...input.paths };
  const collected: Collected = { entries: new Map(), missing: [] };
  collected.entries.set('scan.json', input.scanJson);
  collected.entries.set('explain.txt', input.explainText);
  collected.entries.set('versions.txt', `${versionsText(input.versions)}\n`);
  await readDirectory(collected, paths.etcDahdi, 'etc/dahdi', (name) => name.endsWith('.conf'));
  await readAsterisk(collected, paths.etcAsterisk);
  await readDirectory(collected, paths.procDahdi, 'proc/dahdi', () => true);
  await readKernelMessages(collected, paths.kernLog, input.readDmesg ?? defaultDmesg);
  if (collected.missing.length > 0) {
    collected.entries.set('MISSING.txt', `Sources that could not be read:\n${collected.missing.join('\n')}\n`);
  }
  return collected;
}

export async function buildSupportBundle(input: BundleInput): Promise<BundleResult> {
  const collected = await collectBundle(input);
  const staging = await mkdtemp(path.join(os.tmpdir(), 'tdmgate-bundle-'));
  try {
    let redactedLines = 0;
    for (const [name, content] of collected.entries) {
      const clean = redactSecrets(content);
      redactedLines += clean.lines;
      const target = path.join(staging, BUNDLE_DIR, name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, clean.text);
    }
    // Loaded here, not at start-up: every other diag command would pay for it.
    const tar = await import('tar');
    await tar.create({ gzip: true, file: input.out, cwd: staging, portable: true }, [BUNDLE_DIR]);
    return { path: input.out, files: [...collected.entries.keys()], missing: collected.missing, redactedLines };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Versions for versions.txt; the DAHDI version comes from the backend's driver(). */
export function collectVersions(tdmgate: string, dahdi: string): Record<string, string> {
  return {
    tdmgate,
    node: process.version,
    uname: `${os.type()} ${os.hostname()} ${os.release()} ${os.version()} ${os.machine()}`,
    dahdi,
  };
}
