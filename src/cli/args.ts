// Command-line parsing on node:util parseArgs, with errors a technician can act on: each names
// the option and, for a choice, the values it accepts.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BackendKind } from '../hardware/types';

/** A mistake on the command line: printed as one line, exit code 64. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export const BACKENDS: readonly BackendKind[] = ['sim', 'dahdi'];

/** Options every diag command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  backend: { type: 'string' },
  scenario: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export interface CommonArgs {
  json: boolean;
  backend: BackendKind | undefined;
  scenario: string | undefined;
  debug: boolean;
  help: boolean;
}

export type ParsedValues = Record<string, string | boolean | undefined>;

export interface Parsed {
  values: ParsedValues;
  positionals: string[];
}

function optionList(options: OptionSpecs): string {
  return Object.keys(options)
    .map((name) => `--${name}`)
    .join(', ');
}

/** parseArgs in strict mode, its TypeErrors turned into UsageErrors naming the option. */
export function parseCommand(command: string, argv: readonly string[], options: OptionSpecs): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`unknown option ${option ?? ''} for ${command}; options: ${optionList(options)}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const takesNone = (err as Error).message.includes('does not take an argument');
      throw new UsageError(`${option ?? 'an option'} ${takesNone ? 'takes no value' : 'needs a value'}`);
    }
    throw new UsageError((err as Error).message);
  }
}

export function oneOf<T extends string>(option: string, value: string | boolean | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(', ')}`);
}

export function stringOption(values: ParsedValues, option: string): string | undefined {
  const value = values[option];
  return typeof value === 'string' ? value : undefined;
}

export function flag(values: ParsedValues, option: string): boolean {
  return values[option] === true;
}

/** A number of seconds; min is inclusive (0 allowed for windows, not for intervals). */
export function secondsOption(option: string, value: string | boolean | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(seconds) || seconds < min) {
    throw new UsageError(`--${option} must be a number of seconds${min > 0 ? ` greater than or equal to ${min}` : ', 0 or more'}`);
  }
  return seconds;
}

export function countOption(option: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`--${option} must be a whole number, 1 or more`);
  return count;
}

export function spanArgument(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`span must be a span number (1, 2, ...), not '${text}'`);
  return Number(text);
}

export function commonArgs(values: ParsedValues): CommonArgs {
  const backend = oneOf('backend', values.backend, BACKENDS);
  const scenario = stringOption(values, 'scenario');
  if (scenario !== undefined && backend === 'dahdi') throw new UsageError('--scenario only applies to --backend sim');
  return { json: flag(values, 'json'), backend, scenario, debug: flag(values, 'debug'), help: flag(values, 'help') };
}

/** Rejects positionals beyond what the command takes. */
export function maxPositionals(command: string, positionals: readonly string[], max: number): void {
  if (positionals.length > max) throw new UsageError(`${command}: unexpected argument '${positionals[max]}'`);
}
