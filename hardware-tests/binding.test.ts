// The N-API binding (build/Release/tdmgate_dahdi.node) on the real DAHDI driver: what the ioctls
// return for the two loc spans, maintenance on a driver without it, a watcher seeing the RED edge
// when the peer span is destroyed, and no fd or thread left behind.

import { strict as assert } from 'node:assert';
import { MAINT_COMMANDS, SIGTYPES, sigtypeName } from '../src/hardware/dahdi-constants';
import { loadBinding, type NativeBinding, type NativeControl, type RawEdge, type RawEdgeBatch } from '../src/hardware/dahdi/native';
import { DEV_DIR, IN_VM, locFaults, locPair, openFdCount, requireDahdi, waitFor } from './env';

const RED = 0x8;

describe('N-API binding on the real DAHDI driver', function () {
  let binding: NativeBinding;
  let ctl: NativeControl;

  before(function () {
    requireDahdi();
    locPair();
    binding = loadBinding();
  });
  beforeEach(function () {
    ctl = binding.openControl(DEV_DIR);
  });
  afterEach(function () {
    if (!ctl.closed) ctl.close();
  });

  it('finds the loc spans through DAHDI_SPANSTAT, alarm-free, 31 channels each', function () {
    const { a, b } = locPair();
    const sa = ctl.spanStat(a.span);
    const sb = ctl.spanStat(b.span);
    assert.ok(sa && sb, 'SPANSTAT answered for both loc spans');
    assert.deepEqual([sa.spanno, sa.name, sa.alarms, sa.totalchans], [a.span, 'DYN/loc/1:0', 0, 31]);
    assert.deepEqual([sb.spanno, sb.name, sb.alarms, sb.totalchans], [b.span, 'DYN/loc/1:1', 0, 31]);
    assert.equal(sa.spantype.startsWith('DYNAM'), true, `spantype ${sa.spantype}`);
    assert.equal(sa.abi, 2, 'DAHDI 2.11 knows the current SPANSTAT structure');
    if (IN_VM) {
      assert.deepEqual([a.span, b.span], [1, 2]);
      assert.equal(ctl.spanStat(3), null, 'no span 3 in the VM');
    }
  });

  it('numbers channels from basechan 1 and 32 (GET_PARAMS through the ctl fd)', function () {
    const { a, b } = locPair();
    const first = ctl.getParams(a.basechan);
    const last = ctl.getParams(a.basechan + 30);
    const next = ctl.getParams(b.basechan);
    assert.deepEqual([first?.spanno, first?.chanpos], [a.span, 1]);
    assert.deepEqual([last?.spanno, last?.chanpos], [a.span, 31]);
    assert.deepEqual([next?.spanno, next?.chanpos], [b.span, 1]);
    if (IN_VM) assert.deepEqual([a.basechan, b.basechan], [1, 32]);
    assert.equal(ctl.getParams(b.basechan + 31 + 100), null, 'no such channel -> null');
  });

  it('reads channel 1 as a clear B-channel and 16 as the HDLC D-channel', function () {
    const { a } = locPair();
    const b1 = ctl.getParams(a.basechan);
    const d16 = ctl.getParams(a.basechan + 15);
    assert.ok(b1 && d16);
    assert.equal(sigtypeName(b1.sigtype), 'CLEAR');
    // dchan= in system.conf gives HDLCFCS (hardhdlc= would give HARDHDLC); /proc shows the same.
    assert.equal(d16.sigtype, SIGTYPES.HDLCFCS, `sigtype ${sigtypeName(d16.sigtype)}`);
    assert.equal(d16.chanpos, 16);
    assert.equal(d16.name, 'DYN/loc/1:0/16');
    assert.equal(b1.chanAlarms, 0);
  });

  it("answers maintenance on a loc span with 'unsupported' (ENOSYS), not an error", async function () {
    const { a } = locPair();
    assert.equal(await ctl.maintenance(a.span, MAINT_COMMANDS['local-loop']), 'unsupported');
    assert.equal(await ctl.maintenance(a.span, MAINT_COMMANDS['reset-counters']), 'unsupported');
  });

  it('sees RED on span 1:0 within 5 s of its peer being destroyed, and leaks nothing on stop()', async function () {
    this.timeout(30_000);
    ctl.close();
    const fdsBefore = openFdCount();
    assert.deepEqual(binding.resources(), { fds: 0, threads: 0 }, 'nothing held before the watcher');
    const faults = locFaults();
    const span = faults.expectRedSpan;
    const edges: RawEdge[] = [];
    const errors: RawEdgeBatch['error'][] = [];
    const watcher = binding.startWatcher(DEV_DIR, { intervalMs: 50, channels: [] }, (batch) => {
      edges.push(...batch.edges);
      if (batch.error) errors.push(batch.error);
    });
    try {
      await waitFor('span-added for the loc spans', () => (edges.filter((e) => e.type === 'span-added').length >= 2 ? true : undefined), 5000, 20);
      const t0 = Date.now();
      await faults.takeSpanAway(span);
      await waitFor(
        `an alarm edge raising RED on span ${span}`,
        () => (edges.some((e) => e.type === 'alarm' && e.span === span && (e.alarms & RED) !== 0) ? true : undefined),
        5000,
        20,
      );
      assert.ok(Date.now() - t0 < 5000);
      assert.ok(edges.some((e) => e.type === 'span-removed'), 'the destroyed span was reported removed');
      await faults.restore();
      await waitFor(
        `RED clearing on span ${span}`,
        () => (edges.some((e) => e.type === 'alarm' && e.span === span && (e.previous & RED) !== 0 && (e.alarms & RED) === 0) ? true : undefined),
        10_000,
        20,
      );
      assert.deepEqual(errors, [], 'no failed polls');
    } finally {
      await watcher.stop();
      await faults.restore();
    }
    assert.deepEqual(binding.resources(), { fds: 0, threads: 0 }, 'resources() after stop()');
    assert.equal(openFdCount(), fdsBefore, '/proc/self/fd count unchanged');
  });
});
