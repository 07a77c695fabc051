// apply's side of the generated dialplan and modprobe option: the dialplan reloaded over ARI
// (pbx_config, before chan_dahdi, only when its file changed) against a real HTTP server; whether
// extensions.conf pulls the file in (directly or through a file it includes); the modprobe option
// held back where dahdi-tools' hotplug hook is missing, since auto_assign_spans=0 without it
// leaves every span unassigned.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyFiles, type ApplyDeps } from '../../src/provisioning/apply/apply';
import type { FetchLike } from '../../src/provisioning/apply/ari-reload';
import { findDialplanInclude, includedFiles } from '../../src/provisioning/apply/dialplan-include';
import { nodeFileOps } from '../../src/provisioning/apply/file-ops';
import { autoAssignSettings, HOTPLUG_HOOK, installable, modprobeOverrides, spanAssignment } from '../../src/provisioning/apply/span-assignment';
import { TARGETS } from '../../src/provisioning/generate';

function put(root: string, target: string, content: string): void {
  mkdirSync(dirname(join(root, target)), { recursive: true });
  writeFileSync(join(root, target), content);
}

describe('provision apply: the dialplan and the modprobe option', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tdmgate-dialplan-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('ARI reloads', () => {
    let server: Server;
    const requests: string[] = [];
    before(async () => {
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    function deps(): ApplyDeps {
      const unused = () => Promise.reject(new Error('not used by a file-only apply'));
      return {
        ops: nodeFileOps,
        spawn: () => {
          throw new Error('dahdi_cfg must not run');
        },
        fetch: fetch as unknown as FetchLike,
        now: () => new Date('2026-01-01T10:00:00Z'),
        backend: unused,
        scratchDir: root,
        dahdiCfg: { bin: 'dahdi_cfg', timeoutMs: 1000, testFirst: false, ctlPath: '/dev/dahdi/ctl' },
        ari: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, user: 'u', password: 'p' },
        ariTimeoutMs: 2000,
        watchTimeoutMs: 0,
        settleMs: 0,
        onEvent: () => undefined,
      };
    }

    it('reloads the dialplan before chan_dahdi when the dialplan file changed, and only chan_dahdi otherwise', async () => {
      requests.length = 0;
      const files = [{ target: TARGETS.chanDahdi, content: 'a\n' }, { target: TARGETS.dialplan, content: '[from-x]\n' }];
      const first = await applyFiles(deps(), { files, root, dryRun: false, site: null, takeBackup: true });
      assert.equal(first.outcome, 'applied');
      assert.equal(first.dialplanReload.status, 'reloaded');
      assert.deepEqual(requests, ['PUT /ari/asterisk/modules/pbx_config.so', 'PUT /ari/asterisk/modules/chan_dahdi.so']);

      requests.length = 0;
      const second = await applyFiles(deps(), { files: [{ target: TARGETS.chanDahdi, content: 'b\n' }, files[1] as (typeof files)[number]], root, dryRun: false, site: null, takeBackup: true });
      assert.deepEqual(second.dialplanReload, { status: 'skipped', message: 'the dialplan file did not change' });
      assert.deepEqual(requests, ['PUT /ari/asterisk/modules/chan_dahdi.so']);
    });

    it('without ARI says how to reload the dialplan by hand', async () => {
      const report = await applyFiles({ ...deps(), ari: null }, { files: [{ target: TARGETS.dialplan, content: 'x\n' }], root, dryRun: false, site: null, takeBackup: false });
      assert.match(report.dialplanReload.message, /reload the dialplan yourself \(asterisk -rx "dialplan reload"\)/);
    });
  });

  it('finds the #include in extensions.conf or a file it includes, never in a comment', async () => {
    assert.deepEqual(includedFiles('#include a.conf\n  #tryinclude "b c.conf"\n;#include no.conf\n#include </etc/asterisk/d.conf>\nexten => s,1,NoOp()\n'),
      ['a.conf', 'b c.conf', '/etc/asterisk/d.conf']);
    let found = await findDialplanInclude(nodeFileOps, root);
    assert.equal(found.included, false);
    assert.equal(found.includeLine, '#include extensions_tdmgate.conf');
    assert.match(found.message, /add the line "#include extensions_tdmgate\.conf" at the end of \/etc\/asterisk\/extensions\.conf/);

    put(root, '/etc/asterisk/extensions.conf', '[general]\n;#include extensions_tdmgate.conf\n#include extensions_custom.conf\n#include "custom/*.conf"\n');
    assert.equal((await findDialplanInclude(nodeFileOps, root)).included, false, 'a commented-out include reads nothing');
    put(root, '/etc/asterisk/extensions_custom.conf', '[from-internal-custom]\n#include "/etc/asterisk/extensions_tdmgate.conf"\n');
    found = await findDialplanInclude(nodeFileOps, root);
    assert.deepEqual([found.included, found.by], [true, '/etc/asterisk/extensions_custom.conf']);
  });

  it('follows a loop of #include without hanging', async () => {
    put(root, '/etc/asterisk/extensions.conf', '#include a.conf\n');
    put(root, '/etc/asterisk/a.conf', '#include extensions.conf\n');
    assert.equal((await findDialplanInclude(nodeFileOps, root)).included, false);
  });

  it('holds the modprobe option back where dahdi-tools\' hotplug hook is missing, and says why', async () => {
    const files = [{ target: TARGETS.systemConf, content: 's\n' }, { target: TARGETS.modprobe, content: 'options dahdi auto_assign_spans=0\n' }];
    const held = await installable(nodeFileOps, root, files);
    assert.deepEqual([held.files.map((f) => f.target), held.modprobe], [[TARGETS.systemConf], 'held']);
    assert.match(spanAssignment('1\n', 'held').message, /did not write \/etc\/modprobe\.d\/dahdi-tdmgate\.conf: dahdi-tools' hotplug hook .*dahdi_handle_device.* would leave every span unassigned/);
    assert.match(spanAssignment(null, 'held').message, /DAHDI is not loaded here.*did not write/);

    put(root, HOTPLUG_HOOK[0], '#!/bin/sh\n');
    assert.equal((await installable(nodeFileOps, root, files)).modprobe, 'held', 'the hook without its span-assignments part assigns nothing');
    put(root, HOTPLUG_HOOK[1], '#!/bin/sh\n');
    const ok = await installable(nodeFileOps, root, files);
    assert.deepEqual([ok.files.length, ok.modprobe], [2, 'installed']);
    assert.match(spanAssignment(null, 'installed').message, /which \/etc\/modprobe\.d\/dahdi-tdmgate\.conf sets when the module loads/);
  });

  it('names another modprobe file whose auto_assign_spans is read after ours (its value wins)', async () => {
    assert.deepEqual(autoAssignSettings('# options dahdi auto_assign_spans=7\noptions dahdi debug=1 auto_assign_spans=1\noptions wctdm24xxp auto_assign_spans=5\noptions  dahdi auto_assign_spans=0 # x\n'), [1, 0]);
    put(root, '/etc/modprobe.d/dahdi.conf', 'options dahdi auto_assign_spans=1\n');
    put(root, '/etc/modprobe.d/a-dahdi.conf', 'options dahdi auto_assign_spans=1\n');
    put(root, '/etc/modprobe.d/dahdi-tdmgate.conf', 'options dahdi auto_assign_spans=0\n');
    put(root, '/lib/modprobe.d/dahdi.conf', 'options dahdi auto_assign_spans=0\n');
    put(root, '/lib/modprobe.d/zz-dahdi.conf', 'options dahdi auto_assign_spans=2\n');
    const overrides = await modprobeOverrides(nodeFileOps, root);
    assert.deepEqual(overrides, [{ file: '/etc/modprobe.d/dahdi.conf', value: 1 }, { file: '/lib/modprobe.d/zz-dahdi.conf', value: 2 }],
      'a-dahdi.conf is read before ours; /etc hides /lib\'s dahdi.conf');
    const said = spanAssignment('0\n', 'installed', overrides);
    assert.match(said.message, /But \/etc\/modprobe\.d\/dahdi\.conf sets auto_assign_spans=1, \/lib\/modprobe\.d\/zz-dahdi\.conf sets auto_assign_spans=2, read after \/etc\/modprobe\.d\/dahdi-tdmgate\.conf, so from the next driver load its value wins/);
    assert.deepEqual(spanAssignment('0\n', 'held', overrides).overrides, [], 'a file held back has nothing to override');
  });
});
