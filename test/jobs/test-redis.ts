// Real Redis for the job-queue tests: the server named by TDMGATE_TEST_REDIS_URL (what
// scripts/test exports) or else the one scripts/redis starts. Each test takes its own key prefix
// so tests never see each other's queues. `privateRedis` starts a second server in its own
// directory and port, for the tests that kill Redis and start it again.

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root';

const execFileAsync = promisify(execFile);
let serverUrl: string | undefined;

function script(): string {
  return join(packageRoot(__dirname), 'scripts', 'redis');
}

function runScript(args: string[]): string {
  try {
    return execFileSync('bash', [script(), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000, env: process.env }).trim();
  } catch (err) {
    const stderr = (err as { stderr?: Buffer | string }).stderr?.toString() ?? '';
    throw new Error(`scripts/redis ${args.join(' ')} failed (it installs Debian's redis-tools when missing; set TDMGATE_TEST_REDIS_URL to use another server).\n${stderr}`);
  }
}

/** The shared test Redis's URL, starting it through scripts/redis when none is named. */
export function redisUrl(): string {
  if (serverUrl) return serverUrl;
  const fromEnv = process.env.TDMGATE_TEST_REDIS_URL?.trim();
  if (fromEnv) return (serverUrl = fromEnv);
  runScript(['start']);
  return (serverUrl = runScript(['url']));
}

/** A queue prefix no other test uses. */
export function uniquePrefix(name = 'test'): string {
  return `tdmgate-${name}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** Starts it (again): asynchronous, so a supervisor in the same process keeps running meanwhile. */
  start(): Promise<void>;
  /** kill -9: the AOF is all that is left. */
  kill(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A Redis of its own on `port`, in a temp directory, started. */
export async function privateRedis(port: number): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-redis-'));
  const env = { ...process.env, TDMGATE_REDIS_DIR: dir, TDMGATE_REDIS_PORT: String(port) };
  const run = async (command: string): Promise<void> => void (await execFileAsync('bash', [script(), command], { env, timeout: 300_000 }));
  const server: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    start: () => run('start'),
    kill: async () => {
      const pid = Number(readFileSync(join(dir, 'redis.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      // The pid file stays behind after a kill; the script's start handles that.
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 25));
    },
    cleanup: async () => {
      try {
        await run('stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  await server.start();
  return server;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
