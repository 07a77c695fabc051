// The recording directory (ast_config_AST_RECORDING_DIR) and the stored recordings in it, as
// res/stasis/stored.c sees them: a recording is a file `<name>.<format>` of a known format
// anywhere below the directory, its name the path below it without the extension; names that
// lead out of the directory are refused. GET/DELETE/copy of /recordings/stored and the files
// finished recordings leave. Synchronous file I/O: REST handlers of the stand-in answer in one
// turn, and these files are small.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RECORDING_FORMATS, appendAudio, encodeAudio, isRecordingFormat, type RecordingFormat } from './audio-file';
import { AriHttpError, badRequest } from './errors';

/** The StoredRecording model of recordings.json. */
export interface StoredRecordingJson {
  name: string;
  format: string;
}

interface Found extends StoredRecordingJson {
  file: string;
}

export class StoredRecordings {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    mkdirSync(this.dir, { recursive: true });
  }

  /** The path of `name` without extension, or null when it leads out of the directory. */
  base(name: string): string | null {
    if (name === '') return null;
    const abs = path.resolve(this.dir, name);
    return abs.startsWith(this.dir + path.sep) ? abs : null;
  }

  /** stasis_app_stored_recording_find_by_name: the file of a known format with that name. */
  find(name: string): Found | undefined {
    const base = this.base(name);
    if (base === null) return undefined;
    for (const format of RECORDING_FORMATS) {
      const file = `${base}.${format}`;
      if (existsSync(file) && statSync(file).isFile()) return { name: path.relative(this.dir, base), format, file };
    }
    return undefined;
  }

  /** GET /recordings/stored/{name}: 404 "Recording not found". */
  get(name: string): Found {
    const found = this.find(name);
    if (!found) throw new AriHttpError(404, 'Recording not found');
    return found;
  }

  /** Every recording below the directory, one per name, sorted by name (stored.c's rbtree). */
  list(): StoredRecordingJson[] {
    const byName = new Map<string, StoredRecordingJson>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        const ext = path.extname(entry.name).slice(1);
        if (!entry.isFile() || !isRecordingFormat(ext)) continue;
        const name = path.relative(this.dir, full).slice(0, -(ext.length + 1));
        byName.set(name, { name, format: ext });
      }
    };
    walk(this.dir);
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The file's bytes and Content-Type as getStoredFile sends them: "<media type>/<extension>". */
  file(name: string): { bytes: Buffer; contentType: string } {
    const found = this.get(name);
    return { bytes: readFileSync(found.file), contentType: `audio/${found.format}` };
  }

  delete(name: string): void {
    unlinkSync(this.get(name).file);
  }

  /**
   * POST copy: the source (404), the destination name - its extension dropped - not taken
   * (409), inside the directory (403); the copy keeps the source's format.
   */
  copy(name: string, destination: string | undefined): StoredRecordingJson {
    const source = this.get(name);
    if (!destination) throw badRequest('Invalid destination recording name');
    const ext = path.extname(destination);
    const target = ext ? destination.slice(0, -ext.length) : destination;
    if (this.find(target)) throw new AriHttpError(409, 'A recording with the same name already exists on the system');
    const base = this.base(target);
    if (base === null) throw new AriHttpError(403, 'Destination file path is forbidden');
    mkdirSync(path.dirname(base), { recursive: true });
    copyFileSync(source.file, `${base}.${source.format}`);
    return { name: path.relative(this.dir, base), format: source.format };
  }

  /** A finished recording's file: written anew, or appended to a file of the same format. */
  write(name: string, format: RecordingFormat, samples: Int16Array, append: boolean): void {
    const base = this.base(name);
    if (base === null) return;
    const file = `${base}.${format}`;
    mkdirSync(path.dirname(file), { recursive: true });
    const bytes = append && existsSync(file) ? appendAudio(format, readFileSync(file), samples) : encodeAudio(format, samples);
    writeFileSync(file, bytes);
  }

  /** ast_filedelete: every format of the name (a cancelled recording leaves no file). */
  remove(name: string): void {
    const base = this.base(name);
    if (base === null) return;
    for (const format of RECORDING_FORMATS) if (existsSync(`${base}.${format}`)) unlinkSync(`${base}.${format}`);
  }
}
