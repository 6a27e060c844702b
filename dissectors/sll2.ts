// Linux "cooked" capture v2 (LINKTYPE_LINUX_SLL2 276), 20-byte header:
//   protocol (2) | reserved (2) | interface index (4) | ARPHRD type (2) | packet type (1) |
//   address length (1) | address (8)
// Same protocol dispatch, fields and trailer as v1 (sll.ts); tshark's protocol name is 'sll' too.

import { fUint, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { trailerFields } from './link-common.js';
import { emptySll, sllAddresses, sllAddrFields, sllNext, sllProtoField, type SllD } from './sll.js';

export const sll2: Dissector<SllD> = {
  proto: 'sll', // tshark calls both versions 'sll' (frame.protocols, JSON layer name)
  name: 'Linux cooked capture v2',
  fieldKeys: [
    'sll.etype', 'sll.ltype', 'sll.ifindex', 'sll.hatype', 'sll.pkttype', 'sll.halen', 'sll.src.eth',
    'sll.src.ipv4', 'sll.src.other', 'sll.unused', 'sll.trailer', 'eth.padding',
  ],
  registers: [{ table: 'link', key: 276 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<SllD>(sll2, buf, start, end, emptySll());
    if (end - start < 20) {
      l.short('Linux cooked v2 header', start, 20, ctx.snapCut(buf, start + 20));
      return l;
    }
    const d = l.d;
    d.ok = true;
    d.protocol = u16(buf, start);
    d.ifindex = u32(buf, start + 4);
    d.hatype = u16(buf, start + 8);
    d.pkttype = buf[start + 10];
    d.halen = buf[start + 11];
    d.addrAt = start + 12;
    l.next = sllNext(l, ctx, start + 20);
    return l;
  },
  fields(l) {
    const d = l.d;
    if (!d.ok) return [];
    const s = l.start;
    const out: Field[] = [sllProtoField(d, s), fUint('sll.ifindex', 'Interface index', d.ifindex, s + 4, 4)];
    sllAddrFields(l, s + 10, s + 8, s + 11, 1, out);
    trailerFields(l, d, out, 'sll.trailer', false);
    return out;
  },
  title: () => 'Linux cooked capture v2',
  addresses: sllAddresses,
  column: () => 'SLL',
  protocolsPart: (l) => (l.next?.table === 'ethertype' ? 'sll:ethertype' : 'sll'),
};
