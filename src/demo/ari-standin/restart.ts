// `core restart now` as Asterisk 22.10.1 goes through it, seen from ARI: channels soft-hung up
// (cause 4) and destroyed at once, then the HTTP core refusing with 503 "Shutdown in progress"
// while the events sockets are still open, the sockets cut (1006), connections refused while
// the process is gone, then 404 before res_ari is loaded, 503 "Asterisk not booted", and up.
// The order is fixed; how long each phase lasts is data (tests use short ones).

import type { Availability } from './http-server';

export interface RestartPhases {
  /** From the command to the channels' hangup (real: within ~25 ms). */
  hangupMs: number;
  /** Channels gone, REST still answering, until the HTTP core refuses (real: ~150 ms in). */
  drainMs: number;
  /** 503 "Shutdown in progress" with the sockets open, until they are cut (real: ~1.2 s in). */
  shutdownMs: number;
  /** Connections refused. */
  refusedMs: number;
  /** Listening, res_ari not loaded: 404 text/html. */
  notFoundMs: number;
  /** 503 {"message":"Asterisk not booted"}; then up (real: ~1.7 s in all). */
  notBootedMs: number;
}

export const ASTERISK_RESTART_PHASES: Readonly<RestartPhases> = { hangupMs: 10, drainMs: 140, shutdownMs: 1050, refusedMs: 200, notFoundMs: 150, notBootedMs: 150 };

/** What the sequence drives; AriStandin wires it to its server, hub and simulated Asterisk. */
export interface RestartTarget {
  hangupAll(): void;
  setAvailability(a: Availability): void;
  /** Cuts the events sockets without a close frame and stops listening. */
  goDown(): Promise<void>;
  /** Listening again on the same port, channels and timers of the old process gone. */
  comeBack(): Promise<void>;
}

type Step = { wait: keyof RestartPhases; run: (t: RestartTarget) => void | Promise<void> };

/** The phases in Asterisk's order: each step runs after its phase's wait. */
const STEPS: readonly Step[] = [
  { wait: 'hangupMs', run: (t) => t.hangupAll() },
  { wait: 'drainMs', run: (t) => t.setAvailability('shutting-down') },
  { wait: 'shutdownMs', run: (t) => t.goDown() },
  { wait: 'refusedMs', run: async (t) => {
    t.setAvailability('no-ari');
    await t.comeBack();
  } },
  { wait: 'notFoundMs', run: (t) => t.setAvailability('not-booted') },
  { wait: 'notBootedMs', run: (t) => t.setAvailability('up') },
];

export async function runRestart(target: RestartTarget, phases: Partial<RestartPhases> = {}, sleep: (ms: number) => Promise<void> = defaultSleep): Promise<void> {
  const p = { ...ASTERISK_RESTART_PHASES, ...phases };
  for (const step of STEPS) {
    await sleep(p[step.wait]);
    await step.run(target);
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
