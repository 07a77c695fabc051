// What the page knows, kept from the stream: the snapshot it starts from, then each event
// applied. Applying only records what changed (dirty channels, spans, panels); the view draws
// the changes once per animation frame, so a burst of a thousand events costs one layout.

import type { ChannelSnapshot } from '../../../supervisor/trunk-map';
import type { ActiveCall } from '../active-calls';
import type { StatusLayout } from '../site-layout';
import type { SpanHealth } from '../span-health';
import type { StatusSnapshot, TimelineEntry } from '../status-board';

/** The stream's event payloads (src/api/events/live-events.ts writes them). */
interface ChannelEvent { channel: number; state: ChannelSnapshot['state']; at: number }
interface SpanEvent { span: number; state: TimelineEntry['state']; reason: string[]; at: number }
interface CallEventData {
  kind: 'ring' | 'answer' | 'hangup'; callId: string; channelId: string; direction: 'inbound' | 'outbound';
  span: number | null; timeslot: number | null; group: string; caller: string; called: string; target: string; at: number;
}
interface JobEventData { kind: 'dialling' | 'settled'; job: string; group: string; outcome: string | null }

export interface SpanState {
  condition: TimelineEntry['state'];
  reason: string[];
}

export interface JobCounts {
  dialling: Set<string>;
  settled: Map<string, number>;
}

const TIMELINE_SIZE = 50;

export class PageState {
  layout: StatusLayout = { site: '', spans: [], groups: [] };
  readonly channels = new Map<number, ChannelSnapshot>();
  /** "span:timeslot" -> the channel there. */
  private readonly slots = new Map<string, ChannelSnapshot>();
  readonly spans = new Map<number, SpanState>();
  readonly health = new Map<number, SpanHealth>();
  /** By the leg's channel id, and by "span:timeslot" for the cells. */
  readonly calls = new Map<string, ActiveCall>();
  readonly callAt = new Map<string, ActiveCall>();
  timeline: TimelineEntry[] = [];
  readonly jobs = new Map<string, JobCounts>();
  /** The newest campaigns with their progress (GET /api/v1/campaigns/{id}). */
  campaigns: CampaignProgressView[] = [];

  /** Everything must be drawn again (a snapshot arrived). */
  full = true;
  readonly dirtyChannels = new Set<number>();
  readonly dirtySpans = new Set<number>();
  dirtyCalls = false;
  dirtyTimeline = false;
  dirtyJobs = false;
  dirtyCampaigns = false;

  /** The campaigns' progress as the API answered it last. */
  setCampaigns(list: CampaignProgressView[]): void {
    this.campaigns = list;
    this.dirtyCampaigns = true;
  }

  reset(s: StatusSnapshot): void {
    this.layout = s.layout;
    this.channels.clear();
    this.slots.clear();
    for (const c of s.channels) {
      this.channels.set(c.channel, c);
      this.slots.set(`${c.span}:${c.timeslot}`, c);
    }
    this.spans.clear();
    for (const sp of s.spans) this.spans.set(sp.span, { condition: sp.condition, reason: sp.reason });
    this.health.clear();
    for (const h of s.health) this.health.set(h.span, h);
    this.calls.clear();
    this.callAt.clear();
    for (const c of s.calls) this.addCall(c);
    this.timeline = s.timeline.slice(-TIMELINE_SIZE);
    this.full = true;
  }

  /** Applies one stream event; unknown types are ignored (a newer server may send more). */
  apply(type: string, data: unknown): void {
    switch (type) {
      case 'snapshot':
        this.reset((data as { state: StatusSnapshot }).state);
        return;
      case 'channel': {
        const e = data as ChannelEvent;
        const c = this.channels.get(e.channel);
        if (!c) return;
        c.state = e.state;
        c.since = e.at;
        if (e.state === 'idle' || e.state === 'blocked-alarm' || e.state === 'maintenance') c.direction = null;
        this.dirtyChannels.add(e.channel);
        return;
      }
      case 'span': {
        const e = data as SpanEvent;
        this.spans.set(e.span, { condition: e.state, reason: e.reason });
        this.timeline.push({ span: e.span, state: e.state, reason: e.reason, at: e.at });
        if (this.timeline.length > TIMELINE_SIZE) this.timeline.shift();
        this.dirtySpans.add(e.span);
        this.dirtyTimeline = true;
        return;
      }
      case 'health': {
        const h = data as SpanHealth;
        this.health.set(h.span, h);
        this.dirtySpans.add(h.span);
        return;
      }
      case 'call':
        this.callEvent(data as CallEventData);
        return;
      case 'job':
        this.jobEvent(data as JobEventData);
        return;
      default:
    }
  }

  /** The channel drawn at a span's timeslot, if the site uses it. */
  channelAt(span: number, timeslot: number): ChannelSnapshot | undefined {
    return this.slots.get(`${span}:${timeslot}`);
  }

  private callEvent(e: CallEventData): void {
    this.dirtyCalls = true;
    if (e.kind === 'hangup') {
      const known = this.calls.get(e.channelId);
      if (known) this.removeCall(known);
      return;
    }
    const known = this.calls.get(e.channelId);
    if (known && e.kind === 'answer') {
      known.answerAt = e.at;
      return;
    }
    this.addCall({
      channelId: e.channelId, callId: e.callId, direction: e.direction, span: e.span, timeslot: e.timeslot, group: e.group,
      caller: e.caller, called: e.called, target: e.target, ringAt: e.at, answerAt: e.kind === 'answer' ? e.at : null,
    });
  }

  private addCall(c: ActiveCall): void {
    this.calls.set(c.channelId, c);
    if (c.span !== null && c.timeslot !== null) {
      this.callAt.set(`${c.span}:${c.timeslot}`, c);
      // The cell's direction comes with the call: channel events do not carry it.
      const ch = this.slots.get(`${c.span}:${c.timeslot}`);
      if (ch) {
        ch.direction = c.direction === 'inbound' ? 'in' : 'out';
        this.dirtyChannels.add(ch.channel);
      }
    }
  }

  private removeCall(c: ActiveCall): void {
    this.calls.delete(c.channelId);
    const key = `${c.span}:${c.timeslot}`;
    if (this.callAt.get(key) === c) this.callAt.delete(key);
  }

  private jobEvent(e: JobEventData): void {
    let counts = this.jobs.get(e.group);
    if (!counts) this.jobs.set(e.group, (counts = { dialling: new Set(), settled: new Map() }));
    if (e.kind === 'dialling') counts.dialling.add(e.job);
    else {
      counts.dialling.delete(e.job);
      const outcome = e.outcome ?? 'unknown';
      counts.settled.set(outcome, (counts.settled.get(outcome) ?? 0) + 1);
    }
    this.dirtyJobs = true;
  }
}

/** What the campaigns panel shows of GET /api/v1/campaigns/{id}. */
export interface CampaignProgressView {
  campaign: { id: string; name: string; group: string; status: 'active' | 'paused' | 'cancelled' | 'done'; created: string };
  pending: number;
  inProgress: number;
  answered: number;
  failed: number;
}
