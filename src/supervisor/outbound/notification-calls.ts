// The I/O edge of notification calls: an answered outbound leg with a prompt stays in our Stasis
// app, and this carries out what notification-steps.ts decides - POST /channels/{id}/play with a
// playback id we choose (`<channel id>-play-<n>`, so PlaybackFinished finds its play), one timer
// for the wait for a digit, the hangup (cause 16) - and feeds it the leg's events: PlaybackFinished,
// ChannelDtmfReceived, the far end's ChannelHangupRequest, the channel's end.

import { isTransientAriError } from '../ari/ari-errors';
import type { SupervisorEvent } from '../ari/ari-events';
import type { Leg } from '../calls/leg';
import type { TrunkMapLogger } from '../trunk-map';
import { NOTIFICATION_START, notificationStep, type NotificationInput, type NotificationProgress, type PromptPlan } from './notification-steps';

/** What notifications need of the ARI adapter. */
export interface NotificationAri {
  play(channelId: string, media: readonly string[], playbackId: string): Promise<void>;
  hangup(channelId: string, cause: number): Promise<void>;
}

/** A notification leg's own state (OutboundData.notification). */
export interface NotificationState {
  plan: PromptPlan;
  progress: NotificationProgress;
  /** The wait for a digit; null when not waiting. */
  timer: NodeJS.Timeout | null;
}

export function newNotification(plan: PromptPlan): NotificationState {
  return { plan, progress: NOTIFICATION_START, timer: null };
}

type NotificationLeg = Leg<{ callId: string; notification: NotificationState | null }>;

/** Q.850 16, normal clearing: the notification is over, as a person would hang up. */
const NORMAL_CLEARING = 16;

export class NotificationCalls {
  constructor(
    private readonly ari: NotificationAri,
    private readonly log: TrunkMapLogger,
  ) {}

  /** Answered and in our app: the first play. */
  start(leg: NotificationLeg): void {
    this.feed(leg, { kind: 'start' });
  }

  /** ARI is back and the channel still in our app: play again (or hang up again when over). */
  resume(leg: NotificationLeg): void {
    this.feed(leg, { kind: 'resume' });
  }

  event(leg: NotificationLeg, e: SupervisorEvent): void {
    const input = inputOf(leg.id, e);
    if (input !== null) this.feed(leg, input);
  }

  /** The channel is gone: the notification ends here if it had not (its timer with it). */
  gone(leg: NotificationLeg): void {
    this.feed(leg, { kind: 'gone' });
  }

  private feed(leg: NotificationLeg, input: NotificationInput): void {
    const n = leg.data.notification;
    if (!n) return;
    const wasOver = n.progress.phase === 'over';
    const { progress, action } = notificationStep(n.plan, n.progress, input);
    n.progress = progress;
    if (progress.phase !== 'waiting' && n.timer) {
      clearTimeout(n.timer);
      n.timer = null;
    }
    if (progress.phase === 'over' && !wasOver) {
      this.log.info({ call: leg.data.callId, channelId: leg.id, end: progress.end, digit: progress.digit, plays: progress.plays, played: progress.played }, 'notification over');
    }
    switch (action.kind) {
      case 'play':
        void this.play(leg, action.play);
        return;
      case 'wait-digit':
        n.timer = setTimeout(() => {
          n.timer = null;
          this.feed(leg, { kind: 'timeout' });
        }, action.ms);
        n.timer.unref();
        return;
      case 'hangup':
        void this.hangup(leg);
        return;
      case 'none':
        return;
    }
  }

  private async play(leg: NotificationLeg, play: number): Promise<void> {
    const n = leg.data.notification;
    if (!n) return;
    try {
      await this.ari.play(leg.id, n.plan.media, playbackIdOf(leg.id, play));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      // ARI away: reconciliation after the reconnect finds the channel in our app and resumes.
      if (isTransientAriError(err)) {
        this.log.warn({ call: leg.data.callId, channelId: leg.id, reason }, 'notification prompt not played yet: resumed after the reconnect');
        return;
      }
      this.log.warn({ call: leg.data.callId, channelId: leg.id, reason }, 'notification prompt refused by Asterisk');
      this.feed(leg, { kind: 'play-refused' });
    }
  }

  private async hangup(leg: NotificationLeg): Promise<void> {
    try {
      await this.ari.hangup(leg.id, NORMAL_CLEARING);
    } catch (err) {
      // ARI away: reconciliation's resume hangs it up again, or closes it if it is gone.
      this.log.warn({ call: leg.data.callId, channelId: leg.id, err: err instanceof Error ? err.message : String(err) }, 'notification hangup refused: retried after the reconnect');
    }
  }
}

export function playbackIdOf(channelId: string, play: number): string {
  return `${channelId}-play-${play}`;
}

/** The step input an event of the leg is, or null for events a notification does not read. */
function inputOf(channelId: string, e: SupervisorEvent): NotificationInput | null {
  switch (e.type) {
    case 'PlaybackFinished': {
      const prefix = playbackIdOf(channelId, 0).slice(0, -1);
      if (!e.playbackId.startsWith(prefix)) return null;
      return { kind: 'playback-finished', play: Number(e.playbackId.slice(prefix.length)), ok: e.state === 'done' };
    }
    case 'ChannelDtmfReceived':
      return { kind: 'dtmf', digit: e.digit };
    case 'ChannelHangupRequest':
      // soft: Asterisk's own hangup (ours by REST, or a shutdown), not the far end.
      return e.soft ? null : { kind: 'far-end-hangup' };
    default:
      return null;
  }
}
