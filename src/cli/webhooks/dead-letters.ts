// `tdmgate webhooks dead-letters|replay`: the CRM deliveries that used every try (or that an
// endpoint refused), listed and sent again once the CRM is back. Thin over WebhookDeadLetters,
// on the supervisor's Redis and its configured endpoints, with the jobs commands' exit codes.

import type { SupervisorConfig } from '../../supervisor/config';
import { WebhookDeadLetters, type DeadLetter } from '../../webhooks/dead-letters';
import { flag, countOption, parseCommand, stringOption, UsageError } from '../args';
import { cliConfig } from '../campaign/common';
import type { CliContext, Command } from '../command';
import { withRedisService } from '../redis-session';
import { JOBS_EXIT, reportJobError } from '../jobs/queue-session';

const OPTIONS = {
  config: { type: 'string' },
  endpoint: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = [
  'Endpoints are the config file\'s webhooks: (docs/webhooks.md); Redis: TDMGATE_REDIS_URL, TDMGATE_QUEUE_PREFIX.',
  'Exit codes: 0 done, 64 usage, 66 unknown endpoint or no such dead letter, 69 Redis not reachable.',
];

export const webhooksDeadLettersCommand: Command = {
  name: 'webhooks dead-letters',
  summary: 'CRM webhook deliveries that used every try, newest first',
  usage: 'tdmgate webhooks dead-letters [--endpoint NAME] [--limit N] [--json]',
  options: OPTIONS,
  help: ['Send them again with tdmgate webhooks replay ENDPOINT [ID...].', ...HELP],
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('webhooks dead-letters', argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`webhooks dead-letters: unexpected argument '${positionals[0]}'`);
    const endpoint = stringOption(values, 'endpoint');
    const limit = countOption('limit', values.limit);
    return withDeadLetters(ctx, 'webhooks dead-letters', await cliConfig(ctx, values), async (letters) => {
      const list = await letters.list(endpoint, limit);
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify(list)}\n` : table(list));
      return JOBS_EXIT.OK;
    });
  },
};

export const webhooksReplayCommand: Command = {
  name: 'webhooks replay',
  summary: 'send an endpoint\'s dead letters again (all, or the ids given), each with all its tries',
  usage: 'tdmgate webhooks replay ENDPOINT [ID...] [--json]',
  options: OPTIONS,
  help: HELP,
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('webhooks replay', argv, OPTIONS);
    const [endpoint, ...ids] = positionals;
    if (endpoint === undefined) throw new UsageError('webhooks replay: the endpoint is missing (its name in the config file\'s webhooks:)');
    return withDeadLetters(ctx, 'webhooks replay', await cliConfig(ctx, values), async (letters) => {
      const replayed = await letters.replay(endpoint, ids.length === 0 ? undefined : ids);
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify({ endpoint, replayed })}\n` : `${replayed} dead letter${replayed === 1 ? '' : 's'} of ${endpoint} sent again\n`);
      return JOBS_EXIT.OK;
    });
  },
};

async function withDeadLetters(ctx: CliContext, command: string, config: SupervisorConfig, body: (letters: WebhookDeadLetters) => Promise<number>): Promise<number> {
  try {
    return await withRedisService(config, `tdmgate-cli-${command.replace(' ', '-')}`, (connection, prefix) => new WebhookDeadLetters({ connection, prefix, endpoints: config.webhooks }), body);
  } catch (err) {
    return reportJobError(ctx, command, err);
  }
}

function table(list: readonly DeadLetter[]): string {
  if (list.length === 0) return 'no dead letters\n';
  return list.map((d) => `${d.endpoint}  ${d.id}  ${d.event}  ${d.failedAt?.toISOString() ?? '-'}  tries ${d.attempts}  ${d.reason}`).join('\n') + '\n';
}
