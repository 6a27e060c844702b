// SSH (RFC 4253) on TCP port 22, over the TCP application analyzer's reassembly
// (src/analysis/http/app.ts): the identification strings ("Protocol (SSH-2.0-…)"), the binary
// packets of the key exchange in the clear (Key Exchange Init with its algorithm lists and the HASSH
// fingerprints, the (EC)DH and group-exchange messages named by the negotiated method, New Keys),
// then the encrypted packets of each direction, one per segment ("Encrypted packet (len=N)").
// Info "Client: …" / "Server: …" (the client is the side talking to port 22), the items of a
// segment joined with ", "; Protocol column "SSHv2" once an identification string said so, "SSH"
// before.
//
// tshark 4.0 tries to decrypt the packets after New Keys when it knows the cipher, without keys:
// for chacha20-poly1305 and AES-CTR its Info then says only "Client: ", for AES-GCM it shows
// garbage "plaintext" and [Malformed Packet]. wiretrace shows what tshark shows for the ciphers it
// does not try (AES-CBC): "Encrypted packet (len=N)" (docs/http-dns.md).

import { fBool, fBytes, fStr, fText, fUint, gen, latin1Text, md5Hex, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

/** tshark 4.0's TCP port for SSH. */
export const SSH_TCP_PORTS = new Set([22]);

/** What the connection knows: the protocol version (from an identification string) and the key exchange method. */
export interface SshSession {
  /** 2 (SSH-2.0, SSH-1.99), 1 (SSH-1.x), 0 not known yet. */
  version: number;
  /** kex_algorithms of each side's Key Exchange Init: [client, server]. */
  kex: [string[] | null, string[] | null];
}

const IDENT = [0x53, 0x53, 0x48, 0x2d]; // "SSH-"

/** Whether the bytes at `at` (up to four of them, as many as there are before `end`) begin "SSH-", an identification string. */
export function identPrefix(buf: Uint8Array, at: number, end: number): boolean {
  for (let i = 0; i < 4 && at + i < end; i++) if (buf[at + i] !== IDENT[i]) return false;
  return true;
}

export function newSshSession(): SshSession {
  return { version: 0, kex: [null, null] };
}

/** One item of a segment: an identification string, a binary packet in the clear, or encrypted bytes. */
interface Item {
  kind: 'banner' | 'packet' | 'encrypted';
  start: number;
  end: number;
  /** Message code of a packet in the clear. */
  code: number;
  /** Its name ("Key Exchange Init", "Elliptic Curve Diffie-Hellman Key Exchange Init" …). */
  name: string;
}

export interface SshD {
  items: Item[];
  client: boolean;
  /** The protocol version known when the segment began (the Protocol column). */
  version: number;
}

const CODES: Record<number, string> = {
  1: 'Disconnect', 2: 'Ignore', 3: 'Unimplemented', 4: 'Debug', 5: 'Service Request', 6: 'Service Accept', 7: 'Extension Info',
  20: 'Key Exchange Init', 21: 'New Keys',
};
const GEX: Record<number, string> = {
  30: 'Diffie-Hellman Group Exchange Request (Old)', 31: 'Diffie-Hellman Group Exchange Group', 32: 'Diffie-Hellman Group Exchange Init',
  33: 'Diffie-Hellman Group Exchange Reply', 34: 'Diffie-Hellman Group Exchange Request',
};

/** The method both sides chose: the client's first that the server has too. */
function negotiated(s: SshSession): string | null {
  const [c, sv] = s.kex;
  if (c === null || sv === null) return null;
  return c.find((a) => sv.includes(a)) ?? null;
}

/** Name of message code `code` under the session's key exchange method. */
function codeName(s: SshSession, code: number): string {
  const n = CODES[code];
  if (n !== undefined) return n;
  if (code >= 30 && code <= 49) {
    const kex = negotiated(s) ?? '';
    if (kex.startsWith('diffie-hellman-group-exchange')) return GEX[code] ?? `Unknown (${code})`;
    const ec = kex.startsWith('ecdh-sha2-') || kex.startsWith('curve25519-sha256') || kex.startsWith('curve448-sha512');
    if (code === 30) return ec ? 'Elliptic Curve Diffie-Hellman Key Exchange Init' : 'Diffie-Hellman Key Exchange Init';
    if (code === 31) return ec ? 'Elliptic Curve Diffie-Hellman Key Exchange Reply' : 'Diffie-Hellman Key Exchange Reply';
  }
  return `Unknown (${code})`;
}

/** A Key Exchange Init's ten name-lists (kex, host key, ciphers, MACs, compression, languages), or null. */
function nameLists(buf: Uint8Array, start: number, end: number): { at: number; len: number; text: string }[] | null {
  let p = start + 16; // after the cookie
  const out: { at: number; len: number; text: string }[] = [];
  for (let i = 0; i < 10; i++) {
    if (p + 4 > end) return null;
    const n = u32(buf, p);
    if (p + 4 + n > end) return null;
    out.push({ at: p, len: n, text: latin1Text(buf, p + 4, p + 4 + n) });
    p += 4 + n;
  }
  return out;
}

/**
 * The layer of a segment's items, made by the analyzer's SSH framer (`items` in order): a packet's
 * name uses `sess`, which a Key Exchange Init and an identification string update.
 */
export function sshLayer(buf: Uint8Array, start: number, end: number, items: Omit<Item, 'name'>[], sess: SshSession, client: boolean): Layer<SshD> {
  const d: SshD = { items: [], client, version: sess.version };
  const l = new Layer<SshD>(ssh, buf, start, end, d);
  for (const it of items) {
    let name = '';
    if (it.kind === 'banner') {
      // the client's identification string sets the version (tshark: a server's after a client
      // that sent none leaves the column "SSH")
      const t = latin1Text(buf, it.start, it.end);
      if (client && (t.startsWith('SSH-2.0-') || t.startsWith('SSH-1.99-'))) sess.version = 2;
      else if (client && t.startsWith('SSH-1.')) sess.version = 1;
    } else if (it.kind === 'packet') {
      if (it.end - it.start < 6) {
        l.problem('truncated', 'SSH packet header cut', it.start, it.end);
        d.items.push({ ...it, name: 'Encrypted packet' });
        continue;
      }
      if (it.code === 20) {
        const lists = nameLists(buf, it.start + 6, it.end);
        if (lists !== null) sess.kex[client ? 0 : 1] = lists[0].text.split(',');
      }
      name = codeName(sess, it.code);
      if (it.start + 4 + u32(buf, it.start) > it.end) l.problem('truncated', `SSH packet of ${u32(buf, it.start)} bytes cut`, it.start, it.end);
    }
    d.items.push({ ...it, name });
  }
  return l;
}

function itemInfo(buf: Uint8Array, it: Item): string {
  if (it.kind === 'banner') return `Protocol (${latin1Text(buf, it.start, it.end).replace(/\r?\n$/, '')})`;
  if (it.kind === 'encrypted') return `Encrypted packet (len=${it.end - it.start})`;
  return it.name;
}


/** A Key Exchange Init's name-lists, in order: their field keys (ssh.*) and their labels. */
const LIST_KEYS = [
  'kex_algorithms', 'server_host_key_algorithms', 'encryption_algorithms_client_to_server', 'encryption_algorithms_server_to_client',
  'mac_algorithms_client_to_server', 'mac_algorithms_server_to_client', 'compression_algorithms_client_to_server',
  'compression_algorithms_server_to_client', 'languages_client_to_server', 'languages_server_to_client',
];

function packetFields(buf: Uint8Array, it: Item, client: boolean): Field[] {
  const out: Field[] = [];
  const p = it.start;
  const plen = u32(buf, p);
  out.push(fUint('ssh.packet_length', 'Packet Length', plen, p, 4));
  const pad = buf[p + 4];
  out.push(fUint('ssh.padding_length', 'Padding Length', pad, p + 4, 1));
  const payEnd = Math.min(it.end, p + 4 + plen - pad);
  const kids: Field[] = [];
  const mc = fUint('ssh.message_code', 'Message Code', it.code, p + 5, 1);
  mc.text = `Message Code: ${it.name} (${it.code})`;
  kids.push(mc);
  if (it.code === 20) {
    const lists = nameLists(buf, p + 6, payEnd);
    if (lists !== null) {
      const alg: Field[] = [fBytes('ssh.cookie', 'Cookie', buf, p + 6, p + 22)];
      for (let i = 0; i < 10; i++) {
        const x = lists[i];
        alg.push(fUint(`ssh.${LIST_KEYS[i]}_length`, `${LIST_KEYS[i]} length`, x.len, x.at, 4));
        alg.push(fStr(`ssh.${LIST_KEYS[i]}`, LIST_KEYS[i], x.text, x.at + 4, x.len));
      }
      // HASSH: kex;ciphers;MACs;compression of the sender's direction
      const o = client ? [0, 2, 4, 6] : [0, 3, 5, 7];
      const h = o.map((i) => lists[i].text).join(';');
      const k = client ? 'hassh' : 'hasshserver';
      alg.push(gen(fStr(`ssh.kex.${k}_algorithms`, client ? 'hasshAlgorithms' : 'hasshServerAlgorithms', h, p + 6, payEnd - p - 6)));
      alg.push(gen(fStr(`ssh.kex.${k}`, client ? 'hassh' : 'hasshServer', md5Hex(h), p + 6, payEnd - p - 6)));
      kids.push(fText('Algorithms', p + 6, payEnd - p - 6, alg));
    }
  }
  out.push(fText(it.code >= 20 && it.code < 50 ? 'Key Exchange' : 'Payload', p + 5, payEnd - p - 5, kids));
  if (pad > 0 && payEnd + pad <= it.end) out.push(fBytes('ssh.padding_string', 'Padding String', buf, payEnd, payEnd + pad));
  return out;
}

export const ssh: Dissector<SshD> = {
  proto: 'ssh',
  name: 'SSH Protocol',
  fieldKeys: [
    'ssh.protocol', 'ssh.packet_length', 'ssh.padding_length', 'ssh.message_code', 'ssh.cookie', 'ssh.padding_string',
    'ssh.encrypted_packet', 'ssh.packet_length_encrypted', 'ssh.direction', ...LIST_KEYS.flatMap((k) => [`ssh.${k}`, `ssh.${k}_length`]), 'ssh.kex.hassh_algorithms', 'ssh.kex.hassh',
    'ssh.kex.hasshserver_algorithms', 'ssh.kex.hasshserver',
  ],
  dissect(buf, start, end) {
    // a segment seen alone (--decode-as): an identification string or encrypted bytes
    const banner = end - start >= 4 && identPrefix(buf, start, end);
    return sshLayer(buf, start, end, [{ kind: banner ? 'banner' : 'encrypted', start, end, code: 0 }], newSshSession(), true);
  },
  fields(l) {
    const out: Field[] = [];
    for (const it of l.d.items) {
      if (it.kind === 'banner') {
        const t = latin1Text(l.buf, it.start, it.end).replace(/\r?\n$/, '');
        const f = fStr('ssh.protocol', 'Protocol', t, it.start, it.end - it.start);
        out.push(f);
      } else if (it.kind === 'encrypted') {
        // tshark: the first 4 bytes as the (maybe encrypted) packet length, then the rest
        const kids: Field[] = [];
        const cut = Math.min(it.end, it.start + 4);
        kids.push(fBytes('ssh.packet_length_encrypted', 'Packet Length (encrypted)', l.buf, it.start, cut));
        if (cut < it.end) kids.push(fBytes('ssh.encrypted_packet', 'Encrypted Packet', l.buf, cut, it.end));
        out.push(fText('SSH Version 2', it.start, it.end - it.start, kids));
      } else {
        out.push(fText(`SSH Version 2 (encryption:none mac:none compression:none)`, it.start, it.end - it.start, packetFields(l.buf, it, l.d.client)));
      }
    }
    const dir = gen(fBool('ssh.direction', 'Direction', !l.d.client, l.start, 0));
    dir.text = `Direction: ${l.d.client ? 'client-to-server' : 'server-to-client'}`;
    out.push(dir);
    return out;
  },
  column: (l) => (l.d.version === 2 ? 'SSHv2' : l.d.version === 1 ? 'SSHv1' : 'SSH'),
  info: (l) => `${l.d.client ? 'Client' : 'Server'}: ${l.d.items.map((it) => itemInfo(l.buf, it)).join(', ')}`,
};
