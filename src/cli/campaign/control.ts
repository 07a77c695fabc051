// `tdmgate campaign status|pause|resume|cancel ID` and `campaign list`: thin commands over the
// campaigns service, each printing the campaign's progress afterwards (pending, in progress,
// answered, failed, attempts by outcome, the window now) - readable at a glance, or --json.

import { describeWindow, type Campaign, type CampaignProgress, type CampaignService } from '../../jobs/campaigns';
import { flag, maxPositionals, parseCommand } from '../args';
import type { CliContext, Command } from '../command';
import { CAMPAIGN_EXIT, CAMPAIGN_HELP, CONNECT_OPTIONS, cliConfig, idArgument, reportRefusal, withCampaigns } from './common';

/** `2026-12-07 20:00` on the campaign's own clock. */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

function pacingText(c: Campaign): string {
  const parts = [c.pacing.maxConcurrent !== null ? `${c.pacing.maxConcurrent} at once` : null, c.pacing.perMinute !== null ? `${c.pacing.perMinute}/min` : null].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(', ') : 'as channels allow';
}

export function progressText(p: CampaignProgress): string {
  const c = p.campaign;
  const edge = p.window.nextChange === null ? 'open around the clock' : `${p.window.open ? 'open, closes' : 'closed, opens'} ${localTime(p.window.nextChange, c.window.timeZone)}`;
  const outcomes = Object.entries(p.byOutcome).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `campaign ${c.id} (${c.name}): ${c.status.toUpperCase()}`,
    `  group ${c.group}, ${c.maxAttempts} attempt(s) per number, pacing ${pacingText(c)}`,
    `  window ${describeWindow(c.window)}: ${edge}`,
    `  pending ${p.pending}, in progress ${p.inProgress}, answered ${p.answered}, failed ${p.failed}${p.cancelled > 0 ? `, cancelled ${p.cancelled}` : ''}`,
    `  attempts by outcome: ${outcomes || 'none yet'}`,
    '',
  ].join('\n');
}

function controlCommand(verb: 'status' | 'pause' | 'resume' | 'cancel', summary: string, act: (s: CampaignService, id: string) => Promise<unknown>): Command {
  const name = `campaign ${verb}`;
  return {
    name,
    summary,
    usage: `tdmgate ${name} ID [--json]`,
    options: CONNECT_OPTIONS,
    help: CAMPAIGN_HELP,
    async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
      const { values, positionals } = parseCommand(name, argv, CONNECT_OPTIONS);
      const id = idArgument(name, positionals);
      const json = flag(values, 'json');
      const config = await cliConfig(ctx, values);
      try {
        const progress = await withCampaigns(config, async (service) => {
          await act(service, id);
          return service.progress(id);
        });
        ctx.stdout.write(json ? `${JSON.stringify({ ok: true, ...progress }, null, 2)}\n` : progressText(progress));
        return CAMPAIGN_EXIT.OK;
      } catch (err) {
        return reportRefusal(ctx, name, json, err);
      }
    },
  };
}

export const campaignStatusCommand = controlCommand('status', 'a campaign\'s progress: pending, in progress, answered, failed, by outcome, window', async () => undefined);
export const campaignPauseCommand = controlCommand('pause', 'stop starting calls of a campaign on every box (calls up now finish)', (s, id) => s.pause(id));
export const campaignResumeCommand = controlCommand('resume', 'start calling again for a paused campaign', (s, id) => s.resume(id));
export const campaignCancelCommand = controlCommand('cancel', 'end a campaign: numbers not tried are removed, results kept', (s, id) => s.cancel(id));

export const campaignListCommand: Command = {
  name: 'campaign list',
  summary: 'every campaign with its status, group and window',
  usage: 'tdmgate campaign list [--json]',
  options: CONNECT_OPTIONS,
  help: CAMPAIGN_HELP,
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('campaign list', argv, CONNECT_OPTIONS);
    maxPositionals('campaign list', positionals, 0);
    const json = flag(values, 'json');
    const config = await cliConfig(ctx, values);
    try {
      const campaigns = await withCampaigns(config, (service) => service.list());
      if (json) ctx.stdout.write(`${JSON.stringify({ ok: true, campaigns }, null, 2)}\n`);
      else if (campaigns.length === 0) ctx.stdout.write('no campaigns\n');
      else for (const c of campaigns) ctx.stdout.write(`${c.id.padEnd(24)} ${c.status.padEnd(9)} group ${c.group}, ${describeWindow(c.window)}, loaded ${c.created}\n`);
      return CAMPAIGN_EXIT.OK;
    } catch (err) {
      return reportRefusal(ctx, 'campaign list', json, err);
    }
  },
};
