// Playback of media on channels and bridges (POST /channels/{id}/play, /bridges/{id}/play,
// GET/DELETE /playbacks/{id}) as res_stasis_playback runs it: each play is a command on a Stasis
// control - the channel's, or the bridge's announcer channel's - run one after another with the
// control's other commands (so a continue asked for during a playback waits for it, and a
// recording holds the control until it ends: HeldCommand); the 201 answer shows
// the playback "queued"; each media of the list gives PlaybackStarted ("playing") and, unless it
// is the last, PlaybackContinuing; the end gives PlaybackFinished - "done" when the media ran out
// or was stopped, "failed" when the channel hung up under it. A playback stopped while queued
// is cancelled: it says PlaybackFinished ("done") when its turn comes. How long a media plays is
// data (MediaTiming).

import { randomUUID } from 'node:crypto';
import { notFound } from './errors';

/**
 * What a playback plays to: a channel in Stasis, or a bridge's announcer. `key` names its
 * control (one queue per key); events go to whoever sees the channel's or the bridge's topic.
 */
export interface PlaybackTarget {
  readonly key: string;
  /** "channel:<id>" or "bridge:<id>" (the Playback model's target_uri). */
  readonly uri: string;
  readonly alive: boolean;
  publish(type: string, fields: Record<string, unknown>): void;
  /** Runs fn after ms on the target's clock (timers that die with a channel). */
  later(ms: number, fn: () => void): void;
  /** The first PlaybackStarted on the target: a channel's far end has heard a prompt. */
  heard(): void;
}

/** A command that holds the control until it calls done (a recording: record_file blocks it). */
export interface HeldCommand {
  start(done: () => void): void;
}

type ControlItem = Playback | (() => void) | HeldCommand;

export interface MediaTiming {
  /** How long a media plays when `durations` does not name it (default 500 ms). */
  defaultMs?: number;
  /** Media URI ("sound:confirm-call") -> ms. */
  durations?: Readonly<Record<string, number>>;
}

/** stasis_app_playback's states; STOPPED, COMPLETE and CANCELED all print as "done". */
type InternalState = 'queued' | 'playing' | 'continuing' | 'stopped' | 'complete' | 'canceled' | 'failed';
const STATE_TEXT: Readonly<Record<InternalState, string>> = {
  queued: 'queued', playing: 'playing', continuing: 'continuing', stopped: 'done', complete: 'done', canceled: 'done', failed: 'failed',
};

/** The Playback model of playbacks.json. */
export interface PlaybackJson {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: string;
}

interface Playback {
  kind: 'playback';
  id: string;
  target: PlaybackTarget;
  media: string[];
  index: number;
  language: string;
  state: InternalState;
  timer: NodeJS.Timeout | null;
}

const DEFAULT_MEDIA_MS = 500;

export class Playbacks {
  private readonly byId = new Map<string, Playback>();
  /** Control key -> its pending work: playbacks, deferred and held commands (the first one running). */
  private readonly queues = new Map<string, ControlItem[]>();

  constructor(private readonly timing: MediaTiming) {}

  /** Queues a playback on a target's control; the answer is its JSON in state "queued". */
  play(target: PlaybackTarget, media: readonly string[], options: { id?: string; lang?: string } = {}): PlaybackJson {
    const pb: Playback = { kind: 'playback', id: options.id ?? randomUUID(), target, media: [...media], index: 0, language: options.lang ?? 'en', state: 'queued', timer: null };
    this.byId.set(pb.id, pb);
    this.enqueue(target, pb);
    return toJson(pb);
  }

  /** Runs `command` once the control's earlier work is over (a command queued on the control). */
  afterPlaybacks(target: PlaybackTarget, command: () => void): void {
    if ((this.queues.get(target.key) ?? []).length === 0) command();
    else this.enqueue(target, command);
  }

  /** Queues a command that keeps the control busy until it calls done. */
  hold(target: PlaybackTarget, command: HeldCommand): void {
    this.enqueue(target, command);
  }

  get(id: string): PlaybackJson {
    return toJson(this.require(id));
  }

  /** DELETE /playbacks/{id}: a running one stops ("done"); a queued one is cancelled. */
  stop(id: string): void {
    const pb = this.require(id);
    if (pb.state === 'queued') pb.state = 'canceled';
    else if (pb.state === 'playing' || pb.state === 'continuing') this.finish(pb, 'stopped');
  }

