// The `tdmgate` command: finds the command, wires Ctrl-C to an AbortSignal, and turns errors
// into one clear line and an exit code (stack traces only with --debug, and only for bugs).
// Bundled to dist/tdmgate-cli.js, which the bin (launcher.ts) compiles and starts.

import { EXIT_CODES } from '../diagnostics/health';
import { isHardwareError } from '../hardware/errors';
import { UsageError } from './args';
import { leadingWords, type CliContext, type Command } from './command';
import { tdmgateVersion } from './version';

/**
 * Every command by name, and how to load it. A run loads only its own command's module, so
 * `diag scan` never pays for the supervisor's database drivers or the ARI client (the CLI must
 * start fast on a technician's box); --help loads them all for their summaries.
 */
export const COMMAND_LOADERS: ReadonlyArray<readonly [name: string, load: () => Promise<Command>]> = [
  ['diag scan', async () => (await import('./diag/scan.js')).scanCommand],
  ['diag watch', async () => (await import('./diag/watch.js')).watchCommand],
  ['diag explain', async () => (await import('./diag/explain.js')).explainCommand],
  ['diag loopback', async () => (await import('./diag/loopback.js')).loopbackCommand],
  ['diag report', async () => (await import('./diag/report.js')).reportCommand],
  ['provision validate', async () => (await import('./provision/validate.js')).provisionValidateCommand],
  ['provision generate', async () => (await import('./provision/generate.js')).provisionGenerateCommand],
  ['provision diff', async () => (await import('./provision/diff.js')).provisionDiffCommand],
  ['provision apply', async () => (await import('./provision/apply.js')).provisionApplyCommand],
  ['provision import', async () => (await import('./provision/import.js')).provisionImportCommand],
  ['supervise', async () => (await import('./supervise.js')).superviseCommand],
  ['jobs add', async () => (await import('./jobs/jobs.js')).jobsAddCommand],
  ['jobs list', async () => (await import('./jobs/jobs.js')).jobsListCommand],
  ['jobs dead-letters', async () => (await import('./jobs/jobs.js')).jobsDeadLettersCommand],
  ['jobs retry', async () => (await import('./jobs/jobs.js')).jobsRetryCommand],
  ['webhooks dead-letters', async () => (await import('./webhooks/dead-letters.js')).webhooksDeadLettersCommand],
  ['webhooks replay', async () => (await import('./webhooks/dead-letters.js')).webhooksReplayCommand],
  ['campaign load', async () => (await import('./campaign/load.js')).campaignLoadCommand],
  ['campaign status', async () => (await import('./campaign/control.js')).campaignStatusCommand],
  ['campaign pause', async () => (await import('./campaign/control.js')).campaignPauseCommand],
  ['campaign resume', async () => (await import('./campaign/control.js')).campaignResumeCommand],
  ['campaign cancel', async () => (await import('./campaign/control.js')).campaignCancelCommand],
  ['campaign list', async () => (await import('./campaign/control.js')).campaignListCommand],
  ['dnc add', async () => (await import('./campaign/dnc.js')).dncAddCommand],
  ['dnc remove', async () => (await import('./campaign/dnc.js')).dncRemoveCommand],
  ['dnc list', async () => (await import('./campaign/dnc.js')).dncListCommand],
  ['check spans', async () => (await import('./check/spans.js')).checkSpansCommand],
  ['check trunks', async () => (await import('./check/trunks.js')).checkTrunksCommand],
  ['check supervisor', async () => (await import('./check/supervisor.js')).checkSupervisorCommand],
  ['token create', async () => (await import('./token/token.js')).tokenCreateCommand],
  ['token list', async () => (await import('./token/token.js')).tokenListCommand],
  ['token revoke', async () => (await import('./token/token.js')).tokenRevokeCommand],
];

export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_LOADERS.map(([, load]) => load()));
}

const COMMON_HELP = [
  'Options of every diag command:',
  '  --json              machine-readable output',
  '  --backend sim|dahdi which hardware to ask (default: dahdi when /dev/dahdi exists, else sim)',
  '  --scenario FILE     scenario file for the sim backend',
  '  --debug             print stack traces of internal errors',
  '  -h, --help          this help',
];

const EXIT_HELP = 'Exit codes: 0 all spans up, 1 warning (error counters rising), 2 a span in alarm, 3 cannot tell, 64 usage error, 70 internal error, 130 interrupted.';

export async function mainHelp(): Promise<string> {
  const commands = await loadAllCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'tdmgate - E1/T1, BRI and analog voice cards (DAHDI) for Asterisk call centres',
    '',
    'Usage: tdmgate <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    ...COMMON_HELP,
    '',
    EXIT_HELP,
    'The provision, campaign and dnc commands have their own options and exit codes:',
    'tdmgate provision --help, tdmgate campaign --help.',
    'Details: docs/diag.md, docs/provision.md, docs/campaigns.md',
    '',
  ].join('\n');
}

