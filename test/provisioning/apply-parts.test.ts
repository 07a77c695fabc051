// The apply engine's parts on their own: the dahdi_cfg plan (whole file or -S/-C per changed
// span) and its error messages pinned to lines, ARI reload answers from a real HTTP server
// (204, 401, 404, 409, a server that never answers), atomic file sets that fail half-way,
// backups, and span watching on the sim backend.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyFiles, type ApplyDeps } from '../../src/provisioning/apply/apply';
import { readOriginals, stageFiles } from '../../src/provisioning/apply/atomic-write';
import { ariSettings, reloadModule, reloadUrl, type FetchLike } from '../../src/provisioning/apply/ari-reload';
import { backupWrites, createBackup, latestBackup, markRestored } from '../../src/provisioning/apply/backup';
import { cfgCommands, explainDahdiCfg, planDahdiCfg, rangeList } from '../../src/provisioning/apply/dahdi-cfg';
import { nodeFileOps, type FileOps } from '../../src/provisioning/apply/file-ops';
import { spanTargets, watchSpans, type SpanProgress } from '../../src/provisioning/apply/span-watch';
import { defaultScenario } from '../../src/hardware/sim/default-scenario';
import { createSimBackend } from '../../src/hardware/sim/sim-backend';

const TWO_E1 = [
  '# generated',
  'span=1,1,0,ccs,hdb3,crc4',
  'bchan=1-15,17-31',
  'hardhdlc=16',
  'span=2,2,0,ccs,hdb3,crc4',
  'bchan=32-46,48-62',
  'hardhdlc=47',
  'echocanceller=mg2,1-15,17-31,32-46,48-62',
  'fxsks=63-64',
  'fxoks=65-66',
  'loadzone=us',
  'defaultzone=us',
  '',
].join('\n');

describe('provision apply: dahdi_cfg plan', () => {
  it('runs the whole file when there was none, or when nothing but one span changed, only that span', () => {
    assert.equal(planDahdiCfg(null, TWO_E1).kind, 'all');
    assert.equal(planDahdiCfg(TWO_E1, TWO_E1).kind, 'none');
    assert.equal(planDahdiCfg(TWO_E1, TWO_E1.replace('# generated', '# generated again')).kind, 'none');
    const plan = planDahdiCfg(TWO_E1, TWO_E1.replace('span=2,2,0,ccs,hdb3,crc4', 'span=2,0,0,ccs,hdb3,crc4'));
    assert.deepEqual(plan.kind === 'spans' ? plan.spans : plan, [{ span: 2, channels: '32-62' }]);
    assert.deepEqual(cfgCommands(plan, '/etc/dahdi/system.conf'), [['-c', '/etc/dahdi/system.conf', '-S', '2', '-C', '32-62']]);
  });

  it('runs the whole file when zones, echo cancellers, analog ports or dynamic spans change', () => {
    assert.equal(planDahdiCfg(TWO_E1, TWO_E1.replace('loadzone=us', 'loadzone=de')).kind, 'all');
    assert.equal(planDahdiCfg(TWO_E1, TWO_E1.replace('fxoks=65-66', 'fxoks=65')).kind, 'all');
    assert.equal(planDahdiCfg(TWO_E1, TWO_E1.replace('echocanceller=mg2', 'echocanceller=oslec')).kind, 'all');
    assert.equal(planDahdiCfg(TWO_E1, `dynamic=loc,1:0,31,0\n${TWO_E1}`).kind, 'all');
    const removed = TWO_E1.replace(/span=2[^\n]*\nbchan=32-46,48-62\nhardhdlc=47\n/, '');
    assert.equal(planDahdiCfg(TWO_E1, removed).kind, 'all');
  });

  it('writes channel ranges as dahdi_cfg reads them', () => {
    assert.equal(rangeList([5, 1, 2, 3, 7, 8, 10]), '1-3,5,7-8,10');
  });
});

