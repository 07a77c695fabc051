// The CDR search on both dialects over a small fixture whose answers are known row by row: each
// filter alone and together, the half-open time range, keyset paging through rows with equal
// start times (every row once, in order), cursors that were tampered with, validation errors
// that name the field, the JSON Schemas agreeing with the validation, and the CSV export -
// quoting parsed back equal, the formula guard, more rows than one page, a slow or vanishing
// reader. Real SQLite files and a real MariaDB.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020';
import type { CdrRow } from '../../src/store/cdr-columns';
import { CdrRepository } from '../../src/store/cdr-repository';
import { csvField, CSV_COLUMNS, guardFormula } from '../../src/store/cdr-csv';
import { CDR_PAGE_SCHEMA, CDR_QUERY_SCHEMA, CDR_RECORD_SCHEMA, parseCdrQuery, SEARCH_DISPOSITIONS, type CdrQuery, type CdrSearchRecord } from '../../src/store/cdr-query';
import { CdrSearch } from '../../src/store/cdr-search';
import { isCdrSearchError } from '../../src/store/cdr-search-errors';
import { Database } from '../../src/store/database';
import { StaticMigrationSource } from '../../src/store/migration-source';
import { CDR_DISPOSITIONS } from '../../src/supervisor/cdr/cdr-record';
import { createTestDatabase, DIALECTS, type TestDatabase } from './test-databases';

const at = (s: string): Date => new Date(`${s}Z`);

function row(uniqueid: string, calldate: string, o: Partial<CdrRow> = {}): CdrRow {
  return {
    calldate: at(calldate), clid: '', src: '', dst: '', dcontext: 'from-pstn', channel: 'DAHDI/1-1', dstchannel: '',
    lastapp: 'Dial', lastdata: '', duration: 10, billsec: 0, disposition: 'NO ANSWER', amaflags: 3, accountcode: '',
    uniqueid, userfield: '', linkedid: uniqueid, peeraccount: '', sequence: 0, span: 1, timeslot: 1, trunk_group: 'pstn-in',
    direction: 'inbound', q850_cause: 19, ring_time: null, answer_time: null, end_time: null, route: '', ...o,
  };
}

// Inserted in this order (ids 1..10); a, b, c share a start time and so do h, i.
const FIXTURE: CdrRow[] = [
  row('a', '2026-12-01T10:00:00', { src: '13800138000', dst: '66101001', disposition: 'ANSWERED', billsec: 8, answer_time: at('2026-12-01T10:00:02.500') }),
  row('b', '2026-12-01T10:00:00', { src: '+8613900139000', dst: '66101002', timeslot: 2 }),
  row('c', '2026-12-01T10:00:00', { src: '13800999000', dst: '66101001', span: 2, timeslot: 1, trunk_group: 'ct-in', disposition: 'BUSY' }),
  row('d', '2026-12-01T10:05:00', { src: '66100000', dst: '13700137000', span: 2, timeslot: 1, direction: 'outbound', trunk_group: 'carrier-a', accountcode: 'calls-carrier/42', disposition: 'BUSY' }),
  row('e', '2026-12-01T11:00:00', { src: '66100000', dst: '13700137001', span: 2, timeslot: 5, direction: 'outbound', trunk_group: 'carrier-a', accountcode: 'calls-carrier/4', disposition: 'FAILED' }),
  row('f', '2026-11-30T23:59:59', { src: '13100000000', dst: '66101001', disposition: 'CONGESTION' }),
  row('g', '2026-12-02T00:00:00', { src: '13100000000', dst: '66101003', span: null, timeslot: null, trunk_group: 'carrier-b', direction: 'outbound', accountcode: 'calls-carrier/42', disposition: 'FAILED' }),
  row('h', '2026-12-01T12:00:00', { src: '15000000000', dst: '66101001', disposition: 'ANSWERED', billsec: 5 }),
  row('i', '2026-12-01T12:00:00', { src: '15000000001', dst: '66101001', disposition: 'ANSWERED', billsec: 5, timeslot: 3 }),
  row('j', '2026-12-01T09:00:00', { src: '16000000000', dst: '66101009', span: 3, timeslot: 31, trunk_group: 'carrier-b', direction: 'outbound', accountcode: 'campaign-7/1' }),
];
// Newest first, ties by id descending.
const ALL = ['g', 'i', 'h', 'e', 'd', 'c', 'b', 'a', 'j', 'f'];

