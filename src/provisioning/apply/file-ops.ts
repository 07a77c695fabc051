// The filesystem calls the apply engine makes, behind one interface: tests wrap the real one to
// make a rename or a write fail at a chosen step, and check that nothing is left half-done.

import { promises as fs } from 'node:fs';

export interface FileMeta {
  mode: number;
  uid: number;
  gid: number;
}

export interface FileOps {
  /** The file's text, or null when it does not exist. */
  readText(path: string): Promise<string | null>;
  /** Ownership and permission bits, or null when the file does not exist. */
  meta(path: string): Promise<FileMeta | null>;
  /** Creates or truncates, writes, fsyncs and closes: the bytes are on disk when it resolves. */
  writeSynced(path: string, content: string, mode: number): Promise<void>;
  /** Best effort: only root may give a file away, and a non-root dry run must not fail on it. */
  chown(path: string, uid: number, gid: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a file already gone is not an error. */
  remove(path: string): Promise<void>;
  mkdirp(path: string): Promise<void>;
  /** Entries of a directory, [] when it does not exist. */
  list(path: string): Promise<string[]>;
  /** fsync on a directory, so renames in it survive a power cut. */
  syncDir(path: string): Promise<void>;
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

export const nodeFileOps: FileOps = {
  async readText(path) {
    try {
      return await fs.readFile(path, 'utf8');
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  },
  async meta(path) {
    try {
      const st = await fs.stat(path);
      return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  },
  async writeSynced(path, content, mode) {
    const handle = await fs.open(path, 'w', mode);
    try {
      await handle.writeFile(content, 'utf8');
      // open() applies the umask; the target's own bits must survive the replacement.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async chown(path, uid, gid) {
    try {
      await fs.chown(path, uid, gid);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  },
  rename: (from, to) => fs.rename(from, to),
  async remove(path) {
    await fs.rm(path, { force: true });
  },
  async mkdirp(path) {
    await fs.mkdir(path, { recursive: true });
  },
  async list(path) {
    try {
      return await fs.readdir(path);
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
  },
  async syncDir(path) {
    let handle;
    try {
      handle = await fs.open(path, 'r');
    } catch (err) {
      // A removal in a directory that never existed has nothing to make durable.
      if (isMissing(err)) return;
      throw err;
    }
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
