// Bounded waiting on state for the end-to-end tests: polls a probe until it yields a value, or
// fails naming what it waited for. Tests wait on state with a bound, never on a fixed sleep.

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    // A probe that throws (a file not there yet, a refused connection) is "not yet".
    const v = await Promise.resolve().then(probe).catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
