// Live recordings (POST /channels/{id}/record, /bridges/{id}/record, /recordings/live/...) as
// res_stasis_recording runs them: the request is checked and the recording registered by name at
// once (201, state "queued"); recording is a command on the control, after its playbacks, and it
// holds the control until it ends. On its turn: a channel in a bridge fails (RecordingFailed,
// cause "Cannot record channel while in bridge"), otherwise the channel is answered if need be,
// RecordingStarted, and the recording runs until stop, maxDurationSeconds, a terminateOn digit,
// cancel (its file deleted) or the channel's hangup - each ends it as RecordingFinished "done"
// with the duration in whole seconds (samples / 8000), and its file is written into the
// recording directory. Paused time is not recorded; muted time is recorded as silence.

import type { SimAsterisk } from './asterisk';
import { SAMPLE_RATE, isRecordingFormat, recordedSamples, type RecordingFormat, type Span } from './audio-file';
import type { Channel } from './channel';
import { AriHttpError, badRequest } from './errors';
import type { PlaybackTarget } from './playbacks';
import type { StoredRecordings } from './stored-recordings';

type State = 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
export type IfExists = 'fail' | 'overwrite' | 'append';
/** terminateOn: none, any digit, or one of * and #. */
export type TerminateOn = 'none' | 'any' | '*' | '#';

export interface RecordRequest {
  name?: string;
  format?: string;
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  ifExists?: string;
  /** Accepted; the beep Asterisk plays first is not in the file. */
  beep?: boolean;
  terminateOn?: string;
}

/** The LiveRecording model of recordings.json. */
export interface LiveRecordingJson {
  name: string;
  format: string;
  state: State;
  target_uri: string;
  duration?: number;
  talking_duration?: number;
  silence_duration?: number;
  cause?: string;
}

export type RecordingOperation = 'cancel' | 'stop' | 'pause' | 'unpause' | 'mute' | 'unmute';

interface Live {
  name: string;
  format: RecordingFormat;
  target: PlaybackTarget;
  /** The channel recorded (null: a bridge's recorder). */
  channel: Channel | null;
  state: State;
  maxDurationMs: number;
  silenceReported: boolean;
  append: boolean;
  terminateOn: TerminateOn;
  /** Recorded ms before the current stretch, and when the current stretch began (null: not running). */
  recordedMs: number;
  runningSince: number | null;
  muted: boolean;
  /** Muted stretches, in recorded ms. */
  mutedSpans: { from: number; to: number | null }[];
  timer: NodeJS.Timeout | null;
  /** Lets the control go on (null until the recording's turn). */
  release: (() => void) | null;
  duration: number | null;
}

/** stasis_app_recording_termination_parse (case-insensitive), undefined for anything else. */
export function parseTerminateOn(value: string | undefined): TerminateOn | undefined {
  const v = (value ?? 'none').toLowerCase();
  return v === '' ? 'none' : v === 'none' || v === 'any' || v === '*' || v === '#' ? v : undefined;
}

/** stasis_app_recording_if_exists_parse (case-insensitive), undefined for anything else. */
export function parseIfExists(value: string | undefined): IfExists | undefined {
  const v = (value ?? 'fail').toLowerCase();
  return v === '' ? 'fail' : v === 'fail' || v === 'overwrite' || v === 'append' ? v : undefined;
}

export class Recordings {
  private readonly byName = new Map<string, Live>();

  constructor(
    private readonly asterisk: SimAsterisk,
    readonly store: StoredRecordings,
  ) {}

  /**
   * POST /channels/{id}/record, checks in ast_ari_channels_record's order: negative limits (400),
   * the channel (404/409/412), terminateOn and ifExists (400), the format (422), then the name:
   * empty (500 "Error parsing request"), leading out of the directory (400), taken - a file with
   * ifExists=fail or a recording in progress - (409).
   */
  recordChannel(channelId: string, req: RecordRequest): LiveRecordingJson {
    if ((req.maxDurationSeconds ?? 0) < 0) throw badRequest('max_duration_seconds cannot be negative');
    if ((req.maxSilenceSeconds ?? 0) < 0) throw badRequest('max_silence_seconds cannot be negative');
    const ch = this.asterisk.controlled(channelId);
    const live = this.register(req, this.asterisk.control(ch), ch);
    this.asterisk.playbacks.hold(live.target, { start: (done) => this.begin(live, done) });
    return toJson(live);
  }

