// POST /channels (originate) and the dial that goes on after it: the channel is made on a free
// timeslot and returned in state Down at once; then Dialing, CALL PROCEEDING, alerting and
// answer (or the far end's clearing, or the originate timeout) arrive as ChannelStateChange and
// Dial events; StasisStart only after answer. No free timeslot (all busy, spans in alarm) fails
// the request as chan_dahdi's refused ast_request does: 500 "Allocation failed".

import type { SimAsterisk } from './asterisk';
import { dialStatusForCause } from './causes';
import type { CallerId, Channel } from './channel';
import { parseEndpoint } from './dahdi-naming';
import type { DialOutcome, DialScript } from './dial-script';
import { AriHttpError, badRequest } from './errors';

export interface OriginateRequest {
  endpoint?: string;
  app?: string;
  appArgs?: string;
  callerId?: string;
  /** Seconds; default 30; -1 = no timeout. */
  timeout?: number;
  channelId?: string;
  context?: string;
  extension?: string;
  priority?: number;
  variables?: Record<string, string>;
}

const DEFAULT_RING_MS = 50;

export class Originator {
  constructor(
    private readonly asterisk: SimAsterisk,
    private readonly script: DialScript,
  ) {}

  originate(req: OriginateRequest): Channel {
    if (!req.endpoint) throw badRequest('Endpoint must be specified');
    if (!req.app && !req.extension) throw badRequest('Application or extension must be specified');
    if (req.channelId && this.asterisk.find(req.channelId)) throw new AriHttpError(409, 'Channel with given unique ID already exists');
    const parsed = parseEndpoint(req.endpoint);
    if (!parsed.ok) throw new AriHttpError(500, 'Allocation failed');
    const trunk = this.asterisk.pool.take(parsed.dial.target);
    if (!trunk) throw new AriHttpError(500, 'Allocation failed');
    const ch = this.asterisk.createChannel({
      ...(req.channelId ? { id: req.channelId } : {}),
      trunk, direction: 'outbound', address: parsed.dial.number, state: 'Down',
      caller: parseCallerId(req.callerId ?? ''),
      dialplan: { context: req.context ?? 'default', exten: req.extension ?? 's', priority: req.priority ?? 1, app_name: '', app_data: '' },
    });
    ch.dialstring = parsed.dial.resource;
    ch.connected = { name: '', number: parsed.dial.number };
    if (req.app) ch.subscribers.add(req.app);
    for (const [k, v] of Object.entries(req.variables ?? {})) {
      if (k === 'CDR(accountcode)' || k === 'CHANNEL(accountcode)') ch.accountcode = String(v);
      else ch.vars.set(k, String(v));
    }
    const outcome = this.script.outcomeFor(parsed.dial.number, trunk.span);
    const args = req.appArgs ? req.appArgs.split(',') : [];
    this.asterisk.later(ch, 0, () => this.dial(ch, outcome, req, args));
    return ch;
  }

  private dial(ch: Channel, outcome: DialOutcome, req: OriginateRequest, args: string[]): void {
    const a = this.asterisk;
    if (!ch.alive) return;
    a.changeState(ch, 'Dialing');
    a.emitDial(ch, ch.dialstring, '');
    if (ch.trunk.type === 'pri') a.emitDial(ch, ch.dialstring, 'PROCEEDING');
    const timeoutS = req.timeout ?? 30;
    if (timeoutS > 0) a.later(ch, timeoutS * 1000, () => a.isDialing(ch) && a.remoteHangup(ch, 0, 'NOANSWER'));
    const clear = (ms: number, cause: number): void => a.later(ch, ms, () => a.isDialing(ch) && a.remoteHangup(ch, cause, dialStatusForCause(cause)));
    const ring = (ms: number): void => a.later(ch, ms, () => {
      if (!a.isDialing(ch)) return;
      a.changeState(ch, 'Ringing');
      a.emitDial(ch, ch.dialstring, 'RINGING');
    });
    switch (outcome.kind) {
      case 'answer': {
        const after = outcome.afterMs ?? 200;
        ring(outcome.ringMs ?? Math.min(DEFAULT_RING_MS, after / 2));
        a.later(ch, after, () => this.answered(ch, req, args, outcome.talkMs));
        return;
      }
      case 'noanswer':
        return ring(outcome.ringMs ?? DEFAULT_RING_MS);
      case 'busy':
        return clear(outcome.afterMs ?? DEFAULT_RING_MS, 17);
      case 'congestion':
        return clear(outcome.afterMs ?? DEFAULT_RING_MS, outcome.cause ?? 34);
      case 'invalid':
        return clear(outcome.afterMs ?? DEFAULT_RING_MS, outcome.cause ?? 28);
      case 'reject': {
        const after = outcome.afterMs ?? DEFAULT_RING_MS;
        if (outcome.alerting) ring(after / 2);
        return clear(after, outcome.cause);
      }
    }
  }

  private answered(ch: Channel, req: OriginateRequest, args: string[], talkMs: number | undefined): void {
    const a = this.asterisk;
    if (!a.isDialing(ch)) return;
    a.answer(ch);
    a.emitDial(ch, ch.dialstring, 'ANSWER');
    if (req.app) a.enterStasis(ch, req.app, args);
    if (talkMs !== undefined) a.later(ch, talkMs, () => a.remoteHangup(ch, 16, null));
  }
}

/** ast_callerid_parse: '"ACME" <5550000>', 'ACME <5550000>', '5550000'. */
export function parseCallerId(text: string): CallerId {
  const m = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: m[1] ?? m[2] ?? '', number: m[3] ?? '' };
  const t = text.trim();
  return /^[+\d*#]+$/.test(t) ? { name: '', number: t } : { name: t, number: '' };
}
