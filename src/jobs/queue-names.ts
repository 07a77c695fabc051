// Queue names. Calls for a trunk group wait in that group's own queue, named by the group's
// name: only a box whose site has the group takes from it, which is how a job for group X runs
// on a box with group X and nowhere else (several boxes, one Redis). BullMQ joins prefix and
// name with ':', so a name is kept free of ':' by percent-encoding.

/** The queue of callback and notification calls on the trunk group named `group`. */
export function callQueueName(group: string): string {
  return `calls-${encodeURIComponent(group)}`;
}

/** The trunk group a call queue serves, or null for another queue's name. */
export function groupOfCallQueue(queue: string): string | null {
  return queue.startsWith('calls-') ? decodeURIComponent(queue.slice('calls-'.length)) : null;
}