  /**
   * POST /bridges/{id}/record (ast_ari_bridges_record): the format first (422), then terminateOn
   * and ifExists (400), the name as for a channel. A recorder channel of its own joins the
   * bridge (`target`, the bridge's media control): it starts at once, events go to the bridge's
   * audience.
   */
  recordBridge(target: PlaybackTarget, req: RecordRequest): LiveRecordingJson {
    if (!isRecordingFormat(req.format ?? '')) throw unknownFormat();
    const live = this.register(req, target, null);
    this.asterisk.later(null, 0, () => this.begin(live, () => undefined));
    return toJson(live);
  }

  /** GET /recordings/live/{name}: 404 "Recording not found" once it is over. */
  get(name: string): LiveRecordingJson {
    return toJson(this.require(name));
  }

  /** The operations table of stasis_app_recording_operation; 409 "Recording not in session" where it has none. */
  operate(name: string, op: RecordingOperation): void {
    const live = this.require(name);
    if (live.state === 'queued') {
      // recording_disregard: a queued recording stopped or cancelled never records.
      if (op === 'cancel' || op === 'stop') live.state = 'canceled';
      else throw new AriHttpError(409, 'Recording not in session');
      return;
    }
    switch (op) {
      case 'cancel': return this.finish(live, { cancelled: true });
      case 'stop': return this.finish(live, {});
      case 'pause':
        if (live.state === 'recording') {
          this.suspend(live);
          live.state = 'paused';
        }
        return;
      case 'unpause':
        if (live.state === 'paused') {
          live.state = 'recording';
          this.run(live);
        }
        return;
      case 'mute':
      case 'unmute':
        this.setMuted(live, op === 'mute');
    }
  }

  /** A recording of this channel is queued or running (addChannel refuses it: 409). */
  isRecording(ch: Channel): boolean {
    return [...this.byName.values()].some((r) => r.channel === ch);
  }

  /** A digit the far end pressed: recordings of the channel (or its bridge) whose terminateOn takes it end. */
  dtmf(ch: Channel, digit: string): void {
    const bridge = this.asterisk.bridges.bridgeOf(ch);
    for (const live of [...this.byName.values()]) {
      const mine = live.channel === ch || (bridge !== undefined && live.target.uri === `bridge:${bridge.id}`);
      if (!mine || live.state !== 'recording' && live.state !== 'paused') continue;
      if (live.terminateOn === 'any' || live.terminateOn === digit) this.finish(live, {});
    }
  }

  /** The channel is going: a running recording finishes with what it has, a queued one is dropped. */
  channelGone(ch: Channel): void {
    this.targetGone(this.asterisk.control(ch));
  }

  /** A channel or bridge gone: its recordings end (a bridge's recorder is hung up with it). */
  targetGone(target: PlaybackTarget): void {
    for (const live of [...this.byName.values()]) {
      if (live.target.uri !== target.uri) continue;
      if (live.state === 'queued' || live.state === 'canceled') this.forget(live);
      else this.finish(live, {});
    }
  }

  /** Asterisk gone: recordings lost without events or files. */
  clear(): void {
    for (const live of this.byName.values()) if (live.timer) clearTimeout(live.timer);
    this.byName.clear();
  }

  private register(req: RecordRequest, target: PlaybackTarget, channel: Channel | null): Live {
    const terminateOn = parseTerminateOn(req.terminateOn);
    if (!terminateOn) throw badRequest('terminateOn invalid');
    const ifExists = parseIfExists(req.ifExists);
    if (!ifExists) throw badRequest('ifExists invalid');
    const format = req.format ?? '';
    if (!isRecordingFormat(format)) throw unknownFormat();
    const name = req.name ?? '';
    // stasis_app_control_record's EINVAL: no name, or (a bridge's, unchecked before) negative limits.
    if (name === '' || (req.maxDurationSeconds ?? 0) < 0 || (req.maxSilenceSeconds ?? 0) < 0) throw new AriHttpError(500, 'Error parsing request');
    if (this.store.base(name) === null) throw badRequest('Recording name invalid');
    if ((ifExists === 'fail' && this.store.find(name)) || this.byName.has(name)) {
      throw new AriHttpError(409, `Recording '${name}' already exists and can not be overwritten`);
    }
    const live: Live = {
      name, format, target, channel, state: 'queued',
      maxDurationMs: (req.maxDurationSeconds ?? 0) * 1000, silenceReported: (req.maxSilenceSeconds ?? 0) > 0,
      append: ifExists === 'append', terminateOn,
      recordedMs: 0, runningSince: null, muted: false, mutedSpans: [], timer: null, release: null, duration: null,
    };
    this.byName.set(name, live);
    return live;
  }

