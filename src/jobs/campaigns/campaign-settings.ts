// A campaign's settings checked against the site before anything reaches Redis: the trunk group
// exists and dials out, caller ID and answer target are what the outbound request accepts
// (the same checkRequest the supervisor applies to every call), the window opens at some time in
// the site's zone, attempts and pacing are in range. Pure; each refusal an INVALID_JOB naming
// the option. Also the campaign id: the name, made safe for Redis keys and queue names, so
// loading the same list again (a fixed line 812) goes into the same campaign.

import type { SiteConfig } from '../../provisioning/site/site-types';
import { isOutboundError } from '../../supervisor/outbound/errors';
import { checkRequest } from '../../supervisor/outbound/request';
import { JobError } from '../job-errors';
import { DEFAULT_WINDOW, parseWindow } from './calling-window';
import type { CampaignSettings, CampaignTarget } from './campaign-types';

/** Tries per number when neither the option nor the group's outbound maxRetries says. */
export const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_ATTEMPTS = 20;
const MAX_PER_MINUTE = 6000;
const MAX_CONCURRENT = 1000;
const ID_LENGTH = 40;

export interface CampaignOptions {
  /** Shown in status; its slug is the campaign id. */
  name: string;
  /** Trunk group name or number. */
  group: string;
  /** `HH:MM-HH:MM`; default 09:00-20:00. */
  window?: string;
  /** `mon-fri,sat`; default every day. */
  days?: string;
  maxAttempts?: number;
  maxConcurrent?: number;
  perMinute?: number;
  callerId?: string;
  target?: CampaignTarget;
}

export function campaignSettings(options: CampaignOptions, site: SiteConfig): CampaignSettings {
  const name = options.name.trim();
  campaignIdOf(name);
  const group = site.groups.find((g) => g.name === options.group.trim()) ?? site.groups.find((g) => String(g.number) === options.group.trim());
  let checked;
  try {
    checked = checkRequest({
      group: group?.name ?? options.group, number: '',
      ...(options.callerId !== undefined ? { callerId: options.callerId } : {}),
      ...(options.target !== undefined ? { target: options.target } : {}),
    }, site);
  } catch (err) {
    if (!isOutboundError(err)) throw err;
    // The outbound message starts with the field, which the JobError carries on its own.
    const message = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
    throw new JobError('INVALID_JOB', message, { field: err.field, cause: err });
  }
  const outbound = site.routing?.outbound.find((o) => o.group === checked.group.number);
  return {
    name,
    group: checked.group.name,
    window: parseWindow(options.window ?? DEFAULT_WINDOW, options.days, site.timezone),
    maxAttempts: whole(options.maxAttempts, 'maxAttempts', 1, MAX_ATTEMPTS) ?? (outbound ? outbound.maxRetries + 1 : DEFAULT_MAX_ATTEMPTS),
    pacing: {
      maxConcurrent: whole(options.maxConcurrent, 'maxConcurrent', 1, MAX_CONCURRENT),
      perMinute: whole(options.perMinute, 'perMinute', 1, MAX_PER_MINUTE),
    },
    callerId: options.callerId ?? null,
    target: options.target ?? null,
  };
}

/** `Customers Dec.csv` -> `customers-dec`; refuses a name with nothing usable in it. */
export function campaignIdOf(name: string): string {
  const id = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, ID_LENGTH).replace(/-+$/, '');
  if (id === '') throw new JobError('INVALID_JOB', `${JSON.stringify(name)} gives no campaign id; a name needs letters or digits (a-z, 0-9)`, { field: 'name' });
  return id;
}

function whole(value: number | undefined, field: string, min: number, max: number): number | null {
  if (value === undefined) return null;
  if (!Number.isInteger(value) || value < min || value > max) throw new JobError('INVALID_JOB', `${value} is not a whole number from ${min} to ${max}`, { field });
  return value;
}
