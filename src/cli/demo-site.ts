// The demo site shipped with the package, used wherever no site file is configured on simulated
// cards: `supervise` runs on it, and `campaign load` and `dnc` read its groups and numbering then
// so they agree with the supervisor they talk to. Its own module so those commands do not load
// the supervisor's code to learn a path.

import path from 'node:path';
import { packageRoot } from '../package-root';

/** The sim's default hardware with routing. */
export function demoSitePath(): string {
  return path.join(packageRoot(), 'dahdi-config', 'sites', 'sim-demo.yaml');
}
