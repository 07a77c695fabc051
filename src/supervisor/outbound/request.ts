// The outbound request as the job queues and the API hand it over (parsed JSON, so `unknown`),
// checked field by field against the site: each refusal an OutboundError naming the field and
// what is allowed. Pure. Dialling limits are the site file's (timeout 5-300 s). An answered call
// goes to a dialplan target, or - a notification - stays with us to hear a prompt: one or the
// other, never both.

import { OUTBOUND_DEFAULT_CONTEXT } from '../../provisioning/generate/dialplan';
import type { RoutingTarget } from '../../provisioning/site/routing-types';
import type { SiteConfig, TrunkGroup } from '../../provisioning/site/site-types';
import { OutboundError } from './errors';
import type { PromptPlan } from './notification-steps';

export interface DialplanPlace {
  context: string;
  extension: string;
  priority: number;
  /** The routing target's name, or '' for a place given as context/extension. */
  name: string;
}

/** How an originate came in; the toll guard counts and limits by the API token. */
export const ORIGIN_VIAS = ['api', 'job', 'campaign', 'cli', 'demo'] as const;
export type OriginVia = (typeof ORIGIN_VIAS)[number];

export interface Origin {
  via: OriginVia;
  /** The API token's name the call is for (an API request, or a job or campaign the token added). */
  token?: string;
}

export interface OutboundRequest {
  /** Trunk group number or name. */
  group: number | string;
  /** The number in any form the site's numbering reads (+E.164, national, local...). */
  number: string;
  /** Caller ID number presented; default the group's outbound callerId. */
  callerId?: string;
  /** Seconds of ringing per attempt; default the group's outbound timeout. */
  timeoutSeconds?: number;
  /** Where an answered call goes: a routing target's name or a dialplan place. Not with `prompt`. */
  target?: string | { context: string; extension?: string; priority?: number };
  /**
   * A notification instead of a target: the answered call hears `media` (ARI media URIs:
   * sound:<name>, recording:<name>, digits:<digits>, number:<integer>), then, with `confirm`,
   * waits `timeoutSeconds` (1-60) for one of `digits`, replaying the prompt up to `repeat`
   * (0-5, default 0) times before giving up; then tdmgate hangs up (cause 16).
   */
  prompt?: { media: string[]; confirm?: { digits: string; timeoutSeconds: number; repeat?: number } };
  /** Channel variables set on the call (names as the dialplan reads them). */
  variables?: Record<string, string>;
  accountcode?: string;
  /** Retries the caller's queue already used on this call (0 on the first try). */
  retriesUsed?: number;
  /** The caller's reference (a job id): in logs and the CDR's userfield. */
  reference?: string;
  /**
   * The call's id made by the caller (the job queues derive it from the job and the try), so a
   * try is known by its id - in ARI and as the CDRs' linkedid - before it is placed; default random.
   */
  callKey?: string;
  /**
   * Who asked, for the toll guard. Set by the service that takes the request (the API from its
   * bearer token, the job queues from the job), never taken from a client's body as given.
   */
  origin?: Origin;
}

export interface CheckedRequest {
  group: TrunkGroup;
  number: string;
  callerId: string | null;
  timeoutSeconds: number | null;
  /** Where an answered call goes; null for a notification (`prompt`). */
  target: DialplanPlace | null;
  prompt: PromptPlan | null;
  variables: Record<string, string>;
  accountcode: string;
  retriesUsed: number;
  reference: string;
  callKey: string | null;
  origin: Origin | null;
}

/** An answered call with no target goes here: the customer's context, which the generated dialplan's comments name. */
export const DEFAULT_OUTBOUND_PLACE: DialplanPlace = { context: OUTBOUND_DEFAULT_CONTEXT, extension: 's', priority: 1, name: '' };

