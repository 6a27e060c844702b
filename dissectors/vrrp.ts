// VRRP (IP protocol 112): version 2 (RFC 3768) and version 3 (RFC 5798) advertisements over IPv4 and IPv6, as
// tshark 4.0 shows them: version and type, virtual router ID, priority (with its meaning), address count,
// v2's authentication type and interval in seconds or v3's 12-bit interval in centiseconds, the checksum
// (verified over the message, v3 with the IP pseudo-header, unverified when the snaplen cut it), the
// addresses (IPv4 or IPv6 after the IP version) and v2's simple-text authentication string. Protocol column
// "VRRP", Info "Announcement (v2)".
//
// tshark reads priority and address count before any field: fewer than 4 bytes show none. The addresses are
// read as the count says: a count that promises more than the packet holds is 'malformed', bytes the snaplen
// cut are 'truncated'. The count is one byte, so the loop is bounded (255).

import { finish, onesSum, pseudoSum } from '../src/dissect/checksum.js';
import { bitsText, checksumFields, fBits, fIPv4, fIPv6, fStr, fUint, hexN, u16 } from '../src/dissect/fields.js';
import { Layer, ipLayerBefore } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const PRIOS: Record<number, string> = {
  0: 'Current Master has stopped participating in VRRP',
  100: 'Default priority for a backup VRRP router',
  255: "This VRRP router owns the virtual router's IP address(es)",
};
const AUTH: Record<number, string> = {
  0: 'No Authentication',
  1: 'Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]',
  2: 'IP Authentication Header [RFC 2338] / Reserved [RFC 3768]',
  254: 'Cisco VRRP MD5 authentication',
};

export interface VrrpD {
  version: number;
  /** Checksum verification: true good, false bad, null not verified. */
  ckGood: boolean | null;
  ckCalc: number;
  out: Field[];
}

class Stop {
  constructor(
    readonly at: number,
    readonly need: number,
  ) {}
}

function walk(b: Uint8Array, s: number, cap: number, d: VrrpD, v6: boolean, out: Field[]): void {
  const need = (at: number, n: number) => {
    if (at + n > cap) throw new Stop(at, n);
  };
  need(s, 4);
  const vt = b[s];
  const ver = vt >> 4;
  const type = vt & 0x0f;
  const tv = fUint('vrrp.typever', 'VRRP message version and type', vt, s, 1);
  tv.text = `Version ${ver}, Packet type ${type} (${type === 1 ? 'Advertisement' : 'Unknown'})`;
  const vf = fBits('vrrp.version', 'VRRP protocol version', ver, s, 1, 0xf0);
  vf.text = `${bitsText(vt, 0xf0, 8)} = VRRP protocol version: ${ver}`;
  const tf = fBits('vrrp.type', 'VRRP packet type', type, s, 1, 0x0f);
  tf.text = `${bitsText(vt, 0x0f, 8)} = VRRP packet type: ${type === 1 ? 'Advertisement' : 'Unknown'} (${type})`;
  tv.children = [vf, tf];
  const prio = b[s + 2];
  const pf = fUint('vrrp.prio', 'Priority', prio, s + 2, 1);
  pf.text = `Priority: ${prio} (${PRIOS[prio] ?? 'Non-default backup priority'})`;
  out.push(tv, fUint('vrrp.virt_rtr_id', 'Virtual Rtr ID', b[s + 1], s + 1, 1), pf, fUint('vrrp.addr_count', 'Addr Count', b[s + 3], s + 3, 1));
  let auth = 0;
  if (ver === 3) {
    need(s + 4, 1);
    const r = fBits('vrrp.reserved_mbz', 'Reserved', b[s + 4] >> 4, s + 4, 1, 0xf0);
    r.text = `${bitsText(b[s + 4], 0xf0, 8)} = Reserved: ${b[s + 4] >> 4}`;
    out.push(r);
    need(s + 4, 2);
    const iv = u16(b, s + 4);
    const it = fBits('vrrp.short_adver_int', 'Adver Int', iv & 0x0fff, s + 4, 2, 0x0fff);
    it.text = `.... ${bitsText(iv >> 8, 0x0f, 8).slice(5)} ${bitsText(iv & 0xff, 0xff, 8)} = Adver Int: ${iv & 0x0fff}`;
    out.push(it);
  } else {
    need(s + 4, 1);
    auth = b[s + 4];
    const af = fUint('vrrp.auth_type', 'Auth Type', auth, s + 4, 1);
    af.text = `Auth Type: ${AUTH[auth] ?? 'Unknown'} (${auth})`;
    out.push(af);
    need(s + 5, 1);
    out.push(fUint('vrrp.adver_int', 'Adver Int', b[s + 5], s + 5, 1));
  }
  need(s + 6, 2);
  if (d.ckGood === null) {
    const [f, st] = checksumFields('vrrp.checksum', b, s + 6, null, 0);
    f.text = `Checksum: ${f.show} [unverified]`;
    out.push(f, st);
  } else {
    const [f, st] = checksumFields('vrrp.checksum', b, s + 6, d.ckGood, d.ckCalc);
    if (!d.ckGood) f.text = `Checksum: ${f.show} incorrect, should be ${hexN(d.ckCalc, 4)}`;
    out.push(f, st);
  }
  let at = s + 8;
  for (let n = b[s + 3]; n > 0; n--) {
    if (v6) {
      need(at, 16);
      out.push(fIPv6('vrrp.ipv6_addr', 'IPv6 Address', b, at));
      at += 16;
    } else {
      need(at, 4);
      out.push(fIPv4('vrrp.ip_addr', 'IP Address', b, at));
      at += 4;
    }
  }
  if (auth === 1) {
    need(at, 8);
    let t = '';
    for (let i = at; i < at + 8 && b[i] !== 0; i++) t += b[i] < 0x80 ? String.fromCharCode(b[i]) : '\ufffd';
    out.push(fStr('vrrp.auth_string', 'Authentication String', t, at, 8));
  }
}

