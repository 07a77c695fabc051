// Where tdmgate is installed: the folder holding its package.json. The compiled tree
// (dist/src/...) and the single-file CLI bundle (dist/tdmgate-cli.js) sit at different depths, so
// files found relative to the package (build/Release, package.json) are looked up from here.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The nearest folder at or above `from` whose package.json is tdmgate's. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tdmgate') return dir;
    if (path.dirname(dir) === dir) throw new Error(`tdmgate's package.json is not above ${from}`);
  }
}