describe('provision apply: dahdi_cfg errors pinned to lines', () => {
  it('keeps dahdi_cfg line numbers and explains CHANCONFIG, ECHOCAN and SPANCONFIG failures', () => {
    const stderr = [
      'Notice: Configuration file is /tmp/x.conf',
      'line 4: Channel 5 already configured as \'Clear channel\' at line 3',
      'DAHDI_CHANCONFIG failed on channel 16: Invalid argument (22)',
      'Selected signaling not supported',
      'Possible causes:',
      '\thardhdlc is being used on a TE12x (use dchan)',
      'DAHDI_ATTACH_ECHOCAN failed on channel 1: Invalid argument (22)',
      'DAHDI_SPANCONFIG failed on span 2: No such device or address (6)',
    ].join('\n');
    const problems = explainDahdiCfg(stderr, TWO_E1);
    assert.deepEqual(
      problems.map((p) => p.line),
      [4, 4, 8, 5],
    );
    assert.match(problems[1]?.hint ?? '', /use dchan/);
    assert.match(problems[2]?.hint ?? '', /modprobe dahdi_echocan_mg2/);
    assert.match(problems[3]?.message ?? '', /span 2/);
  });

  it('says what to do when the driver is not loaded', () => {
    const [problem] = explainDahdiCfg("line 0: Unable to open master device '/dev/dahdi/ctl'", TWO_E1);
    assert.equal(problem?.line, undefined);
    assert.match(problem?.hint ?? '', /modprobe dahdi/);
  });
});

describe('provision apply: ARI reload', () => {
  let server: Server;
  let base: string;
  let answer: { status: number; body?: string; hang?: boolean };
  const seen: Array<{ method?: string; url?: string; auth?: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
      if (answer.hang) return;
      res.writeHead(answer.status, answer.body ? { 'content-type': 'application/json' } : {});
      res.end(answer.body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const settings = () => ({ url: `${base}/ari`, user: 'tdm', password: 's3cret' });
  const realFetch = fetch as unknown as FetchLike;

  it('PUTs /ari/asterisk/modules/chan_dahdi.so with Basic auth; 204 is a reload', async () => {
    answer = { status: 204 };
    const outcome = await reloadModule(realFetch, settings(), 'chan_dahdi.so', 2000);
    assert.equal(outcome.status, 'reloaded');
    assert.deepEqual(seen.at(-1), { method: 'PUT', url: '/ari/asterisk/modules/chan_dahdi.so', auth: `Basic ${Buffer.from('tdm:s3cret').toString('base64')}` });
  });

  it('explains 401, 404 and 409 with what Asterisk said', async () => {
    answer = { status: 401, body: '{"message":"Authentication required"}' };
    let outcome = await reloadModule(realFetch, settings(), 'chan_dahdi.so', 2000);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message, /credentials.*Authentication required/);
    answer = { status: 404, body: '{"message":"Module could not be found in running modules"}' };
    outcome = await reloadModule(realFetch, settings(), 'chan_dahdi.so', 2000);
    assert.match(outcome.message, /not loaded.*module load chan_dahdi/);
    answer = { status: 409, body: '{"message":"Module could not be reloaded"}' };
    outcome = await reloadModule(realFetch, settings(), 'chan_dahdi.so', 2000);
    assert.match(outcome.message, /409.*could not be reloaded/);
  });

  it('reloads the dialplan as PUT /ari/asterisk/modules/pbx_config.so, naming it in what it says', async () => {
    answer = { status: 204 };
    assert.deepEqual(await reloadModule(realFetch, settings(), 'pbx_config.so', 2000), { status: 'reloaded', message: 'Asterisk reloaded the dialplan (pbx_config)' });
    assert.equal(seen.at(-1)?.url, '/ari/asterisk/modules/pbx_config.so');
    answer = { status: 404, body: '{"message":"Module could not be found in running modules"}' };
    const outcome = await reloadModule(realFetch, settings(), 'pbx_config.so', 2000);
    assert.match(outcome.message, /pbx_config\.so is not loaded.*module load pbx_config\.so/);
  });

  it('gives up after the timeout when Asterisk never answers', async () => {
    answer = { status: 0, hang: true };
    const started = Date.now();
    const outcome = await reloadModule(realFetch, settings(), 'chan_dahdi.so', 300);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message, /did not answer within 300 ms/);
    assert.ok(Date.now() - started < 2000);
  });

  it('takes settings from options, then the environment; no URL means not configured', () => {
    assert.equal(ariSettings({}, {}), null);
    assert.deepEqual(ariSettings({}, { TDMGATE_ARI_URL: 'http://h:8088', TDMGATE_ARI_USER: 'u', TDMGATE_ARI_PASSWORD: 'p' }), { url: 'http://h:8088', user: 'u', password: 'p' });
    assert.throws(() => ariSettings({ url: 'http://h:8088' }, {}), /without a user/);
    assert.equal(reloadUrl('http://h:8088/ari/', 'chan_dahdi.so'), 'http://h:8088/ari/asterisk/modules/chan_dahdi.so');
  });
});

