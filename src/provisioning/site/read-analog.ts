// Reading an analog card's ports. The classic trap lives here: DAHDI names signalling from the
// far end, so an FXO port (a line from the exchange) runs FXS signalling and an FXS port (a
// phone) runs FXO signalling. We derive it from the port type; an explicit signalling of the
// port's own class is the mistake we refuse, with the reason.

import type { Checker } from '../../validation/checker';
import { readGroupList, type GroupResolver } from './read-spans';
import { PORT_TYPES, START_KINDS, type AnalogPort, type PortType, type StartKind } from './site-types';
import { parseRanges } from './channels';
import { CHAN_DAHDI_FIELD, PORT_OPTION_FIELDS, readChanDahdi, readOptions } from './line-options';

export const PORT_KEYS = ['port', 'type', 'start', 'signalling', 'group', ...PORT_OPTION_FIELDS, CHAN_DAHDI_FIELD];
export const ANALOG_SIGNALLING = ['fxsls', 'fxsgs', 'fxsks', 'fxols', 'fxogs', 'fxoks'] as const;
export type AnalogSignalling = (typeof ANALOG_SIGNALLING)[number];
const START_CODE: Record<StartKind, string> = { loop: 'ls', kewl: 'ks', ground: 'gs' };
const MAX_PORTS = 32;

/** system.conf's name for a port's signalling: the far end's class plus the start kind. */
export function analogSignalling(type: PortType, start: StartKind): AnalogSignalling {
  return `${type === 'fxo' ? 'fxs' : 'fxo'}${START_CODE[start]}` as AnalogSignalling;
}

export function readPorts(c: Checker, value: unknown, path: string, group: GroupResolver): AnalogPort[] {
  const list = c.list(value, path) ?? [];
  if (list.length === 0 && Array.isArray(value)) c.fail(path, 'needs at least one port');
  const seen = new Map<number, string>();
  const ports: AnalogPort[] = [];
  list.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const m = c.mapping(item, p, PORT_KEYS);
    if (m === null) return;
    const type = c.oneOf(m.type, `${p}.type`, PORT_TYPES, undefined) ?? 'fxo';
    const start = readStart(c, m.start, m.signalling, p, type);
    const portGroups = m.group === undefined ? [] : readGroupList(c, m.group, `${p}.group`, group);
    const settings: Record<string, string> = {};
    readOptions(c, m, p, 'port', type, settings);
    readChanDahdi(c, m[CHAN_DAHDI_FIELD], `${p}.${CHAN_DAHDI_FIELD}`, 'channel', settings);
    for (const port of readPortNumbers(c, m.port, `${p}.port`)) {
      const first = seen.get(port);
      if (first !== undefined) c.fail(`${p}.port`, `port ${port} is already described by ${first}`);
      seen.set(port, p);
      ports.push({ port, type, start, groups: portGroups, settings });
    }
  });
  return ports.sort((a, b) => a.port - b.port);
}

function readPortNumbers(c: Checker, value: unknown, path: string): number[] {
  if (value === undefined) {
    c.fail(path, 'is required: a port number or a range such as 1-4');
    return [];
  }
  const parsed = parseRanges(value);
  if (!Array.isArray(parsed)) {
    c.fail(path, parsed.error);
    return [];
  }
  const bad = parsed.filter((n) => n < 1 || n > MAX_PORTS);
  if (bad.length > 0) c.fail(path, `ports are numbered 1 to ${MAX_PORTS}, got ${bad.join(', ')}`);
  return parsed.filter((n) => n >= 1 && n <= MAX_PORTS);
}

function readStart(c: Checker, startValue: unknown, sigValue: unknown, path: string, type: PortType): StartKind {
  const start = c.oneOf(startValue, `${path}.start`, START_KINDS, 'kewl') ?? 'kewl';
  if (sigValue === undefined) return start;
  const sig = c.oneOf(sigValue, `${path}.signalling`, ANALOG_SIGNALLING, undefined);
  if (sig === undefined) return start;
  const expected = type === 'fxo' ? 'fxs' : 'fxo';
  if (!sig.startsWith(expected)) {
    c.fail(`${path}.signalling`, `"${sig}" cannot drive an ${type.toUpperCase()} port: DAHDI names signalling from the far end, ` +
      `so an FXO port (a line from the exchange) takes FXS signalling (fxsks, fxsls, fxsgs) and an FXS port (a phone) ` +
      `takes FXO signalling (fxoks, fxols, fxogs). Leave signalling out and tdmgate writes ${analogSignalling(type, start)}`);
    return start;
  }
  const fromSig = (Object.keys(START_CODE) as StartKind[]).find((k) => sig.endsWith(START_CODE[k])) ?? start;
  if (startValue !== undefined && fromSig !== start) {
    c.fail(`${path}.signalling`, `"${sig}" is ${fromSig} start but start says ${start}; give one of them`);
  }
  return fromSig;
}
