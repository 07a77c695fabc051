// Telephony cards on the PCI bus. Reads /sys/bus/pci/devices/* (ids, modalias, bound driver),
// names the board from pci-table.ts, and asks the kernel rather than the table whether a driver
// exists: modules.alias of the running kernel for availability, /proc/modules (or /sys/module)
// for loaded. dahdi-tools' own table lists boards the kernel no longer binds; this does not.
// A board missing from the table is still reported when a DAHDI driver claims it (modules.dep
// says which modules build on dahdi.ko): vendors' own drivers and forks bind ids no table knows.

import * as nodeFs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CardInfo } from '../types';
import { lookupPci, unknownModel, type PciIds, type PciModel } from './pci-table';

export interface PciFs {
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  readdir(dir: string): Promise<string[]>;
  readlink(link: string): Promise<string>;
}

export interface PciRoots {
  sysRoot?: string;
  procRoot?: string;
  /** Directory holding modules.alias; default /lib/modules/<kernelRelease>. */
  modulesDir?: string;
  kernelRelease?: string;
  fs?: PciFs;
}

interface PciDevice extends PciIds {
  location: string;
  modalias: string;
  /** Module of the bound driver (driver/module link), or the driver name. */
  boundModule: string | null;
}

async function readOptional(fs: PciFs, file: string): Promise<string | null> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

async function linkName(fs: PciFs, link: string): Promise<string | null> {
  try {
    return path.basename(await fs.readlink(link));
  } catch {
    return null;
  }
}

function hexId(text: string | null): number {
  return text === null ? 0 : Number.parseInt(text, 16);
}

/** Module names compare with '-' and '_' equal, as the kernel treats them. */
export function normalizeModule(name: string): string {
  return name.replace(/-/g, '_');
}

/** The modalias the kernel would build when the device has no `modalias` attribute. */
export function buildModalias(ids: PciIds, classCode: number): string {
  const h8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');
  const h2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  return `pci:v${h8(ids.vendorId)}d${h8(ids.deviceId)}sv${h8(ids.subVendorId)}sd${h8(ids.subDeviceId)}bc${h2((classCode >> 16) & 0xff)}sc${h2((classCode >> 8) & 0xff)}i${h2(classCode & 0xff)}`;
}

export interface ModuleAlias {
  pattern: RegExp;
  module: string;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The "alias pci:... module" lines of modules.alias. */
export function parseModulesAlias(text: string): ModuleAlias[] {
  const aliases: ModuleAlias[] = [];
  for (const line of text.split('\n')) {
    const m = /^alias\s+(pci:\S+)\s+(\S+)\s*$/.exec(line);
    if (m) aliases.push({ pattern: globToRegExp(m[1] ?? ''), module: normalizeModule(m[2] ?? '') });
  }
  return aliases;
}

/** Modules that build on dahdi.ko (dahdi itself included), from modules.dep text. */
export function parseDahdiModules(depText: string): Set<string> {
  const moduleName = (file: string): string => normalizeModule(path.basename(file).replace(/\.ko(\.\w+)?$/, ''));
  const modules = new Set<string>();
  for (const line of depText.split('\n')) {
    const [target, deps = ''] = line.split(':');
    if (!target?.trim()) continue;
    const name = moduleName(target.trim());
    if (name === 'dahdi' || deps.trim().split(/\s+/).some((d) => d !== '' && moduleName(d) === 'dahdi')) modules.add(name);
  }
  return modules;
}

/** A board the table does not know, driven by a DAHDI driver: reported with what is known. */
function claimedByDahdi(ids: PciIds, module: string): PciModel {
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return {
    ...(unknownModel(ids) ?? { vendor: `PCI vendor ${hex(ids.vendorId)}`, model: 'unknown model', ports: 0, portKind: 'unknown', echoCanceller: null }),
    kernelModule: module,
    notes: [`board ${hex(ids.vendorId)}:${hex(ids.deviceId)} subsystem ${hex(ids.subVendorId)}:${hex(ids.subDeviceId)} is not in tdmgate's table; the DAHDI driver ${module} claims it`],
  };
}

/** Loaded module names from /proc/modules text. */
export function parseProcModules(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n !== '')
      .map(normalizeModule),
  );
}

