// Entry point of the generators: a validated site in, the DAHDI and Asterisk files out.

import type { SiteConfig, SiteSource } from '../site/site-types';
import type { GenerateOptions, GeneratedFile } from './types';

export type { GeneratedFile, GenerateOptions } from './types';

export function generateConfig(site: SiteConfig, source: SiteSource, options: GenerateOptions = {}): GeneratedFile[] {
  void site;
  void source;
  void options;
  throw new Error('generateConfig: not implemented yet');
}
