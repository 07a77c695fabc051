// The per-span attempt-rate cap (routing.outbound attemptsPerSecondPerSpan) on the sim's two E1
// PRI spans through the ARI stand-in: calls started together go to different spans rather than
// all to span 1 (the hunt's first), the attempt the cap holds back counts as under way for the
// job queues while it waits, and it is placed once the cap allows.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from '../../src/app/app';
import { waitFor } from '../wait-for';
import { DEMO_SITE, startTestSupervisor, type TestSupervisor } from './supervisor-harness';

/** The demo site with the carrier group capped at one attempt per second on each span. */
function pacedSite(dir: string): string {
  const demo = readFileSync(DEMO_SITE, 'utf8');
  const line = '{ group: carrier, inboundReserve: "20%" }';
  assert.ok(demo.includes(line), 'the demo site still has the carrier outbound line');
  const file = path.join(dir, 'paced.yaml');
  writeFileSync(file, demo.replace(line, '{ group: carrier, inboundReserve: "20%", attemptsPerSecondPerSpan: 1 }'));
  return file;
}

describe('outbound calls under a per-span attempt-rate cap', function () {
  this.timeout(30_000);
  let dir: string;
  let running: TestSupervisor;
  let sup: App;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-paced-'));
    running = await startTestSupervisor({ name: 'SQLite', url: undefined }, undefined, { sitePath: pacedSite(dir) });
    sup = running.sup;
  });
  afterEach(async () => {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('three calls at once: one attempt on each span now, the third held (and counted) until a span may take it', async () => {
    const outbound = sup.calls.outbound;
    assert.equal(outbound.paceWaitMs('carrier'), 0);
    const calls = ['030 1110001', '030 1110002', '030 1110003'].map((number) => outbound.originate({ group: 'carrier', number, target: 'sales' }));
    // Nothing has been awaited yet: each call is under way (waiting for the toll guard's answer).
    assert.equal(outbound.unplacedAttempts('carrier'), 3, 'all three under way');
    // Once the guard has answered, both spans have used their attempt for this second.
    await waitFor(() => outbound.paceWaitMs('carrier') > 0, 'both spans paced: the queues would wait');
    assert.ok(outbound.unplacedAttempts('carrier') >= 1, 'the third call, held back, still counts as under way');
    const results = await Promise.all(calls);
    assert.deepEqual(results.map((r) => r.outcome), ['answered', 'answered', 'answered']);
    const spans = results.map((r) => r.attempts[0]?.span);
    assert.deepEqual(spans.slice(0, 2), [1, 2], 'the second call goes to span 2: span 1 used its attempt for this second');
    assert.ok(spans[2] === 1 || spans[2] === 2);
    assert.equal(results[2]?.attempts.length, 1, 'held, not refused: one attempt');
    for (const r of results) sup.standin!.remoteHangup(r.answeredChannelId as string, 16);
  });
});