/** The commands of a topic ('provision'), or [] when the word names no topic. */
function topicLoaders(topic: string): ReadonlyArray<readonly [string, () => Promise<Command>]> {
  return COMMAND_LOADERS.filter(([name]) => name.startsWith(`${topic} `));
}

/** `tdmgate provision --help`: the topic's commands and their shared options and exit codes. */
export async function topicHelp(topic: string): Promise<string> {
  const commands = await Promise.all(topicLoaders(topic).map(([, load]) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  const details = commands[0]?.help ?? [...COMMON_HELP, '', EXIT_HELP];
  return [
    `Usage: tdmgate ${topic} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    ...details,
    `Each command's own usage: tdmgate ${topic} <command> --help.`,
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const details = command.help ?? [...COMMON_HELP, '', EXIT_HELP];
  return [`${command.name}: ${command.summary}`, '', `Usage: ${command.usage}`, '', ...details, ''].join('\n');
}

function commandList(): string {
  return COMMAND_LOADERS.map(([name]) => name).join(', ');
}

/** The command named by the first words of argv, and the arguments after it. */
export async function findCommand(argv: readonly string[]): Promise<{ command: Command; rest: string[] }> {
  const words = leadingWords(argv);
  const name = words.join(' ');
  const entry = COMMAND_LOADERS.find(([n]) => n === name);
  if (!entry) {
    const shown = name === '' ? 'no command given' : `unknown command '${name}'`;
    throw new UsageError(`${shown}; commands: ${commandList()}`);
  }
  return { command: await entry[1](), rest: argv.slice(words.length) };
}

function report(ctx: CliContext, err: unknown, debug: boolean): number {
  if (err instanceof UsageError) {
    ctx.stderr.write(`tdmgate: ${err.message}\nRun 'tdmgate --help' for usage.\n`);
    return EXIT_CODES.USAGE;
  }
  if (isHardwareError(err)) {
    ctx.stderr.write(`tdmgate: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}${debug && err.stack ? `${err.stack}\n` : ''}`);
    // Naming a span that is not there is the user's mistake, not the hardware's state.
    return err.code === 'UNKNOWN_SPAN' ? EXIT_CODES.USAGE : EXIT_CODES.UNKNOWN;
  }
  if (ctx.signal.aborted) {
    ctx.stderr.write('tdmgate: interrupted\n');
    return EXIT_CODES.INTERRUPTED;
  }
  const message = err instanceof Error ? err.message : String(err);
  ctx.stderr.write(`tdmgate: internal error: ${message}\n`);
  ctx.stderr.write(debug && err instanceof Error && err.stack ? `${err.stack}\n` : 'Run again with --debug for details.\n');
  return EXIT_CODES.INTERNAL;
}

export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const debug = argv.includes('--debug');
  const help = argv.includes('--help') || argv.includes('-h');
  try {
    if (argv.includes('--version')) {
      ctx.stdout.write(`tdmgate ${tdmgateVersion()}\n`);
      return EXIT_CODES.OK;
    }
    // `supervise --help` is one word long like `diag --help`: a word that names a command gets its help.
    const named = leadingWords(argv).join(' ');
    // A topic alone (`provision --help`, `provision`): its commands, not the whole list.
    if (topicLoaders(named).length > 0) {
      if (help) {
        ctx.stdout.write(await topicHelp(named));
        return EXIT_CODES.OK;
      }
      ctx.stderr.write(`tdmgate: ${named} needs a command\n\n${await topicHelp(named)}`);
      return EXIT_CODES.USAGE;
    }
    if (help && !COMMAND_LOADERS.some(([name]) => name === named)) {
      ctx.stdout.write(await mainHelp());
      return EXIT_CODES.OK;
    }
    const { command, rest } = await findCommand(argv);
    if (help) {
      ctx.stdout.write(commandHelp(command));
      return EXIT_CODES.OK;
    }
    return await command.run(ctx, rest);
  } catch (err) {
    return report(ctx, err, debug);
  }
}

function runProcess(): void {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  // systemd and `kill` stop the supervisor with SIGTERM: the same clean stop as Ctrl-C.
  process.on('SIGTERM', onSigint);
  const ctx: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin builds a stream on first touch; only diag watch reads it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    signal: controller.signal,
    abort: () => controller.abort(),
  };
  void main(process.argv.slice(2), ctx).then((code) => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    process.exitCode = code;
    // Let stdout drain into pipes; if a backend left a handle open, do not hang the terminal.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

if (require.main === module) runProcess();
