// The legs the engine tracks, by ARI channel id, in the shape reconciliation reads: open legs
// with the order they were tracked in, and the ids of ended ones remembered for a while, so
// late or repeated events (and listings) never reopen them.

/** What reconciliation reads of the tracked legs. */
export interface TrackedView {
  /** Rises with every call tracked: the mark taken before the channel list is asked for. */
  readonly trackingSeq: number;
  /** Ids of calls tracked at or before `seq` that are still open. */
  trackedSince(seq: number): string[];
  isTracked(id: string): boolean;
  isFinished(id: string): boolean;
}

/** Ids of closed calls remembered; the oldest are forgotten first. */
const FINISHED_MEMORY = 10_000;

export class TrackedCalls<T extends { id: string }> implements TrackedView {
  private readonly open = new Map<string, { call: T; seq: number }>();
  private readonly finished = new Set<string>();
  private seq = 0;

  get size(): number {
    return this.open.size;
  }

  get trackingSeq(): number {
    return this.seq;
  }

  add(call: T): T {
    this.open.set(call.id, { call, seq: ++this.seq });
    return call;
  }

  get(id: string): T | undefined {
    return this.open.get(id)?.call;
  }

  isTracked(id: string): boolean {
    return this.open.has(id);
  }

  isFinished(id: string): boolean {
    return this.finished.has(id);
  }

  /** The call ended: no longer open, remembered as finished. */
  close(id: string): void {
    this.open.delete(id);
    this.finished.add(id);
    if (this.finished.size > FINISHED_MEMORY) this.finished.delete(this.finished.values().next().value as string);
  }

  /** Not ours after all (a pseudo channel): dropped without a memory of it. */
  drop(id: string): void {
    this.open.delete(id);
  }

  all(): T[] {
    return [...this.open.values()].map((e) => e.call);
  }

  trackedSince(seq: number): string[] {
    return [...this.open.values()].filter((e) => e.seq <= seq).map((e) => e.call.id);
  }
}