async function readPciDevice(fs: PciFs, dir: string, location: string): Promise<PciDevice> {
  const ids: PciIds = {
    vendorId: hexId(await readOptional(fs, path.join(dir, 'vendor'))),
    deviceId: hexId(await readOptional(fs, path.join(dir, 'device'))),
    subVendorId: hexId(await readOptional(fs, path.join(dir, 'subsystem_vendor'))),
    subDeviceId: hexId(await readOptional(fs, path.join(dir, 'subsystem_device'))),
  };
  const modalias = (await readOptional(fs, path.join(dir, 'modalias'))) ?? buildModalias(ids, hexId(await readOptional(fs, path.join(dir, 'class'))));
  const boundModule = (await linkName(fs, path.join(dir, 'driver', 'module'))) ?? (await linkName(fs, path.join(dir, 'driver')));
  return { ...ids, location, modalias, boundModule: boundModule === null ? null : normalizeModule(boundModule) };
}

async function loadedModules(fs: PciFs, procRoot: string, sysRoot: string): Promise<(name: string) => Promise<boolean>> {
  const procModules = await readOptional(fs, path.join(procRoot, 'modules'));
  if (procModules !== null) {
    const set = parseProcModules(procModules);
    return (name) => Promise.resolve(set.has(name));
  }
  // No /proc/modules (containers, restricted /proc): a loaded module has /sys/module/<name>.
  return async (name) => {
    try {
      await fs.readdir(path.join(sysRoot, 'module', name));
      return true;
    } catch {
      return false;
    }
  };
}

/** Telephony cards found on the PCI bus, sorted by PCI address. */
export async function detectCards(roots: PciRoots = {}): Promise<CardInfo[]> {
  const fs = roots.fs ?? nodeFs;
  const sysRoot = roots.sysRoot ?? '/sys';
  const procRoot = roots.procRoot ?? '/proc';
  const modulesDir = roots.modulesDir ?? path.join('/lib/modules', roots.kernelRelease ?? os.release());
  const devicesDir = path.join(sysRoot, 'bus/pci/devices');
  let locations: string[];
  try {
    locations = (await fs.readdir(devicesDir)).sort();
  } catch {
    return [];
  }
  const aliasText = await readOptional(fs, path.join(modulesDir, 'modules.alias'));
  const aliases = aliasText === null ? [] : parseModulesAlias(aliasText);
  const depText = await readOptional(fs, path.join(modulesDir, 'modules.dep'));
  const dahdiModules = depText === null ? new Set<string>() : parseDahdiModules(depText);
  const isLoaded = await loadedModules(fs, procRoot, sysRoot);
  const cards: CardInfo[] = [];
  for (const location of locations) {
    const dev = await readPciDevice(fs, path.join(devicesDir, location), location);
    const aliasModules = [...new Set(aliases.filter((a) => a.pattern.test(dev.modalias)).map((a) => a.module))];
    const dahdiDriver = [dev.boundModule, ...aliasModules].find((m): m is string => m !== null && dahdiModules.has(m));
    const model = lookupPci(dev) ?? (dahdiDriver !== undefined ? claimedByDahdi(dev, dahdiDriver) : unknownModel(dev));
    if (model === null) continue;
    const expected = model.kernelModule === null ? null : normalizeModule(model.kernelModule);
    const kernelModule = dev.boundModule ?? (expected !== null && aliasModules.includes(expected) ? expected : aliasModules[0] ?? expected);
    const driverAvailable = dev.boundModule !== null || aliasModules.length > 0;
    const notes = [...model.notes];
    const loaded = kernelModule !== null && (await isLoaded(kernelModule));
    if (!driverAvailable) {
      notes.push(
        aliasText === null
          ? `cannot tell whether a driver is installed: ${path.join(modulesDir, 'modules.alias')} is unreadable`
          : `no installed kernel module claims this board (modules.alias of ${path.basename(modulesDir)})`,
      );
      // e.g. upstream wct4xxp loaded next to an OpenVox D430: loaded, yet not driving this board.
      if (loaded) notes.push(`${kernelModule} is loaded but does not claim this board`);
    }
    cards.push({
      location: dev.location,
      vendorId: dev.vendorId,
      deviceId: dev.deviceId,
      subVendorId: dev.subVendorId,
      subDeviceId: dev.subDeviceId,
      vendor: model.vendor,
      model: model.model,
      ports: model.ports,
      portKind: model.portKind,
      echoCanceller: model.echoCanceller,
      kernelModule,
      moduleLoaded: loaded && driverAvailable,
      driverAvailable,
      notes,
    });
  }
  return cards;
}
