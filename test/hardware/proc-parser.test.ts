import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseChannelLine, parseProcSpan, parseSpanHeader, parseTimingSlips, ProcParseError } from '../../src/hardware/dahdi/proc-parser';
import { fixture } from './fixtures';

const read = (...p: string[]): string => readFileSync(fixture(...p), 'utf8');

describe('proc-parser: /proc/dahdi/N', () => {
  it('reads a TE2xxP span header, its counters and timing slips', () => {
    const span = parseProcSpan(read('proc', 'dahdi', '1'));
    assert.deepEqual(span.header, {
      span: 1,
      name: 'TE2/0/1',
      description: 'T2XXP (PCI) Card 0 Span 1',
      master: true,
      lineConfig: 'HDB3/CCS/CRC4',
      alarms: [],
      clockSource: true,
    });
    assert.deepEqual(span.counters, { crc4: 12, ebit: 3, irqmisses: 2, slips: 7 });
    assert.equal(span.channels.length, 31);
  });

  it('reads channel lines: signalling, in use, echo canceller, D-channel', () => {
    const { channels } = parseProcSpan(read('proc', 'dahdi', '1'));
    assert.deepEqual(channels[0], {
      channel: 1,
      name: 'TE2/0/1/1',
      signalling: 'Clear',
      reserved: false,
      inUse: true,
      alarms: [],
      echoCanceller: { name: 'VPMOCT064', active: true },
    });
    assert.equal(channels[15]?.signalling, 'HDLCFCS');
    assert.equal(channels[16]?.inUse, false);
    assert.deepEqual(channels[16]?.echoCanceller, { name: 'VPMOCT064', active: false });
  });

  it('maps header and channel alarm words to alarm names (RED span, CAS channels)', () => {
    const span = parseProcSpan(read('proc', 'dahdi', '2'));
    assert.deepEqual(span.header.alarms, ['RED']);
    assert.equal(span.header.master, false);
    assert.deepEqual(span.counters, { irqmisses: 2 });
    assert.equal(span.channels[0]?.signalling, 'CAS');
    assert.deepEqual(span.channels[0]?.alarms, ['RED']);
    assert.equal(span.channels[15]?.reserved, true);
    assert.equal(span.channels[15]?.signalling, null);
  });

  it('reads a wanpipe span with hardware HDLC and no counters', () => {
    const span = parseProcSpan(read('proc', 'dahdi', '3'));
    assert.equal(span.header.name, 'WPE1/0');
    assert.deepEqual(span.counters, {});
    assert.equal(span.channels[15]?.signalling, 'Hardware-assisted HDLC');
  });

  it('reads an analog span: no line config, FXS/FXO-signalled ports', () => {
    const span = parseProcSpan(read('proc', 'dahdi', '4'));
    assert.equal(span.header.lineConfig, '');
    assert.deepEqual(
      span.channels.map((c) => [c.channel, c.signalling, c.inUse]),
      [
        [94, 'FXOKS', true],
        [95, 'FXOKS', false],
        [96, 'FXSKS', true],
        [97, 'FXSKS', false],
      ],
    );
  });

  it('reads the dynamic loc spans of the test VM', () => {
    const master = parseProcSpan(read('proc-vm', 'dahdi', '1'));
    assert.equal(master.header.name, 'DYN/loc/1:0');
    assert.equal(master.header.description, "Dynamic 'loc' span at '1:0'");
    assert.equal(master.header.master, true);
    const red = parseProcSpan(read('proc-vm', 'dahdi', '2'));
    assert.deepEqual(red.header.alarms, ['RED']);
    assert.equal(red.channels[0]?.channel, 32);
  });

  it('names LOOP and RECOVERING as LOOPBACK and RECOVER, keeps multi-word signalling', () => {
    const h = parseSpanHeader('Span 7: TE4/1/3 "T4XXP (PCI) Card 1 Span 3" B8ZS/ESF YELLOW LOOP RECOVERING NOTOPEN ');
    assert.deepEqual(h.alarms, ['YELLOW', 'LOOPBACK', 'RECOVER', 'NOTOPEN']);
    assert.equal(h.lineConfig, 'B8ZS/ESF');
    assert.equal(parseChannelLine('\t  20 TE4/1/3/20 SF (ToneOnly) (In use) ')?.signalling, 'SF (ToneOnly)');
    assert.equal(parseChannelLine('\t  21 TE4/1/3/21 E&M-E1 ')?.signalling, 'E&M-E1');
    assert.equal(parseChannelLine('\t  22 TE4/1/3/22 ')?.signalling, null);
  });

  it('reads slips as 0 when the kernel omits the line, and rejects text without a header', () => {
    assert.equal(parseTimingSlips(read('proc', 'dahdi', '1')), 7);
    assert.equal(parseTimingSlips(read('proc', 'dahdi', '2')), 0);
    assert.throws(() => parseProcSpan('nothing here\n'), ProcParseError);
  });
});
