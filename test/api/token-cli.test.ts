// `tdmgate token create|list|revoke` from the built CLI (the bundle a technician runs) against
// the database a running supervisor uses: the token printed on the last line (or as `token`
// with --json) opens the API at once, list never prints a secret, a revoke shuts it on the
// next request, and mistakes exit 65/66 naming the field.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI } from '../cli/cli-helpers';
import { startApiSupervisor, type ApiTestSupervisor } from './api-harness';

describe('tdmgate token: the CLI and the running supervisor share the tokens', function () {
  this.timeout(90_000);
  let dir: string;
  let api: ApiTestSupervisor;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-token-cli-'));
    const dbUrl = `sqlite://${path.join(dir, 'shared.db')}`;
    api = await startApiSupervisor({ dbUrl });
    env = { ...process.env, TDMGATE_DB_URL: dbUrl, TDMGATE_DATA_DIR: dir, TDMGATE_CONFIG: '', NO_COLOR: '1' };
  });
  after(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous: the supervisor in this process keeps answering while the CLI runs.
  const tdmgate = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, 'token', ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const spans = (token: string) => api.call('GET', '/api/v1/spans', { token });

  it('create prints the token on its last line; it works at once; list shows no secret; revoke shuts it', async () => {
    const made = await tdmgate('create', '--name', 'crm', '--role', 'operator', '--expires', '30d');
    assert.equal(made.code, 0, made.stderr);
    const token = made.stdout.trim().split('\n').at(-1) as string;
    assert.match(token, /^tdm_/);
    assert.equal((await spans(token)).status, 200);

    const json = await tdmgate('create', '--name', 'wallboard', '--role', 'viewer', '--json');
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { token: string; role: string };
    assert.equal(parsed.role, 'viewer');
    assert.equal((await spans(parsed.token)).status, 200);

    const list = await tdmgate('list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /crm\s+operator\s+active/);
    assert.ok(!list.stdout.includes(token) && !list.stdout.includes(parsed.token), 'no secret in list');
    const listJson = await tdmgate('list', '--json');
    assert.ok(!listJson.stdout.includes('tdm_'));

    assert.equal((await tdmgate('revoke', 'crm')).code, 0);
    assert.equal((await spans(token)).status, 401);
    assert.equal((await spans(parsed.token)).status, 200);
  });

  it('refusals exit 65 naming the field, an unknown token 66', async () => {
    const role = await tdmgate('create', '--name', 'x', '--role', 'root');
    assert.equal(role.code, 65);
    assert.match(role.stderr, /role: "root" is not a role; allowed: viewer, operator, admin/);
    const taken = await tdmgate('create', '--name', 'wallboard', '--role', 'viewer');
    assert.equal(taken.code, 65);
    assert.match(taken.stderr, /name: .*wallboard.* is active/);
    const missing = await tdmgate('revoke', 'nobody');
    assert.equal(missing.code, 66);
    assert.equal((await tdmgate('create', '--role', 'viewer')).code, 64);
  });
});
