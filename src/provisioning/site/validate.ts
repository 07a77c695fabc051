// Validation of a parsed site file: structure, then cross-checks, then (when given) the detected
// hardware. Returns the SiteConfig and every issue; the caller decides what errors mean.

import { Checker, type PathLocator } from '../../validation/checker';
import { crossCheck } from './cross-checks';
import { checkHardware } from './hardware-checks';
import { fillTiming, readSite, toSiteConfig } from './read-site';
import type { HardwareFacts, SiteConfig, SiteIssue } from './site-types';

export interface ValidateOptions {
  locate?: PathLocator;
  hardware?: HardwareFacts;
}

export interface Validation {
  site: SiteConfig;
  issues: SiteIssue[];
}

export function validateSite(raw: unknown, options: ValidateOptions = {}): Validation {
  const c = new Checker(options.locate);
  const draft = fillTiming(readSite(c, raw));
  crossCheck(c, draft);
  if (options.hardware) checkHardware(c, draft, options.hardware);
  return { site: toSiteConfig(draft), issues: c.issues };
}
