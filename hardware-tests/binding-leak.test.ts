// The N-API binding leaks nothing on the real driver when used over and over, as a long-running
// supervisor does: 10,000 openControl/close cycles on /dev/dahdi/ctl, and watchers started and
// stopped repeatedly, leave the fd count, the thread count and binding.resources() unchanged.

import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { loadBinding, type NativeBinding } from '../src/hardware/dahdi/native';
import { DEV_DIR, locPair, openFdCount, requireDahdi, waitFor } from './env';

function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

describe('N-API binding: no leak over repeated use on the real driver', function () {
  let binding: NativeBinding;

  before(function () {
    requireDahdi();
    locPair();
    binding = loadBinding();
  });

  it('10,000 openControl + SPANSTAT + close cycles leave no fd behind', function () {
    this.timeout(120_000);
    const { a } = locPair();
    const fds = openFdCount();
    const resources = binding.resources();
    for (let i = 0; i < 10_000; i++) {
      const ctl = binding.openControl(DEV_DIR);
      assert.equal(ctl.spanStat(a.span)?.spanno, a.span);
      ctl.close();
    }
    assert.equal(openFdCount(), fds, '/proc/self/fd count');
    assert.deepEqual(binding.resources(), resources, 'binding.resources()');
  });

  it('200 watcher start/stop cycles leave no fd or thread behind', async function () {
    this.timeout(120_000);
    const fds = openFdCount();
    const threads = threadCount();
    const resources = binding.resources();
    for (let i = 0; i < 200; i++) {
      // Stop some watchers before their first poll and some after it has delivered spans.
      let delivered = false;
      const watcher = binding.startWatcher(DEV_DIR, { intervalMs: 10, channels: [1] }, () => {
        delivered = true;
      });
      if (i % 2 === 1) await waitFor('the first batch', () => (delivered ? true : undefined), 5000, 5);
      await watcher.stop();
    }
    assert.deepEqual(binding.resources(), resources, 'binding.resources()');
    assert.equal(openFdCount(), fds, '/proc/self/fd count');
    assert.equal(threadCount(), threads, '/proc/self/task count');
  });
});