export const vrrp: Dissector<VrrpD> = {
  proto: 'vrrp',
  name: 'Virtual Router Redundancy Protocol',
  fieldKeys: [
    'vrrp.typever', 'vrrp.version', 'vrrp.type', 'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.addr_count', 'vrrp.auth_type',
    'vrrp.adver_int', 'vrrp.reserved_mbz', 'vrrp.short_adver_int', 'vrrp.checksum', 'vrrp.checksum.status', 'vrrp.ip_addr',
    'vrrp.ipv6_addr', 'vrrp.auth_string',
  ],
  registers: [{ table: 'ip.proto', key: 112 }],

  dissect(buf, start, end, ctx) {
    const d: VrrpD = { version: end > start ? buf[start] >> 4 : 0, ckGood: null, ckCalc: 0, out: [] };
    const l = new Layer<VrrpD>(vrrp, buf, start, end, d);
    const ip = ipLayerBefore(ctx.layers);
    const v6 = ip !== null && ip.proto === 'ipv6';
    // the datagram's reported end: beyond the bytes when the snaplen cut them
    let rep = end;
    if (ip && ip.buf === buf && buf === ctx.frame.data && ip.d.totalLen > 0) rep = Math.max(end, Math.min(ip.start + ip.d.totalLen, ctx.frame.origLen));
    if (rep === end && end - start >= 8 && !ctx.quoted) {
      let sum: number;
      if (d.version === 3 && ip && ip.d.srcAt >= 0) sum = onesSum(buf, start, start + 6, onesSum(buf, start + 8, end, pseudoSum(ip, 112, end - start)));
      else sum = onesSum(buf, start, start + 6, onesSum(buf, start + 8, end));
      d.ckCalc = finish(sum);
      d.ckGood = d.ckCalc === u16(buf, start + 6);
      if (!d.ckGood) l.problem('checksum', `VRRP checksum ${hexN(u16(buf, start + 6), 4)} is wrong (should be ${hexN(d.ckCalc, 4)})`, start + 6, start + 8);
    }
    try {
      walk(buf, start, end, d, v6, d.out);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      l.short(e.at < start + 8 ? 'VRRP header' : 'VRRP address', e.at, e.need, e.at + e.need <= rep);
    }
    return l;
  },

  fields: (l) => l.d.out,
  column: () => 'VRRP',
  info: (l) => (l.end > l.start ? `Announcement (v${l.d.version})` : ''),
};
