// Writing a set of config files all-or-nothing. Each file is staged as a synced temp file in
// its target's directory (rename is atomic only within one filesystem), with the old file's
// mode and owner; only when every file is staged are they renamed into place. If a rename
// fails, the files already renamed get their old content back (or are removed if they did not
// exist), so system.conf and chan_dahdi.conf never describe two different sites.

import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { FileMeta, FileOps } from './file-ops';

export interface FileWrite {
  /** Where the file goes on this machine (root prefix already applied). */
  path: string;
  /** null removes the file (a rollback to a time before the file existed). */
  content: string | null;
}

/** A file as it was before we touched it: the backup and a failed commit restore this. */
export interface Original {
  path: string;
  content: string | null;
  meta: FileMeta | null;
}

/** New config files get the usual /etc permissions. */
export const DEFAULT_MODE = 0o644;

export interface StagedSet {
  /** Temp file of each target, e.g. for `dahdi_cfg -t -c` before anything is replaced. */
  readonly tempOf: ReadonlyMap<string, string>;
  /** Renames every staged file into place; on failure undoes the renames done and throws. */
  commit(): Promise<void>;
  /** Removes the temp files; the targets were never touched. */
  discard(): Promise<void>;
}

function tempPath(path: string, pid: number): string {
  return join(dirname(path), `.${basename(path)}.tdmgate-${pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export async function readOriginals(ops: FileOps, paths: readonly string[]): Promise<Original[]> {
  return Promise.all(paths.map(async (path) => ({ path, content: await ops.readText(path), meta: await ops.meta(path) })));
}

async function stageOne(ops: FileOps, file: { path: string; content: string }, original: Original | undefined, pid: number): Promise<string> {
  await ops.mkdirp(dirname(file.path));
  const temp = tempPath(file.path, pid);
  const meta = original?.meta;
  await ops.writeSynced(temp, file.content, meta?.mode ?? DEFAULT_MODE);
  // chan_dahdi.conf is often asterisk:asterisk 0640: a root-owned replacement would lock Asterisk out.
  if (meta) await ops.chown(temp, meta.uid, meta.gid);
  return temp;
}

/** Puts one original back: its content atomically, or no file when there was none. */
export async function restoreOriginal(ops: FileOps, original: Original, pid = process.pid): Promise<void> {
  if (original.content === null) {
    await ops.remove(original.path);
    return;
  }
  const temp = await stageOne(ops, { path: original.path, content: original.content }, original, pid);
  await ops.rename(temp, original.path);
}

export async function stageFiles(ops: FileOps, files: readonly FileWrite[], originals: readonly Original[], pid = process.pid): Promise<StagedSet> {
  const byPath = new Map(originals.map((o) => [o.path, o]));
  const tempOf = new Map<string, string>();
  const removals = files.filter((file) => file.content === null).map((file) => file.path);
  const discard = async () => {
    await Promise.all([...tempOf.values()].map((temp) => ops.remove(temp)));
  };
  try {
    for (const file of files) {
      if (file.content !== null) tempOf.set(file.path, await stageOne(ops, { path: file.path, content: file.content }, byPath.get(file.path), pid));
    }
  } catch (err) {
    await discard();
    throw err;
  }
  const commit = async () => {
    const done: string[] = [];
    try {
      for (const [path, temp] of tempOf) {
        await ops.rename(temp, path);
        done.push(path);
      }
      for (const path of removals) {
        await ops.remove(path);
        done.push(path);
      }
      for (const dir of new Set(files.map((file) => dirname(file.path)))) await ops.syncDir(dir);
    } catch (err) {
      for (const path of done.reverse()) {
        const original = byPath.get(path) ?? { path, content: null, meta: null };
        await restoreOriginal(ops, original, pid);
      }
      await discard();
      throw err;
    }
  };
  return { tempOf, commit, discard };
}
