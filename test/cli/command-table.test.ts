// The lazy command table names each command once more than its module does: they must agree,
// or `tdmgate <name>` would run a different command than --help lists.

import assert from 'node:assert/strict';
import { COMMAND_LOADERS } from '../../src/cli/main';

describe('tdmgate command table', () => {
  it('loads, for every name, the command of that name', async () => {
    for (const [name, load] of COMMAND_LOADERS) assert.equal((await load()).name, name);
  });
});
