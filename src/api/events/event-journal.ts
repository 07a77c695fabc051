// The live event stream's memory: the last `capacity` events, each already written out as its
// server-sent-events frame (serialised once, whatever the number of clients), under ids that
// say which run of the supervisor made them (`<boot>.<seq>`), so a client resuming with
// Last-Event-ID after a restart is told to start over instead of being handed the wrong events.
// Subscribers get the frames of one turn of the event loop together, so a client costs one
// socket write per turn, not one per event. Bounded: the ring holds `capacity` frames at most.

export interface StreamEvent {
  /** `<boot>.<seq>`: the SSE id. */
  id: string;
  seq: number;
  type: string;
  /** The whole SSE frame: `id: ...\nevent: ...\ndata: ...\n\n`. */
  frame: string;
}

/** What a resuming client gets: the events after its last one, or a restart (the id is gone). */
export type Resume = { kind: 'events'; events: StreamEvent[] } | { kind: 'reset'; why: string };

export type BatchListener = (events: readonly StreamEvent[]) => void;

export class EventJournal {
  private readonly ring: (StreamEvent | undefined)[];
  private seq = 0;
  private listeners: BatchListener[] = [];
  private batch: StreamEvent[] = [];
  private flushing = false;
  readonly boot: string;

  constructor(readonly capacity: number, now: number = Date.now()) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event journal capacity: expected a positive integer, got ${capacity}`);
    this.ring = new Array<StreamEvent | undefined>(capacity);
    this.boot = now.toString(36);
  }

  /** The id of the newest event (`<boot>.0` before the first). */
  get lastId(): string {
    return `${this.boot}.${this.seq}`;
  }

  /** The sequence number of the newest event (0 before the first). */
  get lastSeq(): number {
    return this.seq;
  }

  append(type: string, data: unknown): StreamEvent {
    const seq = ++this.seq;
    const id = `${this.boot}.${seq}`;
    const event: StreamEvent = { id, seq, type, frame: `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n` };
    this.ring[seq % this.capacity] = event;
    if (this.listeners.length > 0) {
      this.batch.push(event);
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    }
    return event;
  }

  /** The events after `lastEventId`, when this run made it and they are all still held. */
  since(lastEventId: string): Resume {
    const m = /^([0-9a-z]+)\.(\d+)$/.exec(lastEventId.trim());
    if (m === null) return { kind: 'reset', why: `Last-Event-ID "${lastEventId}" is not an id of this stream (<boot>.<number>)` };
    if (m[1] !== this.boot) return { kind: 'reset', why: 'the supervisor restarted since that event' };
    const after = Number(m[2]);
    if (after > this.seq) return { kind: 'reset', why: `event ${lastEventId} was never sent` };
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    if (after + 1 < oldest) return { kind: 'reset', why: `the ${this.seq - after} events since ${lastEventId} are more than the ${this.capacity} kept` };
    const events: StreamEvent[] = [];
    for (let s = after + 1; s <= this.seq; s++) events.push(this.ring[s % this.capacity] as StreamEvent);
    return { kind: 'events', events };
  }

  /** Batches of new events, one per turn of the event loop; the function returned unsubscribes. */
  subscribe(listener: BatchListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get subscribers(): number {
    return this.listeners.length;
  }

  private flush(): void {
    this.flushing = false;
    const batch = this.batch;
    this.batch = [];
    for (const l of this.listeners) l(batch);
  }
}
