// The shapes of a campaign: its settings as loaded, its state in the registry, the data each of
// its jobs carries to the dispatcher, its progress, and what the dispatcher is told just before
// it dials one of its numbers. Types only.

import type { Outcome } from '../../supervisor/outbound/outcomes';

/** A daily calling window in a time zone; from > to runs past midnight into the next day. */
export interface CallingWindow {
  /** Minutes after local midnight the window opens (0-1439). */
  from: number;
  /** Minutes after local midnight it closes, exclusive (1-1440; 1440 = 24:00). */
  to: number;
  /** Days the window opens on, 0 = Sunday (a window past midnight closes on the next day). */
  days: number[];
  /** IANA zone the times are read in: the site's `timezone` when the campaign was loaded. */
  timeZone: string;
}

/** How fast one campaign may call, on top of what the trunk group's free channels allow. */
export interface Pacing {
  /** Calls of this campaign up at once, or null (only the channels limit it). */
  maxConcurrent: number | null;
  /** Call attempts started per minute, or null (no limit of its own). */
  perMinute: number | null;
}

/** Where an answered call goes, as the outbound request takes it (request.ts). */
export type CampaignTarget = string | { context: string; extension?: string; priority?: number };

export interface CampaignSettings {
  name: string;
  /** Trunk group name (the site's; every box with a group of that name may dial it). */
  group: string;
  window: CallingWindow;
  /** Tries per number, the first included. */
  maxAttempts: number;
  pacing: Pacing;
  callerId: string | null;
  target: CampaignTarget | null;
}

export const CAMPAIGN_STATUSES = ['active', 'paused', 'cancelled', 'done'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface Campaign extends CampaignSettings {
  id: string;
  /** The campaign's own BullMQ queue (same prefix as the other queues). */
  queue: string;
  status: CampaignStatus;
  /** ISO time of the first load. */
  created: string;
}

/** One number of a campaign as read from a CSV line or an API entry, already in E.164. */
export interface CampaignRow {
  /** CSV line (1-based), or the entry's position + 1 for the API. */
  line: number;
  number: string;
  /** The other columns, kept as the job's data (a CRM id, a name for the agent's screen). */
  data: Record<string, string>;
}

/** The data of one campaign job: what the dispatcher needs to place the call, and the row. */
export interface CampaignJobData {
  campaignId: string;
  group: string;
  /** E.164. */
  number: string;
  callerId?: string;
  target?: CampaignTarget;
  /** Tries for this number, the first included (the campaign's maxAttempts). */
  attempts: number;
  line: number;
  data: Record<string, string>;
  /** Times an operator sent the job back (jobs retry): its tries get new call ids. */
  round?: number;
  /** The API token that loaded the campaign: the toll guard counts its calls for it. */
  token?: string;
}

/** Why a number was not dialled at all. */
export type SkipReason = 'dnc' | 'cancelled';

/** What an attempt of a campaign came to, or why a number was skipped. */
export type CampaignOutcome = Outcome | SkipReason;

/** The dispatcher's answer just before it dials a campaign job. */
export type DialDecision =
  | { action: 'go' }
  /** Not now: put the job back until `until` (the window opens; a paused campaign is re-checked then). */
  | { action: 'wait'; until: Date; reason: 'window' | 'paused' }
  /** Never: finish the job without a call and record the reason as its outcome. */
  | { action: 'skip'; reason: SkipReason };

export interface WindowState {
  open: boolean;
  /** The next edge (ISO), or null when the window is open around the clock. */
  nextChange: string | null;
}

export interface CampaignProgress {
  campaign: Campaign;
  /** Numbers not tried yet or waiting for their next try (waiting, delayed, paused). */
  pending: number;
  /** Calls being placed now. */
  inProgress: number;
  /** Numbers that answered (their jobs are done). */
  answered: number;
  /** Numbers given up on: attempts used up, invalid, rejected, on the do-not-call list. */
  failed: number;
  /** Numbers removed by a cancel before they were tried. */
  cancelled: number;
  /** Attempts by outcome (answered, busy, no-answer...), skips (dnc, cancelled) included. */
  byOutcome: Record<string, number>;
  window: WindowState;
}
