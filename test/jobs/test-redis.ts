// Real Redis for the job-queue tests: the server named by TDMGATE_TEST_REDIS_URL (what
// scripts/test exports) or else the one scripts/redis starts. Each test takes its own key prefix
// so tests never see each other's queues. `privateRedis` starts a second server in its own
// directory and port, for the tests that kill Redis and start it again.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root';

let serverUrl: string | undefined;

function script(): string {
  return join(packageRoot(__dirname), 'scripts', 'redis');
}

function runScript(args: string[], env: Record<string, string> = {}): string {
  try {
    return execFileSync('bash', [script(), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000, env: { ...process.env, ...env } }).trim();
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
  start(): void;
  /** kill -9: the AOF is all that is left. */
  kill(): void;
  stop(): void;
  cleanup(): void;
}

/** A Redis of its own on `port`, in a temp directory, started. */
export function privateRedis(port: number): PrivateRedis {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-redis-'));
  const env = { TDMGATE_REDIS_DIR: dir, TDMGATE_REDIS_PORT: String(port) };
  const server: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    start: () => void runScript(['start'], env),
    kill: () => {
      const pid = Number(readFileSync(join(dir, 'redis.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      // The pid file stays behind after a kill; the script's start handles that.
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        execFileSync('sleep', ['0.05']);
      }
    },
    stop: () => void runScript(['stop'], env),
    cleanup: () => {
      try {
        runScript(['stop'], env);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  server.start();
  return server;
}
