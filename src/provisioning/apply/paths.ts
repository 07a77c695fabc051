// Install paths under a --root prefix: tests and packagers write into a scratch tree that
// mirrors /, so /etc/dahdi/system.conf lands at <root>/etc/dahdi/system.conf.

import { isAbsolute, join, resolve } from 'node:path';

export function onDisk(root: string, target: string): string {
  if (!isAbsolute(target)) throw new Error(`install path must be absolute, not '${target}'`);
  return root === '/' ? target : join(resolve(root), target);
}
