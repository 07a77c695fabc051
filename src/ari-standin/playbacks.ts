// Playback of media on channels (POST /channels/{id}/play, GET/DELETE /playbacks/{id}): each
// channel plays one playback at a time and queues the rest, as a Stasis control's command queue
// does; the 201 answer shows the playback "queued", then PlaybackStarted ("playing"),
// PlaybackContinuing for each further media of a list, and PlaybackFinished ("done") when the
// media ran out, was stopped or the channel went. How long a media plays is data (MediaTiming).

import type { SimAsterisk } from './asterisk';
import type { Channel } from './channel';
import { notFound } from './errors';

export interface MediaTiming {
  /** How long a media plays when `durations` does not name it (default 500 ms). */
  defaultMs?: number;
  /** Media URI ("sound:confirm-call") -> ms. */
  durations?: Readonly<Record<string, number>>;
}

export type PlaybackState = 'queued' | 'playing' | 'continuing' | 'done' | 'failed';

/** The Playback model of playbacks.json. */
export interface PlaybackJson {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: PlaybackState;
}

interface Playback {
  id: string;
  channel: Channel;
  media: string[];
  index: number;
  language: string;
  state: PlaybackState;
  timer: NodeJS.Timeout | null;
}

const DEFAULT_MEDIA_MS = 500;

export class Playbacks {
  private readonly byId = new Map<string, Playback>();
  /** Channel id -> its playbacks, the first one playing. */
  private readonly queues = new Map<string, Playback[]>();
  private seq = 0;

  constructor(
    private readonly asterisk: SimAsterisk,
    private readonly timing: MediaTiming,
  ) {}

  /** Queues a playback on a channel in Stasis; the answer is its JSON in state "queued". */
  play(ch: Channel, media: readonly string[], options: { id?: string; lang?: string } = {}): PlaybackJson {
    const id = options.id ?? `${this.asterisk.startupTime}-pb-${++this.seq}`;
    const pb: Playback = { id, channel: ch, media: [...media], index: 0, language: options.lang ?? 'en', state: 'queued', timer: null };
    this.byId.set(id, pb);
    const queue = this.queues.get(ch.id) ?? [];
    this.queues.set(ch.id, [...queue, pb]);
    const answer = toJson(pb);
    if (queue.length === 0) this.asterisk.later(ch, 0, () => this.begin(pb));
    return answer;
  }

  get(id: string): PlaybackJson {
    return toJson(this.require(id));
  }

  /** DELETE /playbacks/{id}: a playing one finishes ("done") now; a queued one is dropped silently. */
  stop(id: string): void {
    const pb = this.require(id);
    if (pb.state === 'queued') this.drop(pb);
    else this.finish(pb);
  }

  /** The channel left Stasis or went: the playing media stops (PlaybackFinished), the queue is dropped. */
  channelGone(ch: Channel): void {
    const queue = this.queues.get(ch.id) ?? [];
    const [current, ...rest] = queue;
    for (const pb of rest) this.drop(pb);
    if (current && current.state !== 'queued') this.finish(current);
    else if (current) this.drop(current);
    this.queues.delete(ch.id);
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

  private begin(pb: Playback): void {
    if (!pb.channel.alive || !this.byId.has(pb.id)) return;
    pb.state = 'playing';
    this.asterisk.emitFor(pb.channel, 'PlaybackStarted', { playback: toJson(pb) });
    this.schedule(pb);
  }

  private schedule(pb: Playback): void {
    const uri = pb.media[pb.index] ?? '';
    pb.timer = setTimeout(() => {
      pb.timer = null;
      if (pb.index + 1 < pb.media.length) {
        pb.index++;
        pb.state = 'continuing';
        this.asterisk.emitFor(pb.channel, 'PlaybackContinuing', { playback: toJson(pb) });
        this.schedule(pb);
      } else this.finish(pb);
    }, this.timing.durations?.[uri] ?? this.timing.defaultMs ?? DEFAULT_MEDIA_MS);
  }

  private finish(pb: Playback): void {
    if (pb.timer) clearTimeout(pb.timer);
    pb.timer = null;
    pb.state = 'done';
    this.asterisk.emitFor(pb.channel, 'PlaybackFinished', { playback: toJson(pb) });
    this.drop(pb);
    const next = this.queues.get(pb.channel.id)?.[0];
    if (next && next.state === 'queued') this.asterisk.later(pb.channel, 0, () => this.begin(next));
  }

  private drop(pb: Playback): void {
    if (pb.timer) clearTimeout(pb.timer);
    this.byId.delete(pb.id);
    const queue = (this.queues.get(pb.channel.id) ?? []).filter((p) => p !== pb);
    if (queue.length > 0) this.queues.set(pb.channel.id, queue);
    else this.queues.delete(pb.channel.id);
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
    state: pb.state,
  };
}
