// What a CLI command is, how argv names it, and the process edges it may touch (streams,
// environment, the Ctrl-C signal) - passed in, so commands never reach for process globals.

import type { OptionSpecs } from './args';

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Input {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface CliContext {
  stdout: Output;
  stderr: Output;
  stdin: Input;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT (Ctrl-C); long-running commands stop and clean up when it fires. */
  signal: AbortSignal;
  /** Aborts `signal` from inside a command (the q key of diag watch). */
  abort(): void;
}

export interface Command {
  /** e.g. 'diag scan'. */
  name: string;
  summary: string;
  /** Usage lines shown by --help, after the options list. */
  usage: string;
  options: OptionSpecs;
  /** Option and exit-code lines for --help; the diag commands' lines when absent. */
  help?: readonly string[];
  run(ctx: CliContext, argv: readonly string[]): Promise<number>;
}

/** Up to two leading words before any option: the command name ("diag scan"). */
export function leadingWords(argv: readonly string[]): string[] {
  const end = argv.findIndex((arg) => arg.startsWith('-'));
  return argv.slice(0, end === -1 ? argv.length : end).slice(0, 2);
}
