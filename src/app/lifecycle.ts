// Start in order, stop in reverse: each piece the composition root starts registers how it
// stops, so a start that fails half-way undoes exactly what it did, and a clean stop closes
// the users of a thing before the thing (the call handlers before ARI, the sink before its
// database). A stop that fails is reported and the rest still stop.

export interface StopFailure {
  name: string;
  err: unknown;
}

export class Lifecycle {
  private readonly stops: { name: string; stop: () => Promise<unknown> | void }[] = [];

  /** Registers how the piece just started stops. */
  started(name: string, stop: () => Promise<unknown> | void): void {
    this.stops.push({ name, stop });
  }

  /** Stops everything registered, last first; resolves with what failed to stop. */
  async stopAll(): Promise<StopFailure[]> {
    const failures: StopFailure[] = [];
    for (const { name, stop } of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        failures.push({ name, err });
      }
    }
    return failures;
  }
}
