// DHCP / BOOTP: expected values are tshark 4.0.17's (-T fields, -V) on the same corpus frames.
import { describe, expect, it } from 'vitest';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { packetTree } from '../../../src/output/tree.js';
import { dissectFile, fieldShow, readFrames } from './corpus.js';

const dhcpOf = (name: string) => dissectFile(name).filter((p) => p.layers.some((l) => l.proto === 'dhcp'));

describe('dhcp', () => {
  it('Discover and Offer: columns and fields as tshark', () => {
    const [disc, offer] = dhcpOf('pcapng-gen-epb-all-options-le.pcapng');
    expect(rowParts(disc.layers)).toMatchObject({ protocol: 'DHCP', info: 'DHCP Discover - Transaction ID 0x3d1d' });
    expect(rowParts(offer.layers)).toMatchObject({ protocol: 'DHCP', info: 'DHCP Offer    - Transaction ID 0x3d1d' });
    const want: Record<string, [string, string]> = {
      'dhcp.type': ['1', '2'],
      'dhcp.hw.type': ['0x01,0x01', '0x01'],
      'dhcp.id': ['0x00003d1d', '0x00003d1d'],
      'dhcp.flags': ['0x0000', '0x0000'],
      'dhcp.ip.your': ['0.0.0.0', '192.168.0.10'],
      'dhcp.ip.server': ['0.0.0.0', '192.168.0.1'],
      'dhcp.hw.mac_addr': ['00:0b:82:01:fc:42,00:0b:82:01:fc:42', '00:0b:82:01:fc:42'],
      'dhcp.hw.addr_padding': ['00000000000000000000', '00000000000000000000'],
      'dhcp.cookie': ['99.130.83.99', '99.130.83.99'],
      'dhcp.option.type': ['53,61,50,55,0', '53,1,58,59,51,54,0'],
      'dhcp.option.length': ['1,7,4,4', '1,4,4,4,4,4'],
      'dhcp.option.dhcp': ['1', '2'],
      'dhcp.option.request_list_item': ['1,3,6,42', ''],
      'dhcp.option.subnet_mask': ['', '255.255.255.0'],
      'dhcp.option.ip_address_lease_time': ['', '3600'],
      'dhcp.option.renewal_time_value': ['', '1800'],
      'dhcp.option.dhcp_server_id': ['', '192.168.0.1'],
      'dhcp.option.requested_ip_address': ['0.0.0.0', ''],
      'dhcp.option.end': ['255', '255'],
      'dhcp.option.padding': ['00000000000000', '0000000000000000000000000000000000000000000000000000'],
      'dhcp.option.value': ['01,01000b8201fc42,00000000,0103062a', '02,ffffff00,00000708,00000c4e,00000e10,c0a80001'],
    };
    for (const [k, [a, b]] of Object.entries(want)) {
      expect(fieldShow(disc, k), k).toBe(a);
      expect(fieldShow(offer, k), k).toBe(b);
    }
    const tree = packetTree(offer);
    expect(tree).toContain('Dynamic Host Configuration Protocol (Offer)\n');
    expect(tree).toContain('    Option: (53) DHCP Message Type (Offer)\n        Length: 1\n        DHCP: Offer (2)\n');
    expect(tree).toContain('        Rebinding Time Value: (3150s) 52 minutes, 30 seconds\n');
    expect(tree).toContain('        IP Address Lease Time: (3600s) 1 hour\n');
    expect(tree).toContain('    Option: (54) DHCP Server Identifier (192.168.0.1)\n');
    expect(tree).toContain('    Server host name not given\n    Boot file name not given\n    Magic cookie: DHCP\n');
  });

  it('a BOOTP header cut by the snaplen: BOOTP columns, the fields up to the cut', () => {
    const [req, reply] = dhcpOf('pcapng-gen-multi-section-mixed-endian.pcapng');
    expect(rowParts(req.layers)).toMatchObject({ protocol: 'BOOTP', info: 'Boot Request from 00:0b:82:01:fc:42 (00:0b:82:01:fc:42)[Packet size limited during capture]' });
    expect(rowParts(reply.layers)).toMatchObject({ protocol: 'BOOTP', info: 'Boot Reply[Packet size limited during capture]' });
    expect(fieldShow(reply, 'dhcp.ip.your')).toBe('192.168.0.10');
    expect(fieldShow(reply, 'dhcp.hw.addr_padding')).toBe('00000000000000000000');
    expect(fieldShow(reply, 'dhcp.server')).toBe('');
  });

  it('every prefix of a DHCP frame: no exception, "[Packet size limited during capture]" in the row', () => {
    const [f] = readFrames('pcapng-gen-epb-all-options-le.pcapng');
    const dis = new Dissection(defaultRegistry());
    // tshark reads up to the datagram's end (cookie, options, the padding after End): any cut is read past
    for (let n = 43; n < f.data.length; n++) {
      const p = dis.dissect({ ...f, data: f.data.slice(0, n), origLen: f.data.length });
      expect(rowParts(p.layers).info.endsWith('[Packet size limited during capture]'), String(n)).toBe(true);
      packetTree(p);
    }
    expect(rowParts(dis.dissect(f).layers).info).toBe('DHCP Discover - Transaction ID 0x3d1d');
  });
});
