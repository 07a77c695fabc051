// Where an endpoint's deliveries live in Redis: one BullMQ queue per endpoint (so its worker's
// concurrency is the endpoint's), named after the endpoint, under the boxes' shared prefix. The
// dispatcher and the dead-letter service agree through this one function.

import type { WebhookEndpoint } from '../supervisor/webhook-endpoints';

export function webhookQueueName(endpoint: Pick<WebhookEndpoint, 'name'>): string {
  return `webhook-${endpoint.name}`;
}

/** A delivered job is kept this long (for an operator's look), a dead letter until replayed or crowded out. */
export const KEEP_COMPLETED = { age: 3600, count: 1000 } as const;
export const KEEP_DEAD_LETTERS = { count: 10_000 } as const;
