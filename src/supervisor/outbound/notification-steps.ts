// A notification call's decisions, as a pure step function: what to do next when the answered
// channel is in our Stasis app and something happens - a playback of the prompt finished, the far
// end pressed a digit, the wait for a digit ran out, the far end hung up. No ARI, no timers: the
// caller (notification-calls.ts) carries out the one action a step returns. Digits pressed while
// the prompt still plays count (a listener who knows the message may answer early); digits not
// in the allowed set are ignored; a wait that runs out replays the prompt up to `repeat` times.

/** The prompt of a notification request, as checked (request.ts). */
export interface PromptPlan {
  /** ARI media URIs played in order (sound:, recording:, digits:, number:). */
  media: string[];
  /** Wait for one of these digits after each play; null = play once and hang up. */
  confirm: { digits: string; timeoutSeconds: number; repeat: number } | null;
}

/**
 * How a notification ended: confirmed (an allowed digit), played (no confirmation asked),
 * no-digit (every play waited out), far-end-hangup (the called party hung up first),
 * interrupted (the channel went without a far-end clear: span alarm, Asterisk restart),
 * failed (Asterisk could not play the prompt).
 */
export type NotificationEnd = 'confirmed' | 'played' | 'no-digit' | 'far-end-hangup' | 'interrupted' | 'failed';

export interface NotificationProgress {
  phase: 'playing' | 'waiting' | 'over';
  /** Plays started so far (the first, replays, and a replay after an ARI reconnect). */
  plays: number;
  /** Waits for a digit that ran out (each one replays the prompt while `repeat` allows). */
  timeouts: number;
  /** The prompt played to its end at least once. */
  played: boolean;
  digit: string | null;
  /** Allowed-set misses, in order (for the record). */
  ignored: string;
  end: NotificationEnd | null;
}

export type NotificationInput =
  /** Answered and in our Stasis app. */
  | { kind: 'start' }
  /** ARI is back after being away: where the prompt got to is unknown, so it is played again. */
  | { kind: 'resume' }
  /** PlaybackFinished of play number `play`; ok = state "done" (failed: not played). */
  | { kind: 'playback-finished'; play: number; ok: boolean }
  | { kind: 'dtmf'; digit: string }
  | { kind: 'timeout' }
  /** Asterisk refused the play (the channel is gone or not in Stasis). */
  | { kind: 'play-refused' }
  /** ChannelHangupRequest from the far end (a Q.850 clear, not Asterisk's soft hangup). */
  | { kind: 'far-end-hangup' }
  /** The channel is gone. */
  | { kind: 'gone' };

export type NotificationAction =
  | { kind: 'none' }
  /** Play the prompt as play number `play` (its playback id names the number). */
  | { kind: 'play'; play: number }
  | { kind: 'wait-digit'; ms: number }
  /** Normal clearing (Q.850 16): the notification is over. */
  | { kind: 'hangup' };

export const NOTIFICATION_START: NotificationProgress = { phase: 'playing', plays: 0, timeouts: 0, played: false, digit: null, ignored: '', end: null };

const NONE: NotificationAction = { kind: 'none' };

export function notificationStep(plan: PromptPlan, p: NotificationProgress, input: NotificationInput): { progress: NotificationProgress; action: NotificationAction } {
  if (p.phase === 'over') {
    // Still in our app after a reconnect: the hangup we sent may have been lost with ARI.
    const again = input.kind === 'resume' && p.end !== 'far-end-hangup' && p.end !== 'interrupted';
    return { progress: p, action: again ? { kind: 'hangup' } : NONE };
  }
  const over = (end: NotificationEnd, extra: Partial<NotificationProgress> = {}): { progress: NotificationProgress; action: NotificationAction } => ({
    progress: { ...p, ...extra, phase: 'over', end },
    action: end === 'far-end-hangup' || end === 'interrupted' ? NONE : { kind: 'hangup' },
  });
  const play = (extra: Partial<NotificationProgress> = {}): { progress: NotificationProgress; action: NotificationAction } => ({
    progress: { ...p, ...extra, phase: 'playing', plays: p.plays + 1 },
    action: { kind: 'play', play: p.plays + 1 },
  });
  switch (input.kind) {
    case 'start':
      return p.plays === 0 ? play() : { progress: p, action: NONE };
    case 'resume':
      return play();
    case 'playback-finished':
      // Only the play running now counts: an earlier one (replaced after a reconnect) does not.
      if (p.phase !== 'playing' || input.play !== p.plays) return { progress: p, action: NONE };
      if (!input.ok) return over('failed');
      if (plan.confirm === null) return over('played', { played: true });
      return { progress: { ...p, phase: 'waiting', played: true }, action: { kind: 'wait-digit', ms: plan.confirm.timeoutSeconds * 1000 } };
    case 'dtmf':
      if (plan.confirm === null) return { progress: p, action: NONE };
      if (!plan.confirm.digits.includes(input.digit)) return { progress: { ...p, ignored: p.ignored + input.digit }, action: NONE };
      return over('confirmed', { digit: input.digit });
    case 'timeout':
      if (p.phase !== 'waiting' || plan.confirm === null) return { progress: p, action: NONE };
      if (p.timeouts < plan.confirm.repeat) return play({ timeouts: p.timeouts + 1 });
      return over('no-digit', { timeouts: p.timeouts + 1 });
    case 'play-refused':
      return over('failed');
    case 'far-end-hangup':
      return over('far-end-hangup');
    case 'gone':
      return over('interrupted');
  }
}

/** The result a caller's job keeps: how far the notification got. */
export interface NotificationResult {
  /** The whole prompt was played to its end at least once. */
  played: boolean;
  /** The allowed digit pressed, or null. */
  digit: string | null;
  plays: number;
  end: NotificationEnd;
  /** From answer to the end of the call, in whole seconds. */
  heardSeconds: number;
}

export function notificationResult(p: NotificationProgress, heardSeconds: number): NotificationResult {
  return { played: p.played, digit: p.digit, plays: p.plays, end: p.end ?? 'interrupted', heardSeconds };
}

/**
 * The record's note, one `key=value` list so a report can read it back out of the userfield
 * (`notification digit=1 plays=2 end=confirmed`; digit=none when no allowed digit came).
 */
export function notificationNote(p: NotificationProgress): string {
  const ignored = p.ignored === '' ? '' : ` ignored=${p.ignored}`;
  return `notification digit=${p.digit ?? 'none'} plays=${p.plays} played=${p.played ? 'yes' : 'no'} end=${p.end ?? 'interrupted'}${ignored}`;
}
