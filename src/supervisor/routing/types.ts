// The inbound decider's input and output. A decision is data the supervisor acts on (ARI
// continue or hangup) and logs; the reason says why in words a technician can read.

export interface InboundCall {
  /** Called number (DNIS) as received; '' or 's' when the line gave none. */
  did: string;
  /** Caller ID (ANI) as received; '' when withheld. */
  callerId: string;
  span: number;
  timeslot: number;
  /**
   * Every trunk group of the channel (chan_dahdi `group=1,11`), its own first - the one whose
   * context it has; empty for a channel in no group. A rule on any of them matches.
   */
  groups: number[];
  at: Date;
}

export interface InboundState {
  /** Calls now routed to each target, by target name (absent = 0). */
  activeCallsByTarget: Readonly<Record<string, number>>;
}

export interface RouteVariables {
  TDMGATE_SPAN: string;
  TDMGATE_TIMESLOT: string;
  TDMGATE_GROUP: string;
  TDMGATE_ROUTE: string;
}

export type InboundDecision =
  | {
    action: 'continue';
    context: string;
    extension: string;
    priority: number;
    /** The rule (or VIP list, or 'default') that took the call. */
    route: string;
    /** The target finally used (after overflow), for the caller's per-target counts. */
    target: string;
    variables: RouteVariables;
    reason: string;
  }
  | { action: 'hangup'; cause: number; route: string | null; reason: string };
