// Sim scenarios: the shipped YAML files load, default.yaml is the built-in default, and every
// user mistake is a HardwareError('SCENARIO_INVALID') naming the path, value and allowed values.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHardwareError } from '../../src/hardware/errors';
import { createSimBackend, defaultScenario, loadScenario, ManualClock, parseScenario } from '../../src/hardware/sim';
import { buildTopology, lineConfigFor } from '../../src/hardware/sim/topology';
import { LINECONFIG_BITS as L } from '../../src/hardware/dahdi-constants';

// Tests run from dist/test/hardware; the scenarios live in the source tree.
const SCENARIOS = join(__dirname, '..', '..', '..', 'dahdi-config', 'scenarios');

/** Asserts that parsing fails with SCENARIO_INVALID and a message matching every pattern. */
function invalid(yaml: string, ...patterns: RegExp[]): void {
  assert.throws(() => parseScenario(yaml, 'test.yaml'), (err: unknown) => {
    assert.ok(isHardwareError(err, 'SCENARIO_INVALID'), String(err));
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

const card = (span: string) => `cards:\n  - driver: wct4xxp\n    spans:\n      - ${span}\n`;

describe('sim scenarios', () => {
  it('ships default.yaml equal to the built-in default', async () => {
    assert.deepEqual(await loadScenario(join(SCENARIOS, 'default.yaml')), defaultScenario());
  });

  it('loads every shipped scenario', async () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 4);
    for (const f of files) {
      const scenario = await loadScenario(join(SCENARIOS, f));
      const sim = createSimBackend({ scenario, clock: new ManualClock() });
      assert.ok((await sim.spans()).length > 0, f);
      await sim.close();
    }
  });

  it('numbers 32 E1 spans 31 channels apart', async () => {
    const topology = buildTopology(await loadScenario(join(SCENARIOS, '32-e1.yaml')));
    assert.equal(topology.spans.length, 32);
    assert.equal(topology.channelCount, 992);
    assert.equal(topology.spans[31]?.baseChannel, 962);
  });

  it('treats an empty document as the default scenario and fills in defaults', () => {
    assert.deepEqual(parseScenario(''), defaultScenario());
    const t1 = parseScenario(card('{ type: t1 }')).cards[0]?.spans[0];
    assert.deepEqual(t1, { type: 'T1', framing: 'esf', coding: 'b8zs', crc4: false, signalling: 'pri_cpe', lbo: 0, timing: 1, wiredTo: null });
    assert.equal(lineConfigFor(t1 as NonNullable<typeof t1>), L.ESF | L.B8ZS);
    const r2 = parseScenario(card('{ type: E1, signalling: mfcr2, crc4: false }')).cards[0]?.spans[0];
    assert.equal(r2?.framing, 'cas');
    assert.equal(lineConfigFor(r2 as NonNullable<typeof r2>), L.HDB3);
  });

  it('names the path, the value, the allowed values and a likely meaning', () => {
    invalid(`cards:\n  - driver: wct4xxp\n    spans:\n      - { type: E1 }\n      - { type: E3 }\n`,
      /cards\[0\]\.spans\[1\]\.type: "E3" is not one of E1, T1, J1/, /did you mean "E1"\?/);
    invalid(`cards:\n  - driver: wct4xxp\n    spnas: [{ type: E1 }]\n`, /cards\[0\]\.spnas: unknown key \(did you mean "spans"\?\)/);
    invalid(`cards:\n  - driver: wct4xxx\n    spans: [{ type: E1 }]\n`, /cards\[0\]\.driver: "wct4xxx" is not one of .*wcte13xp/, /did you mean "wct4xxp"/);
    invalid(`recoverMS: 100\n`, /recoverMS: unknown key \(did you mean "recoverMs"\?\)/);
  });

  it('reports every problem at once', () => {
    invalid(`seed: -1\ncards:\n  - driver: wct4xxp\n    spans: [{ type: E1, lbo: 9 }]\n`, /seed: expected a number from 0/, /cards\[0\]\.spans\[0\]\.lbo: expected a number from 0 to 7, got 9/);
  });

  it('rejects line settings that cannot go together', () => {
    invalid(card('{ type: T1, crc4: true }'), /crc4: CRC-4 is E1-only/);
    invalid(card('{ type: T1, signalling: mfcr2 }'), /signalling: "mfcr2" is not one of pri_cpe, pri_net, cas/);
    invalid(card('{ type: E1, signalling: pri_cpe, framing: cas }'), /framing: "cas" cannot carry pri_cpe on E1/);
    invalid(card('{ type: E1, framing: esf }'), /framing: "esf" is not one of ccs, cas/);
    invalid(`cards:\n  - driver: wcb4xxp\n    spans: [{ type: E1 }]\n`, /type: "E1" is not one of BRI/);
    invalid(`cards:\n  - driver: wctdm24xxp\n    ports: [{ type: fxx }]\n`, /ports\[0\]\.type: "fxx" is not one of fxs, fxo/);
    invalid(`cards:\n  - driver: wct4xxp\n    ports: [{ type: fxs }]\n`, /driver wct4xxp drives digital spans/);
  });

  it('checks faults against the spans that exist', () => {
    invalid(`faults:\n  scripted:\n    - { at: 10, span: 3, fault: LOS }\n`, /faults\.scripted\[0\]\.span: span 3 is an analog span/);
    invalid(`faults:\n  scripted:\n    - { at: 10, span: 9, fault: LOS }\n`, /span: expected a number from 1 to 3, got 9/);
    invalid(`faults:\n  scripted:\n    - { span: 1, fault: los-signal }\n`, /\.at: is required/, /fault: "los-signal" is not one of LOS/);
    invalid(`faults:\n  scripted:\n    - { at: 1, span: 1, fault: slips, duration: 5 }\n`, /duration: has no meaning for slips/);
    invalid(`${card('{ type: E1, signalling: mfcr2 }')}faults:\n  scripted:\n    - { at: 1, span: 1, fault: dchannel-down }\n`, /carries mfcr2, which has no D-channel/);
    invalid(`faults:\n  random: { kinds: [LOS] }\n`, /faults\.random\.ratePerMinute: is required/);
  });

  it('wires back-to-back spans both ways and rejects impossible cables', () => {
    const s = parseScenario(`cards:\n  - driver: sim\n    spans: [{ type: E1, wiredTo: 2 }, { type: E1 }, { type: T1 }]\n`);
    assert.deepEqual(s.cards[0]?.spans.map((x) => x.wiredTo), [2, 1, null]);
    invalid(`cards:\n  - driver: sim\n    spans: [{ type: E1, wiredTo: 2 }, { type: T1 }]\n`, /wiredTo: 2 is not another E1 span/);
  });

  it("keeps to DAHDI's limits of 128 spans and 1024 channels", () => {
    const spans = Array.from({ length: 34 }, () => '{ type: E1 }').join(', ');
    invalid(`cards:\n  - driver: sim\n    spans: [${spans}]\n`, /cards\[0\]\.spans: driver sim drives 1 to 32 spans, got 34/, /1054 channels exceed DAHDI's limit of 1024/);
  });

  it('gives YAML syntax errors with line:column and no stack trace in the message', () => {
    invalid(`seed: 1\ncards:\n  - driver: [wct4xxp\n`, /^test\.yaml:\d+:\d+: YAML syntax error/);
    invalid(`seed: 1\nseed: 2\n`, /^test\.yaml:2:1: YAML syntax error: Map keys must be unique/);
  });

  it('says which file it could not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdmgate-scenario-'));
    await assert.rejects(loadScenario(join(dir, 'nope.yaml')), (err) => isHardwareError(err, 'SCENARIO_INVALID') && err.errnoCode === 'ENOENT');
    writeFileSync(join(dir, 'bad.yaml'), 'cards: 3\n');
    await assert.rejects(loadScenario(join(dir, 'bad.yaml')), (err) => isHardwareError(err, 'SCENARIO_INVALID') && err.message.includes(`${join(dir, 'bad.yaml')} is invalid`) && /cards: expected a list, got 3/.test(err.message));
  });
});
