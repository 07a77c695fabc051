// Where campaigns live in Redis, under the queues' prefix so boxes sharing a Redis and a prefix
// share the campaigns: one hash per campaign, a sorted set of all campaigns by creation time, a
// set per trunk group of the campaigns that may still call (the dispatcher lists these), the
// do-not-call set, and the channel every change is published on. BullMQ keys its queues
// `<prefix>:<queue>:...`; no queue is named `registry` or `dnc`, so the names cannot meet.

export interface CampaignKeys {
  campaign(id: string): string;
  /** Sorted set: campaign id by creation time (ms). */
  all: string;
  /** Set: ids of the group's active and paused campaigns. */
  group(name: string): string;
  /** Set of E.164 numbers never to call. */
  dnc: string;
  /** Pub/sub channel: JSON { id, group, status } on every load, pause, resume, cancel, done. */
  changes: string;
}

export function campaignKeys(prefix: string): CampaignKeys {
  return {
    campaign: (id) => `${prefix}:registry:campaign:${id}`,
    all: `${prefix}:registry:campaigns`,
    group: (name) => `${prefix}:registry:group:${name}`,
    dnc: `${prefix}:dnc`,
    changes: `${prefix}:registry:changes`,
  };
}

/** The campaign's own BullMQ queue: pause and resume are BullMQ's, seen by every box. */
export function campaignQueueName(id: string): string {
  return `campaign-${id}`;
}
