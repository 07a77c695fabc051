// The Asterisk configuration syntax as the import reads it, one construct at a time: comments,
// block comments, escapes, headers with options, directives, =, => and +=, line ends; includes
// with depth and cycle limits; templates, inheritance and (+) additions.

import assert from 'node:assert/strict';
import { isProvisioningError } from '../../src/provisioning/errors';
import { lexAsteriskConf, type ConfLine } from '../../src/provisioning/import/conf-lexer';
import { loadAsteriskConf } from '../../src/provisioning/import/conf-loader';
import { buildSections } from '../../src/provisioning/import/conf-sections';
import { memoryReader } from './import-helpers';

function lex(text: string): ConfLine[] {
  return lexAsteriskConf(text, 'f.conf').lines;
}

function settings(text: string): Array<[string, string, string]> {
  return lex(text).flatMap((l) => (l.kind === 'setting' ? [[l.key, l.op, l.value] as [string, string, string]] : []));
}

describe('import syntax: lexer', () => {
  it('strips ; comments, keeps \\; as a semicolon, and knows each line number', () => {
    const lines = lex('[channels] ; header comment\n\ncontext = a\\;b ; trailing\n; whole line\nx=1');
    assert.deepEqual(lines.map((l) => [l.kind, l.at.line]), [['section', 1], ['setting', 3], ['setting', 5]]);
    assert.deepEqual(settings('context = a\\;b ; trailing'), [['context', '=', 'a;b']]);
  });

  it('skips ;-- block comments --; across lines, inline, and nested', () => {
    assert.deepEqual(settings('a=1 ;-- gone --; ; also gone\n;--\nb=2\n;-- nested\nc=3 --;\nd=4\n--;\ne=5'), [['a', '=', '1'], ['e', '=', '5']]);
  });

  it("does not take FreePBX's ;----- banner for a block comment", () => {
    assert.deepEqual(settings(';--------------------;\na=1'), [['a', '=', '1']]);
  });

  it('reports a block comment never closed, at the line it opened', () => {
    const lexed = lexAsteriskConf('a=1\n;-- open\nb=2', 'f.conf');
    assert.deepEqual(lexed.unterminatedComment, { file: 'f.conf', line: 2 });
    assert.equal(lexed.lines.length, 1);
  });

  it('reads =, => and += with odd whitespace, tabs, CRLF, CR and a BOM', () => {
    assert.deepEqual(settings('\uFEFFa=1\r\n\tb\t=>\t2-3 \rc +=x\n  d   =   "quoted value"  '), [
      ['a', '=', '1'], ['b', '=>', '2-3'], ['c', '+=', 'x'], ['d', '=', '"quoted value"'],
    ]);
  });

  it('reads section headers with templates, inheritance and additions', () => {
    const heads = lex('[a]\n[b](!)\n[c](a, b)\n[c](+)\n[d] trailing text').flatMap((l) => (l.kind === 'section' ? [[l.name, l.options]] : []));
    assert.deepEqual(heads, [['a', []], ['b', ['!']], ['c', ['a', 'b']], ['c', ['+']], ['d', []]]);
  });

  it('reads directives and strips one pair of quotes or angle brackets', () => {
    const d = lex('#include "x.conf"\n#include <y.conf>\n#tryinclude z.conf\n#exec /bin/gen\n#include').flatMap((l) => (l.kind === 'directive' ? [[l.name, l.argument]] : []));
    assert.deepEqual(d, [['include', 'x.conf'], ['include', 'y.conf'], ['tryinclude', 'z.conf'], ['exec', '/bin/gen'], ['include', null]]);
  });

  it('marks what Asterisk refuses as fatal and what it skips as not', () => {
    const bad = lex('[open\nno equals here\n= value\n[a](!').filter((l) => l.kind === 'malformed');
    assert.deepEqual(bad.map((l) => (l.kind === 'malformed' ? [l.at.line, l.fatal] : [])), [[1, true], [2, false], [3, false], [4, true]]);
  });
});

