// `tdmgate diag` as a technician runs it, as a process, on the real DAHDI driver: scan and explain
// on the two healthy loc spans, the same after the peer span is taken away (RED, exit 2),
// loopback on a driver without maintenance support, and the support bundle's contents.
// Exit codes are docs/diag.md's: 0 OK, 2 span in alarm, 3 cannot tell / loopback unsupported.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_VM, locFaults, locPair, requireDahdi, sysSpans, tool, waitFor } from './env';

// dist/hardware-tests -> dist/tdmgate.js: package.json's bin (launcher and bundle), what technicians run.
const CLI = join(__dirname, '..', 'tdmgate.js');
const RED = 0x8;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function diag(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, 'diag', ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The command's output in an assertion message: what failed is then visible in the test log. */
function shown(r: Run): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

interface ScanJson {
  backend: { kind: string };
  driver: { backend: string };
  spans: Array<{ span: number; name: string; alarms: number; totalChannels: number; counters: Record<string, number | null> }>;
  health: { code: number; word: string };
}

describe('tdmgate diag on the real DAHDI driver', function () {
  this.timeout(120_000);

  before(function () {
    requireDahdi();
    locPair();
  });

  it('scan --json lists both loc spans with 31 channels, backend dahdi, counters not reported, exit 0', function () {
    const { a, b } = locPair();
    const r = diag('scan', '--json', '--backend', 'dahdi');
    assert.equal(r.status, 0, shown(r));
    const scan = JSON.parse(r.stdout) as ScanJson;
    assert.equal(scan.backend.kind, 'dahdi');
    assert.equal(scan.driver.backend, 'dahdi');
    assert.deepEqual(scan.health, { code: 0, word: 'OK' });
    if (IN_VM) assert.deepEqual(scan.spans.map((s) => s.span), [1, 2]);
    for (const want of [a, b]) {
      const s = scan.spans.find((x) => x.span === want.span);
      assert.ok(s, `span ${want.span} listed`);
      assert.deepEqual([s.name, s.alarms, s.totalChannels], [want.name, 0, 31]);
      // The dynamic driver writes no counter: unknown (null), never a misleading 0.
      for (const [name, value] of Object.entries(s.counters)) assert.equal(value, null, `span ${s.span} counter ${name}`);
    }
  });

  it('explain finds no problem on either span, exit 0', function () {
    const { a, b } = locPair();
    const r = diag('explain', '--backend', 'dahdi');
    assert.equal(r.status, 0, shown(r));
    assert.match(r.stdout, /^Backend: dahdi/m);
    for (const s of [a, b]) assert.match(r.stdout, new RegExp(`^Span ${s.span}\\n  \\[INFO\\] No problem seen`, 'm'), shown(r));
    assert.match(r.stdout, /^Health: OK \(exit 0\)$/m);
  });

  describe('with the peer span taken away', function () {
    const faults = locFaults();

    before(async function () {
      const span = faults.expectRedSpan;
      await faults.takeSpanAway(span);
      await waitFor(`RED on span ${span}`, () => (sysSpans().some((s) => s.span === span && (s.alarms & RED) !== 0) ? true : undefined));
    });
    after(async function () {
      await faults.restore();
    });

    it('scan shows the span RED and exits 2', function () {
      const span = faults.expectRedSpan;
      const r = diag('scan', '--backend', 'dahdi');
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stdout, new RegExp(`^  Span ${span}  DYNAMIC  .*RED`, 'm'), shown(r));
      assert.match(r.stdout, /^Health: ALARM \(exit 2\)$/m);
    });

    it('explain SPAN says what RED / LOS means and exits 2', function () {
      const span = faults.expectRedSpan;
      const r = diag('explain', String(span), '--backend', 'dahdi');
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stdout, /\[ALARM\] RED alarm \/ LOS: no signal received/, shown(r));
      assert.match(r.stdout, new RegExp(`Meaning: Span ${span} receives nothing it can use from the line`));
      assert.match(r.stdout, /Next step: Check the cable/);
      assert.match(r.stdout, /^Health: ALARM \(exit 2\)$/m);
    });
  });

  it('loopback on a loc span: "not supported by this driver", exit 3, the span left as it was', function () {
    const { a } = locPair();
    const r = diag('loopback', String(a.span), '--backend', 'dahdi');
    assert.equal(r.status, 3, shown(r));
    assert.match(r.stdout, /^UNSUPPORTED: span \d+, local loop$/m, shown(r));
    assert.match(r.stdout, /not supported by this driver/);
    const after = sysSpans().find((s) => s.span === a.span);
    assert.equal(after?.alarms, 0, 'no LOOPBACK (or any) alarm left on the span');
  });

  it('report --out writes a tar.gz with /proc/dahdi and system.conf', function () {
    const { a, b } = locPair();
    const dir = mkdtempSync(join(tmpdir(), 'tdmgate-hw-report-'));
    try {
      const out = join(dir, 'bundle.tar.gz');
      const r = diag('report', '--out', out, '--backend', 'dahdi');
      assert.equal(r.status, 0, shown(r));
      assert.match(r.stdout, /^Support bundle written: /m, shown(r));
      const entries = tool('tar', ['-tzf', out]).stdout.split('\n');
      for (const want of [`proc/dahdi/${a.span}`, `proc/dahdi/${b.span}`, 'etc/dahdi/system.conf', 'scan.json', 'explain.txt', 'versions.txt']) {
        assert.ok(entries.includes(`tdmgate-support/${want}`), `${want} in the bundle; entries: ${entries.join(' ')}`);
      }
      const conf = tool('tar', ['-xzOf', out, 'tdmgate-support/etc/dahdi/system.conf']).stdout;
      assert.match(conf, /^dynamic=loc,1:0,31,0$/m, 'the bundle holds the system.conf that made the loc spans');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
