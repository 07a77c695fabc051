// POST /channels (originate) and the dial that goes on after it: the channel is made on a free
// timeslot and returned in state Down at once (ChannelCreated, ChannelCallerId, ChannelVarset,
// ChannelConnectedLine to subscribeAll apps on the way); then Dialing, CALL PROCEEDING, alerting
// and answer (or the far end's clearing, or the originate timeout) arrive as ChannelStateChange
// and Dial events; StasisStart only after answer, and only when the app is registered. No free
// timeslot (all busy, spans in alarm) fails the request as chan_dahdi's refused ast_request
// does: 500 {"error":"Allocation failed"}.

import type { SimAsterisk } from './asterisk';
import type { CallerId, Channel } from './channel';
import { parseEndpoint } from './dahdi-naming';
import type { DialOutcome, DialScript, FarEndClock } from './dial-script';
import { AriHttpError, allocationFailed, badRequest } from './errors';

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
    if (!parsed.ok) throw allocationFailed();
    const trunk = this.asterisk.pool.take(parsed.dial.target);
    if (!trunk) throw allocationFailed();
    const a = this.asterisk;
    const ch = a.createChannel({
      ...(req.channelId ? { id: req.channelId } : {}),
      trunk, direction: 'outbound', address: parsed.dial.number, state: 'Down',
      caller: { name: '', number: '' },
      dialplan: { context: req.context ?? 'default', exten: req.extension ?? 's', priority: req.priority ?? 1, app_name: '', app_data: '' },
    });
    ch.dialstring = parsed.dial.resource;
    // Set on the channel after ast_request made it, so each shows as a change of the snapshot.
    a.setCaller(ch, parseCallerId(req.callerId ?? ''));
    for (const [k, v] of Object.entries(req.variables ?? {})) a.setVar(ch, k, String(v));
    a.setConnected(ch, { name: '', number: parsed.dial.number });
    // The originating app is subscribed to the channel from here until it is gone.
    if (req.app) ch.subscribers.add(req.app);
    const outcome = this.script.outcomeFor(parsed.dial.number, trunk.span);
    const args = req.appArgs ? req.appArgs.split(',') : [];
    this.asterisk.later(ch, 0, () => this.dial(ch, outcome, req, args));
    return ch;
  }

  private dial(ch: Channel, outcome: DialOutcome, req: OriginateRequest, args: string[]): void {
    const a = this.asterisk;
    if (!ch.alive) return;
    a.changeState(ch, 'Dialing');
    a.emitDial(ch, '');
    if (ch.trunk.type === 'pri') a.emitDial(ch, 'PROCEEDING');
    const timeoutS = req.timeout ?? 30;
    if (timeoutS > 0) a.later(ch, timeoutS * 1000, () => a.dialTimedOut(ch));
    const clear = (ms: number, cause: number): void => a.later(ch, ms, () => a.isDialing(ch) && a.remoteHangup(ch, cause));
    const ring = (ms: number): void => a.later(ch, ms, () => {
      if (!a.isDialing(ch)) return;
      a.changeState(ch, 'Ringing');
      a.emitDial(ch, 'RINGING');
    });
    switch (outcome.kind) {
      case 'answer': {
        const after = outcome.afterMs ?? 200;
        ring(outcome.ringMs ?? Math.min(DEFAULT_RING_MS, after / 2));
        a.later(ch, after, () => this.answered(ch, req, args, outcome));
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

  private answered(ch: Channel, req: OriginateRequest, args: string[], outcome: Extract<DialOutcome, { kind: 'answer' }>): void {
    const a = this.asterisk;
    if (!a.isDialing(ch)) return;
    a.answer(ch);
    a.emitDial(ch, 'ANSWER');
    if (req.app && !a.hub.isRegistered(req.app)) {
      // Stasis() finds no such app: no StasisStart, the channel ends without a cause.
      a.destroy(ch, 0);
      return;
    }
    if (req.app) a.enterStasis(ch, req.app, args);
    const { talkMs, promptHangupMs, press } = outcome;
    if (talkMs !== undefined) a.later(ch, talkMs, () => a.remoteHangup(ch, 16));
    if (promptHangupMs !== undefined) this.farEnd(ch, 'playback', promptHangupMs, () => a.remoteHangup(ch, 16));
    if (press) this.farEnd(ch, press.from, press.afterMs ?? 0, () => ch.alive && a.pressDtmf(ch, press.digits, press));
  }

  /** Runs a far-end action `ms` after answer (now) or after the first playback on the call starts. */
  private farEnd(ch: Channel, from: FarEndClock | undefined, ms: number, act: () => void): void {
    const run = (): void => this.asterisk.later(ch, ms, act);
    if (from === 'playback' && !ch.heardPlayback) ch.onFirstPlayback.push(run);
    else run();
  }
}

/** ast_callerid_parse: '"ACME" <5550000>', 'ACME <5550000>', '5550000'. */
export function parseCallerId(text: string): CallerId {
  const m = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: m[1] ?? m[2] ?? '', number: m[3] ?? '' };
  const t = text.trim();
  return /^[+\d*#]+$/.test(t) ? { name: '', number: t } : { name: t, number: '' };
}
