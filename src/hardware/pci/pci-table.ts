// What a telephony card's PCI ids mean: vendor, model, ports, port kind, echo canceller and the
// kernel module meant to drive it. Sources: dahdi-tools xpp/perl_modules/Dahdi/Hardware/PCI.pm
// (upstream and OpenVox's copy), the drivers' pci_device_id tables, and wanpipe's sdladrv.h for
// Sangoma, whose cards all share four device ids and carry the model in the subsystem id.
// This table only names boards; whether a driver exists is asked of the kernel (pci-detect.ts).
// Allo boards are absent: no source at hand confirmed their ids.

import type { CardInfo } from '../types';

export type PortKind = CardInfo['portKind'];

export interface PciModel {
  vendor: string;
  model: string;
  ports: number;
  portKind: PortKind;
  echoCanceller: string | null;
  kernelModule: string | null;
  notes: string[];
}

export interface PciIds {
  vendorId: number;
  deviceId: number;
  subVendorId: number;
  subDeviceId: number;
}

interface PciEntry extends PciModel {
  vendorId: number;
  deviceId: number;
  /** Omitted: any subsystem id matches. */
  subVendorId?: number;
  subDeviceId?: number;
}

export const PCI_VENDORS = {
  DIGIUM: 0xd161,
  SANGOMA: 0x1923,
  OPENVOX: 0x1b74,
  CCD: 0x1397, // Cologne Chip: the HFC controllers of most BRI cards
  TIGERJET: 0xe159, // Tiger320 bridge of Digium's and clones' first analog/T1 cards
} as const;

export const VENDOR_NAMES: Readonly<Record<number, string>> = {
  [PCI_VENDORS.DIGIUM]: 'Digium',
  [PCI_VENDORS.SANGOMA]: 'Sangoma',
  [PCI_VENDORS.OPENVOX]: 'OpenVox',
  [PCI_VENDORS.CCD]: 'Cologne Chip',
};

const OPENVOX_FORK =
  "needs OpenVox's DAHDI fork (dahdi-linux-complete from OpenVox): upstream wct4xxp does not bind vendor 1b74";
const OPENVOX_ONLY = "driver ships only in OpenVox's DAHDI package, not in upstream dahdi-linux";
const WANPIPE = "driven by Sangoma's wanpipe package (not part of dahdi-linux); line counters via `wanpipemon -c Ta`";
const SANGOMA_EC = 'hardware echo canceller only on the "D" models (e.g. A108D); the PCI ids do not tell';
const VPM = 'optional VPM module';

function digium(deviceId: number, model: string, ports: number, portKind: PortKind, kernelModule: string, ec: string | null, subVendorId?: number): PciEntry {
  return { vendorId: PCI_VENDORS.DIGIUM, deviceId, subVendorId, vendor: 'Digium', model, ports, portKind, echoCanceller: ec, kernelModule, notes: [] };
}

function sangoma(subVendorId: number, model: string, ports: number, portKind: PortKind, notes: string[] = []): PciEntry[] {
  // The same model appears under each of the AFT device ids, depending on the FPGA generation.
  return [0x0040, 0x0100, 0x0300, 0x0400].map((deviceId) => ({
    vendorId: PCI_VENDORS.SANGOMA,
    deviceId,
    subVendorId,
    vendor: 'Sangoma',
    model,
    ports,
    portKind,
    echoCanceller: null,
    kernelModule: 'wanpipe',
    notes: [WANPIPE, ...notes],
  }));
}

function openvox(deviceId: number, model: string, ports: number, portKind: PortKind, kernelModule: string, note: string): PciEntry {
  return { vendorId: PCI_VENDORS.OPENVOX, deviceId, vendor: 'OpenVox', model, ports, portKind, echoCanceller: null, kernelModule, notes: [note] };
}

function hfc(deviceId: number, subDeviceId: number | undefined, vendor: string, model: string, ports: number, kernelModule: string, notes: string[] = []): PciEntry {
  return {
    vendorId: PCI_VENDORS.CCD,
    deviceId,
    subVendorId: subDeviceId === undefined ? undefined : PCI_VENDORS.CCD,
    subDeviceId,
    vendor,
    model,
    ports,
    portKind: 'BRI',
    echoCanceller: null,
    kernelModule,
    notes,
  };
}

