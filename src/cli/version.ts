// tdmgate's own version, read from package.json at run time (dist/src/cli -> repository root).

import { readFileSync } from 'node:fs';
import path from 'node:path';

export function tdmgateVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
