// Loading a site file: read and hash the bytes, parse the YAML, validate. I/O lives here only.
// Every failure is a ProvisioningError carrying all issues (SITE_INVALID) or the read error
// (SITE_UNREADABLE); warnings come back with the site.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatIssue } from '../../validation/checker';
import { readYaml } from '../../validation/yaml-source';
import { ProvisioningError } from '../errors';
import type { HardwareFacts, LoadedSite, SiteIssue } from './site-types';
import { validateSite } from './validate';

export interface LoadOptions {
  hardware?: HardwareFacts;
}

/** Parses site YAML; `source` names the file in messages and in the generated headers. */
export function parseSite(text: string, source: string, options: LoadOptions = {}): LoadedSite {
  return parseWithHash(text, source, sha256(Buffer.from(text, 'utf8')), options);
}

export async function loadSiteFile(path: string, options: LoadOptions = {}): Promise<LoadedSite> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    const issue: SiteIssue = { path: '', message: `cannot read ${path}: ${code}`, severity: 'error' };
    throw new ProvisioningError('SITE_UNREADABLE', issue.message, [issue]);
  }
  return parseWithHash(bytes.toString('utf8'), path, sha256(bytes), options);
}

function parseWithHash(text: string, source: string, hash: string, options: LoadOptions): LoadedSite {
  const yaml = readYaml(text);
  if (!yaml.ok) {
    const message = `${source}:${yaml.line}:${yaml.col}: YAML syntax error: ${yaml.message}`;
    throw new ProvisioningError('SITE_INVALID', message, [{ path: '', line: yaml.line, message: `YAML syntax error: ${yaml.message}`, severity: 'error' }]);
  }
  const { site, issues } = validateSite(yaml.value, { locate: yaml.locate, hardware: options.hardware });
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    const lines = issues.map((i) => `${i.severity === 'warning' ? 'warning: ' : ''}${formatIssue(i, source)}`);
    throw new ProvisioningError('SITE_INVALID', `${source} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n  - ${lines.join('\n  - ')}`, issues);
  }
  return { site, source: { path: source, sha256: hash }, warnings: issues };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