const ENTRIES: readonly PciEntry[] = [
  // Digium digital
  digium(0x1820, 'TE820', 8, 'E1/T1', 'wct4xxp', VPM),
  digium(0x1420, 'TE420', 4, 'E1/T1', 'wct4xxp', VPM),
  digium(0x1410, 'TE410P', 4, 'E1/T1', 'wct4xxp', VPM),
  digium(0x1405, 'TE405P', 4, 'E1/T1', 'wct4xxp', VPM),
  digium(0x0420, 'TE420 (4th gen)', 4, 'E1/T1', 'wct4xxp', VPM, 0x0004),
  digium(0x0410, 'TE410P', 4, 'E1/T1', 'wct4xxp', VPM),
  digium(0x0405, 'TE405P', 4, 'E1/T1', 'wct4xxp', VPM),
  digium(0x1220, 'TE220', 2, 'E1/T1', 'wct4xxp', VPM),
  digium(0x1210, 'TE210P', 2, 'E1/T1', 'wct4xxp', VPM),
  digium(0x1205, 'TE205P', 2, 'E1/T1', 'wct4xxp', VPM),
  digium(0x0220, 'TE220 (4th gen)', 2, 'E1/T1', 'wct4xxp', VPM, 0x0004),
  digium(0x0210, 'TE210P', 2, 'E1/T1', 'wct4xxp', VPM),
  digium(0x0205, 'TE205P', 2, 'E1/T1', 'wct4xxp', VPM),
  digium(0x800a, 'TE131/TE133', 1, 'E1/T1', 'wcte13xp', 'VPMOCT032 on TE133'),
  digium(0x800b, 'TE132/TE134', 1, 'E1/T1', 'wcte13xp', 'VPMOCT032 on TE134'),
  digium(0x800e, 'TE435/TE235', 4, 'E1/T1', 'wcte43x', VPM),
  digium(0x8013, 'TE436/TE236', 4, 'E1/T1', 'wcte43x', VPM),
  digium(0x0120, 'TE12xP', 1, 'E1/T1', 'wcte12xp', VPM),
  digium(0x8000, 'TE121', 1, 'E1/T1', 'wcte12xp', VPM),
  digium(0x8001, 'TE122', 1, 'E1/T1', 'wcte12xp', VPM),
  digium(0xb410, 'B410P', 4, 'BRI', 'wcb4xxp', null),
  // Digium analog
  digium(0x2400, 'TDM2400P', 24, 'analog', 'wctdm24xxp', VPM),
  digium(0x0800, 'TDM800P', 8, 'analog', 'wctdm24xxp', VPM),
  digium(0x8005, 'TDM410P', 4, 'analog', 'wctdm24xxp', VPM),
  digium(0x8002, 'AEX800', 8, 'analog', 'wctdm24xxp', VPM),
  digium(0x8003, 'AEX2400', 24, 'analog', 'wctdm24xxp', VPM),
  digium(0x8006, 'AEX410', 4, 'analog', 'wctdm24xxp', VPM),
  digium(0x800c, 'A8A', 8, 'analog', 'wcaxx', VPM),
  digium(0x800d, 'A8B', 8, 'analog', 'wcaxx', VPM),
  digium(0x800f, 'A4A', 4, 'analog', 'wcaxx', VPM),
  digium(0x8010, 'A4B', 4, 'analog', 'wcaxx', VPM),
  // Sangoma AFT: subsystem ids from wanpipe's sdladrv.h (*_SUBSYS_VENDOR)
  ...sangoma(0xa013, 'A104', 4, 'E1/T1'),
  ...sangoma(0xa111, 'A101', 1, 'E1/T1', [SANGOMA_EC]),
  ...sangoma(0xa112, 'A102', 2, 'E1/T1', [SANGOMA_EC]),
  ...sangoma(0xa113, 'A104', 4, 'E1/T1', [SANGOMA_EC]),
  ...sangoma(0xa114, 'A108', 8, 'E1/T1', [SANGOMA_EC]),
  ...sangoma(0xa117, 'A116', 16, 'E1/T1', [SANGOMA_EC]),
  ...sangoma(0xa200, 'A200', 24, 'analog', ['modular: 2-24 FXS/FXO ports depending on the fitted Remora modules']),
  ...sangoma(0xa400, 'A400', 24, 'analog', ['modular: 4-24 FXS/FXO ports depending on the fitted modules']),
  ...sangoma(0xa500, 'A500', 4, 'BRI', ['modular: 2-24 BRI ports depending on the fitted modules']),
  ...sangoma(0xa700, 'B700', 4, 'BRI', ['FlexBRI: BRI plus analog ports']),
  // OpenVox (ids from OpenVox's PCI.pm)
  openvox(0x0115, 'D115P/D115E', 1, 'E1/T1', 'opvxd115', OPENVOX_ONLY),
  openvox(0xd130, 'D130P/D130E', 1, 'E1/T1', 'opvxd115', OPENVOX_ONLY),
  openvox(0xd430, 'D430E', 4, 'E1/T1', 'wct4xxp', OPENVOX_FORK),
  openvox(0x1420, 'D420P', 4, 'E1/T1', 'wct4xxp', OPENVOX_FORK),
  openvox(0xd410, 'D410E', 4, 'E1/T1', 'wct4xxp', OPENVOX_FORK),
  openvox(0xd230, 'D230E', 2, 'E1/T1', 'wct4xxp', OPENVOX_FORK),
  openvox(0xd210, 'D210E', 2, 'E1/T1', 'wct4xxp', OPENVOX_FORK),
  openvox(0x2410, 'A2410P', 24, 'analog', 'opvxa24xx', OPENVOX_ONLY),
  openvox(0x1610, 'A1610P', 16, 'analog', 'opvxa24xx', OPENVOX_ONLY),
  openvox(0x0810, 'A810P', 8, 'analog', 'opvxa24xx', OPENVOX_ONLY),
  {
    vendorId: PCI_VENDORS.TIGERJET,
    deviceId: 0x0001,
    subVendorId: 0x9500,
    subDeviceId: 0x0003,
    vendor: 'OpenVox',
    model: 'A800P/A1200P',
    ports: 12,
    portKind: 'analog',
    echoCanceller: null,
    kernelModule: 'opvxa1200',
    notes: ['8 or 12 ports depending on the fitted modules'],
  },
  // HFC-based BRI (Cologne Chip controllers, board maker in the subsystem id)
  hfc(0x08b4, 0xe884, 'OpenVox', 'B200P', 2, 'wcb4xxp'),
  hfc(0x08b4, 0xe888, 'OpenVox', 'B400P', 4, 'wcb4xxp'),
  hfc(0x16b8, 0xe998, 'OpenVox', 'B800P', 8, 'wcb4xxp'),
  hfc(0x08b4, 0xb540, 'Swyx', '4xS0 SX2 QuadBRI', 4, 'wcb4xxp'),
  hfc(0x08b4, 0xb556, 'Junghanns', 'DuoBRI', 2, 'wcb4xxp'),
  hfc(0x08b4, 0xb520, 'Junghanns', 'QuadBRI', 4, 'wcb4xxp'),
  hfc(0x08b4, 0xb550, 'Junghanns', 'QuadBRI', 4, 'wcb4xxp'),
  hfc(0x08b4, 0xb752, 'Junghanns', 'QuadBRI PCI-E', 4, 'wcb4xxp'),
  hfc(0x16b8, 0xb552, 'Junghanns', 'OctoBRI', 8, 'wcb4xxp'),
  hfc(0x16b8, 0xb55b, 'Junghanns', 'OctoBRI', 8, 'wcb4xxp'),
  hfc(0x08b4, 0xb566, 'beroNet', 'BN2S0', 2, 'wcb4xxp'),
  hfc(0x08b4, 0xb560, 'beroNet', 'BN4S0', 4, 'wcb4xxp'),
  hfc(0x08b4, 0xb762, 'beroNet', 'BN4S0 PCI-E', 4, 'wcb4xxp'),
  hfc(0x16b8, 0xb562, 'beroNet', 'BN8S0', 8, 'wcb4xxp'),
  hfc(0x08b4, undefined, 'Cologne Chip', 'HFC-4S BRI card', 4, 'qozap', ['generic HFC-4S board: upstream wcb4xxp binds only known subsystem ids; qozap is the out-of-tree bristuff driver']),
  hfc(0x16b8, undefined, 'Cologne Chip', 'HFC-8S BRI card', 8, 'qozap', ['generic HFC-8S board: upstream wcb4xxp binds only known subsystem ids; qozap is the out-of-tree bristuff driver']),
  hfc(0x2bd0, undefined, 'Cologne Chip', 'HFC-S BRI card (e.g. OpenVox B100P)', 1, 'zaphfc', ['zaphfc is not in upstream dahdi-linux (OpenVox and distribution patches carry it)']),
];

