// Paths of the captured-style DAHDI fixtures (test/fixtures/dahdi), resolved from dist/test/.
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/dahdi');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}
