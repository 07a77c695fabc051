// `npm run bench:vm` (scripts/vm/bench), the guest side: the native binding's figures on the real
// DAHDI driver with 32 loc spans (16 looped pairs), printed beside the goals. Like
// bench/run.ts it prints and never asserts; it only refuses to run without the 32 spans.

import { loadBinding } from '../src/hardware/dahdi/native';
import { IN_VM, requireDahdi, sysSpans } from '../hardware-tests/env';
import { bearerChannels, controlCycles, edgeLatency, watcherCpu } from './native-watcher';
import { runSections, type BenchSection } from './report';

const SPANS = 32;

function main(): void {
  requireDahdi();
  const spans = sysSpans();
  if (spans.length !== SPANS) {
    throw new Error(`these figures are for ${SPANS} E1 spans, found ${spans.length}: run \`npm run bench:vm\` (it boots the guest with 16 loc pairs)`);
  }
  const binding = loadBinding();
  const channels = bearerChannels(spans);
  const sections: BenchSection[] = [
    ['native watcher CPU, 32 E1 at 250 ms, idle event loop', async () => [
      ...(await watcherCpu(binding, 20, [], 'span status only', '< 2')),
      // Informative: loc spans are clear channel, but 32 MFC/R2 E1 would have the watcher follow these.
      ...(await watcherCpu(binding, 10, channels, `+ GET_PARAMS of ${channels.length} B-channels`, '')),
    ]],
    ['edge latency, alarm change -> JS listener (reference: 1 ms SPANSTAT poller)', () => edgeLatency(binding, 6, 3)],
    ['openControl/close on /dev/dahdi/ctl', () => Promise.resolve(controlCycles(binding, 10_000))],
  ];
  if (IN_VM) {
    console.log('note: the guest runs under qemu TCG software emulation (no KVM): CPU and latency figures are upper bounds for real hardware');
  }
  runSections(sections);
}

try {
  main();
} catch (err) {
  // Not in the bench guest: say why in one line, as every tdmgate entry point does.
  console.error((err as Error).message);
  process.exitCode = 1;
}
