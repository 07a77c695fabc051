// The typed site model: one description of a box's trunks (cards, spans pinned to hardware,
// signalling, channel ranges, trunk groups, routes, clocking, echo canceller, tone zone, and the
// routing section of routing-types.ts), as
// the validator returns it - defaults filled in, span and channel numbers resolved. The
// generators, `provision import` and `provision apply` all speak this.

import type { CardInfo, ChannelStatus, SpanStatus } from '../../hardware/types';
import type { RoutingConfig } from './routing-types';

export const LINE_TYPES = ['E1', 'T1', 'J1', 'BRI'] as const;
export type LineType = (typeof LINE_TYPES)[number];

export const FRAMINGS = ['ccs', 'cas', 'esf', 'd4'] as const;
export type Framing = (typeof FRAMINGS)[number];

export const CODINGS = ['hdb3', 'ami', 'b8zs'] as const;
export type Coding = (typeof CODINGS)[number];

/** DAHDI's echo canceller modules (dahdi_echocan_*), hardware (written hwec) and none. */
export const ECHO_CANCELLERS = ['mg2', 'oslec', 'none', 'hardware', 'kb1', 'sec', 'sec2', 'hpec'] as const;
export type EchoCanceller = (typeof ECHO_CANCELLERS)[number];

/** Tone zones compiled into DAHDI's zonedata.c (loadzone/defaultzone in system.conf). */
export const TONE_ZONES = [
  'us', 'au', 'fr', 'nl', 'uk', 'fi', 'es', 'jp', 'no', 'at', 'nz', 'it', 'us-old', 'gr', 'tw', 'cl',
  'se', 'be', 'sg', 'il', 'br', 'hu', 'lt', 'pl', 'za', 'pt', 'ee', 'mx', 'in', 'de', 'ch', 'dk',
  'cz', 'cn', 'ar', 'my', 'th', 'bg', 've', 'ph', 'ru', 'tr', 'pa', 'mo', 'cr', 'ae',
] as const;
export type ToneZone = (typeof TONE_ZONES)[number];

/** chan_dahdi's switchtype values (libpri dialects). */
export const SWITCHTYPES = ['euroisdn', 'qsig', 'national', 'ni1', 'dms100', '4ess', '5ess'] as const;
export type Switchtype = (typeof SWITCHTYPES)[number];

/** OpenR2's variants (r2proto.c), as chan_dahdi's mfcr2_variant takes them. */
export const MFCR2_VARIANTS = ['ar', 'br', 'cn', 'cz', 'co', 'ec', 'id', 'itu', 'mx', 'ph', 've'] as const;
export type Mfcr2Variant = (typeof MFCR2_VARIANTS)[number];

/** OpenR2's calling-party categories (chan_dahdi mfcr2_category). */
export const MFCR2_CATEGORIES = [
  'national_subscriber', 'national_priority_subscriber', 'international_subscriber',
  'international_priority_subscriber', 'collect_call',
] as const;
export type Mfcr2Category = (typeof MFCR2_CATEGORIES)[number];

/** Robbed-bit/CAS line signalling as chan_dahdi names it (E&M and its feature groups). */
export const CAS_PROTOCOLS = ['em', 'em_w', 'em_e1', 'featd', 'featdmf', 'featdmf_ta', 'featb', 'e911'] as const;
export type CasProtocol = (typeof CAS_PROTOCOLS)[number];

export type SpanSignalling =
  | { type: 'pri_cpe' | 'pri_net'; switchtype: Switchtype }
  | { type: 'bri_cpe' | 'bri_net'; switchtype: Switchtype; ptmp: boolean }
  | { type: 'mfcr2'; variant: Mfcr2Variant; category: Mfcr2Category; maxAni: number; maxDnis: number }
  | { type: 'cas'; protocol: CasProtocol };
export type SignallingType = SpanSignalling['type'];
export const SIGNALLING_TYPES = ['pri_cpe', 'pri_net', 'bri_cpe', 'bri_net', 'mfcr2', 'cas'] as const satisfies readonly SignallingType[];

/**
 * chan_dahdi settings beyond what the model writes itself: chan_dahdi key -> value, only where
 * the value differs from chan_dahdi's default (chan-dahdi-keys.ts). The modelled options
 * (line-options.ts) and the site file's chanDahdi escape hatch both land here.
 */
export type ChanDahdiSettings = Readonly<Record<string, string>>;

/** Timeslots (positions in the span, 1-based) that share their trunk groups. */
export interface ChannelSet {
  timeslots: number[];
  /**
   * Trunk group numbers (chan_dahdi `group=1,3`), the first giving the channels their context
   * and caller-ID presentation (chan_dahdi keeps one of each per channel); empty: the channels
   * are reachable only by channel number.
   */
  groups: number[];
}

/** The location `provision import` gives a card it could not pin (no assigned-spans.conf): `unknown:<name>`. */
export const PLACEHOLDER_PREFIX = 'unknown:';

/** How a card is found whatever order the kernel probes it in (assigned-spans.conf's first field). */
export type HardwarePin = { kind: 'hardwareId'; hardwareId: string } | { kind: 'location'; location: string };

export interface DigitalSpan {
  /** Span number on the card (local_spanno), 1-based. */
  port: number;
  /** The global DAHDI span number assigned to it, and its first global channel. */
  span: number;
  baseChannel: number;
  line: LineType;
  framing: Framing;
  coding: Coding;
  crc4: boolean;
  /** Line build-out 0-7, as system.conf takes it. */
  lbo: number;
  /** Sync priority: 0 = never a clock source, 1 = first choice, 2 = fallback, ... */
  timing: number;
  signalling: SpanSignalling;
  /** How the D-channel is declared: hardhdlc (every current card) or dchan (old software HDLC). */
  dchannel: 'hardhdlc' | 'dchan';
  channels: ChannelSet[];
  /** Further chan_dahdi settings for every channel of the span. */
  settings: ChanDahdiSettings;
}