function refused(field: string, code = 'QUERY_INVALID'): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isCdrSearchError(err), `expected a CdrSearchError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.field, field);
    assert.ok(err.allowed.length > 0);
    return true;
  };
}

/** RFC 4180 parser for the round trip: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let fieldText = '';
  let current: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    const two = text.slice(i, i + 2);
    if (quoted && two === '""') {
      fieldText += '"';
      i += 2;
    } else if (quoted) {
      if (ch === '"') quoted = false;
      else fieldText += ch;
      i++;
    } else if (two === '\r\n') {
      current.push(fieldText);
      rows.push(current);
      current = [];
      fieldText = '';
      i += 2;
    } else {
      if (ch === '\r' || ch === '\n') throw new Error(`a bare line break at ${i}`);
      if (ch === '"') quoted = true;
      else if (ch === ',') {
        current.push(fieldText);
        fieldText = '';
      } else fieldText += ch;
      i++;
    }
  }
  assert.equal(fieldText, '', 'the text ends with CRLF');
  assert.equal(current.length, 0);
  return rows;
}

/** Collects what is written; `slow` makes every write wait a turn (drain after each chunk). */
function collector(options: { slow?: boolean; closeAfter?: number } = {}): Writable & { text: () => string; chunks: number } {
  const parts: Buffer[] = [];
  const w = new Writable({
    highWaterMark: options.slow ? 16 : 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk);
      (w as { chunks: number }).chunks++;
      if (options.closeAfter !== undefined && parts.length >= options.closeAfter) {
        done();
        w.destroy();
        return;
      }
      if (options.slow) setImmediate(done);
      else done();
    },
  }) as Writable & { text: () => string; chunks: number };
  w.chunks = 0;
  w.text = () => Buffer.concat(parts).toString('utf8');
  return w;
}

describe('CDR search: the query and its schemas', () => {
  it('refuses bad input with a CdrSearchError naming the field', () => {
    const cases: [CdrQuery | Record<string, unknown>, string][] = [
      [{ from: 'yesterday' }, 'from'],
      [{ from: '2026-12-01T10:00:00' }, 'from'], // no zone
      [{ from: '2026-12-01T10:00:00Z', to: '2026-12-01T10:00:00Z' }, 'to'],
      [{ number: '138-00' }, 'number'],
      [{ number: '+86138' }, 'number'],
      [{ number: '' }, 'number'],
      [{ span: 0 }, 'span'],
      [{ span: '1.5' }, 'span'],
      [{ span: 1, timeslot: 32 }, 'timeslot'],
      [{ timeslot: 3 }, 'timeslot'],
      [{ disposition: 'answered' }, 'disposition'],
      [{ direction: 'in' }, 'direction'],
      [{ group: '' }, 'group'],
      [{ job: 'x'.repeat(81) }, 'job'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 1001 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ trunkGroup: 'pstn-in' }, 'trunkGroup'],
    ];
    for (const [query, field] of cases) assert.throws(() => parseCdrQuery(query), refused(field), JSON.stringify(query));
  });

  it('takes the URL query string as it comes (decimal strings) and defaults the limit to 100', () => {
    const q = parseCdrQuery({ span: '3', timeslot: '31', limit: '1000', from: '2026-12-01T18:00:00.200+08:00' });
    assert.deepEqual([q.span, q.timeslot, q.limit, q.from], [3, 31, 1000, '2026-12-01 10:00:01']);
    assert.equal(parseCdrQuery({}).limit, 100);
  });

  it('the query schema (2020-12) accepts and refuses what the validation does', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const valid = ajv.compile(CDR_QUERY_SCHEMA);
    const good: CdrQuery[] = [{}, { from: '2026-12-01T10:00:00Z', to: '2026-12-02T00:00:00+08:00', number: '138', span: 1, timeslot: 31, disposition: 'NO ANSWER', group: 'g', job: 'calls-carrier/42', direction: 'outbound', limit: 1000 }];
    for (const q of good) {
      assert.equal(valid(q), true, JSON.stringify(valid.errors));
      parseCdrQuery(q);
    }
    const bad: Record<string, unknown>[] = [{ number: '+1' }, { span: 0 }, { timeslot: 1 }, { disposition: 'OK' }, { limit: 1001 }, { trunkGroup: 'x' }, { from: 'now' }];
    for (const q of bad) {
      assert.equal(valid(q), false, JSON.stringify(q));
      assert.throws(() => parseCdrQuery(q), (err) => isCdrSearchError(err, 'QUERY_INVALID'));
    }
  });

  it('searches the dispositions the CDR writer stores', () => {
    assert.deepEqual([...SEARCH_DISPOSITIONS], [...CDR_DISPOSITIONS]);
  });

  it('guards spreadsheet formulas but keeps E.164 and negative numbers as data', () => {
    assert.equal(guardFormula('=HYPERLINK("http://x","y")'), `'=HYPERLINK("http://x","y")`);
    assert.equal(guardFormula('@SUM(A1)'), `'@SUM(A1)`);
    assert.equal(guardFormula('+1+cmd|x'), `'+1+cmd|x`);
    assert.equal(guardFormula('-2+3'), `'-2+3`);
    assert.equal(guardFormula('\t=1'), `'\t=1`);
    assert.equal(guardFormula('+8613800138000'), '+8613800138000');
    assert.equal(guardFormula('+1 (555) 010-9999'), '+1 (555) 010-9999');
    assert.equal(guardFormula('-5'), '-5');
    assert.equal(guardFormula('*21#'), '*21#');
    assert.equal(csvField('a,"b"'), '"a,""b"""');
    assert.equal(csvField(null), '');
    assert.equal(csvField(0), '0');
  });
});

