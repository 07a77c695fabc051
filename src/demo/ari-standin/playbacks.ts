// Playback of media on channels (POST /channels/{id}/play, GET/DELETE /playbacks/{id}) as
// res_stasis_playback runs it: each play is a command on the channel's Stasis control, run one
// after another (so a continue asked for during a playback waits for it); the 201 answer shows
// the playback "queued"; each media of the list gives PlaybackStarted ("playing") and, unless it
// is the last, PlaybackContinuing; the end gives PlaybackFinished - "done" when the media ran out
// or was stopped, "failed" when the channel hung up under it. A playback stopped while queued
// is cancelled: it says PlaybackFinished ("done") when its turn comes. How long a media plays is
// data (MediaTiming).

import { randomUUID } from 'node:crypto';
import type { SimAsterisk } from './asterisk';
import type { Channel } from './channel';
import { notFound } from './errors';

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
  id: string;
  channel: Channel;
  media: string[];
  index: number;
  language: string;
  state: InternalState;
  timer: NodeJS.Timeout | null;
}

const DEFAULT_MEDIA_MS = 500;

export class Playbacks {
  private readonly byId = new Map<string, Playback>();
  /** Channel id -> its control's pending work: playbacks (the first one running) and deferred commands. */
  private readonly queues = new Map<string, (Playback | (() => void))[]>();

  constructor(
    private readonly asterisk: SimAsterisk,
    private readonly timing: MediaTiming,
  ) {}

  /** Queues a playback on a channel in Stasis; the answer is its JSON in state "queued". */
  play(ch: Channel, media: readonly string[], options: { id?: string; lang?: string } = {}): PlaybackJson {
    const pb: Playback = { id: options.id ?? randomUUID(), channel: ch, media: [...media], index: 0, language: options.lang ?? 'en', state: 'queued', timer: null };
    this.byId.set(pb.id, pb);
    this.enqueue(ch, pb);
    return toJson(pb);
  }

  /** Runs `command` once the channel's earlier playbacks are over (a command queued on the control). */
  afterPlaybacks(ch: Channel, command: () => void): void {
    if ((this.queues.get(ch.id) ?? []).length === 0) command();
    else this.enqueue(ch, command);
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

  /** The channel is going: the running playback fails, queued work never runs. */
  channelGone(ch: Channel): void {
    const queue = this.queues.get(ch.id) ?? [];
    this.queues.delete(ch.id);
    const [current] = queue;
    if (current && typeof current !== 'function' && current.state === 'playing') this.finish(current, 'failed');
    for (const item of queue) if (typeof item !== 'function') this.forget(item);
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

  private enqueue(ch: Channel, item: Playback | (() => void)): void {
    const queue = this.queues.get(ch.id) ?? [];
    queue.push(item);
    this.queues.set(ch.id, queue);
    if (queue.length === 1) this.asterisk.later(ch, 0, () => this.runHead(ch));
  }

  private runHead(ch: Channel): void {
    const head = this.queues.get(ch.id)?.[0];
    if (!head || !ch.alive) return;
    if (typeof head === 'function') {
      this.shift(ch);
      head();
      return;
    }
    if (head.state === 'canceled') return this.finish(head, 'canceled');
    this.startMedia(head);
  }

  /** playback_first_update: "playing" with this media (PlaybackStarted). */
  private startMedia(pb: Playback): void {
    pb.state = 'playing';
    this.publish(pb);
    // The far end's scripted reaction to the prompt (dial-script `from: 'playback'`) starts now.
    if (!pb.channel.heardPlayback) {
      pb.channel.heardPlayback = true;
      for (const react of pb.channel.onFirstPlayback.splice(0)) react();
    }
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
    if (this.queues.get(pb.channel.id)?.[0] === pb) {
      this.shift(pb.channel);
      if ((this.queues.get(pb.channel.id) ?? []).length > 0) this.asterisk.later(pb.channel, 0, () => this.runHead(pb.channel));
    }
  }

  private shift(ch: Channel): void {
    const queue = this.queues.get(ch.id) ?? [];
    queue.shift();
    if (queue.length === 0) this.queues.delete(ch.id);
  }

  private forget(pb: Playback): void {
    if (pb.timer) clearTimeout(pb.timer);
    this.byId.delete(pb.id);
  }

  private publish(pb: Playback): void {
    const type = pb.state === 'playing' ? 'PlaybackStarted' : pb.state === 'continuing' ? 'PlaybackContinuing' : 'PlaybackFinished';
    this.asterisk.emitFor(pb.channel, type, { playback: toJson(pb) });
  }
}

function toJson(pb: Playback): PlaybackJson {
  const next = pb.media[pb.index + 1];
  return {
    id: pb.id,
    media_uri: pb.media[pb.index] ?? '',
    ...(next !== undefined ? { next_media_uri: next } : {}),
    target_uri: `channel:${pb.channel.id}`,
    language: pb.language,
    state: STATE_TEXT[pb.state],
  };
}
