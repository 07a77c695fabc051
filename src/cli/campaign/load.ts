// `tdmgate campaign load FILE.csv --group G [--window 09:00-20:00] ...`: reads the list with the
// site's numbering, refuses each bad line by FILE:LINE: field and loads the good ones into the
// campaign's queue, then prints the campaign id on stdout (the rest on stderr, so
// `id=$(tdmgate campaign load ...)` works). Loading the same file again adds only lines not
// there yet - the way to load a line fixed after a refusal.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { campaignSettings, describeWindow, readCampaignCsv, type CampaignTarget } from '../../jobs/campaigns';
import { JobError } from '../../jobs/job-errors';
import { compileNumbering } from '../../supervisor/numbering/numbering';
import { countOption, flag, maxPositionals, parseCommand, stringOption, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { CAMPAIGN_EXIT, CAMPAIGN_HELP, CONNECT_OPTIONS, cliConfig, cliSite, refusalJson, refusalLine, reportRefusal, withCampaigns } from './common';

const OPTIONS = {
  ...CONNECT_OPTIONS,
  site: { type: 'string' },
  group: { type: 'string' },
  window: { type: 'string' },
  days: { type: 'string' },
  name: { type: 'string' },
  'max-attempts': { type: 'string' },
  'max-concurrent': { type: 'string' },
  'per-minute': { type: 'string' },
  'caller-id': { type: 'string' },
  target: { type: 'string' },
} as const;

/** `CONTEXT,EXTEN` is a dialplan place; a single word a routing target of the site. */
function targetOf(text: string | undefined): CampaignTarget | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',');
  if (parts.length === 1) return text;
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { context: parts[0] as string, extension: parts[1] as string };
  throw new UsageError(`--target must be a routing target name or CONTEXT,EXTEN, not '${text}'`);
}

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('campaign load', argv, OPTIONS);
  if (positionals.length === 0) throw new UsageError('campaign load needs a CSV file: tdmgate campaign load FILE.csv --group G');
  maxPositionals('campaign load', positionals, 1);
  const file = positionals[0] as string;
  const group = stringOption(values, 'group');
  if (group === undefined) throw new UsageError('campaign load needs --group: the trunk group to call on (name or number)');
  const json = flag(values, 'json');
  const options = {
    name: stringOption(values, 'name') ?? path.basename(file, path.extname(file)),
    group,
    window: stringOption(values, 'window'),
    days: stringOption(values, 'days'),
    maxAttempts: countOption('max-attempts', values['max-attempts']),
    maxConcurrent: countOption('max-concurrent', values['max-concurrent']),
    perMinute: countOption('per-minute', values['per-minute']),
    callerId: stringOption(values, 'caller-id'),
    target: targetOf(stringOption(values, 'target')),
  };
  const config = await cliConfig(ctx, values);
  try {
    const site = await cliSite(config);
    const settings = campaignSettings(options, site);
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new JobError('NOT_FOUND', `cannot read ${file}: ${err.code ?? 'EIO'}`, { field: 'file' });
    });
    const { rows, refusals } = readCampaignCsv(text, site.routing?.numbering ? compileNumbering(site.routing.numbering) : null);
    if (!json) for (const refusal of refusals) ctx.stderr.write(`${refusalLine(refusal, file)}\n`);
    if (rows.length === 0) {
      const none = new JobError('INVALID_JOB', `has no line to load (${refusals.length} refused); nothing was loaded`, { field: 'file' });
      if (!json) throw none;
      ctx.stdout.write(`${JSON.stringify({ ok: false, ...refusalJson(none), refused: refusals.map(refusalJson) }, null, 2)}\n`);
      return CAMPAIGN_EXIT.DATA_ERROR;
    }
    const result = await withCampaigns(config, (service) => service.load(settings, rows));
    const c = result.campaign;
    if (json) {
      ctx.stdout.write(`${JSON.stringify({ ok: true, campaign: c, added: result.added, alreadyLoaded: result.alreadyLoaded, refused: refusals.map(refusalJson) }, null, 2)}\n`);
    } else {
      ctx.stdout.write(`${c.id}\n`);
      const again = result.alreadyLoaded > 0 ? `, ${result.alreadyLoaded} already loaded` : '';
      const refused = refusals.length > 0 ? `, ${refusals.length} line(s) refused (above; fix them and load the file again)` : '';
      ctx.stderr.write(`campaign ${c.id}: ${result.added} number(s) added${again}${refused}; group ${c.group}, window ${describeWindow(c.window)}, ${c.maxAttempts} attempt(s) per number, ${c.status}\n`);
    }
    return refusals.length > 0 ? CAMPAIGN_EXIT.LINES_REFUSED : CAMPAIGN_EXIT.OK;
  } catch (err) {
    return reportRefusal(ctx, 'campaign load', json, err, file);
  }
}

export const campaignLoadCommand: Command = {
  name: 'campaign load',
  summary: 'load a CSV list of numbers as a campaign; prints its id',
  usage: 'tdmgate campaign load FILE.csv --group G [--window 09:00-20:00] [--days mon-fri] [--name N] [--max-attempts K] [--max-concurrent C] [--per-minute R] [--caller-id NUM] [--target CONTEXT,EXTEN|TARGET] [--json]',
  options: OPTIONS,
  help: [
    'The CSV: a header line with a "number" column (any form the site\'s numbering reads:',
    '+8613800138000, 013800138000, 13800138000); other columns are kept as the job\'s data.',
    'Each bad line is refused as FILE:LINE: field: message and the good lines are loaded.',
    '  --group G            trunk group to call on, name or number (required)',
    '  --window HH:MM-HH:MM calling window in the site\'s time zone (default 09:00-20:00;',
    '                       22:00-06:00 runs past midnight, 00:00-24:00 all day)',
    '  --days D             days the window opens: mon-fri,sat (default every day)',
    '  --name N             campaign name; its id is the name in lower case (default the file name)',
    '  --max-attempts K     tries per number (default the group\'s outbound maxRetries + 1, else 3)',
    '  --max-concurrent C   calls of this campaign at once (default: as many as channels allow)',
    '  --per-minute R       call attempts started per minute (default: no limit of its own)',
    '  --caller-id NUM      caller ID presented (default the group\'s)',
    '  --target T           where answered calls go: CONTEXT,EXTEN or a routing target name',
    ...CAMPAIGN_HELP,
  ],
  run,
};