/**
 * A port of a digital card that is out of service. DAHDI registers every span of a card whether
 * system.conf configures it or not, so the port still takes its span number and its channels
 * (31 on E1): it is pinned in assigned-spans.conf and typed in span-types.conf, never configured.
 * Putting it in service later renumbers nothing.
 */
export interface UnusedSpan {
  port: number;
  span: number;
  baseChannel: number;
  line: LineType;
}

export const PORT_TYPES = ['fxs', 'fxo'] as const;
export type PortType = (typeof PORT_TYPES)[number];
export const START_KINDS = ['loop', 'kewl', 'ground'] as const;
export type StartKind = (typeof START_KINDS)[number];

/**
 * A physical analog port: an FXO port faces the exchange line, an FXS port feeds a phone.
 * DAHDI signalling is named from the far end, so the generator writes fxs* on FXO ports.
 */
export interface AnalogPort {
  port: number;
  type: PortType;
  start: StartKind;
  /** Trunk group numbers, as on a ChannelSet: the first gives the port its context. */
  groups: number[];
  /** Further chan_dahdi settings for the port's channel. */
  settings: ChanDahdiSettings;
}

/** An analog card is one DAHDI span with one channel per port. */
export interface AnalogSpan {
  span: number;
  baseChannel: number;
  ports: AnalogPort[];
}

export interface CardConfig {
  /** A label for messages and comments ("card 1" when not given). */
  name: string;
  pin: HardwarePin;
  /**
   * Physical ports on the card when the user says so, else null. On a digital card it lays out
   * the card's spans: ports up to it that the site does not configure are unused ports.
   */
  portCount: number | null;
  /** Digital spans in service; empty on an analog card. */
  spans: DigitalSpan[];
  /** Ports of a digital card out of service (listed as unused or left out), by port; empty on an analog card. */
  unused: UnusedSpan[];
  /** The analog span; null on a digital card. */
  analog: AnalogSpan | null;
  /** The card's echo canceller (system.conf echocanceller=), the site's unless the card says. */
  echoCanceller: EchoCanceller;
  /** chan_dahdi echocancelwhenbridged: cancel echo on TDM-to-TDM calls too. */
  echoCancelWhenBridged: boolean;
}

export const DIRECTIONS = ['in', 'out', 'both'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const PRESENTATIONS = ['allowed', 'restricted', 'passthrough'] as const;
export type Presentation = (typeof PRESENTATIONS)[number];
export const HUNT_ORDERS = ['ascending', 'descending', 'round-robin', 'round-robin-descending'] as const;
export type HuntOrder = (typeof HUNT_ORDERS)[number];
/**
 * How chan_dahdi spells each hunt order in a dial string (`DAHDI/<letter><group>/NUM`): g lowest
 * channel first, G highest first, r/R round robin up/down. The one table: the generated
 * chan_dahdi.conf notes and the supervisor's dial strings both read it.
 */
export const HUNT_LETTERS: Readonly<Record<HuntOrder, 'g' | 'G' | 'r' | 'R'>> = {
  ascending: 'g',
  descending: 'G',
  'round-robin': 'r',
  'round-robin-descending': 'R',
};

export interface TrunkGroup {
  /** chan_dahdi group number, 0-63. */
  number: number;
  name: string;
  /** Asterisk dialplan context for inbound calls on these channels. */
  context: string;
  direction: Direction;
  presentation: Presentation;
  hunt: HuntOrder;
}

export interface Route {
  name: string;
  /** Dialled-number pattern (Asterisk style), or null for a catch-all. */
  pattern: string | null;
  /** Trunk group numbers tried in order. */
  groups: number[];
}

export interface SiteConfig {
  name: string;
  toneZone: ToneZone;
  echoCanceller: EchoCanceller;
  echoCancelWhenBridged: boolean;
  /** network: clock recovered from a carrier-facing span; internal: the box is the master. */
  clock: 'network' | 'internal';
  /** Context for channels that belong to no trunk group. */
  defaultContext: string;
  cards: CardConfig[];
  groups: TrunkGroup[];
  routes: Route[];
  /** IANA time zone the routing's time windows and holidays are read in ('UTC' by default). */
  timezone: string;
  /** Inbound rules and outbound settings, or null when the file has no routing section. */
  routing: RoutingConfig | null;
  /** chan_dahdi settings for the whole driver (global keys), written once at the top of [channels]. */
  chanDahdi: ChanDahdiSettings;
}

/** What the hardware layer detected, when the site is checked on (or against) a real box. */
export interface HardwareFacts {
  spans: SpanStatus[];
  cards: CardInfo[];
  /** Channels of the detected spans, for sigcap checks of analog ports; optional. */
  channels?: ChannelStatus[];
}

export interface SiteSource {
  /** The site file as given (messages and file headers name it). */
  path: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
}

export interface SiteIssue {
  /** Path in the site file, e.g. cards[0].spans[1].framing; '' for the whole file. */
  path: string;
  /** 1-based line in the site file, when known. */
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface LoadedSite {
  site: SiteConfig;
  source: SiteSource;
  /** Problems that do not stop generation (errors throw ProvisioningError instead). */
  warnings: SiteIssue[];
}