describe('import syntax: includes', () => {
  const files = (entries: Record<string, string>): ReturnType<typeof memoryReader> => memoryReader(new Map(Object.entries(entries)));

  it('inlines included files where the #include stands, resolving relative names against the top file', async () => {
    const loaded = await loadAsteriskConf('/etc/asterisk/chan_dahdi.conf', files({
      '/etc/asterisk/chan_dahdi.conf': '[channels]\na=1\n#include inc.conf\nc=3',
      '/etc/asterisk/inc.conf': 'b=2',
    }));
    assert.deepEqual(loaded.lines.map((l) => (l.kind === 'setting' ? `${l.key}@${l.at.file}:${l.at.line}` : l.kind)), [
      'section', 'a@/etc/asterisk/chan_dahdi.conf:2', 'b@/etc/asterisk/inc.conf:1', 'c@/etc/asterisk/chan_dahdi.conf:4',
    ]);
    assert.deepEqual(loaded.files, ['/etc/asterisk/chan_dahdi.conf', '/etc/asterisk/inc.conf']);
  });

  it('refuses a cycle and a chain deeper than the limit, naming the line', async () => {
    await assert.rejects(loadAsteriskConf('/a.conf', files({ '/a.conf': '#include /a.conf' })), /\/a\.conf:1: include cycle: \/a\.conf -> \/a\.conf/);
    const chain = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`/c${i}.conf`, `#include /c${i + 1}.conf`]));
    await assert.rejects(loadAsteriskConf('/c0.conf', files({ ...chain, '/c30.conf': '' })), (err: unknown) => {
      assert.ok(isProvisioningError(err, 'IMPORT_INVALID'));
      assert.match(err.message, /nested deeper than 10 levels/);
      return true;
    });
  });

  it('bounds include fan-out by the total number of lines', async () => {
    const many = Array.from({ length: 20 }, () => '#include /leaf.conf').join('\n');
    const leaf = Array.from({ length: 50 }, (_, i) => `k${i}=v`).join('\n');
    await assert.rejects(
      loadAsteriskConf('/top.conf', files({ '/top.conf': many, '/leaf.conf': leaf }), { maxDepth: 10, maxLines: 500 }),
      /more than 500 configuration lines/,
    );
  });

  it('reports #exec, #tryinclude of a missing file, unknown directives and wildcards; refuses a missing #include', async () => {
    const loaded = await loadAsteriskConf('/x.conf', files({ '/x.conf': '#exec /bin/gen\n#tryinclude none.conf\n#frobnicate\n#include /etc/*.conf' }));
    assert.deepEqual(loaded.notes.map((n) => n.line), [1, 2, 3, 4]);
    assert.match(loaded.notes[0]?.message ?? '', /import never runs commands/);
    await assert.rejects(loadAsteriskConf('/x.conf', files({ '/x.conf': '#include none.conf' })), /x\.conf:1: #include none\.conf: \/none\.conf does not exist/);
    await assert.rejects(loadAsteriskConf('/missing.conf', files({})), (err: unknown) => isProvisioningError(err, 'IMPORT_UNREADABLE'));
  });
});

describe('import syntax: sections', () => {
  const sections = (text: string): ReturnType<typeof buildSections> => buildSections(lex(text));
  const vars = (text: string, name: string): string[] =>
    (sections(text).find((s) => s.name === name)?.variables ?? []).map((v) => `${v.key}=${v.value}`);

  it('copies template variables first, then the section\'s own, templates staying templates', () => {
    const text = '[t](!)\na=1\nb=2\n[u](!)\nc=3\n[s](t,u)\nb=9';
    assert.deepEqual(vars(text, 's'), ['a=1', 'b=2', 'c=3', 'b=9']);
    assert.deepEqual(sections(text).map((s) => [s.name, s.template]), [['t', true], ['u', true], ['s', false]]);
  });

  it('(+) appends to the earlier section of that name', () => {
    assert.deepEqual(vars('[s]\na=1\n[other]\n[s](+)\nb=2', 's'), ['a=1', 'b=2']);
    assert.equal(sections('[s]\n[s](+)').length, 1);
  });

  it('+= appends exactly what follows it to the last value of that name', () => {
    assert.deepEqual(vars('[s]\na=from-\na +=pstn\nb += only', 's'), ['a=from-pstn', 'b=only']);
    assert.deepEqual(vars('[s]\na=x\na += y', 's'), ['a=x y']);
  });

  it('refuses a setting outside a section, (+) to nothing, inheriting from nothing', () => {
    assert.throws(() => sections('a=1'), /f\.conf:1: 'a' comes before any \[section\]/);
    assert.throws(() => sections('[s](+)'), /f\.conf:1: \[s\]\(\+\) adds to a section that does not exist yet/);
    assert.throws(() => sections('[s](nope)'), /f\.conf:1: \[s\] inherits from 'nope'/);
  });
});
