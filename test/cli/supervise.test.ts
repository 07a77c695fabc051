// `tdmgate supervise` from the bundle: a temp data dir, health on a free port, readyz, CDR rows
// in the SQLite file within a bounded time, stdout JSON lines only (not a terminal), SIGTERM ->
// clean exit 0; `--log-format pretty` readable lines instead. A bad variable or option exits 64.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI } from './cli-helpers';
import { waitFor } from '../wait-for';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';

describe('tdmgate supervise (bundle)', function () {
  this.timeout(60_000);
  it('serves readyz, writes CDRs to SQLite, exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-cli-sup-'));
    const child = spawn(process.execPath, [CLI, 'supervise', '--backend', 'sim', '--demo-rate', '600'], {
      env: { ...process.env, TDMGATE_DATA_DIR: dir, TDMGATE_LISTEN: '127.0.0.1:0', TDMGATE_CONFIG: '', TDMGATE_REDIS_URL: redisUrl(), TDMGATE_QUEUE_PREFIX: uniquePrefix('supervise') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await waitFor(async () => /"readyz":"(http:\/\/[^"]+)"/.exec(out)?.[1], 'the readyz address in the log', 15_000);
      await waitFor(async () => (await fetch(url)).status === 200, 'readyz 200', 15_000);
      const count = await waitFor(() => {
        const db = new Database(path.join(dir, 'tdmgate.db'), { readonly: true });
        try {
          const n = (db.prepare('select count(*) n from cdr').get() as { n: number }).n;
          return n >= 2 ? n : false;
        } finally {
          db.close();
        }
      }, 'CDR rows in the SQLite file', 30_000);
      assert.ok(count >= 2);
      assert.match(out, /"msg":"inbound call routed"/);
      // The demo's outbound calls are jobs on the real Redis, dialled by the dispatcher and decided.
      await waitFor(() => /"msg":"outbound call decided"/.test(out), 'an outbound call decided in the log', 15_000);
      await waitFor(() => /"job":"calls-carrier\/\d+".*"msg":"call job (done|to be tried again|failed[^"]*)"/.test(out), 'a call job settled in the log', 30_000);
      const ready = (await (await fetch(url)).json()) as { checks: Record<string, { ok: boolean }> };
      assert.equal(ready.checks.queues?.ok, true, JSON.stringify(ready));
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out.slice(-2000));
      // The log is JSON lines, nothing else (ari-client's swagger-client printed an array per connect).
      const notJson = stdout.split('\n').filter((line) => line.trim() !== '' && !isJson(line));
      assert.deepEqual(notJson, []);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--log-format pretty: one readable line per decision, no JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-cli-sup-'));
    const child = spawn(process.execPath, [CLI, 'supervise', '--backend', 'sim', '--demo-rate', '600', '--log-format', 'pretty'], {
      env: { ...process.env, TDMGATE_DATA_DIR: dir, TDMGATE_LISTEN: '127.0.0.1:0', TDMGATE_CONFIG: '', TDMGATE_REDIS_URL: redisUrl(), TDMGATE_QUEUE_PREFIX: uniquePrefix('supervise') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // e.g. "19:30:01 span 1 TS 31  DID 691234599 from 07393072  -> sales (cc-sales,s)"
      const routed = /^\d\d:\d\d:\d\d span \d+ TS \d+ {2}DID \d+ from \d+ {2}-> (sales|support) \(cc-\w+,\w+\)$/m;
      const line = await waitFor(() => routed.exec(stdout)?.[0], 'a routed call as a readable line', 30_000);
      assert.ok(line.length < 120, line);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr.slice(-2000));
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      assert.deepEqual(lines.filter(isJson), [], 'no JSON lines');
      assert.deepEqual(lines.filter((l) => !/^\d\d:\d\d:\d\d /.test(l)), [], 'every line starts with the time');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--help lists the supervise options, --log-format among them', async () => {
    const child = spawn(process.execPath, [CLI, 'supervise', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    assert.equal(await new Promise<number | null>((resolve) => child.on('exit', resolve)), 0);
    assert.match(out, /--log-format json\|pretty/);
  });

  it('a bad --log-format: exit 64 naming the option and the allowed values', async () => {
    const child = spawn(process.execPath, [CLI, 'supervise', '--log-format', 'xml'], { env: { ...process.env, TDMGATE_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 64);
    assert.match(err, /--log-format: unknown log format "xml" \(allowed: json, pretty\)/);
  });

  it('a bad variable: exit 64 naming it', async () => {
    const child = spawn(process.execPath, [CLI, 'supervise'], { env: { ...process.env, TDMGATE_BACKEND: 'zap', TDMGATE_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 64);
    assert.match(err, /TDMGATE_BACKEND/);
  });
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
