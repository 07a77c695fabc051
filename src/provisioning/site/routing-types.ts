// The routing part of the site model: how numbers are written in the site's country, the
// holiday calendars, named dialplan targets, the VIP whitelist, the blacklist, the ordered
// inbound rules and per-group outbound settings. The supervisor's pure deciders read this.

import type { GroupGuard, NumberClasses } from './guard-types';

/** Days as JavaScript numbers them (Date#getDay): 0 = Sunday. */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type DayName = (typeof DAY_NAMES)[number];

/** How a carrier wants the called number in the dial string (see docs/routing.md). */
export const DIAL_FORMS = ['national', 'international', 'e164', 'local'] as const;
export type DialForm = (typeof DIAL_FORMS)[number];

/** Causes a rule may reject with: the ones a carrier and a caller understand. */
export const REJECT_CAUSES = [1, 16, 17, 21, 27, 31, 34] as const;
export type RejectCause = (typeof REJECT_CAUSES)[number];

export interface Numbering {
  /** E.164 country code without '+', e.g. '86'. */
  country: string;
  /** Trunk prefix before a national number ('0' in CN/DE, '1' in NANP), or null (none: IT, ES). */
  nationalPrefix: string | null;
  /** Prefix before an international number ('00', NANP '011'). */
  internationalPrefix: string;
  /** Area code of the site, so a bare local number can be completed; null when unknown. */
  localAreaCode: string | null;
  /**
   * Patterns of national significant numbers dialled without the national prefix (Chinese
   * mobiles `_1[3-9]XXXXXXXXX`, NANP `_NXXNXXXXXX`). Without them a bare number is local.
   */
  nationalPatterns: string[];
  /** Number ranges the toll-fraud guard classes as premium, shared-cost, toll-free, mobile; beside its built-in ones. */
  classes?: NumberClasses;
}

/** A time window in the site's time zone; from > to runs past midnight into the next day. */
export interface TimeWindow {
  /** Days the window starts on, 0 = Sunday. */
  days: number[];
  /** Minutes after local midnight; `to` is exclusive and may be 1440 (24:00). */
  from: number;
  to: number;
}

export interface HolidayCondition {
  calendar: string;
  /** only: the rule applies on the calendar's dates; except: on every other date. */
  match: 'only' | 'except';
}

export interface RoutingTarget {
  name: string;
  context: string;
  /** Dialplan extension; `{did}` is replaced by the called number ('s' when none came). */
  extension: string;
  priority: number;
  /** Most calls routed here at once, or null (no limit). */
  limit: number | null;
  /** Target used while this one is at its limit, or null (the call is refused as busy). */
  overflow: string | null;
}

export interface InboundRule {
  name: string;
  /** Called-number patterns; any matches. Empty = any number. */
  did: string[];
  /** Caller-ID patterns; any matches. Empty = any caller. */
  callerId: string[];
  /** Trunk group numbers the call must arrive on. Empty = any group. */
  groups: number[];
  /** Windows; any matches. Empty = any time. */
  time: TimeWindow[];
  holidays: HolidayCondition | null;
  action: { kind: 'target'; target: string } | { kind: 'reject'; cause: RejectCause };
}

export interface VipList {
  name: string;
  callers: string[];
  target: string;
}

export interface Blacklist {
  callers: string[];
  /** Reject calls that carry no caller ID (withheld). */
  anonymous: boolean;
}

export interface RetryDelays {
  /** Seconds before the next try after each outcome that is retried later. */
  busy: number;
  noAnswer: number;
  /** After every span of the group was congested. */
  congestion: number;
  failed: number;
}

export interface OutboundSettings {
  group: number;
  /** Caller ID presented on calls from this group, or null (the channel's own). */
  callerId: string | null;
  /** Seconds of ringing before we give up on an attempt. */
  timeout: number;
  /** Tries after the first, counted over busy / no answer / failed outcomes. */
  maxRetries: number;
  retryDelay: RetryDelays;
  dial: DialForm;
  /** Channels of the group the job queues leave free for inbound calls: a count or a share. */
  inboundReserve: InboundReserve;
  /** Call attempts per second the job queues start on the group at most (carriers cap it); null = no cap. */
  attemptsPerSecond: number | null;
  /**
   * Call attempts per second on each span of the group at most (PRI contracts cap it per span),
   * for every outbound attempt - queued, API or a hunt's next span; null = no cap.
   */
  attemptsPerSecondPerSpan: number | null;
  /** The destinations the toll-fraud guard lets through on this group; unset = every one. */
  guard?: GroupGuard;
}

export type InboundReserve = { kind: 'channels'; count: number } | { kind: 'percent'; percent: number };

export interface RoutingConfig {
  numbering: Numbering | null;
  /** Calendar name -> local dates YYYY-MM-DD. */
  holidays: Record<string, string[]>;
  targets: RoutingTarget[];
  vip: VipList[];
  blacklist: Blacklist;
  inbound: InboundRule[];
  /** Target for calls no rule takes, or null (refused with cause 1). */
  defaultTarget: string | null;
  outbound: OutboundSettings[];
}