function specificity(e: PciEntry): number {
  return (e.subVendorId === undefined ? 0 : 1) + (e.subDeviceId === undefined ? 0 : 2);
}

const BY_SPECIFICITY = [...ENTRIES].sort((a, b) => specificity(b) - specificity(a));

function toModel(e: PciEntry): PciModel {
  return { vendor: e.vendor, model: e.model, ports: e.ports, portKind: e.portKind, echoCanceller: e.echoCanceller, kernelModule: e.kernelModule, notes: [...e.notes] };
}

/** The most specific entry matching the ids (vendor:device/subvendor:subdevice first), or null. */
export function lookupPci(ids: PciIds): PciModel | null {
  const hit = BY_SPECIFICITY.find(
    (e) =>
      e.vendorId === ids.vendorId &&
      e.deviceId === ids.deviceId &&
      (e.subVendorId === undefined || e.subVendorId === ids.subVendorId) &&
      (e.subDeviceId === undefined || e.subDeviceId === ids.subDeviceId),
  );
  return hit ? toModel(hit) : null;
}

/** A board of a telephony vendor the table does not know: reported, but as an unknown model. */
export function unknownModel(ids: PciIds): PciModel | null {
  const vendor = VENDOR_NAMES[ids.vendorId];
  if (vendor === undefined || ids.vendorId === PCI_VENDORS.CCD) return null;
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  const notes = [`unknown ${vendor} board ${hex(ids.vendorId)}:${hex(ids.deviceId)} subsystem ${hex(ids.subVendorId)}:${hex(ids.subDeviceId)}`];
  if (ids.vendorId === PCI_VENDORS.SANGOMA) notes.push(WANPIPE);
  return {
    vendor,
    model: 'unknown model',
    ports: 0,
    portKind: 'unknown',
    echoCanceller: null,
    kernelModule: ids.vendorId === PCI_VENDORS.SANGOMA ? 'wanpipe' : null,
    notes,
  };
}
