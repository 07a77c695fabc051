// The generated extensions_tdmgate.conf, read back by a small checker of the rules Asterisk's
// pbx_config applies to extensions.conf (contexts, `exten => pattern,priority,App(args)`, `same =>
// n(label),...`, priority 1 first, one priority 1 per extension, labels that GotoIf names): one
// context per context the trunks deliver inbound calls to, each sending every DID and `s` to
// Stasis(tdmgate,${CHANNEL(dahdi_channel)}), and a fallback for a supervisor that is not running.
// Also: the routing target that would loop back into such a context is refused.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateConfig, TARGETS } from '../../src/provisioning/generate';
import { STASIS_APP as DIALPLAN_APP } from '../../src/provisioning/generate/dialplan';
import { STASIS_APP } from '../../src/supervisor/call-control';
import { DEFAULT_OUTBOUND_PLACE } from '../../src/supervisor/outbound/request';
import { EXAMPLES, ROOT, invalid, valid } from './site-helpers';

interface Step {
  priority: number;
  label: string | null;
  app: string;
  args: string;
}
type Dialplan = Map<string, Map<string, Step[]>>;

const CONTEXT = /^[A-Za-z0-9_.+-]+$/;
const EXTENSION = /^(s|[0-9*#+]+|_[0-9XZN*#+.![\]-]+)$/;

/** Parses a dialplan as pbx_config would, collecting every rule it breaks with its line number. */
function parseDialplan(text: string): { plan: Dialplan; errors: string[] } {
  const plan: Dialplan = new Map();
  const errors: string[] = [];
  let context: Map<string, Step[]> | null = null;
  let steps: Step[] | null = null;
  text.split('\n').forEach((raw, i) => {
    const fail = (why: string): void => void errors.push(`line ${i + 1}: ${why}: ${raw}`);
    const line = raw.replace(/(^|[^\\]);.*$/, '$1').trim();
    if (line === '') return;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      if (!CONTEXT.test(name)) fail('bad context name');
      if (plan.has(name)) fail('context defined twice');
      context = new Map();
      plan.set(name, context);
      steps = null;
      return;
    }
    if (context === null) return fail('outside any context');
    const exten = /^exten\s*=>\s*([^,]+),([^,]+),(.*)$/.exec(line);
    const same = /^same\s*=>\s*([^,]+),(.*)$/.exec(line);
    const [prio, body] = exten ? [exten[2] ?? '', exten[3] ?? ''] : same ? [same[1] ?? '', same[2] ?? ''] : ['', ''];
    if (!exten && !same) return fail('neither exten => nor same =>');
    const p = /^(\d+|n)(?:\(([A-Za-z][A-Za-z0-9_]*)\))?$/.exec(prio);
    const app = /^([A-Za-z][A-Za-z0-9_]*)\((.*)\)$/.exec(body);
    if (!p) return fail('bad priority');
    if (!app) return fail('bad application call');
    let depth = 0;
    for (const ch of app[2] ?? '') {
      depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
      if (depth < 0) return fail('unbalanced parentheses');
    }
    if (depth !== 0) return fail('unbalanced parentheses');
    if (exten) {
      const pattern = exten[1]?.trim() ?? '';
      if (!EXTENSION.test(pattern)) return fail('bad extension pattern');
      if (p[1] !== '1') return fail('an extension starts at priority 1');
      if ((context as Map<string, Step[]>).has(pattern)) return fail('priority 1 of this extension defined twice');
      steps = [];
      (context as Map<string, Step[]>).set(pattern, steps);
    } else if (steps === null) {
      return fail('same => before any exten =>');
    }
    const list = steps as Step[];
    const last = list.at(-1);
    const priority = p[1] === 'n' ? (last?.priority ?? 0) + 1 : Number(p[1]);
    if (p[2] !== undefined && list.some((s) => s.label === p[2])) return fail('label used twice');
    list.push({ priority, label: p[2] ?? null, app: app[1] ?? '', args: app[2] ?? '' });
  });
  for (const [name, exts] of plan) {
    for (const [ext, list] of exts) {
      for (const step of list) {
        const target = step.app === 'GotoIf' ? /\?([A-Za-z][A-Za-z0-9_]*)$/.exec(step.args)?.[1] : undefined;
        if (target !== undefined && !list.some((s) => s.label === target)) errors.push(`${name},${ext}: GotoIf to a label the extension lacks: ${target}`);
      }
    }
  }
  return { plan, errors };
}

const SITE = `site: dp
toneZone: de
cards:
  - location: PCI_Bus_03_Slot_01
    spans:
      - { line: E1, signalling: pri_cpe, channels: [{ timeslots: "1-15", group: carrier }, { timeslots: "17-31", group: [out, carrier] }] }
      - { line: E1, signalling: pri_cpe, group: backup }
  - location: PCI_Bus_04_Slot_01
    ports:
      - { port: 1-2, type: fxo, group: lines }
      - { port: 3, type: fxo }
      - { port: 4, type: fxs, group: phones }
groups:
  - { number: 1, name: carrier, context: from-carrier }
  - { number: 2, name: out, context: to-carrier, direction: out }
  - { number: 3, name: backup, context: from-carrier, direction: in }
  - { number: 4, name: lines, context: from-lines, direction: in }
  - { number: 5, name: phones, context: from-phones }
routing:
  targets:
    - { name: queue, context: cc-queue, extension: "{did}", priority: 2 }
  inbound:
    - { name: all, did: "_X.", target: queue }
`;

function dialplanOf(yaml: string): string {
  const { site, source } = valid(yaml);
  const file = generateConfig(site, source).find((f) => f.target === TARGETS.dialplan);
  assert.ok(file, 'no dialplan file generated');
  return file.content;
}

describe('generated dialplan: extensions_tdmgate.conf', () => {
  it('the checker catches what pbx_config refuses', () => {
    const bad = [
      'exten => s,1,NoOp()',
      '[ctx]\nsame => n,NoOp()',
      '[ctx]\nexten => s,2,NoOp()',
      '[ctx]\nexten => s,1,NoOp(\nexten => _X.,1,Hangup)',
      '[ctx]\nexten => s,1,NoOp()\nexten => s,1,Hangup()',
      '[ctx]\nexten => s,1,GotoIf($[1]?nowhere)',
      '[ctx]\nexten => _X.,1,NoOp()\n[ctx]\nexten => s,1,NoOp()',
      '[c tx]\nexten => s,1,NoOp()',
    ];
    for (const text of bad) assert.notDeepEqual(parseDialplan(text).errors, [], text);
    assert.deepEqual(parseDialplan('; x\n[ctx]\nexten => s,1,NoOp(a\\;b) ; a comment\n same => n(x),Hangup()\n').errors, []);
  });

  it('has one context per context trunks deliver inbound calls to: not outbound-only, not phones, not channels in no group', () => {
    const { plan, errors } = parseDialplan(dialplanOf(SITE));
    assert.deepEqual(errors, []);
    assert.deepEqual([...plan.keys()], ['from-carrier', 'from-lines']);
    for (const exts of plan.values()) assert.deepEqual([...exts.keys()], ['_X.', 's']);
  });

  it('sends every DID and s to the supervisor\'s Stasis app with the DAHDI channel; without a default a supervisor away means cause 41', () => {
    const text = dialplanOf(SITE);
    const { plan } = parseDialplan(text);
    assert.equal(DIALPLAN_APP, STASIS_APP, 'the dialplan names the app the supervisor registers');
    for (const exts of plan.values()) {
      for (const steps of exts.values()) {
        assert.deepEqual(steps.map((s) => [s.priority, s.label, s.app]), [
          [1, null, 'Stasis'], [2, null, 'GotoIf'], [3, null, 'Hangup'], [4, 'away', 'Log'], [5, null, 'Hangup'],
        ]);
        assert.equal(steps[0]?.args, 'tdmgate,${CHANNEL(dahdi_channel)}');
        assert.equal(steps[1]?.args, '$["${STASISSTATUS}" = "FAILED"]?away');
        assert.equal(steps[2]?.args, '', 'a call the supervisor let go of ends normally');
        assert.equal(steps[4]?.args, '41');
      }
    }
    assert.match(text, /\[from-carrier\]\n; Inbound calls of trunk groups 1 "carrier" \(both\), 3 "backup" \(in\)\n/);
    assert.match(text, /; {3}cc-queue +<called number>,2 +routing target "queue"\n/);
    assert.match(text, new RegExp(`; {3}${DEFAULT_OUTBOUND_PLACE.context} +s,1 +answered outbound calls`), 'the outbound default context is named');
    assert.match(text, /refused with cause 41 \(temporary failure/);
  });

  it('with a default target a supervisor away sends the call there, the DID kept for {did}', () => {
    const { plan, errors } = parseDialplan(dialplanOf(`${SITE}  default: queue\n`));
    assert.deepEqual(errors, []);
    const steps = plan.get('from-lines')?.get('_X.') ?? [];
    assert.deepEqual(steps.slice(3).map((s) => [s.label, s.app, s.args]), [
      ['away', 'Log', 'WARNING,tdmgate supervisor not running: ${CHANNEL} sent to target queue'],
      [null, 'Goto', 'cc-queue,${EXTEN},2'],
    ]);
  });

  it('has no context without a routing section: the supervisor would send calls back to the group\'s context', () => {
    const yaml = SITE.slice(0, SITE.indexOf('routing:'));
    const text = dialplanOf(yaml);
    assert.deepEqual([...parseDialplan(text).plan.keys()], []);
    assert.match(text, /No contexts: the site has no routing section/);
    assert.match(text, /^; site file sha256: [0-9a-f]{64}\n/m);
  });

  it('every shipped example and the demo site generate a dialplan the checker accepts', () => {
    const files = [...readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).map((f) => join(EXAMPLES, f)), join(ROOT, 'dahdi-config', 'sites', 'sim-demo.yaml')];
    for (const file of files) assert.deepEqual(parseDialplan(dialplanOf(readFileSync(file, 'utf8'))).errors, [], file);
  });

  it('is byte-stable', () => {
    assert.equal(dialplanOf(SITE), dialplanOf(SITE));
  });

  it('refuses a routing target in a context the dialplan hands to the supervisor (a loop)', () => {
    invalid(SITE.replace('context: cc-queue', 'context: from-lines'), [
      /routing\.targets\[0\]\.context: "from-lines" is where trunk group 4 "lines" delivers inbound calls, .*a loop/,
    ]);
    // Contexts the trunks do not deliver to are fine: an outbound-only group's, the phones'.
    valid(SITE.replace('context: cc-queue', 'context: from-phones'));
  });

  it('warns when phones share a context with trunks: every off-hook phone would reach the supervisor as a trunk call', () => {
    const shared = valid(SITE.replace('name: phones, context: from-phones', 'name: phones, context: from-lines')).warnings;
    assert.ok(shared.some((w) => w.path === 'groups[4].context' && /FXS ports \(phones\) of group 5 "phones" answer in from-lines, where trunks deliver inbound calls/.test(w.message)),
      shared.map((w) => w.message).join('\n'));
    assert.ok(!valid(SITE).warnings.some((w) => /FXS ports/.test(w.message)));
  });
});
