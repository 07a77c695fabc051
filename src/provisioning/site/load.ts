// Loading a site file: read, hash, parse YAML and validate. Every failure is a ProvisioningError.

import type { HardwareFacts, LoadedSite } from './site-types';

export interface LoadOptions {
  hardware?: HardwareFacts;
}

export function parseSite(text: string, source: string, options: LoadOptions = {}): LoadedSite {
  void text;
  void source;
  void options;
  throw new Error('parseSite: not implemented yet');
}

export async function loadSiteFile(path: string, options: LoadOptions = {}): Promise<LoadedSite> {
  return parseSite(path, path, options);
}
