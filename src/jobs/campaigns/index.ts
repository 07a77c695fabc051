// Campaigns: a list of numbers called through the job queues within a calling window in the
// site's time zone, at a pace, skipping the do-not-call list, paused, resumed and cancelled by
// an operator on any box. This folder owns the list (csv.ts, campaign-rows.ts), the window
// (calling-window.ts, zone-time.ts), the settings checked against the site
// (campaign-settings.ts), and the state in Redis (campaign-service.ts, dnc-list.ts,
// campaign-keys.ts). It never dials: the dispatcher fetches from the queues activeQueues()
// names, asks beforeDial() before each call and reports each attempt with recordOutcome().
// This is its public face for the dispatcher, the CLI and the API.

export { CampaignService, type CampaignServiceOptions, type LoadResult } from './campaign-service';
export { campaignSettings, campaignIdOf, DEFAULT_MAX_ATTEMPTS, type CampaignOptions } from './campaign-settings';
export { readCampaignCsv, readCampaignEntries, NUMBER_COLUMN, MAX_ROWS, type CampaignEntry, type RowsResult } from './campaign-rows';
export { parseWindow, describeWindow, windowClock, isOpen, nextChange, DEFAULT_WINDOW, type WindowClock } from './calling-window';
export { campaignKeys, campaignQueueName, type CampaignKeys } from './campaign-keys';
export { DncList } from './dnc-list';
export { campaignGate } from './campaign-gate';
export type * from './campaign-types';
