// The N-API binding against what this machine has without DAHDI: missing device nodes, and
// regular files standing in for them (every DAHDI ioctl on a regular file fails with ENOTTY).
// The real driver is exercised by hardware-tests/ in the qemu VM.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHardwareError } from '../../src/hardware/errors';
import { fromNativeError, loadBinding, type NativeBinding, type NativeErrorFacts, type RawEdgeBatch } from '../../src/hardware/dahdi/native';

const root = path.resolve(__dirname, '../../..');
const bindingPath = path.join(root, 'build/Release/tdmgate_dahdi.node');

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Asserts that fn throws an Error carrying exactly these native facts. */
function assertThrowsFacts(fn: () => unknown, facts: Partial<NativeErrorFacts>): NativeErrorFacts & Error {
  let caught: unknown;
  assert.throws(fn, (err: unknown) => {
    caught = err;
    return true;
  });
  assertFacts(caught, facts);
  return caught as NativeErrorFacts & Error;
}

function assertFacts(err: unknown, facts: Partial<NativeErrorFacts>): void {
  assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`);
  const e = err as Error & NativeErrorFacts;
  for (const [key, value] of Object.entries(facts)) assert.equal(e[key as keyof NativeErrorFacts], value, `${key} of ${e.message}`);
}

/** Resolves with the batches delivered until `count` arrived, or rejects after `ms`. */
function nextBatches(batches: RawEdgeBatch[], count: number, ms: number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (batches.length >= count) resolve();
      else if (Date.now() - started > ms) reject(new Error(`${batches.length} of ${count} batches after ${ms} ms`));
      else setTimeout(check, 2);
    };
    check();
  });
}

interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` in a child node with test/native/fake_channel_shim.c preloaded and `env` added. */
function withShim(dir: string, script: string, env: Record<string, string>): ChildResult {
  const shim = path.join(dir, 'fake_channel_shim.so');
  const cc = spawnSync('cc', ['-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-o', shim, 'test/native/fake_channel_shim.c', '-ldl', '-pthread'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(cc.status, 0, `compiling the shim failed:\n${cc.stderr}`);
  return spawnSync(process.execPath, ['-e', script], { env: { ...process.env, LD_PRELOAD: shim, ...env }, encoding: 'utf8', timeout: 20_000 });
}

describe('native DAHDI binding (no driver on this machine)', function () {
  let binding: NativeBinding;
  let dir: string;

  before(() => {
    binding = loadBinding();
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-native-'));
  });

  afterEach(() => {
    assert.deepEqual(binding.resources(), { fds: 0, threads: 0 }, 'the test left fds or threads behind');
    rmSync(dir, { recursive: true, force: true });
  });

  const fakeCtl = (): string => {
    writeFileSync(path.join(dir, 'ctl'), '');
    return dir;
  };

  it('was built with the x86_64 DAHDI structure sizes', () => {
    assert.deepEqual({ ...binding.abi }, { spaninfo: 314, spaninfoV1: 296, params: 136, maintinfo: 8 });
  });

  describe('openControl', () => {
    it('throws ENOENT with syscall open:<dir>/ctl when DAHDI is not loaded, which maps to DRIVER_MISSING', () => {
      const err = assertThrowsFacts(() => binding.openControl(dir), {
        code: 'ENOENT',
        errno: 2,
        syscall: `open:${dir}/ctl`,
      });
      assert.equal(err.message, `open:${dir}/ctl: No such file or directory (ENOENT)`);
      const mapped = fromNativeError(err);
      assert.ok(isHardwareError(mapped, 'DRIVER_MISSING'), mapped.message);
      assert.equal(mapped.syscall, `open:${dir}/ctl`);
      assert.equal(mapped.errnoCode, 'ENOENT');
    });

    it('opens any ctl node; every ioctl then reports ENOTTY with its syscall and span/channel', () => {
      const control = binding.openControl(fakeCtl());
      try {
        assert.equal(control.closed, false);
        assert.deepEqual(binding.resources(), { fds: 1, threads: 0 });
        // SPANSTAT retries with SPANSTAT_V1 on ENOTTY; when both fail the current name is reported.
        const err = assertThrowsFacts(() => control.spanStat(3), {
          code: 'ENOTTY',
          errno: 25,
          syscall: 'ioctl:DAHDI_SPANSTAT',
          span: 3,
        });
        assert.equal(err.message, 'ioctl:DAHDI_SPANSTAT span 3: Inappropriate ioctl for device (ENOTTY)');
        assert.equal(err.channel, undefined);
        assert.ok(isHardwareError(fromNativeError(err), 'IOCTL_UNSUPPORTED'));
        assertThrowsFacts(() => control.getParams(17), { code: 'ENOTTY', syscall: 'ioctl:DAHDI_GET_PARAMS', channel: 17 });
        assertThrowsFacts(() => control.version(), { code: 'ENOTTY', syscall: 'ioctl:DAHDI_GETVERSION' });
      } finally {
        control.close();
      }
    });

    it('rejects non-integer span and channel numbers before any ioctl', () => {
      const control = binding.openControl(fakeCtl());
      try {
        assert.throws(() => control.spanStat(1.5), TypeError);
        assert.throws(() => control.getParams('1' as unknown as number), TypeError);
      } finally {
        control.close();
      }
    });

    it("resolves maintenance 'unsupported' when the node does not know DAHDI_MAINT (ENOTTY)", async () => {
      const control = binding.openControl(fakeCtl());
      try {
        assert.equal(await control.maintenance(1, 14), 'unsupported');
      } finally {
        control.close();
      }
    });

    it('keeps the fd for an in-flight maintenance after close() and releases it when it returns', async () => {
      const control = binding.openControl(fakeCtl());
      const pending = control.maintenance(1, 0);
      control.close();
      assert.equal(control.closed, true);
      assert.equal(binding.resources().fds, 1, 'the worker still uses the fd');
      assert.equal(await pending, 'unsupported');
      assert.equal(binding.resources().fds, 0);
    });

    // The shim holds DAHDI_MAINT until the worker's environment is being torn down (its end of a
    // MessageChannel closes early in teardown), so the ioctl returns to an environment that can no
    // longer run JavaScript, and teardown finds the maintenance still in flight - every time.
    it('survives a worker_threads teardown during maintenance(): no abort, the fd is closed only after DAHDI_MAINT returned', function () {
      this.timeout(30_000);
      const ctl = path.join(fakeCtl(), 'ctl');
      const entered = path.join(dir, 'maint-entered');
      const release = path.join(dir, 'maint-release');
      const fifo = spawnSync('mkfifo', [entered, release], { encoding: 'utf8' });
      assert.equal(fifo.status, 0, fifo.stderr);
      const child = withShim(
        dir,
        `const { Worker, MessageChannel } = require('node:worker_threads');
        const fs = require('node:fs');
        const { port1, port2 } = new MessageChannel();
        port1.on('close', () => fs.writeFileSync(${JSON.stringify(release)}, ''));
        const w = new Worker(\`
          require(${JSON.stringify(bindingPath)}).openControl(${JSON.stringify(dir)}).maintenance(1, 0);\`,
          { eval: true, workerData: { port: port2 }, transferList: [port2] });
        const fd = Number(fs.readFileSync(${JSON.stringify(entered)}, 'utf8'));
        void w.terminate();
        w.on('exit', () => {
          const ctlFds = fs.readdirSync('/proc/self/fd').filter((n) => {
            try { return fs.readlinkSync('/proc/self/fd/' + n) === ${JSON.stringify(ctl)}; } catch { return false; }
          });
          console.log(JSON.stringify({ fd, ctlFds }));
        });`,
        { TDMGATE_FAKE_MAINT_HOLD: dir },
      );
      assert.equal(child.signal, null, `the child died of ${child.signal}:\n${child.stderr}`);
      assert.equal(child.status, 0, child.stderr);
      const out = JSON.parse(child.stdout) as { fd: number; ctlFds: string[] };
      assert.ok(out.fd > 2, child.stdout);
      assert.match(child.stderr, new RegExp(`shim: DAHDI_MAINT on fd ${out.fd} returns`));
      assert.doesNotMatch(child.stderr, /during DAHDI_MAINT/);
      assert.deepEqual(out.ctlFds, [], 'the ctl fd is closed once the worker is gone');
    });

    it('fails every call after close() with EBADF naming the call; close() twice is harmless', async () => {
      const control = binding.openControl(fakeCtl());
      control.close();
      control.close();
      assert.equal(control.closed, true);
      assertThrowsFacts(() => control.spanStat(1), { code: 'EBADF', syscall: 'ioctl:DAHDI_SPANSTAT' });
      assertThrowsFacts(() => control.getParams(1), { code: 'EBADF', syscall: 'ioctl:DAHDI_GET_PARAMS' });
      assertThrowsFacts(() => control.version(), { code: 'EBADF', syscall: 'ioctl:DAHDI_GETVERSION' });
      await assert.rejects(control.maintenance(2, 14), (err: unknown) => {
        assertFacts(err, { code: 'EBADF', syscall: 'ioctl:DAHDI_MAINT', span: 2 });
        return true;
      });
    });

    it('leaks nothing over 10,000 open/close cycles', function () {
      this.timeout(30_000);
      const ctl = fakeCtl();
      const before = openFds();
      for (let i = 0; i < 10_000; i++) {
        const control = binding.openControl(ctl);
        if (i === 0) assert.equal(openFds(), before + 1);
        control.close();
      }
      assert.equal(openFds(), before);
      assert.deepEqual(binding.resources(), { fds: 0, threads: 0 });
    });

    it('reports EACCES for a ctl without permissions (as root: checked in a child running as uid 65534)', function () {
      const ctl = path.join(fakeCtl(), 'ctl');
      chmodSync(ctl, 0o000);
      chmodSync(dir, 0o755);
      const probe = `
        try { require(${JSON.stringify(bindingPath)}).openControl(${JSON.stringify(dir)}); console.log('{"opened":true}'); }
        catch (e) { console.log(JSON.stringify({ code: e.code, errno: e.errno, syscall: e.syscall, message: e.message })); }`;
      const asRoot = process.getuid?.() === 0;
      const child = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
      if (asRoot && child.status !== 0) this.skip(); // uid 65534 cannot reach the build: nothing to learn here
      const facts = JSON.parse(child.stdout.trim()) as NativeErrorFacts & { message: string };
      assert.deepEqual(facts, {
        code: 'EACCES',
        errno: 13,
        syscall: `open:${dir}/ctl`,
        message: `open:${dir}/ctl: Permission denied (EACCES)`,
      });
      assert.ok(isHardwareError(fromNativeError(facts), 'PERMISSION_DENIED'));
    });
  });

  describe('openChannel', () => {
    it('throws with the channel when /dev/dahdi/channel is missing', () => {
      assertThrowsFacts(() => binding.openChannel(dir, 5, () => undefined), {
        code: 'ENOENT',
        syscall: `open:${dir}/channel`,
        channel: 5,
      });
    });

    // The libuv path needs POLLPRI on a channel fd: fake_channel_shim.c fakes one with TCP urgent
    // data, preloaded into a child node.
    const withFakeChannel = (script: string, events: string): ChildResult => withShim(dir, script, { TDMGATE_FAKE_EVENTS: events });

    it('calls onEvents once per POLLPRI wake with the drained codes, then with a GETEVENT error; close() releases the fd', function () {
      this.timeout(30_000);
      const child = withFakeChannel(
        `const b = require(${JSON.stringify(bindingPath)});
        const got = [];
        const ch = b.openChannel(${JSON.stringify(dir)}, 7, (codes, at, err) => {
          got.push({ codes, late: Math.abs(Date.now() - at), err: err && { code: err.code, syscall: err.syscall, channel: err.channel } });
          if (got.length < 4) return;
          const during = b.resources();
          ch.close();
          ch.close();
          console.log(JSON.stringify({ channel: ch.channel, got, during, after: b.resources() }));
        });`,
        '2,1,13,255',
      );
      assert.equal(child.status, 0, child.stderr);
      const out = JSON.parse(child.stdout) as {
        channel: number;
        got: { codes: number[]; late: number; err?: unknown }[];
        during: object;
        after: object;
      };
      assert.equal(out.channel, 7);
      assert.deepEqual(
        out.got.map((g) => g.codes),
        [[2], [1], [13], []],
      );
      assert.ok(out.got.every((g) => g.late < 1000));
      assert.deepEqual(
        out.got.map((g) => g.err),
        [undefined, undefined, undefined, { code: 'EIO', syscall: 'ioctl:DAHDI_GETEVENT', channel: 7 }],
      );
      assert.deepEqual(out.during, { fds: 1, threads: 0 });
      assert.deepEqual(out.after, { fds: 0, threads: 0 }); // and the process exited: no handle left
    });

    it('closes channels, watchers and controls left open when a worker_threads environment ends', function () {
      this.timeout(30_000);
      writeFileSync(path.join(dir, 'ctl'), '');
      const child = withFakeChannel(
        `const { Worker } = require('node:worker_threads');
        let runs = 0;
        const once = () => {
          const w = new Worker(\`
            const { parentPort } = require('node:worker_threads');
            const b = require(${JSON.stringify(bindingPath)});
            parentPort.on('message', () => process.exit(0));
            b.openControl(${JSON.stringify(dir)});
            b.startWatcher(${JSON.stringify(dir)}, { intervalMs: 10, channels: [] }, () => {});
            b.openChannel(${JSON.stringify(dir)}, 7, (codes) => parentPort.postMessage(b.resources()));\`, { eval: true });
          // Half end from inside (process.exit), half are terminated from outside.
          w.once('message', () => (runs % 2 === 0 ? w.postMessage('exit') : void w.terminate()));
          w.on('exit', () => (++runs < 6 ? once() : console.log(JSON.stringify(require(${JSON.stringify(bindingPath)}).resources()))));
        };
        once();`,
        '2',
      );
      assert.equal(child.status, 0, child.stderr);
      assert.deepEqual(JSON.parse(child.stdout), { fds: 0, threads: 0 });
    });

    // No real environment refuses napi_add_async_cleanup_hook, so this test builds its own copy of
    // the binding in which that call fails (TDMGATE_TEST_FAIL_CHANNEL_CLEANUP_HOOK) and opens a
    // fake channel whose first event arrives 80 ms later: a set-up that polled before the hook,
    // the callback and the async context were in place would keep the fd and the poll alive
    // after throwing, and crash on that event (null async context).
    it('leaves nothing open or polled when setting up a channel fails', function () {
      this.timeout(120_000);
      const nodedir = /"nodedir": "([^"]+)"/.exec(readFileSync(path.join(root, 'build/config.gypi'), 'utf8'))?.[1];
      assert.ok(nodedir, 'build/config.gypi names the node headers (run node-gyp rebuild first)');
      const addonApi = path.dirname(require.resolve('node-addon-api/package.json'));
      const faulty = path.join(dir, 'tdmgate_dahdi_faulty.node');
      const sources = readdirSync(path.join(root, 'native'))
        .filter((f) => f.endsWith('.cc'))
        .map((f) => `native/${f}`);
      const defines = ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS', 'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS', 'TDMGATE_TEST_FAIL_CHANNEL_CLEANUP_HOOK'];
      const cc = spawnSync(
        'c++',
        ['-std=c++17', '-shared', '-fPIC', ...defines.map((d) => `-D${d}`), `-I${nodedir}/include/node`, `-I${addonApi}`, ...sources, '-o', faulty],
        { cwd: root, encoding: 'utf8' },
      );
      assert.equal(cc.status, 0, `compiling the fault-injected binding failed:\n${cc.stderr}`);
      const child = withFakeChannel(
        `const b = require(${JSON.stringify(faulty)});
        let threw = false;
        try { b.openChannel(${JSON.stringify(dir)}, 7, () => console.log('onEvents was called')); } catch { threw = true; }
        console.log(JSON.stringify({ threw, after: b.resources() }));`,
        '2',
      );
      // Exiting on its own also proves that no poll handle was left keeping the loop alive.
      assert.equal(child.signal, null, `the child died of ${child.signal}:\n${child.stdout}${child.stderr}`);
      assert.equal(child.status, 0, child.stderr);
      assert.deepEqual(JSON.parse(child.stdout), { threw: true, after: { fds: 0, threads: 0 } });
    });

    it('throws DAHDI_SPECIFY errors with the channel and closes the fd it opened', () => {
      writeFileSync(path.join(dir, 'channel'), '');
      const before = openFds();
      const err = assertThrowsFacts(() => binding.openChannel(dir, 5, () => undefined), {
        code: 'ENOTTY',
        syscall: 'ioctl:DAHDI_SPECIFY',
        channel: 5,
      });
      assert.equal(err.message, 'ioctl:DAHDI_SPECIFY channel 5: Inappropriate ioctl for device (ENOTTY)');
      assert.equal(openFds(), before);
    });
  });

  describe('startWatcher', () => {
    it('delivers one error batch for a persisting error, and stop() resolves at once', async () => {
      const batches: RawEdgeBatch[] = [];
      const watcher = binding.startWatcher(fakeCtl(), { intervalMs: 5, channels: [1, 2] }, (b) => batches.push(b));
      await nextBatches(batches, 1, 2000);
      // Dozens of polls fail the same way meanwhile; none of them may reach JS again.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(batches.length, 1, JSON.stringify(batches));
      const [batch] = batches;
      assert.ok(batch);
      assert.deepEqual(batch.edges, []);
      assert.ok(Math.abs(batch.at - Date.now()) < 10_000);
      assertFacts(batch.error, { code: 'ENOTTY', errno: 25, syscall: 'ioctl:DAHDI_SPANSTAT', span: 1 });
      assert.deepEqual(binding.resources(), { fds: 1, threads: 1 });
      await watcher.stop();
      assert.deepEqual(binding.resources(), { fds: 0, threads: 0 });
    });

    it('wakes from a long interval on stop() instead of finishing the sleep', async () => {
      const batches: RawEdgeBatch[] = [];
      const watcher = binding.startWatcher(fakeCtl(), { intervalMs: 3_600_000, channels: [] }, (b) => batches.push(b));
      await nextBatches(batches, 1, 2000); // the first poll runs at once
      const started = Date.now();
      await Promise.all([watcher.stop(), watcher.stop()]);
      assert.ok(Date.now() - started < 500, `stop() took ${Date.now() - started} ms`);
      assert.equal(binding.resources().threads, 0);
      await watcher.stop(); // after the thread is gone as well
    });

    it('keeps retrying the open and reports each different error once', async () => {
      const batches: RawEdgeBatch[] = [];
      const watcher = binding.startWatcher(dir, { intervalMs: 5, channels: [] }, (b) => batches.push(b));
      try {
        await nextBatches(batches, 1, 2000);
        assertFacts(batches[0]?.error, { code: 'ENOENT', syscall: `open:${dir}/ctl` });
        assert.deepEqual(binding.resources(), { fds: 0, threads: 1 });
        fakeCtl(); // "modprobe dahdi": the node appears, and the next poll gets further
        await nextBatches(batches, 2, 2000);
        assertFacts(batches[1]?.error, { code: 'ENOTTY', syscall: 'ioctl:DAHDI_SPANSTAT' });
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(batches.length, 2);
      } finally {
        await watcher.stop();
      }
    });

    it('delivers nothing after stop() was called', async () => {
      const batches: RawEdgeBatch[] = [];
      const watcher = binding.startWatcher(dir, { intervalMs: 1, channels: [] }, (b) => batches.push(b));
      const stopped = watcher.stop();
      const seen = batches.length;
      await stopped;
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(batches.length, seen);
    });

    it('rejects bad options without starting a thread', () => {
      assert.throws(() => binding.startWatcher(dir, { intervalMs: 0, channels: [] }, () => undefined), RangeError);
      assert.throws(() => binding.startWatcher(dir, { intervalMs: 250, channels: [0] }, () => undefined), TypeError);
      assert.throws(() => binding.startWatcher(dir, { intervalMs: 250, channels: [] }, null as unknown as () => void), TypeError);
      assert.equal(binding.resources().threads, 0);
    });
  });

  describe('watcher diff (native/edge_tracker.cc)', () => {
    it('passes its C++ checks against a scripted driver: spans, alarms, counters, V1, channels', function () {
      this.timeout(60_000);
      const exe = path.join(dir, 'edge_tracker_test');
      const sources = ['native/edge_tracker.cc', 'test/native/edge_tracker_test.cc'];
      const cc = spawnSync('c++', ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-Inative', ...sources, '-o', exe], { cwd: root, encoding: 'utf8' });
      assert.equal(cc.status, 0, `compiling the C++ test failed:\n${cc.stderr}`);
      const run = spawnSync(exe, [], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /all checks passed/);
    });
  });
});
