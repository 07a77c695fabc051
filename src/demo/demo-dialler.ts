// The demo's outbound side: on simulated cards with the built-in stand-in, a loop that plays a
// CRM asking for a call every few seconds - a call job on the queues when Redis is there (the
// dispatcher then dials it), else straight from the outbound service - so
// `tdmgate supervise --backend sim` shows jobs, attempts, hunting and their CDRs beside the
// inbound traffic. The far end's answers come from the stand-in's dial mix (DEMO_DIAL_MIX).

import type { DialScriptOptions } from './ari-standin';
import type { TrunkMapLogger } from '../supervisor/trunk-map';

/**
 * Mostly answered with a talk time, some busy, unanswered and congested: what a campaign meets.
 * Of the answers to a notification's prompt, some confirm with 1, some press nothing, one in
 * six hangs up on the prompt (calls sent to a target play no prompt: they just talk).
 */
export const DEMO_DIAL_MIX: DialScriptOptions = {
  default: {
    mix: [
      { weight: 3, outcome: { kind: 'answer', afterMs: 4000, ringMs: 1500, talkMs: 25_000, press: { digits: '1', afterMs: 2500, from: 'playback' } } },
      { weight: 2, outcome: { kind: 'answer', afterMs: 4000, ringMs: 1500, talkMs: 25_000 } },
      { weight: 1, outcome: { kind: 'answer', afterMs: 4000, ringMs: 1500, talkMs: 25_000, promptHangupMs: 1200 } },
      { weight: 2, outcome: { kind: 'busy', afterMs: 2000 } },
      { weight: 1, outcome: { kind: 'noanswer', ringMs: 1500 } },
      { weight: 1, outcome: { kind: 'congestion', afterMs: 300 } },
    ],
  },
};

/** German numbers of the demo site's numbering, in the forms agents and CRMs type them. */
const DEMO_NUMBERS = ['030 1234567', '+49 40 7654321', '0171 2345678', '069 555 0100', '0049 89 1234567'];

export interface DemoDialler {
  stop(): void;
}

/** Where a demo call goes: the job queues' add, or the outbound service's originate. */
export type PlaceCall = (request: { group: string; number: string; target: string; timeoutSeconds: number }) => Promise<unknown>;

export function startDemoDialler(
  place: PlaceCall,
  options: { callsPerMinute: number; group: string; target: string; timeoutSeconds: number; logger: TrunkMapLogger },
): DemoDialler {
  let n = 0;
  const timer = setInterval(() => {
    n++;
    const number = DEMO_NUMBERS[n % DEMO_NUMBERS.length] as string;
    place({ group: options.group, number, target: options.target, timeoutSeconds: options.timeoutSeconds }).catch((err: unknown) =>
      options.logger.warn({ err: err instanceof Error ? err.message : String(err), number }, 'demo outbound call not placed'),
    );
  }, 60_000 / options.callsPerMinute);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