const KEYS = ['group', 'number', 'callerId', 'timeoutSeconds', 'target', 'prompt', 'variables', 'accountcode', 'retriesUsed', 'reference', 'callKey', 'origin'];
const DIALPLAN_NAME = /^[A-Za-z0-9_\-+.*#]{1,79}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_VARIABLES = 32;
const MAX_VALUE = 255;

export function checkRequest(input: unknown, site: SiteConfig): CheckedRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw refuse('request', input, 'is not an object with group and number');
  const r = input as Record<string, unknown>;
  const unknownKey = Object.keys(r).find((k) => !KEYS.includes(k));
  if (unknownKey !== undefined) throw refuse(unknownKey, r[unknownKey], `is not a request field; allowed: ${KEYS.join(', ')}`);
  if (typeof r.number !== 'string') throw new OutboundError('INVALID_NUMBER', r.number, 'is not a text; give the number as a string');
  if (r.prompt !== undefined && r.target !== undefined) {
    throw refuse('prompt', r.prompt, 'cannot be given with target: a notification stays with tdmgate to hear its prompt, a target sends the call to the dialplan; give one of them');
  }
  const prompt = promptOf(r.prompt);
  return {
    group: groupOf(r.group, site),
    number: r.number,
    callerId: optionalText(r.callerId, 'callerId', /^\+?\d{1,20}$/, 'digits with an optional leading +, at most 20'),
    timeoutSeconds: r.timeoutSeconds === undefined ? null : integer(r.timeoutSeconds, 'timeoutSeconds', 5, 300),
    target: prompt === null ? targetOf(r.target, site) : null,
    prompt,
    variables: variablesOf(r.variables),
    accountcode: optionalText(r.accountcode, 'accountcode', /^[\x20-\x7e]{1,80}$/, 'printable ASCII, at most 80 characters') ?? '',
    retriesUsed: r.retriesUsed === undefined ? 0 : integer(r.retriesUsed, 'retriesUsed', 0, 1000),
    reference: optionalText(r.reference, 'reference', /^[\x20-\x7e]{1,100}$/, 'printable ASCII, at most 100 characters') ?? '',
    callKey: optionalText(r.callKey, 'callKey', /^[a-z0-9]{8,32}$/, '8 to 32 lowercase letters and digits'),
    origin: originOf(r.origin),
  };
}

const TOKEN_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

export function originOf(value: unknown): Origin | null {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse('origin', value, `is not { via, token? }`);
  const v = value as Record<string, unknown>;
  const unknownKey = Object.keys(v).find((k) => k !== 'via' && k !== 'token');
  if (unknownKey !== undefined) throw refuse(`origin.${unknownKey}`, v[unknownKey], 'is not an origin field; allowed: via, token');
  if (!(ORIGIN_VIAS as readonly unknown[]).includes(v.via)) throw refuse('origin.via', v.via, `is not allowed; expected one of ${ORIGIN_VIAS.join(', ')}`);
  const token = optionalText(v.token, 'origin.token', TOKEN_NAME, 'a token name: letters, digits, _ . @ -, at most 64');
  return token === null ? { via: v.via as OriginVia } : { via: v.via as OriginVia, token };
}

function groupOf(value: unknown, site: SiteConfig): TrunkGroup {
  const group = site.groups.find((g) => (typeof value === 'number' ? g.number === value : g.name === value));
  const names = site.groups.map((g) => `${g.name} (${g.number})`).join(', ');
  if (!group) throw new OutboundError('UNKNOWN_GROUP', value, `is not a trunk group of the site; groups: ${names || 'none'}`, 'group');
  if (group.direction === 'in') throw new OutboundError('GROUP_NOT_OUTBOUND', value, 'takes inbound calls only (direction: in in the site file)', 'group');
  return group;
}

