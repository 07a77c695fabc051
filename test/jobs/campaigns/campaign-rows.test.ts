// Campaign lists as CSV: RFC 4180 quoting (commas, quotes and line breaks inside quoted fields),
// a BOM and CRLF from spreadsheets, numbers put in E.164 with the site's numbering, and every bad
// line refused by its line number and field while the good ones are kept.

import assert from 'node:assert/strict';
import { readCampaignCsv, readCampaignEntries } from '../../../src/jobs/campaigns/campaign-rows';
import { parseCsv } from '../../../src/jobs/campaigns/csv';
import { isJobError } from '../../../src/jobs/job-errors';
import { mobile, plan } from './campaign-site';

describe('campaign lists (CSV and API entries)', () => {
  it('reads RFC 4180: quoted commas, doubled quotes, line breaks in a field, BOM, CRLF; records keep their first line', () => {
    const text = '\ufeffnumber,name,note\r\n13800000001,"Wang, Li","said ""call back"""\r\n13800000002,Zhang,"two\r\nlines"\r\n\r\n13800000003,Liu,';
    const { records, problems } = parseCsv(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(records, [
      { line: 1, fields: ['number', 'name', 'note'] },
      { line: 2, fields: ['13800000001', 'Wang, Li', 'said "call back"'] },
      { line: 3, fields: ['13800000002', 'Zhang', 'two\r\nlines'] },
      { line: 6, fields: ['13800000003', 'Liu', ''] },
    ]);
    const { rows, refusals } = readCampaignCsv(text, plan);
    assert.deepEqual(refusals, []);
    assert.deepEqual(rows.map((r) => [r.line, r.number, r.data.name]), [[2, '+8613800000001', 'Wang, Li'], [3, '+8613800000002', 'Zhang'], [6, '+8613800000003', 'Liu']]);
    assert.equal(rows[0]?.data.note, 'said "call back"');
  });

  it('a 1,000-line file with a bad number on line 812: that line is refused by line and field, the other 998 rows are kept', () => {
    const lines = ['id,number,name'];
    for (let line = 2; line <= 1000; line++) lines.push(line === 812 ? `${line},1380013x000,Bad` : `${line},${mobile(line)},Customer ${line}`);
    const { rows, refusals } = readCampaignCsv(`${lines.join('\n')}\n`, plan);
    assert.equal(rows.length, 998);
    assert.equal(refusals.length, 1);
    const [bad] = refusals;
    assert.ok(isJobError(bad, 'INVALID_JOB'));
    assert.equal(bad.line, 812);
    assert.equal(bad.field, 'number');
    assert.match(bad.message, /"1380013x000" has "x"; a number holds digits only/);
    assert.ok(!rows.some((r) => r.line === 812));
    assert.deepEqual(rows[0], { line: 2, number: `+86${mobile(2)}`, data: { id: '2', name: 'Customer 2' } });
    assert.equal(rows[rows.length - 1]?.line, 1000);
  });

  it('refuses per line: wrong field count, a stray quote, a duplicate number (after E.164), an unknown country; keeps the rest', () => {
    const text = [
      'number,name',
      '13800000001,a',
      '13800000002,b,extra',
      '1380000"0003,c',
      '+86 138 0000 0001,d',
      '+999123,e',
      '010 6400 1234,f',
      '64001235,g',
    ].join('\n');
    const { rows, refusals } = readCampaignCsv(text, plan);
    assert.deepEqual(rows.map((r) => [r.line, r.number]), [[2, '+8613800000001'], [7, '+861064001234'], [8, '+861064001235']]);
    assert.deepEqual(refusals.map((r) => [r.line, r.field]), [[3, 'line'], [4, 'line'], [5, 'number'], [6, 'number']]);
    assert.match(refusals[0]?.message ?? '', /has 3 field\(s\); the header has 2/);
    assert.match(refusals[1]?.message ?? '', /quote inside an unquoted value/);
    assert.match(refusals[2]?.message ?? '', /is \+8613800000001 again, already on line 2/);
    assert.match(refusals[3]?.message ?? '', /no assigned country code/);
  });

  it('a quote never closed refuses its line and says the rest of the file went into it; lines before it are kept', () => {
    const { rows, refusals } = readCampaignCsv('number,name\n13800000001,a\n13800000002,"b\n13800000003,c\n', plan);
    assert.deepEqual(rows.map((r) => r.line), [2]);
    assert.deepEqual(refusals.map((r) => [r.line, r.field]), [[3, 'line']]);
    assert.match(refusals[0]?.message ?? '', /opened on line 3 is never closed/);
  });

  it('a file without a number column, with repeated or empty column names, or empty, is refused as a whole at line 1', () => {
    for (const [text, message] of [
      ['phone,name\n13800000001,a\n', /no "number" column \(columns: phone, name\)/],
      ['number,Name,name\n13800000001,a,b\n', /column 3 "name" repeats column 2/],
      ['number,,x\n1,2,3\n', /column 2 is named ""/],
      ['', /first line must be the header/],
    ] as const) {
      assert.throws(() => readCampaignCsv(text, plan), (err: unknown) => isJobError(err, 'INVALID_JOB') && err.line === 1 && err.field === 'header' && message.test(err.message), text);
    }
  });

  it('API entries: refusals name entries[i] and its field, good entries kept', () => {
    const { rows, refusals } = readCampaignEntries([
      { number: '13800000001', data: { crm: '42' } },
      { number: 13800000002 },
      { number: 'abc' },
      { number: '13800000004', data: { crm: 7 } },
      { number: '+8613800000005' },
    ], plan);
    assert.deepEqual(rows.map((r) => [r.line, r.number, r.data]), [[1, '+8613800000001', { crm: '42' }], [5, '+8613800000005', {}]]);
    assert.deepEqual(refusals.map((r) => [r.line, r.field]), [[2, 'entries[1].number'], [3, 'entries[2].number'], [4, 'entries[3].data']]);
  });
});