  /** The channel (or bridge) is going: the running playback fails, queued work never runs. */
  targetGone(target: PlaybackTarget): void {
    const queue = this.queues.get(target.key) ?? [];
    this.queues.delete(target.key);
    const [current] = queue;
    if (current && isPlayback(current) && current.state === 'playing') this.finish(current, 'failed');
    for (const item of queue) if (isPlayback(item)) this.forget(item);
  }

  clear(): void {
    for (const pb of this.byId.values()) if (pb.timer) clearTimeout(pb.timer);
    this.byId.clear();
    this.queues.clear();
  }

  private require(id: string): Playback {
    const pb = this.byId.get(id);
    if (!pb) throw notFound('Playback not found');
    return pb;
  }

  private enqueue(target: PlaybackTarget, item: ControlItem): void {
    const queue = this.queues.get(target.key) ?? [];
    queue.push(item);
    this.queues.set(target.key, queue);
    if (queue.length === 1) target.later(0, () => this.runHead(target));
  }

  private runHead(target: PlaybackTarget): void {
    const head = this.queues.get(target.key)?.[0];
    if (!head || !target.alive) return;
    if (typeof head === 'function') {
      this.shift(target);
      // Work queued after the command goes on; work the command queues starts by itself.
      const more = (this.queues.get(target.key) ?? []).length > 0;
      head();
      if (more) this.next(target);
      return;
    }
    if (!isPlayback(head)) {
      // The command ends when it says so; only then does the control go on.
      head.start(() => {
        if (this.queues.get(target.key)?.[0] !== head) return;
        this.shift(target);
        this.next(target);
      });
      return;
    }
    if (head.state === 'canceled') return this.finish(head, 'canceled');
    this.startMedia(head);
  }

  /** The control goes on with its next item, if any. */
  private next(target: PlaybackTarget): void {
    if ((this.queues.get(target.key) ?? []).length > 0) target.later(0, () => this.runHead(target));
  }

  /** playback_first_update: "playing" with this media (PlaybackStarted). */
  private startMedia(pb: Playback): void {
    pb.state = 'playing';
    this.publish(pb);
    // The far end's scripted reaction to the prompt (dial-script `from: 'playback'`) starts now.
    pb.target.heard();
    const uri = pb.media[pb.index] ?? '';
    pb.timer = setTimeout(() => {
      pb.timer = null;
      if (pb.index + 1 >= pb.media.length) return this.finish(pb, 'complete');
      // playback_final_update: "continuing" for a media that is not the last, then the next one.
      pb.state = 'continuing';
      this.publish(pb);
      pb.index++;
      this.startMedia(pb);
    }, this.timing.durations?.[uri] ?? this.timing.defaultMs ?? DEFAULT_MEDIA_MS);
  }

  /** PlaybackFinished, then the control goes on with its next command. */
  private finish(pb: Playback, state: 'complete' | 'stopped' | 'canceled' | 'failed'): void {
    if (pb.timer) clearTimeout(pb.timer);
    pb.timer = null;
    pb.state = state;
    this.publish(pb);
    this.forget(pb);
    if (this.queues.get(pb.target.key)?.[0] === pb) {
      this.shift(pb.target);
      this.next(pb.target);
    }
  }

  private shift(target: PlaybackTarget): void {
    const queue = this.queues.get(target.key) ?? [];
    queue.shift();
    if (queue.length === 0) this.queues.delete(target.key);
  }

  private forget(pb: Playback): void {
    if (pb.timer) clearTimeout(pb.timer);
    this.byId.delete(pb.id);
  }

  private publish(pb: Playback): void {
    const type = pb.state === 'playing' ? 'PlaybackStarted' : pb.state === 'continuing' ? 'PlaybackContinuing' : 'PlaybackFinished';
    pb.target.publish(type, { playback: toJson(pb) });
  }
}

function isPlayback(item: ControlItem): item is Playback {
  return typeof item !== 'function' && 'kind' in item;
}

function toJson(pb: Playback): PlaybackJson {
  const next = pb.media[pb.index + 1];
  return {
    id: pb.id,
    media_uri: pb.media[pb.index] ?? '',
    ...(next !== undefined ? { next_media_uri: next } : {}),
    target_uri: pb.target.uri,
    language: pb.language,
    state: STATE_TEXT[pb.state],
  };
}
