// `tdmgate jobs add call|list|retry|dead-letters`: call jobs on the supervisors' queues, from a
// shell or a monitoring script. Thin over the CallJobs service the HTTP API uses too.

import { JOB_STATES, type JobState, type JobView } from '../../jobs/call-jobs';
import { countOption, flag, maxPositionals, oneOf, parseCommand, stringOption, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { JOBS_EXIT, JOBS_HELP, withCallJobs } from './queue-session';

const COMMON = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ADD_OPTIONS = {
  ...COMMON,
  group: { type: 'string' },
  number: { type: 'string' },
  'caller-id': { type: 'string' },
  target: { type: 'string' },
  attempts: { type: 'string' },
  timeout: { type: 'string' },
} as const;

export const jobsAddCommand: Command = {
  name: 'jobs add',
  summary: 'queue an outbound call: tdmgate jobs add call --group G --number N',
  usage: 'tdmgate jobs add call --group G --number N [--caller-id C] [--target NAME | CONTEXT,EXTEN] [--attempts K] [--timeout S] [--json]',
  options: ADD_OPTIONS,
  help: [
    '  --target NAME | CONTEXT,EXTEN  where the answered call goes: a routing target of the site or a dialplan place',
    '  --attempts K        tries in all (default the group\'s maxRetries + 1)',
    '  --timeout S         seconds of ringing per try (default the group\'s)',
    'Prints the job\'s key (queue/id, also the CDRs\' accountcode).',
    ...JOBS_HELP,
  ],
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('jobs add', argv, ADD_OPTIONS);
    if (positionals[0] !== 'call') throw new UsageError(`jobs add: the kind of job is missing or unknown (${JSON.stringify(positionals[0] ?? '')}); allowed: call`);
    maxPositionals('jobs add', positionals, 1);
    const group = stringOption(values, 'group');
    const number = stringOption(values, 'number');
    if (group === undefined) throw new UsageError('jobs add call: --group is required (a trunk group of the site)');
    if (number === undefined) throw new UsageError('jobs add call: --number is required');
    const input: Record<string, unknown> = { group, number };
    const callerId = stringOption(values, 'caller-id');
    if (callerId !== undefined) input.callerId = callerId;
    const target = stringOption(values, 'target');
    if (target !== undefined) input.target = targetOf(target);
    const attempts = countOption('attempts', values.attempts);
    if (attempts !== undefined) input.attempts = attempts;
    const timeout = countOption('timeout', values.timeout);
    if (timeout !== undefined) input.timeoutSeconds = timeout;
    return withCallJobs(ctx, 'jobs add', stringOption(values, 'config'), async (jobs) => {
      const added = await jobs.add(input);
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify({ job: added.key, group: added.group })}\n` : `queued ${added.key} (group ${added.group})\n${added.key}\n`);
      return JOBS_EXIT.OK;
    });
  },
};

/** "sales" names a routing target; "ctx,exten" (",priority") a dialplan place. */
function targetOf(text: string): string | { context: string; extension: string; priority?: number } {
  if (!text.includes(',')) return text;
  const [context, extension, priority] = text.split(',');
  return { context: context ?? '', extension: extension ?? 's', ...(priority === undefined ? {} : { priority: Number(priority) }) };
}

const LIST_OPTIONS = { ...COMMON, group: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' } } as const;

export const jobsListCommand: Command = {
  name: 'jobs list',
  summary: 'call jobs on the queues, newest first',
  usage: `tdmgate jobs list [--group G] [--state ${JOB_STATES.join('|')}] [--limit N] [--json]`,
  options: LIST_OPTIONS,
  help: JOBS_HELP,
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('jobs list', argv, LIST_OPTIONS);
    maxPositionals('jobs list', positionals, 0);
    const state = oneOf<JobState>('state', values.state, JOB_STATES);
    const group = stringOption(values, 'group');
    const limit = countOption('limit', values.limit);
    return withCallJobs(ctx, 'jobs list', stringOption(values, 'config'), async (jobs) => {
      const list = await jobs.list({ ...(group === undefined ? {} : { group }), ...(state === undefined ? {} : { states: [state] }), ...(limit === undefined ? {} : { limit }) });
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify(list)}\n` : table(list));
      return JOBS_EXIT.OK;
    });
  },
};

const DEAD_OPTIONS = { ...COMMON, group: { type: 'string' }, limit: { type: 'string' } } as const;

export const jobsDeadLettersCommand: Command = {
  name: 'jobs dead-letters',
  summary: 'call jobs that stopped for good: every try used, or never dialable',
  usage: 'tdmgate jobs dead-letters [--group G] [--limit N] [--json]',
  options: DEAD_OPTIONS,
  help: ['Send one back with tdmgate jobs retry KEY.', ...JOBS_HELP],
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('jobs dead-letters', argv, DEAD_OPTIONS);
    maxPositionals('jobs dead-letters', positionals, 0);
    const group = stringOption(values, 'group');
    const limit = countOption('limit', values.limit);
    return withCallJobs(ctx, 'jobs dead-letters', stringOption(values, 'config'), async (jobs) => {
      const list = await jobs.deadLetters(group, limit);
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify(list)}\n` : table(list));
      return JOBS_EXIT.OK;
    });
  },
};

export const jobsRetryCommand: Command = {
  name: 'jobs retry',
  summary: 'send a dead letter back to its queue, its tries counted afresh',
  usage: 'tdmgate jobs retry KEY [--json]   (KEY as jobs list shows it: calls-<group>/<id>)',
  options: COMMON,
  help: JOBS_HELP,
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('jobs retry', argv, COMMON);
    maxPositionals('jobs retry', positionals, 1);
    const key = positionals[0];
    if (key === undefined) throw new UsageError('jobs retry: the job key is missing (calls-<group>/<id>, as jobs list shows it)');
    return withCallJobs(ctx, 'jobs retry', stringOption(values, 'config'), async (jobs) => {
      const view = await jobs.retry(key);
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify(view)}\n` : `${view.key} back in its queue\n`);
      return JOBS_EXIT.OK;
    });
  },
};

function table(list: readonly JobView[]): string {
  if (list.length === 0) return 'no jobs\n';
  const rows = list.map((j) => [j.key, j.state, `${j.triesMade}/${j.tries}`, j.number, j.outcome ?? '', j.reason ?? '']);
  const head = ['JOB', 'STATE', 'TRIES', 'NUMBER', 'OUTCOME', 'WHY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd()).join('\n') + '\n';
}
