// /etc/asterisk/extensions_tdmgate.conf: the dialplan that hands inbound trunk calls to the
// supervisor. DID routes, VIP lists and the blacklist act only on calls that reach its Stasis app,
// so each context the trunks' channels land in (site/inbound-contexts.ts) sends every called
// number (_X.) and calls without one (s: analog FXO lines, R2 without DNIS) to
// Stasis(tdmgate,<DAHDI channel>). The channel number rides along so the supervisor places a PRI
// call on its timeslot without asking Asterisk (one REST call less per call).
//
// Stasis() returns at once with STASISSTATUS=FAILED when the app is not registered - the
// supervisor is not running. Rather than drop every call then, the call goes to the site's
// default routing target, or is refused with cause 41 (temporary failure: the carrier may try
// another route, the caller may retry). A call the supervisor handled never comes back here: it
// is continued elsewhere or hung up. The targets' contexts are the customer's own dialplan
// (queues, IVRs) and are only named in the comments, never generated.
//
// Only with a routing section: without one the supervisor sends calls back to their group's
// context, which must then be the customer's (a Stasis line there would loop).

import type { RoutingTarget } from '../site/routing-types';
import { inboundContexts, type InboundContext } from '../site/inbound-contexts';
import type { SiteConfig, SiteSource } from '../site/site-types';
import { header, render } from './layout';

export const DIALPLAN_FILE = 'extensions_tdmgate.conf';
/** The line extensions.conf needs, outside any context, for Asterisk to read the file. */
export const DIALPLAN_INCLUDE_LINE = `#include ${DIALPLAN_FILE}`;
/** The supervisor's Stasis application: the dialplan names it, the supervisor registers it. */
export const STASIS_APP = 'tdmgate';
/** Where an answered outbound call without a target is continued (the customer's context). */
export const OUTBOUND_DEFAULT_CONTEXT = 'tdmgate-outbound';
/** Q.850 41, temporary failure: the cause when the supervisor is away and there is no default target. */
export const SUPERVISOR_AWAY_CAUSE = 41;

const STASIS = `Stasis(${STASIS_APP},\${CHANNEL(dahdi_channel)})`;

export function dialplanConf(site: SiteConfig, source: SiteSource): string {
  const contexts = site.routing === null ? [] : inboundContexts(site);
  const fallback = site.routing?.targets.find((t) => t.name === site.routing?.defaultTarget) ?? null;
  return render([
    [header(';', 'Asterisk dialplan: the trunks\' inbound contexts hand every call to the tdmgate supervisor', source).trimEnd()],
    [
      '; Asterisk reads this file only when extensions.conf includes it, outside any context:',
      `;   ${DIALPLAN_INCLUDE_LINE}`,
      '; then `dialplan reload` (tdmgate provision apply reloads it over ARI when ARI is configured).',
      '; Define the contexts below only here: Asterisk merges contexts of one name from every file',
      '; and refuses a second `_X.` priority 1 in them.',
    ],
    expectedContexts(site),
    contexts.length === 0 ? noContexts(site) : awayNote(fallback),
    ...contexts.map((ctx) => contextBlock(ctx, fallback)),
  ]);
}

/** The customer's contexts the supervisor continues calls into: named, never generated. */
function expectedContexts(site: SiteConfig): string[] {
  const targets = site.routing?.targets ?? [];
  const outbound = site.groups.some((g) => g.direction !== 'in');
  if (targets.length === 0 && !outbound) return [];
  const rows = [
    ...targets.map((t) => [t.context, place(t, '<called number>'), `routing target "${t.name}"`]),
    ...(outbound ? [[OUTBOUND_DEFAULT_CONTEXT, 's,1', 'answered outbound calls placed without a target']] : []),
  ];
  const width = (i: number): number => Math.max(...rows.map((r) => (r[i] ?? '').length));
  return [
    '; The supervisor continues calls into these contexts of your own dialplan; they must exist',
    '; (a call continued to a missing extension ends at once and is logged as a routing error):',
    ...rows.map(([context = '', at = '', what = '']) => `;   ${context.padEnd(width(0))}  ${at.padEnd(width(1))}  ${what}`),
  ];
}

function noContexts(site: SiteConfig): string[] {
  if (site.routing === null) {
    return ['; No contexts: the site has no routing section, so the supervisor would send every call back to', '; its group\'s context. Those contexts are your own dialplan.'];
  }
  return ['; No contexts: no trunk channel takes inbound calls (every trunk group is outbound-only).'];
}

function awayNote(fallback: RoutingTarget | null): string[] {
  const then = fallback === null
    ? [`; (STASISSTATUS=FAILED) and the call is refused with cause ${SUPERVISOR_AWAY_CAUSE} (temporary failure: the carrier`,
      '; may try another route); set routing.default to send such calls to a target instead.']
    : [`; (STASISSTATUS=FAILED) and the call goes to the default target "${fallback.name}" (${fallback.context},${place(fallback, '${EXTEN}')}),`,
      '; without the VIP lists, blacklist, rules or limits.'];
  return ['; When the supervisor is not running its Stasis app is not registered: Stasis() fails at once', ...then];
}

function place(target: RoutingTarget, did: string): string {
  return `${target.extension.replaceAll('{did}', did)},${target.priority}`;
}

function groupText(ctx: InboundContext): string {
  const groups = ctx.groups.map((g) => `${g.number} "${g.name}" (${g.direction})`);
  return `; Inbound calls of trunk group${groups.length === 1 ? '' : 's'} ${groups.join(', ')}`;
}

function contextBlock(ctx: InboundContext, fallback: RoutingTarget | null): string[] {
  return [`[${ctx.context}]`, groupText(ctx), ...extension('_X.', fallback), ...extension('s', fallback)];
}

function extension(pattern: string, fallback: RoutingTarget | null): string[] {
  const away = fallback === null
    ? [` same => n(away),Log(WARNING,tdmgate supervisor not running: \${CHANNEL} refused with cause ${SUPERVISOR_AWAY_CAUSE})`, ` same => n,Hangup(${SUPERVISOR_AWAY_CAUSE})`]
    : [` same => n(away),Log(WARNING,tdmgate supervisor not running: \${CHANNEL} sent to target ${fallback.name})`, ` same => n,Goto(${fallback.context},${place(fallback, '${EXTEN}')})`];
  return [
    `exten => ${pattern},1,${STASIS}`,
    ' same => n,GotoIf($["${STASISSTATUS}" = "FAILED"]?away)',
    ' same => n,Hangup()',
    ...away,
  ];
}
