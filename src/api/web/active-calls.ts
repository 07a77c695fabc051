// The calls up now, as the status page shows them on hover: who calls whom on which timeslot,
// since when, answered or not. Kept from the call-leg engine's ring / answer / hang-up events
// from the supervisor's start, so a page that connects mid-call still gets the numbers in its
// snapshot. Calls adopted from Asterisk after a restart emit no ring and are not listed; their
// timeslot still shows its state and direction from the TrunkMap.

import type { CallEvent } from '../../supervisor/calls/call-events';

export interface ActiveCall {
  /** The leg's Asterisk channel id: one per timeslot in use. */
  channelId: string;
  callId: string;
  direction: 'inbound' | 'outbound';
  span: number | null;
  timeslot: number | null;
  group: string;
  caller: string;
  called: string;
  target: string;
  /** Epoch ms of the ring, and of the answer (null while ringing). */
  ringAt: number;
  answerAt: number | null;
}

export class ActiveCalls {
  private readonly calls = new Map<string, ActiveCall>();

  /** Applies one call event (the engine's listener: cheap, never throws). */
  apply(e: CallEvent): void {
    if (e.kind === 'hangup') {
      this.calls.delete(e.channelId);
      return;
    }
    const known = this.calls.get(e.channelId);
    if (e.kind === 'answer' && known) {
      known.answerAt = e.at.getTime();
      return;
    }
    this.calls.set(e.channelId, {
      channelId: e.channelId, callId: e.callId, direction: e.direction, span: e.span, timeslot: e.timeslot, group: e.group,
      caller: e.caller, called: e.called, target: e.target, ringAt: e.at.getTime(), answerAt: e.kind === 'answer' ? e.at.getTime() : null,
    });
  }

  list(): ActiveCall[] {
    return [...this.calls.values()].map((c) => ({ ...c }));
  }
}
