// DNS name display as tshark 4.0 shows it (Wireshark's format_text() over the label bytes), and
// dns.qry.name.len / dns.count.labels as tshark computes them. Each case is a query built from the
// name bytes below; the expected values were read off
// `tshark -n -r FILE -T fields -e dns.qry.name -e dns.qry.name.len -e dns.count.labels` and the Info column
// on a capture of exactly these packets (raw IPv4, UDP 1111 → 53, id 0x1234, one question type A).
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../dissectors/index.js';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';

function query(nameHex: string): Uint8Array {
  const name = Buffer.from(nameHex, 'hex');
  const dns = Buffer.concat([Buffer.from('123401000001000000000000', 'hex'), name, Buffer.from('00010001', 'hex')]);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(1111, 0); udp.writeUInt16BE(53, 2); udp.writeUInt16BE(8 + dns.length, 4);
  const ip = Buffer.from('450000000001000040110000' + '7f000001' + '7f000001', 'hex');
  ip.writeUInt16BE(20 + udp.length + dns.length, 2);
  return Uint8Array.from(Buffer.concat([ip, udp, dns]));
}
function run(data: Uint8Array): Packet {
  return new Dissection(defaultRegistry()).dissect({ index: 1, ts: 0n, tsPrecision: 6, linkType: 101, ifIndex: 0, data, origLen: data.length });
}
function show(p: Packet, key: string): string {
  const out: string[] = [];
  walkFields(p.layers, (f) => void (f.key === key && out.push(f.show)));
  return out.join(',');
}
function info(p: Packet): string | null {
  let s: string | null = null;
  for (const l of p.layers) {
    const t = l.dis.info?.(l, p.layers);
    if (t != null) s = t;
  }
  return s;
}

const x63 = '3f' + '78'.repeat(63);
// [name bytes (wire), dns.qry.name, dns.qry.name.len, dns.count.labels]
const CASES: [string, string, string, string][] = [
  ['03612e62016300', 'a.b.c', '5', '3'], // '.' inside a label: shown bare, counted as a label by tshark
  ['03615c62016300', 'a\\b.c', '5', '2'], // backslash kept as is
  ['06737020616365017800', 'sp ace.x', '8', '2'], // space kept (not \040)
  ['09010708090a0b0c0d1f017900', '\\001\\a\\b\\t\\n\\v\\f\\r\\037.y', '11', '2'],
  ['037f80ff017a00', '\\177\uFFFD\uFFFD.z', '5', '2'], // DEL octal; invalid UTF-8 bytes → U+FFFD each
  ['05636166c3a90375746600', 'caf\u00e9.utf', '9', '2'], // valid UTF-8 kept; length in bytes
  ['05712275276f017a00', 'q"u\'o.z', '7', '2'],
  ['02e2820662616475746600', '\uFFFD.badutf', '9', '2'], // a cut UTF-8 sequence → one U+FFFD
  ['05c280efbbbf02633100', '\\u0080\\uFEFF.c1', '8', '2'], // non-printable code points as \uXXXX
  ['016100', 'a', '0', '0'], // tshark: a 1-byte name has length 0 and 0 labels
  ['010100', '\\001', '0', '0'],
  ['00', '<Root>', '6', '1'],
  ['02616200', 'ab', '2', '1'],
  [x63 + x63 + x63 + '3d' + '79'.repeat(61) + '00', 'x'.repeat(63) + '.' + 'x'.repeat(63) + '.' + 'x'.repeat(63) + '.' + 'y'.repeat(61), '253', '4'],
  [x63 + x63 + x63 + '3e' + '79'.repeat(62) + '00', '<Name too long>', '15', '1'], // 254 bytes
  [x63 + x63 + x63 + x63 + '00', '<Name too long>', '15', '1'],
];

describe('dns names like tshark 4.0', () => {
  it.each(CASES)('%s', (wire, name, len, labels) => {
    const p = run(query(wire));
    expect(show(p, 'dns.qry.name')).toBe(name);
    expect(show(p, 'dns.qry.name.len')).toBe(len);
    expect(show(p, 'dns.count.labels')).toBe(labels);
    expect(info(p)).toBe(`Standard query 0x1234 A ${name}`);
  });
});

// SRV answers: tshark 4.0 shows the owner name split at its first two dots as dns.srv.service /
// dns.srv.proto / dns.srv.name and no dns.resp.name (dns-tcp-axfr.pcapng frame 7 has 7 such records).
// Values from tshark on responses "id 0x1234, 1 question + 1 SRV answer (1 2 3 t)" with these names.
function srvResponse(nameHex: string): Uint8Array {
  const name = Buffer.from(nameHex, 'hex');
  const rd = Buffer.from('00010002000301740' + '0', 'hex');
  const ans = Buffer.concat([name, Buffer.from('00210001' + '0000003c', 'hex'), Buffer.from([0, rd.length]), rd]);
  const dns = Buffer.concat([Buffer.from('123481800001000100000000', 'hex'), name, Buffer.from('00210001', 'hex'), ans]);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(53, 0); udp.writeUInt16BE(1111, 2); udp.writeUInt16BE(8 + dns.length, 4);
  const ip = Buffer.from('450000000001000040110000' + '7f000001' + '7f000001', 'hex');
  ip.writeUInt16BE(20 + udp.length + dns.length, 2);
  return Uint8Array.from(Buffer.concat([ip, udp, dns]));
}

describe('dns SRV owner names like tshark 4.0', () => {
  // [name wire bytes, qry.name, srv.service, srv.proto, srv.name]
  const SRV: [string, string, string, string, string][] = [
    ['025f78045f74637003666f6f0362617200', '_x._tcp.foo.bar', '_x', '_tcp', 'foo.bar'],
    ['016100', 'a', 'a', '', ''],
    ['0161016200', 'a.b', 'a', 'b', ''],
    ['00', '<Root>', '<Root>', '', ''],
  ];
  it.each(SRV)('%s', (wire, qname, service, proto, name) => {
    const p = run(srvResponse(wire));
    expect(show(p, 'dns.qry.name')).toBe(qname);
    expect(show(p, 'dns.resp.name')).toBe('');
    expect(show(p, 'dns.srv.service')).toBe(service);
    expect(show(p, 'dns.srv.proto')).toBe(proto);
    expect(show(p, 'dns.srv.name')).toBe(name);
    expect(show(p, 'dns.srv.target')).toBe('t');
    expect(info(p)).toBe(`Standard query response 0x1234 SRV ${qname} SRV 1 2 3 t`);
  });
});
