// `tdmgate dnc add|remove NUMBER...` and `tdmgate dnc list`: the do-not-call list every box
// checks just before it dials a campaign number. Numbers are read with the site's numbering, so
// 013800138000 and +8613800138000 are one entry; a bad number is refused by its position and the
// good ones are still added or removed.

import { parseNumber, compileNumbering } from '../../supervisor/numbering/numbering';
import { JobError } from '../../jobs/job-errors';
import { flag, maxPositionals, parseCommand, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { CAMPAIGN_EXIT, CAMPAIGN_HELP, CONNECT_OPTIONS, cliConfig, cliSite, refusalJson, refusalLine, reportRefusal, withCampaigns } from './common';

const CHANGE_OPTIONS = { ...CONNECT_OPTIONS, site: { type: 'string' } } as const;

function changeCommand(verb: 'add' | 'remove'): Command {
  const name = `dnc ${verb}`;
  return {
    name,
    summary: verb === 'add' ? 'put numbers on the do-not-call list (checked at dial time)' : 'take numbers off the do-not-call list',
    usage: `tdmgate ${name} NUMBER... [--json]`,
    options: CHANGE_OPTIONS,
    help: CAMPAIGN_HELP,
    async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
      const { values, positionals } = parseCommand(name, argv, CHANGE_OPTIONS);
      if (positionals.length === 0) throw new UsageError(`${name} needs at least one number: tdmgate ${name} NUMBER...`);
      const json = flag(values, 'json');
      const config = await cliConfig(ctx, values);
      try {
        const site = await cliSite(config);
        const plan = site.routing?.numbering ? compileNumbering(site.routing.numbering) : null;
        const refusals: JobError[] = [];
        const numbers: string[] = [];
        positionals.forEach((text, i) => {
          const parsed = parseNumber(text, plan);
          if (parsed.ok) numbers.push(parsed.number.e164);
          else refusals.push(new JobError('INVALID_JOB', parsed.error.message, { field: `number ${i + 1}` }));
        });
        const changed = numbers.length === 0 ? 0 : await withCampaigns(config, (s) => (verb === 'add' ? s.dnc.add(numbers) : s.dnc.remove(numbers)));
        if (json) {
          ctx.stdout.write(`${JSON.stringify({ ok: refusals.length === 0, numbers, changed, refused: refusals.map(refusalJson) }, null, 2)}\n`);
        } else {
          for (const r of refusals) ctx.stderr.write(`tdmgate ${name}: ${refusalLine(r)}\n`);
          ctx.stdout.write(`${verb === 'add' ? 'added' : 'removed'} ${changed} of ${numbers.length} number(s)${numbers.length > changed ? ` (the others ${verb === 'add' ? 'were already on' : 'were not on'} the list)` : ''}: ${numbers.join(' ')}\n`);
        }
        if (refusals.length === 0) return CAMPAIGN_EXIT.OK;
        return numbers.length > 0 ? CAMPAIGN_EXIT.LINES_REFUSED : CAMPAIGN_EXIT.DATA_ERROR;
      } catch (err) {
        return reportRefusal(ctx, name, json, err);
      }
    },
  };
}

export const dncAddCommand = changeCommand('add');
export const dncRemoveCommand = changeCommand('remove');

export const dncListCommand: Command = {
  name: 'dnc list',
  summary: 'every number on the do-not-call list (E.164)',
  usage: 'tdmgate dnc list [--json]',
  options: CONNECT_OPTIONS,
  help: CAMPAIGN_HELP,
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('dnc list', argv, CONNECT_OPTIONS);
    maxPositionals('dnc list', positionals, 0);
    const json = flag(values, 'json');
    const config = await cliConfig(ctx, values);
    try {
      const numbers = await withCampaigns(config, (s) => s.dnc.list());
      ctx.stdout.write(json ? `${JSON.stringify({ ok: true, numbers }, null, 2)}\n` : numbers.map((n) => `${n}\n`).join(''));
      return CAMPAIGN_EXIT.OK;
    } catch (err) {
      return reportRefusal(ctx, 'dnc list', json, err);
    }
  },
};
