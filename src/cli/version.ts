// tdmgate's own version, read from its package.json at run time.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root';

export function tdmgateVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
