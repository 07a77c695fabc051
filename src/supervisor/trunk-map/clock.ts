// The time source of the TrunkMap. Same shape as the sim's SimClock, so a test passes the sim's
// ManualClock and both run in one virtual time; production uses real timers.

export type ClockHandle = { readonly id: number } | NodeJS.Timeout;

export interface TrunkClock {
  now(): number;
  /** `background` timers must not keep the process alive (the hold-down timer is one). */
  setTimer(fn: () => void, ms: number, background: boolean): ClockHandle;
  clearTimer(handle: ClockHandle): void;
}

export const systemClock: TrunkClock = {
  now: () => Date.now(),
  setTimer(fn, ms, background) {
    const t = setTimeout(fn, ms);
    if (background) t.unref();
    return t;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
