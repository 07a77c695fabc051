// /ari/channels: list, originate, get, hangup with reason or reason_code, answer, continue,
// play, DTMF, and channel variables - including chan_dahdi's CHANNEL(dahdi_channel|dahdi_span|
// dahdi_group|dahdi_type), read from the timeslot the channel occupies.

import type { SimAsterisk } from '../asterisk';
import { HANGUP_REASONS } from '../causes';
import type { Channel } from '../channel';
import { AriHttpError, badRequest } from '../errors';
import type { OriginateRequest, Originator } from '../originate';
import { created, intParam, noContent, ok, strParam, type RestReply, type RestRequest, type Route } from '../router';

export function channelRoutes(asterisk: SimAsterisk, originator: Originator): Route[] {
  const id = (req: RestRequest): string => req.captures[0] ?? '';
  return [
    { method: 'GET', pattern: /^\/ari\/channels$/, handler: () => ok(asterisk.list().map((c) => c.toJSON())) },
    { method: 'POST', pattern: /^\/ari\/channels$/, handler: (req) => ok(originator.originate(originateRequest(req)).toJSON()) },
    { method: 'POST', pattern: /^\/ari\/channels\/([^/]+)$/, handler: (req) => ok(originator.originate({ ...originateRequest(req), channelId: id(req) }).toJSON()) },
    { method: 'GET', pattern: /^\/ari\/channels\/([^/]+)$/, handler: (req) => ok(asterisk.get(id(req)).toJSON()) },
    {
      method: 'DELETE', pattern: /^\/ari\/channels\/([^/]+)$/, handler: (req) => {
        // ast_ari_channels_hangup: the channel first (404), then the reason (400).
        const ch = asterisk.get(id(req));
        const cause = hangupCause(req);
        asterisk.requestHangup(ch, cause);
        return noContent();
      },
    },
    {
      method: 'POST', pattern: /^\/ari\/channels\/([^/]+)\/answer$/, handler: (req) => {
        // A command on the channel's control: after any playback in progress.
        const ch = asterisk.controlled(id(req));
        asterisk.playbacks.afterPlaybacks(asterisk.control(ch), () => asterisk.answer(ch));
        return noContent();
      },
    },
    {
      method: 'POST', pattern: /^\/ari\/channels\/([^/]+)\/continue$/, handler: (req) => {
        const ch = asterisk.controlled(id(req));
        asterisk.continueInDialplan(ch, {
          context: strParam(req, 'context'), extension: strParam(req, 'extension'),
          priority: intParam(req, 'priority'), label: strParam(req, 'label'),
        });
        return noContent();
      },
    },
    { method: 'POST', pattern: /^\/ari\/channels\/([^/]+)\/play$/, handler: (req) => play(asterisk, req, strParam(req, 'playbackId')) },
    { method: 'POST', pattern: /^\/ari\/channels\/([^/]+)\/play\/([^/]+)$/, handler: (req) => play(asterisk, req, req.captures[1]) },
    {
      method: 'POST', pattern: /^\/ari\/channels\/([^/]+)\/dtmf$/, handler: (req) => {
        // ast_ari_channels_send_dtmf: the channel (404/409/412) before the digits (400).
        const ch = asterisk.controlled(id(req));
        const dtmf = strParam(req, 'dtmf');
        if (!dtmf) throw badRequest('DTMF is required');
        for (const p of ['before', 'between', 'duration', 'after']) intParam(req, p);
        asterisk.sendDtmf(ch, dtmf);
        return noContent();
      },
    },
    {
      method: 'GET', pattern: /^\/ari\/channels\/([^/]+)\/variable$/, handler: (req) => {
        const variable = strParam(req, 'variable');
        if (!variable) throw badRequest('Variable name is required');
        const value = readVariable(asterisk.get(id(req)), variable);
        if (value === undefined) throw new AriHttpError(404, 'Provided variable was not found');
        return ok({ value });
      },
    },
    {
      method: 'POST', pattern: /^\/ari\/channels\/([^/]+)\/variable$/, handler: (req) => {
        const variable = strParam(req, 'variable');
        if (!variable) throw badRequest('Variable name is required');
        asterisk.setVar(asterisk.controlled(id(req)), variable, req.params.get('value') ?? '');
        return noContent();
      },
    },
  ];
}