/** nodeFileOps whose nth rename fails, as a full disk or a read-only /etc would. */
function failingRename(failAt: number): FileOps {
  let renames = 0;
  return {
    ...nodeFileOps,
    async rename(from, to) {
      renames += 1;
      if (renames === failAt) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
      return nodeFileOps.rename(from, to);
    },
  };
}

describe('provision apply: atomic file sets and backups', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-apply-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts every file back when a rename fails half-way, and leaves no temp file', async () => {
    const a = join(dir, 'a.conf');
    const b = join(dir, 'sub', 'b.conf');
    const c = join(dir, 'c.conf');
    writeFileSync(a, 'old a\n');
    writeFileSync(c, 'old c\n');
    const writes = [
      { path: a, content: 'new a\n' },
      { path: b, content: 'new b\n' },
      { path: c, content: 'new c\n' },
    ];
    const ops = failingRename(3);
    const staged = await stageFiles(ops, writes, await readOriginals(ops, writes.map((w) => w.path)));
    await assert.rejects(staged.commit(), /simulated/);
    assert.equal(readFileSync(a, 'utf8'), 'old a\n');
    assert.equal(existsSync(b), false);
    assert.equal(readFileSync(c, 'utf8'), 'old c\n');
    assert.deepEqual(readdirSync(dir).sort(), ['a.conf', 'c.conf', 'sub']);
    assert.deepEqual(readdirSync(join(dir, 'sub')), []);
  });

  it('keeps the mode of the file it replaces', async () => {
    const a = join(dir, 'chan_dahdi.conf');
    writeFileSync(a, 'old\n', { mode: 0o640 });
    const writes = [{ path: a, content: 'new\n' }];
    const staged = await stageFiles(nodeFileOps, writes, await readOriginals(nodeFileOps, [a]));
    await staged.commit();
    assert.equal((await nodeFileOps.meta(a))?.mode, 0o640);
  });

  it('records files that did not exist, and walks back one backup per rollback', async () => {
    mkdirSync(join(dir, 'etc/dahdi'), { recursive: true });
    writeFileSync(join(dir, 'etc/dahdi/system.conf'), 'v1\n');
    const originals = (await readOriginals(nodeFileOps, [join(dir, 'etc/dahdi/system.conf'), join(dir, 'etc/asterisk/chan_dahdi.conf')])).map((o, i) => ({
      ...o,
      target: ['/etc/dahdi/system.conf', '/etc/asterisk/chan_dahdi.conf'][i] as string,
    }));
    const first = await createBackup(nodeFileOps, dir, originals, { path: 'site.yaml', sha256: 'ab' }, new Date('2026-01-01T10:00:00Z'));
    const second = await createBackup(nodeFileOps, dir, originals, null, new Date('2026-01-01T10:00:00Z'));
    assert.notEqual(first.dir, second.dir, 'same millisecond, separate backups');
    assert.deepEqual(
      first.manifest.files.map((f) => [f.target, f.existed]),
      [
        ['/etc/dahdi/system.conf', true],
        ['/etc/asterisk/chan_dahdi.conf', false],
      ],
    );
    assert.equal((await latestBackup(nodeFileOps, dir))?.dir, second.dir);
    await markRestored(nodeFileOps, second, new Date());
    assert.equal((await latestBackup(nodeFileOps, dir))?.dir, first.dir);
    const writes = await backupWrites(nodeFileOps, dir, first);
    assert.deepEqual(
      writes.map((w) => [w.target, w.content]),
      [
        ['/etc/dahdi/system.conf', 'v1\n'],
        ['/etc/asterisk/chan_dahdi.conf', null],
      ],
    );
  });
});

/** Deps for applies that touch files only (no system.conf): no dahdi_cfg, ARI or spans. */
function fileOnlyDeps(ops: FileOps, scratchDir: string): ApplyDeps {
  const unused = () => Promise.reject(new Error('not used by a file-only apply'));
  return {
    ops,
    spawn: () => {
      throw new Error('dahdi_cfg must not run');
    },
    fetch: unused,
    now: () => new Date('2026-01-01T10:00:00Z'),
    backend: unused,
    scratchDir,
    dahdiCfg: { bin: 'dahdi_cfg', timeoutMs: 1000, testFirst: false, ctlPath: '/dev/dahdi/ctl' },
    ari: null,
    ariTimeoutMs: 1000,
    watchTimeoutMs: 0,
    settleMs: 0,
    onEvent: () => undefined,
  };
}

