// The campaigns as the dispatcher sees them (its DialGate): the queues of a group's campaigns
// that may be dialled now, the check just before a campaign number is dialled - cancelled or on
// the do-not-call list: skipped; paused or outside the window: put back until then - and the
// outcome counted for the campaign's progress. Callback jobs pass through untouched.

import type { DialGate, GateDecision } from '../call-dispatcher';
import type { CallJobData } from '../call-job';
import type { CampaignService } from './campaign-service';
import type { CampaignOutcome } from './campaign-types';

export function campaignGate(campaigns: CampaignService): DialGate {
  return {
    queues: (group) => campaigns.activeQueues(group),
    async beforeDial(job: CallJobData, now: Date): Promise<GateDecision> {
      if (job.campaignId === null) return { kind: 'go' };
      const d = await campaigns.beforeDial({ campaignId: job.campaignId, number: job.request.number }, now);
      if (d.action === 'go') return { kind: 'go' };
      if (d.action === 'wait') return { kind: 'wait-until', at: d.until, reason: d.reason };
      return { kind: 'skip', reason: d.reason };
    },
    afterCall: (job, outcome) => (job.campaignId === null ? Promise.resolve() : campaigns.recordOutcome(job.campaignId, outcome as CampaignOutcome)),
  };
}