/** POST /channels/{id}/play[/{playbackId}]: 201 with the queued playback and its Location. */
function play(asterisk: SimAsterisk, req: RestRequest, playbackId: string | undefined): RestReply {
  const ch = asterisk.controlled(req.captures[0] ?? '');
  // stasis_app_control_play_uri refuses no media or an empty URI, after the checks above.
  const media = req.list('media');
  if (media.length === 0 || media.includes('')) throw new AriHttpError(500, 'Failed to queue media for playback');
  if ((intParam(req, 'skipms') ?? 0) < 0) throw badRequest('skipms cannot be negative');
  if ((intParam(req, 'offsetms') ?? 0) < 0) throw badRequest('offsetms cannot be negative');
  // The channel's language when none is asked for.
  const lang = strParam(req, 'lang') ?? ch.toJSON().language;
  const pb = asterisk.playbacks.play(asterisk.control(ch), media, { ...(playbackId ? { id: playbackId } : {}), lang });
  return created(`/playbacks/${pb.id}`, pb);
}

function originateRequest(req: RestRequest): OriginateRequest {
  const body = req.body as { variables?: unknown } | null;
  const variables = body && typeof body === 'object' && body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, string>) : undefined;
  return {
    endpoint: strParam(req, 'endpoint'), app: strParam(req, 'app'), appArgs: strParam(req, 'appArgs'),
    callerId: strParam(req, 'callerId'), timeout: intParam(req, 'timeout'), channelId: strParam(req, 'channelId'),
    context: strParam(req, 'context'), extension: strParam(req, 'extension'), priority: intParam(req, 'priority'),
    variables,
  };
}

function hangupCause(req: RestRequest): number {
  const reason = strParam(req, 'reason');
  const code = strParam(req, 'reason_code');
  if (reason !== undefined && code !== undefined) throw badRequest("The reason and reason_code can't both be specified");
  if (code !== undefined) {
    // sscanf("%30d"): any leading integer is taken.
    const m = /^\s*([-+]?\d+)/.exec(code);
    if (!m) throw badRequest('Invalid reason for hangup reason code provided');
    return Number(m[1]);
  }
  if (reason === undefined) return 16;
  const cause = HANGUP_REASONS[reason];
  if (cause === undefined) throw badRequest('Invalid reason for hangup reason provided');
  return cause;
}

/**
 * A channel variable or dialplan function. CHANNEL(dahdi_group) is chan_dahdi's group bitmask
 * printed as a decimal ("%llu": group 1 -> "2"), as dahdi_func_read does.
 */
export function readVariable(ch: Channel, name: string): string | undefined {
  const t = ch.trunk;
  switch (name) {
    case 'CHANNEL(dahdi_channel)': return String(t.channel);
    case 'CHANNEL(dahdi_span)': return String(t.span);
    case 'CHANNEL(dahdi_group)': return t.groups.reduce((mask, g) => mask | (1n << BigInt(g)), 0n).toString();
    case 'CHANNEL(dahdi_type)': return t.type;
    case 'CHANNEL(name)': return ch.name;
    case 'CHANNEL(uniqueid)': case 'UNIQUEID': return ch.id;
    case 'CHANNEL(state)': return ch.state;
    case 'CHANNEL(accountcode)': case 'CDR(accountcode)': return ch.accountcode;
    case 'CALLERID(num)': return ch.caller.number;
    case 'CALLERID(name)': return ch.caller.name;
    case 'CONTEXT': return ch.dialplan.context;
    case 'EXTEN': return ch.dialplan.exten;
    default: return ch.vars.get(name);
  }
}
