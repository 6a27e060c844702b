// DNS over UDP on a port no dissector claims, by tshark 4.0's heuristic (dissectors/dns.ts,
// looksLikeDnsUdp). Expected columns: fixtures/*.tshark.tsv, `tshark -n -r FILE -T fields -e
// _ws.col.Protocol -e _ws.col.Info` (tshark 4.0.17) on
//   - fixtures/dns-udp-heuristic.pcap: 72 crafted datagrams to UDP port 6000, each header limit of the
//     heuristic and its next value on either side (opcode, question/answer/authority/additional
//     counts, a bare header), plus type 0 ("Unused") and counts that promise more records than
//     there are ("[Malformed Packet]");
//   - fixtures/dns-port-5300-dnsmasq.pcap: dig against dnsmasq on 127.0.0.53:5300 (A, AAAA, CNAME,
//     MX, TXT, SRV, PTR, NXDOMAIN, ANY, DNSSEC, NSID/cookie; UDP and TCP).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { udpFrame } from '../../helpers/packets.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');

async function columns(file: string): Promise<string> {
  const out: Buffer[] = [];
  const w = new Writable({ write: (c, _e, cb) => (out.push(Buffer.from(c)), cb()) });
  const code = await main(['read', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', join(FX, file)], { stdout: w, stderr: w, env: {} });
  expect(code).toBe(0);
  return Buffer.concat(out).toString('utf8');
}


describe('DNS over UDP by heuristic, as tshark 4.0', () => {
  for (const f of ['dns-udp-heuristic.pcap', 'dns-port-5300-dnsmasq.pcap']) {
    it(`${f}: Protocol and Info of every frame equal tshark's`, async () => {
      expect(await columns(f)).toBe(readFileSync(join(FX, `${f}.tshark.tsv`), 'utf8'));
    });
  }

  it('not on a port tshark gives to another dissector: an NBNS name query on 137 is NBNS, not DNS', () => {
    // sll-mixed-dns-http-arp-ipv6.pcap frame 515's NBNS query (DNS layout: id, flags 0x0110, 1 question)
    const nbns = Uint8Array.from(Buffer.from('f93901100001000000000000204648464145424545434143414341434143414341434143414341434143414141000020' + '0001', 'hex'));
    const reg = defaultRegistry();
    const on137 = new Dissection(reg).dissect(udpFrame(137, 137, nbns));
    expect(on137.layers.map((l) => l.proto)).toEqual(['frame', 'eth', 'ip', 'udp', 'nbns']);
    const on6000 = new Dissection(reg).dissect(udpFrame(40000, 6000, nbns));
    expect(on6000.layers.map((l) => l.proto)).toEqual(['frame', 'eth', 'ip', 'udp', 'dns']);
  });
});
