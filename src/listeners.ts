// A list of listeners for one kind of event, for emitters that run inside the call path (call
// events, decision timings, job events): adding returns the removal, and emitting never lets a
// listener's throw reach the emitter - it is counted, and handed to `onError` when one is given.
// The list is replaced, not changed in place, so a listener removed during an emit does not make
// the loop skip the next one.

export class Listeners<T> {
  private list: ((event: T) => void)[] = [];
  /** Listeners that threw: counted, never passed on to the emitter. */
  errors = 0;

  constructor(private readonly onError?: (err: unknown) => void) {}

  /** Whether anyone listens: emitters check it before building a payload. */
  get listening(): boolean {
    return this.list.length > 0;
  }

  /** Adds a listener; the returned function removes it. */
  on(listener: (event: T) => void): () => void {
    this.list = [...this.list, listener];
    return () => {
      this.list = this.list.filter((l) => l !== listener);
    };
  }

  emit(event: T): void {
    for (const listener of this.list) {
      try {
        listener(event);
      } catch (err) {
        this.errors++;
        this.onError?.(err);
      }
    }
  }
}
