import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { asteriskIncludes, BUNDLE_DIR, buildSupportBundle, redactSecrets } from '../../src/diagnostics/support-bundle';

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe('support-bundle', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tdmgate-bundle-test-'));
    await put(path.join(root, 'etc/dahdi/system.conf'), 'span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\n');
    await put(path.join(root, 'etc/dahdi/genconf_parameters'), 'not a .conf file\n');
    await put(path.join(root, 'etc/asterisk/chan_dahdi.conf'), '[channels]\nsignalling=pri_cpe\n#include dahdi-channels.conf\n#include "extra/*.conf"\n');
    await put(path.join(root, 'etc/asterisk/dahdi-channels.conf'), 'group=0\nchannel => 1-15,17-31\n');
    await put(path.join(root, 'etc/asterisk/extra/ari.conf'), '[tdmgate]\npassword = hunter2\nsecret=abc\n');
    await put(path.join(root, 'proc/dahdi/1'), 'Span 1: TE4/0/1 "T4XXP (PCI) Card 0 Span 1" (MASTER) HDB3/CCS/CRC4 RED\n');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function build(readDmesg: () => Promise<string>) {
    const out = path.join(root, 'bundle.tar.gz');
    const result = await buildSupportBundle({
      out,
      scanJson: '{"spans":[]}',
      explainText: 'Span 1\n  [ALARM] RED alarm\n',
      versions: { tdmgate: '0.1.0', dahdi: '3.4.0' },
      paths: {
        etcDahdi: path.join(root, 'etc/dahdi'),
        etcAsterisk: path.join(root, 'etc/asterisk'),
        procDahdi: path.join(root, 'proc/dahdi'),
        kernLog: path.join(root, 'var/log/kern.log'),
      },
      readDmesg,
    });
    const extracted = path.join(root, 'x');
    await mkdir(extracted);
    await tar.extract({ file: out, cwd: extracted });
    const read = (name: string) => readFile(path.join(extracted, BUNDLE_DIR, name), 'utf8');
    return { result, read };
  }

  it('holds scan, findings, versions, configs, includes, /proc and kernel lines', async () => {
    const { result, read } = await build(async () => 'usb 1-1: new device\n[ 2.1] dahdi: Telephony Interface Registered\n');
    for (const name of ['scan.json', 'explain.txt', 'versions.txt', 'etc/dahdi/system.conf', 'etc/asterisk/chan_dahdi.conf', 'etc/asterisk/dahdi-channels.conf', 'etc/asterisk/extra/ari.conf', 'proc/dahdi/1', 'kernel/dmesg-dahdi.txt']) {
      assert.ok(result.files.includes(name), `${name} in ${result.files.join(', ')}`);
      await read(name);
    }
    assert.ok(!result.files.includes('etc/dahdi/genconf_parameters'));
    assert.equal(await read('kernel/dmesg-dahdi.txt'), '[ 2.1] dahdi: Telephony Interface Registered');
    assert.match(await read('versions.txt'), /dahdi: 3\.4\.0/);
  });

  it('removes secrets from every file', async () => {
    const { result, read } = await build(async () => '');
    const ari = await read('etc/asterisk/extra/ari.conf');
    assert.doesNotMatch(ari, /abc|hunter2/);
    assert.match(ari, /secret=<redacted>/);
    assert.match(ari, /password = <redacted>/);
    assert.equal(result.redactedLines, 2);
  });

  it('notes missing sources in MISSING.txt instead of failing', async () => {
    await rm(path.join(root, 'proc'), { recursive: true });
    const { result, read } = await build(async () => Promise.reject(new Error('dmesg: read kernel buffer failed: Operation not permitted')));
    const missing = await read('MISSING.txt');
    assert.match(missing, /proc\/dahdi\/: ENOENT/);
    assert.match(missing, /dmesg: .*not permitted/);
    assert.match(missing, /kern\.log: ENOENT/);
    assert.equal(result.missing.length, 3);
  });

  it('falls back to kern.log when dmesg is not allowed', async () => {
    await put(path.join(root, 'var/log/kern.log'), 'kernel: wct4xxp 0000:03:00.0: alarm\nkernel: dahdi: span 1 RED\n');
    const { read } = await build(async () => Promise.reject(new Error('EPERM')));
    assert.equal(await read('kernel/kern.log-dahdi.txt'), 'kernel: dahdi: span 1 RED');
  });

  describe('redactSecrets', () => {
    const cases: [string, string][] = [
      ['secret=abc', 'secret=<redacted>'],
      ['md5secret = 0f1e', 'md5secret = <redacted>'],
      ['pass=xyz', 'pass=<redacted>'],
      [';password=old', ';password=<redacted>'],
      ['  "api_key": "k-123"', '  "api_key": <redacted>'],
      ['DB_PASSWORD=root', 'DB_PASSWORD=<redacted>'],
      ['register => 1234:pw@sip.example.net/100', 'register => 1234:<redacted>@sip.example.net/100'],
      ['url=mysql://cdr:pw@127.0.0.1/asterisk', 'url=mysql://cdr:<redacted>@127.0.0.1/asterisk'],
    ];
    for (const [line, expected] of cases) {
      it(`${line} -> ${expected}`, () => assert.equal(redactSecrets(line).text, expected));
    }

    it('leaves ordinary settings alone', () => {
      const text = 'passive=yes\nsignalling=pri_cpe\ncontext=from-pstn';
      assert.deepEqual(redactSecrets(text), { text, lines: 0 });
    });
  });

  it('finds #include and #tryinclude files relative to the config directory', () => {
    assert.deepEqual(asteriskIncludes('#include a.conf\n #tryinclude "b.conf"\n;#include c\n#include /etc/x.conf', '/etc/asterisk'), ['/etc/asterisk/a.conf', '/etc/asterisk/b.conf', '/etc/x.conf']);
  });
});
