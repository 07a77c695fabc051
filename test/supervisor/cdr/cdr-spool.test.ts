// The spool on its own: lines come back in order, a torn last line (a crash mid-append) is cut
// before the next append, and lines that are not valid records are set aside with the reason,
// never replayed and never dropped.

import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCdrRecord } from '../../../src/supervisor/cdr/cdr-record';
import { CdrSpool, type SpoolChunk } from '../../../src/supervisor/cdr/cdr-spool';
import { makeCdr } from './cdr-fixtures';

async function readAll(spool: CdrSpool, size: number): Promise<SpoolChunk[]> {
  const out: SpoolChunk[] = [];
  for await (const c of spool.readReplaying(size)) out.push(c);
  return out;
}

describe('CdrSpool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-spool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the records back in append order, in chunks', async () => {
    const spool = new CdrSpool(dir);
    await spool.append([0, 1, 2].map((i) => parseCdrRecord(makeCdr(i))));
    await spool.append([3, 4].map((i) => parseCdrRecord(makeCdr(i))));
    assert.equal(await spool.rotate(), true);
    const chunks = await readAll(spool, 2);
    assert.deepEqual(chunks.map((c) => c.records.map((r) => r.uniqueid)), [['1732438800.0', '1732438800.1'], ['1732438800.2', '1732438800.3'], ['1732438800.4']]);
    await spool.finishReplaying();
    assert.equal(await spool.hasPending(), false);
    assert.equal(await spool.rotate(), false);
    await spool.close();
  });

  it('cuts a torn last line before appending, so the next record is not glued to it', async () => {
    const first = new CdrSpool(dir);
    await first.append([parseCdrRecord(makeCdr(0))]);
    await first.close();
    appendFileSync(first.livePath, '{"v":1,"cdr":{"calldate":"2025-');
    const second = new CdrSpool(dir);
    await second.append([parseCdrRecord(makeCdr(1))]);
    await second.rotate();
    const chunks = await readAll(second, 10);
    assert.deepEqual(chunks.flatMap((c) => c.records.map((r) => r.uniqueid)), ['1732438800.0', '1732438800.1']);
    assert.deepEqual(chunks.flatMap((c) => c.corrupt), []);
    await second.close();
  });

  it('returns lines that are not valid records as corrupt, and keeps them in the rejected file', async () => {
    const spool = new CdrSpool(dir);
    await spool.append([parseCdrRecord(makeCdr(0))]);
    appendFileSync(spool.livePath, 'not json\n{"v":1,"cdr":{"uniqueid":""}}\n{"v":9,"cdr":{}}\n');
    await spool.append([parseCdrRecord(makeCdr(1))]);
    await spool.rotate();
    const chunks = await readAll(spool, 10);
    assert.deepEqual(chunks.flatMap((c) => c.records.map((r) => r.uniqueid)), ['1732438800.0', '1732438800.1']);
    const corrupt = chunks.flatMap((c) => c.corrupt);
    assert.equal(corrupt.length, 3);
    await spool.setAside(corrupt);
    const kept = readFileSync(spool.rejectedPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: string; reason: string });
    assert.deepEqual(kept.map((k) => k.line), ['not json', '{"v":1,"cdr":{"uniqueid":""}}', '{"v":9,"cdr":{}}']);
    assert.ok(kept.every((k) => k.reason.length > 0));
    await spool.close();
    assert.ok(existsSync(spool.replayingPath));
  });
});