describe('provision apply: a write that fails', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-apply-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('marks its own backup restored, so a later rollback passes over it', async () => {
    mkdirSync(join(dir, 'etc/asterisk'), { recursive: true });
    writeFileSync(join(dir, 'etc/asterisk/chan_dahdi.conf'), 'old\n');
    const files = [
      { target: '/etc/asterisk/chan_dahdi.conf', content: 'new\n' },
      { target: '/etc/dahdi/span-types.conf', content: 'new\n' },
    ];
    // Rename 1 is the backup's manifest, 2 and 3 the two files: the second file fails.
    const report = await applyFiles(fileOnlyDeps(failingRename(3), dir), { files, root: dir, dryRun: false, site: null, takeBackup: true });
    assert.equal(report.outcome, 'write-failed');
    assert.notEqual(report.backup, null);
    assert.equal(readFileSync(join(dir, 'etc/asterisk/chan_dahdi.conf'), 'utf8'), 'old\n');
    assert.equal(await latestBackup(nodeFileOps, dir), null, 'nothing to undo');
  });
});

/** The scripted fault starts on the sim's first timer tick: wait for it (bounded). */
async function untilAlarm(backend: ReturnType<typeof createSimBackend>, span: number): Promise<void> {
  for (let i = 0; i < 100 && (await backend.span(span)).alarms === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
  assert.notEqual((await backend.span(span)).alarms, 0, `span ${span} never went into alarm`);
}

describe('provision apply: span watch', () => {
  it('reads the spans a system.conf configures: numbers, dynamic names, analog channels', () => {
    assert.deepEqual(spanTargets(TWO_E1), [
      { kind: 'number', span: 1 },
      { kind: 'number', span: 2 },
      { kind: 'channels', channels: [63, 64, 65, 66] },
    ]);
    assert.deepEqual(spanTargets('dynamic=loc,1:0,31,0\nbchan=1-31\n'), [
      { kind: 'name', name: 'DYN/loc/1:0' },
      { kind: 'channels', channels: Array.from({ length: 31 }, (_, i) => i + 1) },
    ]);
  });

  it('waits for a span in LOS to come up, reporting its progress', async () => {
    const scenario = { ...defaultScenario(), recoverMs: 100 };
    scenario.faults = { scripted: [{ at: 0, span: 1, fault: 'LOS', duration: 300, count: null }], random: null };
    const backend = createSimBackend({ scenario });
    const progress: SpanProgress[] = [];
    try {
      await untilAlarm(backend, 1);
      const result = await watchSpans(backend, spanTargets(TWO_E1), { timeoutMs: 5000, settleMs: 50, onProgress: (p) => progress.push(p) });
      assert.equal(result.allUp, true);
      assert.equal(result.timedOut, false);
      assert.deepEqual(
        result.spans.map((s) => [s.label, s.state]),
        [
          ['span 1', 'up'],
          ['span 2', 'up'],
          ['span 3 (analog)', 'up'],
        ],
      );
      assert.ok(progress.some((p) => p.span === 1 && p.state === 'alarm'), 'span 1 was seen in alarm first');
    } finally {
      await backend.close();
    }
  });

  it('never calls E1 timeslots an analog card up: channels of system.conf\'s analog ports on an E1 span are not there', async () => {
    // The field report: a site that skipped an unused E1 port put its analog ports on E1 channels.
    const backend = createSimBackend({ scenario: defaultScenario() });
    try {
      const result = await watchSpans(backend, spanTargets('span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\nhardhdlc=16\nfxsks=32-33\nfxoks=34-35\n'),
        { timeoutMs: 400, settleMs: 50, onProgress: () => undefined });
      assert.equal(result.allUp, false);
      assert.deepEqual(result.spans.map((s) => [s.label, s.state]), [
        ['span 1', 'up'],
        ['channels 32-35 (span 2 is E1, not analog)', 'missing'],
      ]);
    } finally {
      await backend.close();
    }
  });

  it('stops at the timeout with the spans still down, and a span that is not there', async () => {
    const scenario = defaultScenario();
    scenario.faults = { scripted: [{ at: 0, span: 2, fault: 'LOS', duration: null, count: null }], random: null };
    const backend = createSimBackend({ scenario });
    try {
      const result = await watchSpans(backend, [...spanTargets(TWO_E1), { kind: 'number', span: 9 }], { timeoutMs: 400, settleMs: 50, onProgress: () => undefined });
      assert.equal(result.allUp, false);
      assert.equal(result.timedOut, true);
      assert.deepEqual(
        result.spans.filter((s) => s.state !== 'up').map((s) => [s.label, s.state]),
        [
          ['span 2', 'alarm'],
          ['span 9', 'missing'],
        ],
      );
    } finally {
      await backend.close();
    }
  });
});