for (const dialect of DIALECTS) {
  describe(`CDR search (${dialect})`, function () {
    this.timeout(60_000);
    let t: TestDatabase;
    let db: Database;
    let search: CdrSearch;

    const ids = async (query: CdrQuery): Promise<string[]> => (await search.search(query)).records.map((r) => r.uniqueid as string);

    before(async () => {
      t = await createTestDatabase(dialect);
      db = Database.open({ url: t.url, dataDir: t.dataDir });
      await db.migrateLatest();
      await new CdrRepository(db).insertMany(FIXTURE);
      search = new CdrSearch(db.knex, db.dialect);
    });
    after(async () => {
      await db.close();
      await t.cleanup();
    });

    it('returns every row newest first, ties by insertion order reversed', async () => {
      assert.deepEqual(await ids({}), ALL);
    });

    it('returns records with ISO times, numbers and nulls that match the record schema', async () => {
      const page = await search.search({ number: '13800138000' });
      assert.equal(page.records.length, 1);
      const a = page.records[0] as CdrSearchRecord;
      assert.equal(a.calldate, '2026-12-01T10:00:00.000Z');
      assert.equal(a.answer_time, '2026-12-01T10:00:02.500Z');
      assert.equal(a.ring_time, null);
      assert.deepEqual([a.id, a.span, a.billsec, a.q850_cause], [1, 1, 8, 19]);
      const ajv = new Ajv2020({ strict: true });
      ajv.addSchema(CDR_RECORD_SCHEMA);
      const valid = ajv.compile(CDR_PAGE_SCHEMA);
      const all = await search.search({});
      assert.equal(valid(all), true, JSON.stringify(valid.errors));
    });

    it('time range is half-open [from, to), in any zone', async () => {
      assert.deepEqual(await ids({ from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' }), ['i', 'h', 'e', 'd', 'c', 'b', 'a', 'j']);
      assert.deepEqual(await ids({ from: '2026-12-01T18:00:00+08:00', to: '2026-12-01T11:00:00Z' }), ['d', 'c', 'b', 'a']);
      assert.deepEqual(await ids({ from: '2026-12-01T10:00:00.001Z' }), ['g', 'i', 'h', 'e', 'd']);
      assert.deepEqual(await ids({ to: '2026-12-01T10:00:00.001Z' }), ['c', 'b', 'a', 'j', 'f']);
    });

    it('number matches digits anywhere in src or dst, also inside an E.164 number', async () => {
      assert.deepEqual(await ids({ number: '13800' }), ['c', 'a']);
      assert.deepEqual(await ids({ number: '8613900' }), ['b']);
      assert.deepEqual(await ids({ number: '13900139000' }), ['b']);
      assert.deepEqual(await ids({ number: '0137' }), ['e', 'd']);
      assert.deepEqual(await ids({ number: '6610100' }), ['g', 'i', 'h', 'c', 'b', 'a', 'j', 'f']);
      assert.deepEqual(await ids({ number: '66101001' }), ['i', 'h', 'c', 'a', 'f']);
      assert.deepEqual(await ids({ number: '99999' }), []);
    });

    it('span alone and span with timeslot', async () => {
      assert.deepEqual(await ids({ span: 2 }), ['e', 'd', 'c']);
      assert.deepEqual(await ids({ span: 2, timeslot: 1 }), ['d', 'c']);
      assert.deepEqual(await ids({ span: 1, timeslot: 1 }), ['h', 'a', 'f']);
      assert.deepEqual(await ids({ span: 3, timeslot: 31 }), ['j']);
    });

    it('disposition, group, job (exact) and direction', async () => {
      assert.deepEqual(await ids({ disposition: 'BUSY' }), ['d', 'c']);
      assert.deepEqual(await ids({ disposition: 'NO ANSWER' }), ['b', 'j']);
      assert.deepEqual(await ids({ group: 'carrier-b' }), ['g', 'j']);
      assert.deepEqual(await ids({ job: 'calls-carrier/42' }), ['g', 'd']);
      assert.deepEqual(await ids({ job: 'calls-carrier/4' }), ['e']);
      assert.deepEqual(await ids({ direction: 'outbound' }), ['g', 'e', 'd', 'j']);
    });

    it('filters combine with AND', async () => {
      assert.deepEqual(await ids({ disposition: 'FAILED', group: 'carrier-a' }), ['e']);
      assert.deepEqual(await ids({ job: 'calls-carrier/42', from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' }), ['d']);
      assert.deepEqual(await ids({ number: '661010', direction: 'inbound', span: 1, disposition: 'ANSWERED' }), ['i', 'h', 'a']);
    });

    for (const limit of [1, 2, 3, 5, 10]) {
      it(`pages of ${limit} through the cursor return every row once, in order`, async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await search.search({ limit, ...(cursor ? { cursor } : {}) });
          assert.ok(page.records.length <= limit);
          seen.push(...page.records.map((r) => r.uniqueid as string));
          if (page.next === null) break;
          cursor = page.next;
        }
        assert.deepEqual(seen, ALL);
      });
    }

    it('pages a filtered search with the same filters', async () => {
      const first = await search.search({ span: 1, limit: 2 });
      assert.deepEqual(first.records.map((r) => r.uniqueid), ['i', 'h']);
      const second = await search.search({ span: 1, limit: 2, cursor: first.next as string });
      assert.deepEqual(second.records.map((r) => r.uniqueid), ['b', 'a']);
      const third = await search.search({ span: 1, limit: 2, cursor: second.next as string });
      assert.deepEqual([third.records.map((r) => r.uniqueid), third.next], [['f'], null]);
    });

    it('pages within a time range, and a cursor from beyond `to` starts at `to`', async () => {
      const range = { from: '2026-12-01T09:00:00Z', to: '2026-12-01T12:00:01Z', limit: 3 };
      const first = await search.search(range);
      assert.deepEqual(first.records.map((r) => r.uniqueid), ['i', 'h', 'e']);
      const second = await search.search({ ...range, cursor: first.next as string });
      assert.deepEqual(second.records.map((r) => r.uniqueid), ['d', 'c', 'b']);
      const third = await search.search({ ...range, cursor: second.next as string });
      assert.deepEqual([third.records.map((r) => r.uniqueid), third.next], [['a', 'j'], null]);
      const newest = await search.search({ limit: 1 });
      const beyond = await search.search({ to: '2026-12-01T10:05:00Z', cursor: newest.next as string });
      assert.deepEqual(beyond.records.map((r) => r.uniqueid), ['c', 'b', 'a', 'j', 'f']);
    });

    it('refuses a tampered cursor with CURSOR_INVALID naming cursor', async () => {
      const { next } = await search.search({ limit: 3 });
      assert.ok(next);
      const decoded = Buffer.from(next, 'base64url').toString('utf8');
      const tampered = [
        `${next.slice(0, -2)}${next.endsWith('AA') ? 'BB' : 'AA'}`,
        next.slice(0, 10),
        `${next}x`,
        'not a cursor!',
        Buffer.from(decoded.replace(/\d+\]$/, '-1]')).toString('base64url'),
        Buffer.from(decoded.replace('2026-12-01 ', '2026-13-01 ')).toString('base64url'),
        Buffer.from('{"calldate":"2026-12-01 10:00:00","id":3}').toString('base64url'),
        Buffer.from('[1,2]').toString('base64url'),
      ];
      for (const cursor of tampered) {
        await assert.rejects(search.search({ cursor }), refused('cursor', 'CURSOR_INVALID'), cursor);
      }
    });

    it('names the field when a query is refused, before any SQL runs', async () => {
      await assert.rejects(search.search({ limit: 0 }), refused('limit'));
      await assert.rejects(search.search({ timeslot: 2 }), refused('timeslot'));
      await assert.rejects(search.exportCsv({ limit: 10 }, collector()), refused('limit'));
    });

    it('exports CSV that parses back to the same records: commas, quotes, CRLF, non-ASCII', async () => {
      const awkward = Database.open({ url: t.url, dataDir: t.dataDir });
      try {
        await new CdrRepository(awkward).insertMany([
          row('csv.1', '2026-12-03T08:00:00', { clid: '"张三, 李四" <13800138000>', userfield: 'note: a, b and "c"', src: '+8613800138000' }),
          row('csv.2', '2026-12-03T08:00:01', { userfield: 'line one\r\nline two', lastdata: 'Ünïcödé 😀', dst: '-1' }),
        ]);
      } finally {
        await awkward.close();
      }
      const out = collector();
      const { rows } = await search.exportCsv({ from: '2026-12-03T00:00:00Z' }, out);
      assert.equal(rows, 2);
      const text = out.text();
      assert.ok(text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`), 'a header row first');
      const parsed = parseCsv(text);
      assert.deepEqual(parsed[0], [...CSV_COLUMNS]);
      const expected = (await search.search({ from: '2026-12-03T00:00:00Z' })).records;
      assert.deepEqual(
        parsed.slice(1),
        expected.map((r) => CSV_COLUMNS.map((c) => (r[c] === null ? '' : String(r[c])))),
      );
      assert.equal(parsed[2]?.[CSV_COLUMNS.indexOf('clid')], '"张三, 李四" <13800138000>');
      assert.equal(parsed[1]?.[CSV_COLUMNS.indexOf('userfield')], 'line one\r\nline two');
    });

    it('exports every matching row across many pages to a slow reader, and stops when the reader goes away', async () => {
      const bulk = Array.from({ length: 2600 }, (_, i) =>
        row(`bulk.${i}`, `2026-12-05T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, { accountcode: 'bulk', span: 9 }),
      );
      // Equal start times across a page boundary too: 200 rows at one second.
      for (let i = 2400; i < 2600; i++) (bulk[i] as CdrRow).calldate = at('2026-12-05T01:00:00');
      const writer = Database.open({ url: t.url, dataDir: t.dataDir });
      try {
        await new CdrRepository(writer).insertMany(bulk);
      } finally {
        await writer.close();
      }
      const out = collector({ slow: true });
      const { rows } = await search.exportCsv({ job: 'bulk' }, out);
      assert.equal(rows, 2600);
      const lines = parseCsv(out.text()).slice(1);
      const uid = CSV_COLUMNS.indexOf('uniqueid');
      const got = lines.map((l) => l[uid]);
      assert.equal(new Set(got).size, 2600);
      const byOrder: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const p = await search.search({ job: 'bulk', limit: 1000, ...(cursor ? { cursor } : {}) });
        byOrder.push(...p.records.map((r) => r.uniqueid as string));
        if (!p.next) break;
        cursor = p.next;
      }
      assert.deepEqual(got, byOrder);
      assert.ok(out.chunks > 3, 'written in several chunks, one per page');

      const gone = collector({ closeAfter: 2 });
      const partial = await search.exportCsv({ job: 'bulk' }, gone);
      assert.ok(partial.rows < 2600, `stopped early (${partial.rows} rows)`);
    });

    it('a store made before the search gets its indexes when it migrates, rows kept, and down undoes them', async () => {
      const old = await createTestDatabase(dialect);
      const odb = Database.open({ url: old.url, dataDir: old.dataDir });
      try {
        const source = { migrationSource: new StaticMigrationSource(), tableName: 'knex_migrations' };
        await odb.knex.migrate.up(source); // only the first migration: a store from before
        await new CdrRepository(odb).insertMany(FIXTURE);
        assert.ok((await odb.migrateLatest()).includes('20261208120000_cdr_search_indexes'));
        const found = await new CdrSearch(odb.knex, odb.dialect).search({ span: 2, timeslot: 1 });
        assert.deepEqual(found.records.map((r) => r.uniqueid), ['d', 'c']);
        await odb.knex.migrate.down({ ...source, name: '20261208120000_cdr_search_indexes' });
        assert.equal((await odb.appliedMigrations()).includes('20261208120000_cdr_search_indexes'), false);
        assert.equal(await new CdrRepository(odb).count(), FIXTURE.length);
      } finally {
        await odb.close();
        await old.cleanup();
      }
    });

    it('the migration made the search indexes', async () => {
      const names = dialect === 'sqlite'
        ? ((await db.knex.raw(`PRAGMA index_list('cdr')`)) as { name: string }[]).map((r) => r.name)
        : ((await db.knex.raw(`SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'cdr'`)) as [{ name: string }[]])[0].map((r) => r.name);
      for (const index of ['cdr_calldate_id_src_dst_index', 'cdr_trunk_group_calldate_index', 'cdr_span_calldate_id_timeslot_index', 'cdr_accountcode_calldate_index', 'cdr_disposition_calldate_index']) {
        assert.ok(names.includes(index), `${index} in ${names.join(', ')}`);
      }
    });
  });
}