function targetOf(value: unknown, site: SiteConfig): DialplanPlace {
  if (value === undefined) return DEFAULT_OUTBOUND_PLACE;
  const targets: readonly RoutingTarget[] = site.routing?.targets ?? [];
  if (typeof value === 'string') {
    const t = targets.find((x) => x.name === value);
    if (!t) throw new OutboundError('UNKNOWN_TARGET', value, `is not a routing target of the site; targets: ${targets.map((x) => x.name).join(', ') || 'none'}`, 'target');
    return { context: t.context, extension: t.extension, priority: t.priority, name: t.name };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse('target', value, 'is neither a routing target name nor { context, extension?, priority? }');
  const v = value as Record<string, unknown>;
  const context = optionalText(v.context, 'target.context', DIALPLAN_NAME, 'a dialplan context name: letters, digits, _ - + . * #');
  if (context === null) throw refuse('target.context', v.context, 'is required');
  return {
    context,
    extension: optionalText(v.extension, 'target.extension', DIALPLAN_NAME, 'an extension: letters, digits, _ - + . * #') ?? 's',
    priority: v.priority === undefined ? 1 : integer(v.priority, 'target.priority', 1, 99_999),
    name: '',
  };
}

/**
 * ARI media URIs Asterisk plays from a channel's Stasis app. Names are kept to what a sound or
 * recording file can be called (no `..`, no scheme inside), so a job cannot name any file.
 */
const MEDIA_URI = /^(?:(?:sound|recording):(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_\-./]{0,199}|digits:[0-9*#]{1,40}|number:-?\d{1,15})$/;
const MEDIA_ALLOWED = 'an ARI media URI: sound:<name>, recording:<name>, digits:<0-9 * #>, number:<integer>';
const MAX_MEDIA = 10;
const DTMF_KEYS = /^[0-9*#A-D]{1,16}$/;

function promptOf(value: unknown): PromptPlan | null {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse('prompt', value, 'is not { media: [URI, ...], confirm?: { digits, timeoutSeconds, repeat? } }');
  const v = value as Record<string, unknown>;
  const unknownKey = Object.keys(v).find((k) => k !== 'media' && k !== 'confirm');
  if (unknownKey !== undefined) throw refuse(`prompt.${unknownKey}`, v[unknownKey], 'is not a prompt field; allowed: media, confirm');
  const media = v.media;
  if (!Array.isArray(media) || media.length === 0 || media.length > MAX_MEDIA) throw refuse('prompt.media', media, `is not a list of 1 to ${MAX_MEDIA} media URIs`);
  media.forEach((m, i) => {
    if (typeof m !== 'string' || !MEDIA_URI.test(m)) throw refuse(`prompt.media[${i}]`, m, `is not ${MEDIA_ALLOWED}`);
  });
  return { media: media as string[], confirm: confirmOf(v.confirm) };
}

function confirmOf(value: unknown): PromptPlan['confirm'] {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse('prompt.confirm', value, 'is not { digits, timeoutSeconds, repeat? }');
  const v = value as Record<string, unknown>;
  const unknownKey = Object.keys(v).find((k) => !['digits', 'timeoutSeconds', 'repeat'].includes(k));
  if (unknownKey !== undefined) throw refuse(`prompt.confirm.${unknownKey}`, v[unknownKey], 'is not a confirm field; allowed: digits, timeoutSeconds, repeat');
  if (typeof v.digits !== 'string' || !DTMF_KEYS.test(v.digits)) throw refuse('prompt.confirm.digits', v.digits, 'is not the DTMF keys that confirm: 1 to 16 of 0-9 * # A-D, e.g. "1" or "12"');
  return {
    digits: v.digits,
    timeoutSeconds: integer(v.timeoutSeconds, 'prompt.confirm.timeoutSeconds', 1, 60),
    repeat: v.repeat === undefined ? 0 : integer(v.repeat, 'prompt.confirm.repeat', 0, 5),
  };
}

function variablesOf(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse('variables', value, 'is not a map of name: text');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_VARIABLES) throw refuse('variables', `${entries.length} variables`, `is too many; at most ${MAX_VARIABLES}`);
  for (const [name, v] of entries) {
    if (!VARIABLE_NAME.test(name)) throw refuse(`variables.${name}`, name, 'is not a variable name: a letter or _ then letters, digits, _ (64 at most)');
    if (name.startsWith('TDMGATE_')) throw refuse(`variables.${name}`, name, 'is reserved: tdmgate sets the TDMGATE_* variables itself');
    if (typeof v !== 'string' || v.length > MAX_VALUE) throw refuse(`variables.${name}`, v, `is not a text of at most ${MAX_VALUE} characters`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function optionalText(value: unknown, field: string, shape: RegExp, allowed: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !shape.test(value)) throw refuse(field, value, `is not allowed; expected ${allowed}`);
  return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw refuse(field, value, `is not a whole number from ${min} to ${max}`);
  return value;
}

function refuse(field: string, value: unknown, problem: string): OutboundError {
  return new OutboundError('INVALID_REQUEST', value, problem, field);
}
