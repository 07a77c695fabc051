// Reads an Asterisk configuration file with its #include / #tryinclude files, through an
// injected reader, into one flat list of lines in the order Asterisk sees them (an included
// file continues the current section). Relative include paths resolve against the directory of
// the top file, as Asterisk resolves them against its config directory. #exec output and
// unknown directives are reported, never run. Depth and total size are bounded so that no input
// (a cycle, a fan-out of includes) can hang the import.

import { dirname, isAbsolute, join } from 'node:path';
import { lexAsteriskConf, type ConfLine, type SourceRef } from './conf-lexer';
import { importInvalid, importUnreadable, note, type ImportNote } from './import-notes';

/** Returns the file's text, or null when there is no such file. */
export type FileReader = (path: string) => Promise<string | null>;

export interface LoadLimits {
  /** Nested includes below the top file (Asterisk itself gives up at about this depth). */
  maxDepth: number;
  /** Lines across every file read, a guard against include fan-out. */
  maxLines: number;
}

export const DEFAULT_LIMITS: LoadLimits = { maxDepth: 10, maxLines: 200_000 };

export interface LoadedConf {
  lines: ConfLine[];
  /** Every file read, top file first. */
  files: string[];
  notes: ImportNote[];
}

interface LoadState {
  configDir: string;
  readFile: FileReader;
  limits: LoadLimits;
  out: LoadedConf;
  lineCount: number;
}

export async function loadAsteriskConf(path: string, readFile: FileReader, limits: LoadLimits = DEFAULT_LIMITS): Promise<LoadedConf> {
  const text = await readFile(path);
  if (text === null) throw importUnreadable(path, 'no such file');
  const state: LoadState = { configDir: dirname(path), readFile, limits, out: { lines: [], files: [], notes: [] }, lineCount: 0 };
  await loadText(state, path, text, [path]);
  return state.out;
}

async function loadText(state: LoadState, file: string, text: string, stack: string[]): Promise<void> {
  const lexed = lexAsteriskConf(text, file);
  state.out.files.push(file);
  state.lineCount += lexed.lines.length;
  if (state.lineCount > state.limits.maxLines) {
    throw importInvalid({ file, line: 1 }, `more than ${state.limits.maxLines} configuration lines across the included files`);
  }
  for (const line of lexed.lines) {
    if (line.kind === 'directive') await directive(state, line.name, line.argument, line.at, stack);
    else if (line.kind === 'malformed' && line.fatal) throw importInvalid(line.at, `${line.reason}: '${line.text}'`);
    else if (line.kind === 'malformed') state.out.notes.push(note(line.at, `ignored (${line.reason}), as Asterisk does: '${line.text}'`));
    else state.out.lines.push(line);
  }
  if (lexed.unterminatedComment) {
    state.out.notes.push(note(lexed.unterminatedComment, "block comment ';--' never closed: the rest of the file was ignored, as Asterisk does"));
  }
}

async function directive(state: LoadState, name: string, argument: string | null, at: SourceRef, stack: string[]): Promise<void> {
  if (name === 'exec') {
    const command = argument === null ? '#exec' : `#exec ${argument}`;
    state.out.notes.push(note(at, `${command} not carried over: import never runs commands; copy what it prints into the site file`));
    return;
  }
  if (name !== 'include' && name !== 'tryinclude') {
    state.out.notes.push(note(at, `unknown directive '#${name}' ignored, as Asterisk does`));
    return;
  }
  if (argument === null) {
    state.out.notes.push(note(at, `#${name} without a file name ignored, as Asterisk does`));
    return;
  }
  if (/[*?[]/.test(argument)) {
    state.out.notes.push(note(at, `#${name} ${argument}: wildcard includes are not carried over; name the files one by one`));
    return;
  }
  const target = isAbsolute(argument) ? argument : join(state.configDir, argument);
  if (stack.includes(target)) {
    throw importInvalid(at, `include cycle: ${[...stack, target].join(' -> ')}`);
  }
  if (stack.length > state.limits.maxDepth) {
    throw importInvalid(at, `includes nested deeper than ${state.limits.maxDepth} levels`);
  }
  const text = await state.readFile(target);
  if (text === null) {
    // Asterisk refuses the whole file when an #include is missing; #tryinclude is the optional form.
    if (name === 'include') throw importInvalid(at, `#include ${argument}: ${target} does not exist (Asterisk refuses the whole file)`);
    state.out.notes.push(note(at, `#tryinclude ${argument}: ${target} does not exist; nothing read from it`));
    return;
  }
  await loadText(state, target, text, [...stack, target]);
}