  /** record_file: its turn on the control. */
  private begin(live: Live, done: () => void): void {
    live.release = done;
    if (this.byName.get(live.name) !== live) return done();
    if (live.state === 'canceled') return this.end(live, 'RecordingFinished');
    const ch = live.channel;
    if (ch && this.asterisk.bridges.bridgeOf(ch)) return this.end(live, 'RecordingFailed', 'Cannot record channel while in bridge');
    // ast_auto_answer: a channel not yet up is answered before recording.
    if (ch && ch.state !== 'Up') this.asterisk.answer(ch);
    live.state = 'recording';
    this.publish(live, 'RecordingStarted');
    this.run(live);
  }

  /** Recording time runs; maxDurationSeconds ends it when the recorded time reaches the limit. */
  private run(live: Live): void {
    live.runningSince = this.asterisk.now();
    if (live.maxDurationMs <= 0) return;
    live.timer = setTimeout(() => {
      live.timer = null;
      this.finish(live, { atLimit: true });
    }, Math.max(0, live.maxDurationMs - live.recordedMs));
  }

  private suspend(live: Live): void {
    if (live.timer) clearTimeout(live.timer);
    live.timer = null;
    live.recordedMs = this.recordedMs(live);
    live.runningSince = null;
  }

  private setMuted(live: Live, muted: boolean): void {
    if (live.muted === muted) return;
    live.muted = muted;
    const at = this.recordedMs(live);
    if (muted) live.mutedSpans.push({ from: at, to: null });
    else {
      const open = live.mutedSpans.at(-1);
      if (open) open.to = at;
    }
  }

  private recordedMs(live: Live): number {
    const running = live.runningSince === null ? 0 : this.asterisk.now() - live.runningSince;
    const total = live.recordedMs + running;
    return live.maxDurationMs > 0 ? Math.min(total, live.maxDurationMs) : total;
  }

  /** The recording ends: its file (unless cancelled), RecordingFinished "done", the control goes on. */
  private finish(live: Live, how: { cancelled?: boolean; atLimit?: boolean }): void {
    if (live.state !== 'recording' && live.state !== 'paused') return;
    this.suspend(live);
    // A timer may fire a millisecond before the wall clock says the limit is reached.
    if (how.atLimit) live.recordedMs = live.maxDurationMs;
    const samples = Math.round((live.recordedMs * SAMPLE_RATE) / 1000);
    live.duration = Math.floor(samples / SAMPLE_RATE);
    if (how.cancelled) this.store.remove(live.name);
    else {
      const muted: Span[] = live.mutedSpans.map((m) => ({ from: msToSamples(m.from), to: msToSamples(m.to ?? live.recordedMs) }));
      this.store.write(live.name, live.format, recordedSamples(samples, muted), live.append);
    }
    // record_file sets COMPLETE once ast_play_and_record returns, whatever ended it (a cancel too).
    this.end(live, 'RecordingFinished');
  }

  private end(live: Live, type: 'RecordingFinished' | 'RecordingFailed', cause?: string): void {
    if (type === 'RecordingFailed') live.state = 'failed';
    else if (live.state !== 'canceled') live.state = 'done';
    this.publish(live, type, cause);
    this.forget(live);
    live.release?.();
  }

  private forget(live: Live): void {
    if (live.timer) clearTimeout(live.timer);
    live.timer = null;
    if (this.byName.get(live.name) === live) this.byName.delete(live.name);
  }

  private publish(live: Live, type: string, cause?: string): void {
    live.target.publish(type, { recording: { ...toJson(live), ...(cause ? { cause } : {}) } });
  }

  private require(name: string): Live {
    const live = this.byName.get(name);
    if (!live) throw new AriHttpError(404, 'Recording not found');
    return live;
  }
}

function msToSamples(ms: number): number {
  return Math.round((ms * SAMPLE_RATE) / 1000);
}

const unknownFormat = (): AriHttpError => new AriHttpError(422, 'specified format is unknown on this system');

/** stasis_app_recording_to_json: duration once known; talking/silence only with maxSilenceSeconds. */
function toJson(live: Live): LiveRecordingJson {
  const json: LiveRecordingJson = { name: live.name, format: live.format, state: live.state, target_uri: live.target.uri };
  if (live.duration !== null) {
    json.duration = live.duration;
    // The far end talks all the time (the tone of the file): no silence is detected.
    if (live.silenceReported) {
      json.talking_duration = live.duration;
      json.silence_duration = 0;
    }
  }
  return json;
}
