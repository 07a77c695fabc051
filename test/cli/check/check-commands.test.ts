// `tdmgate check ...` end to end, run as Nagios runs it (the built CLI in a child process):
// spans on a simulated card with an alarm -> exit 2 and the exact status line; a bad argument
// -> exit 3; supervisor against a running test supervisor -> 0, and at a URL nobody answers -> 3;
// trunks read from that supervisor's /metrics.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '../../wait-for';
import { CLI } from '../cli-helpers';
import { startTestSupervisor, type TestSupervisor } from '../../supervisor/supervisor-harness';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous, so an in-process supervisor can answer the child meanwhile. */
function check(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A loopback port nobody listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('tdmgate check (the built CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-check-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check spans on a sim card whose span 2 has lost its signal: CRITICAL, exit 2, the span and alarm named', async () => {
    const scenario = path.join(dir, 'los.yaml');
    writeFileSync(scenario, 'faults:\n  scripted:\n    - { at: 0, span: 2, fault: LOS, duration: 3600000 }\n');
    // The scripted fault starts once the sim's clock has moved: the counters' window lets it.
    const r = await check(['spans', '--backend', 'sim', '--scenario', scenario, '--window', '0.3', '-w', '1000']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const [line = '', ...details] = r.stdout.trimEnd().split('\n');
    const [status, perf = ''] = line.split(' | ');
    assert.equal(status, 'TDMGATE SPANS CRITICAL - span 2 RED (LOS)');
    const data = perf.split(' ');
    assert.equal(data[0], "'spans_in_alarm'=1;;;0;3");
    for (const d of data.slice(1)) assert.match(d, /^'span[123]_(crc4|ebit|fe|cv|be|prbs|errsec|irqmisses|slips)'=[\d.]+;1000;;0$/);
    assert.match(details.join('\n'), /^span 2: RED alarm \/ LOS: no signal received\./m);
  });

  it('check spans with counters watched: OK on clean spans, with a figure per reported counter', async () => {
    const r = await check(['spans', '--backend', 'sim', '--window', '0.2', '-w', '5', '-c', '10']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^TDMGATE SPANS OK - 3 spans up, error counters within thresholds over 0\.2 s \| 'spans_in_alarm'=0;;;0;3 'span1_crc4'=0;5;10;0 /);
  });

  it('bad arguments are UNKNOWN (exit 3) with the reason on the status line', async () => {
    const cases: [string[], RegExp][] = [
      [['spans', '-w', '20:10'], /^TDMGATE SPANS UNKNOWN - -w: '20:10' is not a range \(its start is above its end\)/],
      [['spans', '--frobnicate'], /^TDMGATE SPANS UNKNOWN - unknown option --frobnicate/],
      [['trunks', '--url', 'ftp://x'], /^TDMGATE TRUNKS UNKNOWN - --url: 'ftp:\/\/x' is not http/],
      [['supervisor', '-t', 'soon'], /^TDMGATE SUPERVISOR UNKNOWN - --timeout must be a number of seconds/],
    ];
    for (const [args, line] of cases) {
      const r = await check(args);
      assert.equal(r.code, 3, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stdout, line);
    }
  });

  it('check spans with no DAHDI driver on the box: UNKNOWN (exit 3) saying what to load', async function () {
    if (existsSync('/dev/dahdi')) this.skip(); // a box with the real driver: nothing to show here
    const r = await check(['spans', '--backend', 'dahdi']);
    assert.equal(r.code, 3, r.stdout);
    assert.match(r.stdout, /^TDMGATE SPANS UNKNOWN - DAHDI is not loaded: \/dev\/dahdi\/ctl does not exist \(load the driver/);
  });

  describe('against a running supervisor', () => {
    let running: TestSupervisor;
    before(async () => {
      running = await startTestSupervisor({ name: 'SQLite', url: undefined });
    });
    after(() => running.stop());

    it('check supervisor: OK (exit 0) naming each ready part', async () => {
      const r = await check(['supervisor', '--url', running.sup.url]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^TDMGATE SUPERVISOR OK - ari ready, cdr ready, hardware sim \| 'time'=[\d.]+s;;;0\n$/);
    });

    it('check supervisor at a URL nobody answers: UNKNOWN (exit 3)', async () => {
      const port = await closedPort();
      const r = await check(['supervisor', '--url', `http://127.0.0.1:${port}`, '-t', '5']);
      assert.equal(r.code, 3, r.stdout);
      assert.equal(r.stdout, `TDMGATE SUPERVISOR UNKNOWN - cannot reach the supervisor at http://127.0.0.1:${port}/readyz: ECONNREFUSED\n`);
    });

    it('check trunks: free channels per group from /metrics; a span in alarm takes its channels out of the free count', async () => {
      const ok = await check(['trunks', '--url', running.sup.url, '-g', 'carrier']);
      assert.equal(ok.code, 0, ok.stdout);
      assert.match(ok.stdout, /^TDMGATE TRUNKS OK - carrier 60 free of 60 \| 'carrier_free'=60;1:;;0;60 'carrier_busy'=0;;;0;60 'carrier_blocked'=0;;;0;60\n/);
      running.sim.raiseFault(1, 'LOS');
      running.sim.raiseFault(2, 'LOS');
      await waitFor(() => running.sup.trunkMap.snapshot().groups.find((g) => g.name === 'carrier')?.counts['blocked-alarm'] === 60, 'carrier blocked');
      const critical = await check(['trunks', '--url', running.sup.url, '-g', 'carrier', '-w', '10:', '-c', '1:']);
      assert.equal(critical.code, 2, critical.stdout);
      assert.match(critical.stdout, /^TDMGATE TRUNKS CRITICAL - carrier 0 free of 60 \| 'carrier_free'=0;10:;1:;0;60 'carrier_busy'=0;;;0;60 'carrier_blocked'=60;;;0;60\n/);
    });
  });
});
