// The "stall REST" fault: while closed, REST requests wait (they never get an answer until the
// gate opens again, after a time or on resume), as when Asterisk's HTTP threads are stuck.

export class RestGate {
  private waiting: (() => void)[] = [];
  private closed = false;
  private timer: NodeJS.Timeout | null = null;

  /** Requests held right now. */
  get held(): number {
    return this.waiting.length;
  }

  get stalled(): boolean {
    return this.closed;
  }

  /** Holds every REST request from now on, for `ms` or until resume(). */
  stall(ms?: number): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = ms === undefined ? null : setTimeout(() => this.resume(), ms);
  }

  resume(): void {
    this.closed = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const w = this.waiting;
    this.waiting = [];
    for (const go of w) go();
  }

  pass(): Promise<void> | null {
    if (!this.closed) return null;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Stop: waiting requests are let go (their sockets are closed by the server). */
  dispose(): void {
    this.resume();
  }
}
