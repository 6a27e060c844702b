// Connectionless LDAP (RFC 1798, RFC 3352; Active Directory's "LDAP ping") on UDP port 389, as tshark 4.0
// shows it: the LDAP dissector over each LDAPMessage of the datagram (dissectors/ldap.ts), under the
// protocol name "cldap" and the column "CLDAP". One datagram is one PDU for tshark, so the messages'
// Info texts follow each other with no " | " between them. Per UDP conversation (the address and port
// pair, both directions, as tshark's conversation): requests by message ID for Response To and Time,
// and the count of entries behind searchResDone's "[N results]". The "netlogon" attribute of an LDAP
// ping's answer is decoded (dissectors/mscldap.ts). Bytes that are not an LDAPMessage make a malformed
// message; fewer than 6 left over are ignored (tshark's dissect_ldap_payload); an empty datagram is UDP's.

import { isBerError, readTlv } from '../src/dissect/ber.js';
import { conversationKey, Layer } from '../src/dissect/layer.js';
import type { Dissector } from '../src/dissect/types.js';
import { ldap, ldapLayer, ldapTrack, newLdapSession, type LdapD, type LdapItem, type LdapSession } from './ldap.js';
import type { UdpDx } from './udp.js';

export const CLDAP_UDP_PORT = 389;
/** Conversations kept (the oldest is dropped beyond), messages read per datagram. */
const MAX_CONVS = 4096;
const MAX_MESSAGES = 1024;

interface Conv {
  sess: LdapSession;
  /** Items read per frame: a frame dissected again (a second pass) gets the same answers. */
  memo: Map<number, LdapItem[]>;
}
const MEMO = 64;

export const cldap: Dissector<LdapD> = {
  proto: 'cldap',
  name: 'Connectionless Lightweight Directory Access Protocol',
  fieldKeys: ldap.fieldKeys,
  registers: [{ table: 'udp.port', key: CLDAP_UDP_PORT }],
  column: () => 'CLDAP',
  protocolsPart: () => 'cldap',

  dissect(buf, start, end, ctx) {
    let convs = ctx.state.slots.get('cldap') as Map<string, Conv> | undefined;
    if (convs === undefined) ctx.state.slots.set('cldap', (convs = new Map()));
    const u = ctx.layers[ctx.layers.length - 1] as Layer<UdpDx> | undefined;
    const key = conversationKey(ctx.layers, u?.d.srcport ?? 0, u?.d.dstport ?? 0);
    let c = convs.get(key);
    if (c === undefined) {
      if (convs.size >= MAX_CONVS) convs.delete(convs.keys().next().value as string);
      convs.set(key, (c = { sess: newLdapSession(), memo: new Map() }));
    }
    const fi = ctx.frame.index;
    let items = c.memo.get(fi);
    if (items === undefined) {
      items = [];
      // tshark's dissect_ldap_payload: a message needs 6 bytes and a length of 4 or more; a SEQUENCE
      // takes its length (past the datagram: cut), anything else the rest of the datagram
      for (let p = start; end - p >= 6 && items.length < MAX_MESSAGES; ) {
        const t = readTlv(buf, p, end);
        if (!isBerError(t) && (t.vend - t.vstart < 4 || t.vend - t.vstart > 10_000_000)) break;
        const e = isBerError(t) || t.cls !== 0 || t.tag !== 16 ? end : Math.min(end, t.vend);
        items.push(ldapTrack(c.sess, buf, p, e, fi, ctx.frame.ts));
        p = e;
      }
      c.memo.set(fi, items);
      if (c.memo.size > MEMO) c.memo.delete(c.memo.keys().next().value as number);
    }
    return ldapLayer(buf, start, end, items, '', cldap, '');
  },

  // the same layers as LDAP's: its field and Info walks
  fields: (l) => ldap.fields(l),
  info: (l, layers) => ldap.info!(l, layers),
};
