// The web status page under the load: the real supervisor on 32 E1 PRI (960 cells), every
// B-channel busy and calls churning (events-bench's churn), drawn by Debian's Chromium through
// the page's own login and live stream. Inside the page: the interval between animation frames
// (p50, p99, worst) and the long tasks (> 50 ms main-thread work) over the churn; after it, how
// long until every cell shows the state the server's TrunkMap has (the page kept up). Alone:
// node dist/bench/web-page-bench.js (TDMGATE_CHROMIUM names another browser binary).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { churn } from './events-bench';
import { formatResult, percentile, type BenchResult } from './report';
import { B_CHANNELS, drive, IN_FLIGHT, siteYaml, startSupervisor } from './supervisor-bench';

const SECONDS = 5;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];

export async function webPageBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-web-bench-'));
  const sitePath = join(dir, 'site.yaml');
  writeFileSync(sitePath, siteYaml());
  const sup = await startSupervisor(sitePath, join(dir, 'data'), null);
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: process.env.TDMGATE_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1600, height: 1200 } });
  try {
    const standin = sup.standin;
    if (!standin) throw new Error('the supervisor did not start the ARI stand-in');
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(`${sup.url}/`);
    // Signed in as the page's users are: with a viewer token.
    await page.fill('#token', (await sup.tokens.create({ name: 'web-bench', role: 'viewer' })).token);
    await page.click('#login button[type=submit]');
    await page.waitForFunction((n) => document.querySelectorAll('.cell[data-channel]').length >= n, B_CHANNELS, { timeout: 60_000 });

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async (): Promise<Record<string, number>> =>
      Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
    await drive(standin, 0, IN_FLIGHT, false, (n) => n < B_CHANNELS);
    await churn(standin, 1);
    await page.evaluate(() => {
      const w = window as unknown as { benchFrames: number[]; benchLong: number[]; benchStop: boolean };
      w.benchFrames = [];
      w.benchLong = [];
      w.benchStop = false;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.benchLong.push(e.duration))).observe({ type: 'longtask' });
      const frame = (t: number): void => {
        w.benchFrames.push(t);
        if (!w.benchStop) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const m0 = await metrics();
    const loaded = await churn(standin, SECONDS);
    const m1 = await metrics();
    // The renderer's main-thread time over the phase, in ms of each second.
    const busy = (name: string): number => (1000 * ((m1[name] ?? 0) - (m0[name] ?? 0))) / loaded.seconds;
    const seen = await page.evaluate(() => {
      const w = window as unknown as { benchFrames: number[]; benchLong: number[]; benchStop: boolean };
      w.benchStop = true;
      return { frames: w.benchFrames, long: w.benchLong };
    });
    // The page is right when every cell has the TrunkMap's state once the churn stops.
    const t0 = performance.now();
    const want = Object.fromEntries(sup.trunkMap.snapshot().channels.map((c) => [c.channel, c.state]));
    await page.waitForFunction((states) => [...document.querySelectorAll<HTMLElement>('.cell[data-channel]')]
      .every((c) => c.classList.contains(`s-${states[c.dataset.channel ?? ''] ?? ''}`)), want, { timeout: 30_000, polling: 100 });
    const settleMs = performance.now() - t0;
    const gaps = seen.frames.slice(1).map((t, i) => t - (seen.frames[i] as number));
    return [
      { name: `calls churned/s on the page (${B_CHANNELS} cells)`, value: loaded.calls / loaded.seconds, unit: 'calls/s', goal: '' },
      { name: '  frames drawn/s', value: seen.frames.length / loaded.seconds, unit: 'frames/s', goal: '' },
      { name: '  frame interval p50', value: percentile(gaps, 50), unit: 'ms', goal: '' },
      // Smooth: no frame held much past two vsyncs.
      { name: '  frame interval p99', value: percentile(gaps, 99), unit: 'ms', goal: '< 50' },
      { name: '  worst frame interval', value: Math.max(0, ...gaps), unit: 'ms', goal: '' },
      { name: '  long tasks (> 50 ms) over the phase', value: seen.long.length, unit: 'tasks', goal: '' },
      { name: '  page script', value: busy('ScriptDuration'), unit: 'ms/s', goal: '' },
      { name: '  style recalculation', value: busy('RecalcStyleDuration'), unit: 'ms/s', goal: '' },
      { name: '  layout', value: busy('LayoutDuration'), unit: 'ms/s', goal: '' },
      { name: '  all main-thread tasks', value: busy('TaskDuration'), unit: 'ms/s', goal: '' },
      { name: '  page caught up with the TrunkMap after', value: settleMs, unit: 'ms', goal: '< 1000' },
      // The page, the browser and the supervisor share this machine: read the figures against its load.
      { name: '  machine load average (1 min)', value: loadavg()[0] ?? 0, unit: 'runnable', goal: '' },
    ];
  } finally {
    await context.close();
    await sup.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  webPageBench()
    .then((results) => results.forEach((r) => console.log(formatResult(r))))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
