// The status page in a real browser: the supervisor on the sim with the ARI stand-in serves the
// page, Debian's Chromium (driven by playwright-core, offline: no browser download) logs in
// through the form and draws the frames from the live event stream. An alarm raised in the sim
// turns its span's cells red within a second of the server seeing it and the header says what
// it means in the diag's words; an inbound call lights its timeslot with the numbers on hover
// and leaves it when it ends; a call already up when the page opens shows its numbers too; the
// language switch changes the texts. Screenshots are kept under test-artifacts/web/.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { FINDING_TEXT } from '../../src/diagnostics/messages';
import type { CallEvent } from '../../src/supervisor/calls/call-events';
import type { SpanOutOfService } from '../../src/supervisor/trunk-map';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';
import { startTestSupervisor, type TestSupervisor } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');
const CHROMIUM = process.env.TDMGATE_CHROMIUM ?? '/usr/bin/chromium';
/** Offline and quiet: no sandbox (tests run as root), no background traffic, no updates. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];

describe('web status page (Chromium)', function () {
  // A cold Chromium on a loaded 2-core machine takes seconds to start; the waits inside are bounded.
  this.timeout(90_000);
  let running: TestSupervisor;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const shots: string[] = [];

  before(() => mkdirSync(ARTIFACTS, { recursive: true }));
  beforeEach(async function () {
    // The campaign test needs the job queues, on the Redis the test scripts start.
    const queues = this.currentTest?.title.includes('campaign') === true ? { url: redisUrl(), prefix: uniquePrefix('page') } : undefined;
    running = await startTestSupervisor({ name: 'SQLite', url: undefined }, queues);
    profile = mkdtempSync(path.join(tmpdir(), 'tdmgate-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    page = context.pages()[0] ?? await context.newPage();
  });
  afterEach(async function () {
    // A failing test leaves its page as it was, for whoever reads the failure.
    if (this.currentTest?.state === 'failed') await shot(`failed-${(this.currentTest.title).replace(/\W+/g, '-').slice(0, 40)}`).catch(() => undefined);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await running.stop();
  });
  after(() => {
    if (shots.length > 0) console.log(`    screenshots:\n${shots.map((s) => `      ${s}`).join('\n')}`);
  });

  async function shot(name: string): Promise<void> {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  }

  /** Opens the page, signs in through the form, waits for the frames drawn from the live stream. */
  async function signIn(token?: string): Promise<void> {
    token ??= await tokenWithRole(running, 'viewer');
    await page.goto(`${running.sup.url}/`);
    await page.fill('#token', token);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#conn.conn-live', { timeout: 20_000 });
    await page.waitForFunction(() => document.querySelectorAll('#span-1 .cell[data-channel]').length === 30, undefined, { timeout: 20_000 });
  }

  const bearerStates = (span: number): Promise<string[]> =>
    page.$$eval(`#span-${span} .cell[data-channel]`, (cells) => cells.map((c) => [...c.classList].find((k) => k.startsWith('s-')) ?? ''));

  it('draws each E1 span as its frame: TS0 framing, TS16 the D-channel, 30 bearers idle; the analog card as its ports', async () => {
    const requests: { url: string; auth: string | undefined }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers().authorization }));
    const token = await tokenWithRole(running, 'viewer');
    await signIn(token);
    for (const span of [1, 2]) {
      assert.equal(await page.locator(`#span-${span} .frame .cell`).count(), 32, `span ${span}: 32 timeslots`);
      // One row of 32: TS0 and TS31 side by side, not stacked.
      const first = await page.locator(`#span-${span} .cell[data-ts="0"]`).boundingBox();
      const last = await page.locator(`#span-${span} .cell[data-ts="31"]`).boundingBox();
      assert.ok(first && last && first.y === last.y && last.x > first.x, `span ${span}: the frame is one row`);
      assert.match(await page.getAttribute(`#span-${span} .cell[data-ts="0"]`, 'class') ?? '', /\bframing\b/);
      assert.match(await page.getAttribute(`#span-${span} .cell[data-ts="16"]`, 'class') ?? '', /\bdchannel\b/);
      assert.deepEqual(new Set(await bearerStates(span)), new Set(['s-idle']));
      assert.match(await page.textContent(`#span-${span} .span-head`) ?? '', /E1 · pri_cpe/);
      assert.match(await page.textContent(`#span-${span} .span-head`) ?? '', /D-channel up/);
    }
    // The demo's analog card: 2 FXO lines and 2 FXS phones.
    assert.deepEqual(await page.$$eval('#span-3 .cell[data-channel]', (cells) => cells.map((c) => c.textContent)), ['1 FXO', '2 FXO', '3 FXS', '4 FXS']);
    assert.match(await page.textContent('#groups') ?? '', /carrier/);
    // The token went with the stream's request as a bearer token.
    const stream = requests.find((r) => r.url.endsWith('/api/v1/events'));
    assert.equal(stream?.auth, `Bearer ${token}`);
    // A viewer gets a read-only page: no originate form.
    assert.equal(await page.locator('#originate').count(), 0);
    await shot('frames-idle');
  });

  it('an alarm raised in the sim turns that span\'s cells red within a second, with the alarm in plain words', async () => {
    await signIn();
    const seen = new Promise<SpanOutOfService>((resolve) => {
      const off = running.sup.trunkMap.on('span-out-of-service', (e) => {
        if (e.span !== 2) return;
        off();
        resolve(e);
      });
    });
    running.sim.raiseFault(2, 'LOS');
    await seen;
    // Measured from the moment the server's TrunkMap took span 2 out of service.
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('#span-2 .cell[data-channel]')];
      return cells.length === 30 && cells.every((c) => c.classList.contains('s-blocked-alarm'));
    }, undefined, { timeout: 1000, polling: 'raf' });
    assert.deepEqual(new Set(await bearerStates(1)), new Set(['s-idle']), 'span 1 untouched');
    const los = FINDING_TEXT.los.en.title;
    await page.waitForFunction((text) => document.querySelector('#span-2 .findings')?.textContent?.includes(text) === true, los, { timeout: 5000 });
    assert.match(await page.textContent('#span-2 .cond') ?? '', /ALARM/);
    assert.match(await page.textContent('#span-2 .span-head') ?? '', /D-channel down/);
    await page.waitForFunction(() => /Span 2.*ALARM.*LOS/.test(document.querySelector('#timeline')?.textContent ?? ''), undefined, { timeout: 5000 });
    await shot('span-2-los');

    await page.click('#lang');
    const zh = FINDING_TEXT.los.zh.title;
    await page.waitForFunction((text) => document.querySelector('#span-2 .findings')?.textContent?.includes(text) === true, zh, { timeout: 5000 });
    assert.equal(await page.textContent('.top h1'), 'tdmgate 状态');
    assert.match(await page.textContent('#span-2 .cond') ?? '', /告警/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await shot('span-2-los-zh');

    running.sim.clearFault(2, 'LOS');
    await page.waitForFunction(() => [...document.querySelectorAll('#span-2 .cell[data-channel]')].every((c) => c.classList.contains('s-idle')), undefined, { timeout: 20_000 });
  });

  it('a call appears in its timeslot with its numbers on hover, and leaves it when it ends', async () => {
    await signIn();
    const rings: CallEvent[] = [];
    const stop = running.sup.calls.events.on((e) => e.kind === 'ring' && rings.push(e));
    const ch = running.sup.standin!.placeInboundCall({ span: 1, did: '6912347', callerId: '069555111' });
    const ring = await waitFor(() => rings[0], 'the ring');
    stop();
    assert.equal(ring.span, 1);
    const cell = `#span-1 .cell[data-ts="${ring.timeslot}"]`;
    await page.waitForFunction((sel) => /\bs-(ringing|in-call)\b/.test(document.querySelector(sel)?.className ?? ''), cell, { timeout: 5000 });
    assert.match(await page.getAttribute(cell, 'class') ?? '', /\bdir-in\b/);
    await page.hover(cell);
    await page.waitForFunction((caller) => document.querySelector('#tip')?.textContent?.includes(caller) === true, ring.caller, { timeout: 5000 });
    const tip = await page.textContent('#tip') ?? '';
    assert.ok(tip.includes(ring.called), tip);
    assert.match(tip, new RegExp(`Span 1 TS${ring.timeslot}`));
    assert.match(tip, /inbound/);
    await page.waitForFunction((caller) => document.querySelector('#calls')?.textContent?.includes(caller) === true, ring.caller, { timeout: 5000 });
    await shot('call-on-span-1');

    // A page opened while the call is up gets it, numbers included, from the snapshot.
    await page.reload();
    await page.waitForSelector('#conn.conn-live', { timeout: 20_000 });
    await page.waitForFunction((sel) => /\bs-(ringing|in-call)\b/.test(document.querySelector(sel)?.className ?? ''), cell, { timeout: 5000 });
    await page.hover(cell);
    await page.waitForFunction((caller) => document.querySelector('#tip')?.textContent?.includes(caller) === true, ring.caller, { timeout: 5000 });

    running.sup.standin!.remoteHangup(ch.id, 16);
    await page.waitForFunction((sel) => /\bs-idle\b/.test(document.querySelector(sel)?.className ?? ''), cell, { timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('#calls .empty') !== null, undefined, { timeout: 5000 });
    assert.doesNotMatch(await page.getAttribute(cell, 'class') ?? '', /\bdir-/);
  });

  it('after the stream drops it reconnects with Last-Event-ID and shows what happened meanwhile', async () => {
    const streams: (string | undefined)[] = [];
    page.on('request', (r) => r.url().endsWith('/api/v1/events') && streams.push(r.headers()['last-event-id']));
    await signIn();
    await context.setOffline(true);
    await page.waitForSelector('#conn.conn-retrying', { timeout: 20_000 });
    running.sim.raiseFault(2, 'LOS');
    await waitFor(() => running.sup.trunkMap.snapshot().spans.find((s) => s.span === 2)?.condition === 'alarm', 'span 2 in alarm on the server');
    await context.setOffline(false);
    await page.waitForFunction(() => [...document.querySelectorAll('#span-2 .cell[data-channel]')].every((c) => c.classList.contains('s-blocked-alarm')), undefined, { timeout: 20_000 });
    await page.waitForSelector('#conn.conn-live', { timeout: 20_000 });
    assert.equal(streams[0], undefined, 'the first request starts fresh');
    assert.match(streams.at(-1) ?? '', /^\w+\.\d+$/, 'a reconnect names the last event seen');
  });

  // GET /api/v1/me tells the page the role; the API itself refuses a viewer's originate (403).
  it('a viewer sees the page read-only and cannot originate; a refused token goes back to the login form', async () => {
    const token = await tokenWithRole(running, 'viewer');
    await signIn(token);
    assert.match(await page.textContent('#who') ?? '', /viewer/);
    assert.equal(await page.locator('#originate').count(), 0, 'no originate form for a viewer');
    const status = await page.evaluate(async (t) => (await fetch('/api/v1/calls', {
      method: 'POST', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ group: 'carrier', number: '0301234567' }),
    })).status, token);
    assert.equal(status, 403);
    await shot('viewer');
    await page.evaluate(() => sessionStorage.setItem('tdmgate.token', 'not-a-token'));
    await page.reload();
    await page.waitForSelector('#login-message', { timeout: 10_000 });
    assert.match(await page.textContent('#login-message') ?? '', /refused/);
  });

  it('an operator places a call from the page and sees it in a timeslot of its group', async () => {
    await signIn(await tokenWithRole(running, 'operator'));
    await page.waitForSelector('#originate', { timeout: 5000 });
    await page.selectOption('#originate select[name=group]', 'carrier');
    await page.fill('#originate input[name=number]', '0301234567');
    await page.click('#originate button[type=submit]');
    await page.waitForFunction(() => /call placed/.test(document.querySelector('#originate .result')?.textContent ?? ''), undefined, { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('.cell.dir-out.s-ringing, .cell.dir-out.s-in-call') !== null, undefined, { timeout: 10_000 });
    await shot('operator-call');
  });

  it('a campaign shows with its progress: paused with its numbers pending, then resumed and counted as they are answered', async () => {
    const operator = await tokenWithRole(running, 'operator');
    const api = (method: string, p: string, body?: unknown): Promise<Response> => fetch(`${running.sup.url}/api/v1${p}`, {
      method, headers: { Authorization: `Bearer ${operator}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.equal((await api('POST', '/campaigns', { name: 'Winter', group: 'carrier', window: '00:00-24:00', maxAttempts: 1, entries: [{ number: '030 7700001' }, { number: '030 7700002' }] })).status, 201);
    assert.equal((await api('POST', '/campaigns/winter/pause')).status, 200);
    await signIn(operator);
    const row = '#campaigns tr[data-campaign="winter"]';
    await page.waitForSelector(row, { timeout: 10_000 });
    assert.equal(await page.textContent(`${row} .status`), 'paused');
    assert.equal(await page.textContent(`${row} .pending`), '2');
    assert.equal((await api('POST', '/campaigns/winter/resume')).status, 200);
    // Each call answered settles its job: the page reads the progress again (no polling).
    await page.waitForFunction((sel) => document.querySelector(`${sel} .answered`)?.textContent === '2', row, { timeout: 20_000 });
    await shot('campaign-progress');
  });

});

/** A token of `role` on the running supervisor: wired by the lead with the token service after the merge. */
/** A fresh API token of the role, as `tdmgate token create` makes it. */
async function tokenWithRole(running: TestSupervisor, role: 'viewer' | 'operator'): Promise<string> {
  return (await running.sup.tokens.create({ name: `${role}-${Math.random().toString(36).slice(2, 8)}`, role })).token;
}
