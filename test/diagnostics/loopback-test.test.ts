import assert from 'node:assert/strict';
import { runLoopbackTest } from '../../src/diagnostics/loopback-test';
import { alarmNames, alarmBits, type AlarmName, type MaintenanceOp } from '../../src/hardware/dahdi-constants';
import { unknownSpanError } from '../../src/hardware/errors';
import type { HardwareBackend, HardwareEvent, MaintenanceOutcome, SpanStatus } from '../../src/hardware/types';
import { makeSpan } from './span-fixture';

/** A one-span backend whose line reacts to maintenance commands as the test tells it to. */
class FakeBackend implements HardwareBackend {
  readonly kind = 'sim' as const;
  status: SpanStatus;
  readonly ops: MaintenanceOp[] = [];
  private listener: ((batch: readonly HardwareEvent[]) => void) | null = null;

  constructor(
    alarms: AlarmName[],
    private readonly onMaintenance: (op: MaintenanceOp, fake: FakeBackend) => MaintenanceOutcome = () => ({ supported: true }),
  ) {
    this.status = makeSpan({ alarmList: alarms });
  }

  setAlarms(names: AlarmName[]): void {
    const previous = this.status.alarms;
    const alarms = alarmBits(names);
    this.status = { ...this.status, alarms, alarmNames: alarmNames(alarms) };
    const raised = alarmNames(alarms & ~previous);
    const cleared = alarmNames(previous & ~alarms);
    this.listener?.([{ kind: 'alarm', at: Date.now(), span: 1, previous, alarms, raised, cleared }]);
  }

  bump(counter: 'crc4' | 'slips', by: number): void {
    const value = this.status.counters[counter] ?? 0;
    this.status = { ...this.status, counters: { ...this.status.counters, [counter]: value + by } };
  }

  async driver() {
    return { backend: 'sim' as const, version: 'test', echoCanceller: '' };
  }
  async cards() {
    return [];
  }
  async spans() {
    return [this.status];
  }
  async span(span: number) {
    if (span !== 1) throw unknownSpanError(span, [1]);
    return this.status;
  }
  async channels() {
    return [];
  }
  subscribe(listener: (batch: readonly HardwareEvent[]) => void) {
    this.listener = listener;
    return { close: async () => void (this.listener = null) };
  }
  async maintenance(_span: number, op: MaintenanceOp) {
    this.ops.push(op);
    return this.onMaintenance(op, this);
  }
  async openChannel(): Promise<never> {
    throw new Error('not used');
  }
  async close() {}
}

/** A sleep that runs a step of the scenario instead of waiting. */
function scripted(steps: (() => void)[]) {
  return async (_ms: number, signal?: AbortSignal) => {
    steps.shift()?.();
    if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
  };
}

const loopClearsAlarms = (op: MaintenanceOp, fake: FakeBackend): MaintenanceOutcome => {
  fake.setAlarms(op === 'none' ? ['RED', 'LOS'] : ['LOOPBACK']);
  return { supported: true };
};

describe('loopback-test', () => {
  it('passes when the loop clears the alarms and counters stay flat, then restores none', async () => {
    const fake = new FakeBackend(['RED', 'LOS'], loopClearsAlarms);
    const result = await runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 3, sleep: scripted([]) });
    assert.equal(result.verdict, 'pass', result.reasons.join('; '));
    assert.deepEqual(fake.ops, ['local-loop', 'none']);
    assert.equal(result.restored, true);
  });

  it('uses the network line loop for --mode network', async () => {
    const fake = new FakeBackend([]);
    await runLoopbackTest(fake, { span: 1, mode: 'network', seconds: 1, sleep: scripted([]) });
    assert.deepEqual(fake.ops, ['network-line-loop', 'none']);
  });

  it('fails when alarms stay or counters rise during the observation', async () => {
    const fake = new FakeBackend(['RED', 'LOS'], (op, f) => {
      if (op === 'none') f.setAlarms(['RED', 'LOS']);
      return { supported: true };
    });
    const result = await runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 2, sleep: scripted([() => undefined, () => fake.bump('crc4', 5)]) });
    assert.equal(result.verdict, 'fail');
    assert.match(result.reasons.join('\n'), /alarms did not clear: RED\+LOS/);
    assert.match(result.reasons.join('\n'), /crc4 \+5/);
    assert.deepEqual(fake.ops.at(-1), 'none');
  });

  it('fails on an alarm that comes and goes during the observation', async () => {
    const fake = new FakeBackend([], loopClearsAlarms);
    fake.setAlarms([]);
    const steps = [() => undefined, () => fake.setAlarms(['LOOPBACK', 'RED', 'LFA']), () => fake.setAlarms(['LOOPBACK'])];
    const result = await runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 2, sleep: scripted(steps) });
    assert.equal(result.verdict, 'fail');
    assert.match(result.reasons.join('\n'), /came and went during the test: RED\+LFA/);
  });

  it('reports unsupported when the driver has no maintenance support', async () => {
    const fake = new FakeBackend([], () => ({ supported: false, reason: 'driver has no DAHDI_MAINT (ENOSYS)' }));
    const result = await runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 2, sleep: scripted([]) });
    assert.equal(result.verdict, 'unsupported');
    assert.deepEqual(result.reasons, ['driver has no DAHDI_MAINT (ENOSYS)']);
    // Nothing was looped, so nothing is taken down and the report must not claim it was.
    assert.deepEqual(fake.ops, ['local-loop']);
    assert.equal(result.restored, null);
  });

  it('refuses a span already in LOOPBACK and leaves it alone', async () => {
    const fake = new FakeBackend(['LOOPBACK']);
    const result = await runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 2, sleep: scripted([]) });
    assert.equal(result.verdict, 'refused');
    assert.match(result.reasons[0] ?? '', /already in LOOPBACK/);
    assert.deepEqual(fake.ops, []);
    assert.equal(result.restored, null);
  });

  it('restores mode none when interrupted mid-test', async () => {
    const fake = new FakeBackend([], loopClearsAlarms);
    const controller = new AbortController();
    const steps = [() => undefined, () => controller.abort()];
    const result = await runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 10, signal: controller.signal, sleep: scripted(steps) });
    assert.equal(result.verdict, 'aborted');
    assert.deepEqual(fake.ops, ['local-loop', 'none']);
    assert.equal(result.restored, true);
  });

  it('restores mode none when the backend fails mid-test, and passes the error on', async () => {
    const fake = new FakeBackend([], loopClearsAlarms);
    const steps = [() => undefined, () => (fake.span = async () => Promise.reject(new Error('device gone')))];
    await assert.rejects(runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 3, sleep: scripted(steps) }), /device gone/);
    assert.deepEqual(fake.ops, ['local-loop', 'none']);
  });

  it('says so when the loop could not be taken down', async () => {
    const fake = new FakeBackend([], (op) => {
      if (op === 'none') throw new Error('EIO');
      return { supported: true };
    });
    const result = await runLoopbackTest(fake, { span: 1, mode: 'local', seconds: 1, sleep: scripted([]) });
    assert.equal(result.restored, false);
    assert.match(result.reasons.join('\n'), /dahdi_maint -s 1 -l off/);
  });

  it('passes UNKNOWN_SPAN through without touching anything', async () => {
    const fake = new FakeBackend([]);
    await assert.rejects(runLoopbackTest(fake, { span: 9, mode: 'local', seconds: 1, sleep: scripted([]) }), /spans present: 1/);
    assert.deepEqual(fake.ops, []);
  });
});
