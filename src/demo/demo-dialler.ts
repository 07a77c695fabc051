// The demo's outbound side: on simulated cards with the built-in stand-in, a loop that stands
// in for the job queues and asks the OutboundCalls service for a call every few seconds, so
// `tdmgate supervise --backend sim` shows outbound attempts, hunting and their CDRs beside the
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

export function startDemoDialler(
  originate: (request: unknown) => Promise<{ outcome: string; attempts: unknown[] }>,
  options: { callsPerMinute: number; group: string; target: string; timeoutSeconds: number; logger: TrunkMapLogger },
): DemoDialler {
  let n = 0;
  const timer = setInterval(() => {
    n++;
    const number = DEMO_NUMBERS[n % DEMO_NUMBERS.length] as string;
    originate({ group: options.group, number, target: options.target, timeoutSeconds: options.timeoutSeconds, reference: `demo-${n}` }).catch((err: unknown) =>
      options.logger.warn({ err: err instanceof Error ? err.message : String(err), number }, 'demo outbound call not placed'),
    );
  }, 60_000 / options.callsPerMinute);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
