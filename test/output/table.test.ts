import { describe, expect, it } from 'vitest';
import { Layer } from '../../src/dissect/layer.js';
import type { Dissector } from '../../src/dissect/types.js';
import { problemSuffix, rowParts, TableFormatter } from '../../src/output/table.js';
import { corpusPackets, dissectAll, ethFrame } from './helpers.js';

describe('table rows', () => {
  it('lays out an Ethernet-only frame like tshark -n (widths, arrow, origLen)', () => {
    const [p] = dissectAll([ethFrame(4, { origLen: 60 })]);
    const { line, parts } = new TableFormatter('r').row(p);
    expect(parts.source).toBe('00:16:ce:6e:8b:24');
    expect(parts.destination).toBe('ff:ff:ff:ff:ff:ff');
    // protocol: last layer with a column (Data after Ethernet here); length = frame.origLen
    expect(line.startsWith('    1   0.000000 00:16:ce:6e:8b:24 \u2192 ff:ff:ff:ff:ff:ff ')).toBe(true);
    expect(line).toContain(' 60 ');
  });

  it('pads short addresses to 12 (source right, destination left)', () => {
    const fake: Dissector<null> = {
      proto: 'fake', name: 'Fake', fieldKeys: [],
      dissect: (b, s, e) => new Layer(fake, b, s, e, null),
      fields: () => [],
      addresses: () => ['10.0.0.1', '10.0.0.138'],
      column: () => 'DNS',
      info: () => 'Standard query 0x8185 A www.google.com',
    };
    const [p] = dissectAll([ethFrame(4, { origLen: 74 })]);
    p.layers.push(new Layer(fake, p.frame.data, 14, 18, null));
    expect(new TableFormatter('r').row(p).line).toBe(
      '    1   0.000000     10.0.0.1 \u2192 10.0.0.138   DNS 74 Standard query 0x8185 A www.google.com',
    );
  });

  it('equals tshark -n -r on TCP packets of http-get-simple.pcap', () => {
    const pk = corpusPackets('http-get-simple.pcap');
    const t = new TableFormatter('r');
    const lines = pk.map((p) => t.row(p).line);
    // expected rows from `tshark -n -r http-get-simple.pcap` (tshark 4.0)
    expect(lines[0]).toBe('    1   0.000000 141.142.228.5 \u2192 192.150.187.43 TCP 78 59856 \u2192 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 WS=16 TSval=374005024 TSecr=0 SACK_PERM');
    expect(lines[1]).toBe('    2   0.069740 192.150.187.43 \u2192 141.142.228.5 TCP 74 80 \u2192 59856 [SYN, ACK] Seq=0 Ack=1 Win=14480 Len=0 MSS=1460 SACK_PERM TSval=797524569 TSecr=374005024 WS=128');
    expect(lines[2]).toBe('    3   0.070034 141.142.228.5 \u2192 192.150.187.43 TCP 66 59856 \u2192 80 [ACK] Seq=1 Ack=1 Win=131760 Len=0 TSval=374005094 TSecr=797524569');
    expect(lines[4]).toBe('    5   0.139165 192.150.187.43 \u2192 141.142.228.5 TCP 66 80 \u2192 59856 [ACK] Seq=1 Ack=137 Win=15616 Len=0 TSval=797524639 TSecr=374005094');
  });

  it('tshark -t e rows', () => {
    const pk = corpusPackets('http-get-simple.pcap');
    const t = new TableFormatter('e');
    expect(t.row(pk[0]).line.slice(0, 25)).toBe('    1 1362692526.869344 1');
    expect(t.row(pk[1]).line.slice(0, 25)).toBe('    2 1362692526.939084 1');
  });

  it('a header cut by the snaplen gets tshark\'s suffix', () => {
    const [p] = corpusPackets('malformed-ipv4-truncated-header.pcap');
    // tshark: '    1   0.000000 c8:bc:c8:96:d2:a0 → 00:10:db:88:d2:ef IPv4 46 [Packet size limited during capture]'
    // (its Info text before the suffix is the IPv4 dissector's business; the layout and suffix are ours)
    const line = new TableFormatter('r').row(p).line;
    expect(line.startsWith('    1   0.000000 c8:bc:c8:96:d2:a0 \u2192 00:10:db:88:d2:ef IPv4 46 ')).toBe(true);
    expect(line.endsWith('[Packet size limited during capture]')).toBe(true);
  });

  it('malformed suffix only when the problem runs to the end of its layer', () => {
    const [p] = dissectAll([ethFrame(8)]);
    const l = p.layers[p.layers.length - 1];
    l.problem('malformed', 'length field lies', l.start, l.start + 2);
    expect(problemSuffix(p.layers)).toBe('');
    l.problem('malformed', 'needs 20 bytes, only 8 present', l.start, l.end);
    expect(problemSuffix(p.layers)).toBe('[Malformed Packet]');
    expect(rowParts(p.layers).info.endsWith('[Malformed Packet]')).toBe(true);
  });

  it('colours rows only when asked, red for problems', () => {
    const [p] = dissectAll([ethFrame(8)]);
    const t = new TableFormatter('r');
    expect(t.text(p, false)).not.toContain('\x1b[');
    const c = new TableFormatter('r').text(p, true);
    expect(c.startsWith('\x1b[')).toBe(true);
    expect(c.endsWith('\x1b[0m\n')).toBe(true);
    p.layers[1].problem('truncated', 'cut', 0, 14);
    expect(new TableFormatter('r').text(p, true).startsWith('\x1b[97;41m')).toBe(true);
  });
});
