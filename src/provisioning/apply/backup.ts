// Backups taken before `provision apply` replaces files: one directory per apply under
// <root>/var/lib/tdmgate/backups/<ISO time>/, holding a copy of each file as it was and a
// manifest that also records the files that did not exist (a rollback removes those). The
// manifest is written last, so a backup cut short by a crash has none and is never restored.

import { join } from 'node:path';
import type { SiteSource } from '../site/site-types';
import type { FileWrite, Original } from './atomic-write';
import type { FileOps } from './file-ops';
import { onDisk } from './paths';

export const BACKUP_DIR = '/var/lib/tdmgate/backups';
const MANIFEST = 'manifest.json';
const FORMAT = 'tdmgate-backup/1';

export interface BackupEntry {
  /** Install path, e.g. /etc/dahdi/system.conf (without the --root prefix). */
  target: string;
  existed: boolean;
  mode: number | null;
}

export interface BackupManifest {
  format: typeof FORMAT;
  createdAt: string;
  /** The site file whose apply replaced these files. */
  site: SiteSource | null;
  files: BackupEntry[];
  /** Set when `apply --rollback` put these files back; the next rollback goes one further back. */
  restoredAt: string | null;
}

export interface Backup {
  /** Directory of the backup on this machine. */
  dir: string;
  manifest: BackupManifest;
}

/** A directory name that sorts by time and has no ':' (awkward in shells and tar). */
export function backupName(at: Date): string {
  return at.toISOString().replace(/:/g, '-');
}

function copyPath(dir: string, target: string): string {
  return join(dir, 'files', target);
}

export interface OriginalAt extends Original {
  target: string;
}

export async function createBackup(ops: FileOps, root: string, originals: readonly OriginalAt[], site: SiteSource | null, at: Date): Promise<Backup> {
  const base = onDisk(root, BACKUP_DIR);
  const taken = new Set(await ops.list(base));
  let name = backupName(at);
  // Two applies within one millisecond must not share (and overwrite) a backup.
  for (let n = 1; taken.has(name); n += 1) name = `${backupName(at)}-${n}`;
  const dir = join(base, name);
  for (const original of originals) {
    if (original.content === null) continue;
    const copy = copyPath(dir, original.target);
    await ops.mkdirp(join(copy, '..'));
    await ops.writeSynced(copy, original.content, 0o600);
  }
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: at.toISOString(),
    site,
    files: originals.map((o) => ({ target: o.target, existed: o.content !== null, mode: o.meta?.mode ?? null })),
    restoredAt: null,
  };
  await writeManifest(ops, dir, manifest);
  return { dir, manifest };
}

async function writeManifest(ops: FileOps, dir: string, manifest: BackupManifest): Promise<void> {
  await ops.mkdirp(dir);
  const temp = join(dir, `.${MANIFEST}.tmp`);
  await ops.writeSynced(temp, `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
  await ops.rename(temp, join(dir, MANIFEST));
}

function parseManifest(text: string | null): BackupManifest | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<BackupManifest>;
    return parsed.format === FORMAT && Array.isArray(parsed.files) ? (parsed as BackupManifest) : null;
  } catch {
    return null;
  }
}

/** Complete backups, newest first. */
export async function listBackups(ops: FileOps, root: string): Promise<Backup[]> {
  const base = onDisk(root, BACKUP_DIR);
  const names = (await ops.list(base)).filter((name) => !name.startsWith('.')).sort().reverse();
  const backups: Backup[] = [];
  for (const name of names) {
    const dir = join(base, name);
    const manifest = parseManifest(await ops.readText(join(dir, MANIFEST)));
    if (manifest) backups.push({ dir, manifest });
  }
  return backups;
}

/** The newest backup not yet restored: what `apply --rollback` puts back. */
export async function latestBackup(ops: FileOps, root: string): Promise<Backup | null> {
  return (await listBackups(ops, root)).find((b) => b.manifest.restoredAt === null) ?? null;
}

/** The files a backup holds, as writes (content null: the file did not exist, remove it). */
export async function backupWrites(ops: FileOps, root: string, backup: Backup): Promise<Array<FileWrite & { target: string }>> {
  const writes: Array<FileWrite & { target: string }> = [];
  for (const entry of backup.manifest.files) {
    const content = entry.existed ? await ops.readText(copyPath(backup.dir, entry.target)) : null;
    if (entry.existed && content === null) throw new Error(`backup ${backup.dir} is missing its copy of ${entry.target}`);
    writes.push({ target: entry.target, path: onDisk(root, entry.target), content });
  }
  return writes;
}

export async function markRestored(ops: FileOps, backup: Backup, at: Date): Promise<void> {
  await writeManifest(ops, backup.dir, { ...backup.manifest, restoredAt: at.toISOString() });
}
