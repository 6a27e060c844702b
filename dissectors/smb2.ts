// SMB2/SMB3 as tshark 4.0 shows it, over NBSS (TCP 139) and direct-hosted TCP 445 (framed by the TCP
// application analyzer, see smb2Layers): the sync and async headers, every command's request and response
// (tshark's Info: "Read Request Len:21 Off:0 File: hello.txt"), compound chains (one layer per command, Info
// joined with ";"), request/response matching by message id (smb2.response_to, smb2.time), tree names by tree
// id and file names by FileId (as tshark tracks them), error responses, the SMB3 transform header ("Encrypted
// SMB3", not decrypted) and the compression transform header (not decompressed). The security blob goes to
// GSS-API / SPNEGO / NTLMSSP (ntlmssp.ts).
// Reads are bounded by the message: a field past its end stops the command there, marked truncated (the
// snaplen cut the capture) or malformed (a length or offset that lies); nothing throws.

import { bitsText, fBytes, fHex, fStr, fText, fUint, gen, hexN, u16le, u32le } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { fFiletime, gssLayers, ntlmInfo, utf16Text, type GssSummary } from './ntlmssp.js';

export const SMB2_TCP_PORT = 445;

export const NT_STATUS: Record<number, string> = {
  0x00000000: 'STATUS_SUCCESS', 0x00000103: 'STATUS_PENDING', 0x0000010b: 'STATUS_NOTIFY_CLEANUP', 0x0000010c: 'STATUS_NOTIFY_ENUM_DIR',
  0x80000005: 'STATUS_BUFFER_OVERFLOW', 0x80000006: 'STATUS_NO_MORE_FILES', 0x8000002d: 'STATUS_STOPPED_ON_SYMLINK',
  0xc0000001: 'STATUS_UNSUCCESSFUL', 0xc0000002: 'STATUS_NOT_IMPLEMENTED', 0xc0000003: 'STATUS_INVALID_INFO_CLASS', 0xc0000004: 'STATUS_INFO_LENGTH_MISMATCH',
  0xc0000008: 'STATUS_INVALID_HANDLE', 0xc000000d: 'STATUS_INVALID_PARAMETER', 0xc000000e: 'STATUS_NO_SUCH_DEVICE', 0xc000000f: 'STATUS_NO_SUCH_FILE',
  0xc0000010: 'STATUS_INVALID_DEVICE_REQUEST', 0xc0000011: 'STATUS_END_OF_FILE', 0xc0000016: 'STATUS_MORE_PROCESSING_REQUIRED',
  0xc0000022: 'STATUS_ACCESS_DENIED', 0xc0000023: 'STATUS_BUFFER_TOO_SMALL', 0xc0000033: 'STATUS_OBJECT_NAME_INVALID', 0xc0000034: 'STATUS_OBJECT_NAME_NOT_FOUND',
  0xc0000035: 'STATUS_OBJECT_NAME_COLLISION', 0xc0000039: 'STATUS_OBJECT_PATH_INVALID', 0xc000003a: 'STATUS_OBJECT_PATH_NOT_FOUND',
  0xc0000043: 'STATUS_SHARING_VIOLATION', 0xc0000054: 'STATUS_FILE_LOCK_CONFLICT', 0xc0000055: 'STATUS_LOCK_NOT_GRANTED', 0xc0000056: 'STATUS_DELETE_PENDING',
  0xc0000061: 'STATUS_PRIVILEGE_NOT_HELD', 0xc000006a: 'STATUS_WRONG_PASSWORD', 0xc000006d: 'STATUS_LOGON_FAILURE', 0xc000006e: 'STATUS_ACCOUNT_RESTRICTION',
  0xc0000071: 'STATUS_PASSWORD_EXPIRED', 0xc0000072: 'STATUS_ACCOUNT_DISABLED', 0xc000007f: 'STATUS_DISK_FULL', 0xc000009a: 'STATUS_INSUFFICIENT_RESOURCES',
  0xc00000b5: 'STATUS_IO_TIMEOUT', 0xc00000ba: 'STATUS_FILE_IS_A_DIRECTORY', 0xc00000bb: 'STATUS_NOT_SUPPORTED', 0xc00000c9: 'STATUS_NETWORK_NAME_DELETED',
  0xc00000cc: 'STATUS_BAD_NETWORK_NAME', 0xc0000101: 'STATUS_DIRECTORY_NOT_EMPTY', 0xc0000103: 'STATUS_NOT_A_DIRECTORY', 0xc0000120: 'STATUS_CANCELLED',
  0xc0000128: 'STATUS_FILE_CLOSED', 0xc000015b: 'STATUS_LOGON_TYPE_NOT_GRANTED', 0xc0000184: 'STATUS_INVALID_DEVICE_STATE', 0xc0000203: 'STATUS_USER_SESSION_DELETED',
  0xc0000205: 'STATUS_INSUFF_SERVER_RESOURCES', 0xc0000225: 'STATUS_NOT_FOUND', 0xc0000257: 'STATUS_PATH_NOT_COVERED', 0xc000035c: 'STATUS_NETWORK_SESSION_EXPIRED',
  0xc000a100: 'STATUS_HASH_NOT_SUPPORTED', 0xc000a101: 'STATUS_HASH_NOT_PRESENT',
};

/** tshark's NT status text: the name, else "Unknown (0xC0001234)" (upper-case hex, as tshark's Info). */
export function ntStatusText(v: number): string {
  return NT_STATUS[v] ?? `Unknown (0x${v.toString(16).toUpperCase().padStart(8, '0')})`;
}

const CMDS = [
  'Negotiate Protocol', 'Session Setup', 'Session Logoff', 'Tree Connect', 'Tree Disconnect', 'Create', 'Close', 'Flush', 'Read', 'Write', 'Lock', 'Ioctl',
  'Cancel', 'KeepAlive', 'Find', 'Notify', 'GetInfo', 'SetInfo', 'Break',
];
const cmdName = (c: number) => CMDS[c] ?? `unknown-0x${c.toString(16)}`;

const FIND_LEVELS: Record<number, string> = {
  1: 'SMB2_FIND_DIRECTORY_INFO', 2: 'SMB2_FIND_FULL_DIRECTORY_INFO', 3: 'SMB2_FIND_BOTH_DIRECTORY_INFO', 12: 'SMB2_FIND_NAME_INFO',
  37: 'SMB2_FIND_ID_BOTH_DIRECTORY_INFO', 38: 'SMB2_FIND_ID_FULL_DIRECTORY_INFO',
};
const CLASSES: Record<number, string> = { 1: 'FILE_INFO', 2: 'FS_INFO', 3: 'SEC_INFO', 4: 'QUOTA_INFO' };
const FILE_LEVELS: Record<number, string> = {
  0x04: 'SMB2_FILE_BASIC_INFO', 0x05: 'SMB2_FILE_STANDARD_INFO', 0x06: 'SMB2_FILE_INTERNAL_INFO', 0x07: 'SMB2_FILE_EA_INFO', 0x08: 'SMB2_FILE_ACCESS_INFO',
  0x0a: 'SMB2_FILE_RENAME_INFO', 0x0b: 'SMB2_FILE_LINK_INFO', 0x0d: 'SMB2_FILE_DISPOSITION_INFO', 0x0e: 'SMB2_FILE_POSITION_INFO', 0x0f: 'SMB2_FILE_FULL_EA_INFO',
  0x10: 'SMB2_FILE_MODE_INFO', 0x11: 'SMB2_FILE_ALIGNMENT_INFO', 0x12: 'SMB2_FILE_ALL_INFO', 0x13: 'SMB2_FILE_ALLOCATION_INFO', 0x14: 'SMB2_FILE_ENDOFFILE_INFO',
  0x15: 'SMB2_FILE_ALTERNATE_NAME_INFO', 0x16: 'SMB2_FILE_STREAM_INFO', 0x17: 'SMB2_FILE_PIPE_INFO', 0x1c: 'SMB2_FILE_COMPRESSION_INFO',
  0x22: 'SMB2_FILE_NETWORK_OPEN_INFO', 0x23: 'SMB2_FILE_ATTRIBUTE_TAG_INFO', 0x30: 'SMB2_FILE_NORMALIZED_NAME_INFO',
};
const FS_LEVELS: Record<number, string> = {
  1: 'FileFsVolumeInformation', 2: 'FileFsLabelInformation', 3: 'FileFsSizeInformation', 4: 'FileFsDeviceInformation', 5: 'FileFsAttributeInformation',
  6: 'FileFsControlInformation', 7: 'FileFsFullSizeInformation', 8: 'FileFsObjectIdInformation', 9: 'FileFsDriverPathInformation',
  10: 'FileFsVolumeFlagsInformation', 11: 'FileFsSectorSizeInformation',
};
function levelName(cls: number, lvl: number): string {
  const n = cls === 1 ? FILE_LEVELS[lvl] : cls === 2 ? FS_LEVELS[lvl] : cls === 3 ? (lvl === 0 ? 'SMB2_SEC_INFO_00' : undefined) : cls === 4 ? (lvl === 0 ? 'SMB2_QUOTA_INFO' : undefined) : undefined;
  return n ?? `Unknown (0x${hexN(lvl, 2).slice(2)})`;
}
export const FSCTLS: Record<number, string> = {
  0x00060194: 'FSCTL_DFS_GET_REFERRALS', 0x000601b0: 'FSCTL_DFS_GET_REFERRALS_EX', 0x0011c017: 'FSCTL_PIPE_TRANSCEIVE', 0x00110018: 'FSCTL_PIPE_WAIT',
  0x0011400c: 'FSCTL_PIPE_PEEK', 0x00140204: 'FSCTL_VALIDATE_NEGOTIATE_INFO', 0x001401fc: 'FSCTL_QUERY_NETWORK_INTERFACE_INFO', 0x00144064: 'FSCTL_SRV_ENUMERATE_SNAPSHOTS',
  0x00140078: 'FSCTL_SRV_REQUEST_RESUME_KEY', 0x001440f2: 'FSCTL_SRV_COPYCHUNK', 0x001480f2: 'FSCTL_SRV_COPYCHUNK_WRITE', 0x001441bb: 'FSCTL_SRV_READ_HASH',
  0x001401d4: 'FSCTL_LMR_REQUEST_RESILIENCY', 0x000900c0: 'FSCTL_CREATE_OR_GET_OBJECT_ID', 0x0009009c: 'FSCTL_GET_OBJECT_ID', 0x000900a4: 'FSCTL_SET_REPARSE_POINT',
  0x000900a8: 'FSCTL_GET_REPARSE_POINT', 0x000980c8: 'FSCTL_SET_ZERO_DATA', 0x000940cf: 'FSCTL_QUERY_ALLOCATED_RANGES', 0x000900c4: 'FSCTL_SET_SPARSE',
  0x00090300: 'FSCTL_QUERY_SHARED_VIRTUAL_DISK_SUPPORT', 0x00098344: 'FSCTL_DUPLICATE_EXTENTS_TO_FILE',
};
const fsctlName = (c: number) => FSCTLS[c] ?? `Unknown (0x${hexN(c, 8).slice(2)})`;
const DIALECTS: Record<number, string> = { 0x0202: 'SMB 2.0.2', 0x0210: 'SMB 2.1', 0x0222: 'SMB 2.2.2', 0x0224: 'SMB 2.2.4', 0x0300: 'SMB 3.0', 0x0302: 'SMB 3.0.2', 0x0310: 'SMB 3.1.0', 0x0311: 'SMB 3.1.1', 0x02ff: 'SMB2 wildcard' };
const CTX_TYPES: Record<number, string> = {
  1: 'SMB2_PREAUTH_INTEGRITY_CAPABILITIES', 2: 'SMB2_ENCRYPTION_CAPABILITIES', 3: 'SMB2_COMPRESSION_CAPABILITIES', 5: 'SMB2_NETNAME_NEGOTIATE_CONTEXT_ID',
  6: 'SMB2_TRANSPORT_CAPABILITIES', 7: 'SMB2_RDMA_TRANSFORM_CAPABILITIES', 8: 'SMB2_SIGNING_CAPABILITIES', 0x100: 'SMB2_POSIX_EXTENSIONS_CAPABILITIES',
};
const CIPHERS: Record<number, string> = { 1: 'AES-128-CCM', 2: 'AES-128-GCM', 3: 'AES-256-CCM', 4: 'AES-256-GCM' };
const SIGNING: Record<number, string> = { 0: 'HMAC-SHA256', 1: 'AES-CMAC', 2: 'AES-GMAC' };
const COMP_ALGS: Record<number, string> = { 0: 'None', 1: 'LZNT1', 2: 'LZ77', 3: 'LZ77+Huffman', 4: 'Pattern_V1' };
const SHARE_TYPES: Record<number, string> = { 1: 'Physical disk', 2: 'Named pipe', 3: 'Printer' };

/** Statuses a command's response carries a regular body with (others: the error response body). */
function regularBody(cmd: number, status: number): boolean {
  if (status === 0) return true;
  if (cmd === 1) return true;
  if ((cmd === 8 || cmd === 11 || cmd === 16 || cmd === 14) && status === 0x80000005) return true;
  if (cmd === 15 && (status === 0x0000010c || status === 0x0000010b)) return false;
  return false;
}

// ---- per-connection state --------------------------------------------------------------------------

interface Saved {
  frame: number;
  ts: bigint;
  cmd: number;
  /** Tree Connect: the path; Create: the file name. */
  name: string;
  /** Find: the level and pattern; GetInfo/SetInfo: class and level; Ioctl: the function. */
  level: number;
  cls: number;
  fsctl: number;
  pattern: string;
  layer: Layer<Smb2D> | null;
}

export interface Smb2Session {
  pending: Map<string, Saved>;
  tids: Map<number, { name: string; type: number }>;
  fids: Map<string, string>;
}

const MAX_STATE = 20000;
export function newSmb2Session(): Smb2Session {
  return { pending: new Map(), tids: new Map(), fids: new Map() };
}
/** Requests waiting for their response: each keeps its layer (for smb2.response_in), so fewer are kept. */
const MAX_PENDING = 4096;
function bounded<K, V>(m: Map<K, V>, k: K, v: V, cap = MAX_STATE): void {
  if (m.size >= cap) m.delete(m.keys().next().value as K);
  m.set(k, v);
}

// ---- the layer -----------------------------------------------------------------------------------------

export interface Smb2D {
  /** 0 sync header, 1 async, 2 transform (encrypted), 3 compression transform, 4 not enough for a header. */
  kind: number;
  cmd: number;
  resp: boolean;
  status: number;
  /** Info of this command, and of the commands before it in the chain (joined with ";"). */
  info: string;
  prefix: string;
  /** A later command of a chain: not repeated in frame.protocols. */
  quiet: boolean;
  /** Response: the request's frame (0: not seen) and the time since it (ns). */
  reqFrame: number;
  dt: bigint;
  /** The tree of the header's tree id, when known. */
  tree: string | null;
  shareType: number;
  /** What the request said (responses): its command's level, class, function. */
  level: number;
  cls: number;
  fsctl: number;
  /** A cut means the snaplen (truncated), else malformed. */
  snap: boolean;
}

const GUID_HEX = (b: Uint8Array, at: number) => {
  const h = (i: number) => b[at + i].toString(16).padStart(2, '0');
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
};
function fGuid(key: string, label: string, b: Uint8Array, at: number): Field {
  return fStr(key, label, GUID_HEX(b, at), at, 16);
}
/** (0 for bytes past the buffer: a header cut short still lists the fields that are there) */
function u64le(b: Uint8Array, at: number): bigint {
  return BigInt(u32le(b, at + 4) || 0) * 4294967296n + BigInt(u32le(b, at) || 0);
}
function fU64(key: string, label: string, b: Uint8Array, at: number): Field {
  const v = u64le(b, at);
  const f = fUint(key, label, 0, at, 8);
  f.value = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  f.show = v.toString();
  return f;
}
function fX64(key: string, label: string, b: Uint8Array, at: number): Field {
  const v = u64le(b, at);
  const f = fHex(key, label, 0, at, 8);
  f.value = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  f.show = '0x' + v.toString(16).padStart(16, '0');
  return f;
}
function fidKey(b: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += String.fromCharCode(b[at + i]);
  return s;
}
function allOnes(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 16; i++) if (b[at + i] !== 0xff) return false;
  return true;
}

function fFlag(key: string, label: string, v: number, mask: number, nbits: number, at: number, len: number, yes: string, no: string): Field {
  const on = Math.floor(v / mask) % 2 === 1;
  const f = fUint(key, label, on ? 1 : 0, at, len);
  f.value = on;
  f.show = on ? '1' : '0';
  f.text = `${bitsText(v, mask, nbits)} = ${label}: ${on ? yes : no}`;
  return f;
}

/** What walking a message needs from outside: the connection state (first pass only) and callbacks. */
interface WalkEnv {
  sess: Smb2Session | null;
  frame: number;
  ts: bigint;
  /** Extra layers after this one (security blob, data), first pass only. */
  extra: Layer[] | null;
  mkData: ((buf: Uint8Array, s: number, e: number) => Layer | null) | null;
}

/**
 * Walk one SMB2 message at [l.start, l.end): in the first pass (`env.sess` set) the Info and the state; in the
 * fields pass (`out`) the fields, from what the first pass stored in l.d.
 */
function walk(l: Layer<Smb2D>, out: Field[] | null, env: WalkEnv): void {
  const b = l.buf, s = l.start, e = l.end, d = l.d;
  const first = env.sess !== null;
  const F = out !== null;
  let cur: Field[] = out ?? [];
  let cut = -1;
  const need = (at: number, n: number, what: string): boolean => {
    if (at + n <= e && at >= s) return true;
    if (cut < 0) {
      cut = at;
      if (first) l.problem(d.snap ? 'truncated' : 'malformed', d.snap ? `SMB2 ${what}: captured data ends here (cut by snaplen)` : `SMB2 ${what}: runs past the end of the message`, Math.min(at, e), e);
    }
    return false;
  };
  const push = (...fs: Field[]) => {
    if (F) for (const f of fs) cur.push(f);
  };
  const sub = (text: string, at: number, len: number): Field[] => {
    const kids: Field[] = [];
    if (F) cur.push(fText(text, at, len, kids));
    return kids;
  };
  const magic = b[s];
  // ---- transform headers
  if (magic === 0xfd) {
    if (F) push(fHex('smb2.protocol_id', 'ProtocolId', 0xfd534d42, s, 4));
    const hk = sub('SMB2 Transform Header', s, Math.min(52, e - s));
    const save = cur;
    cur = hk;
    if (need(s + 4, 48, 'transform header')) {
      if (F) {
        push(fBytes('smb2.header.transform.signature', 'Signature', b, s + 4, s + 20));
        push(fBytes('smb2.header.transform.nonce', 'Nonce', b, s + 20, s + 36));
        push(fUint('smb2.header.transform.msg_size', 'Message size', u32le(b, s + 36), s + 36, 4));
        push(fBytes('smb2.header.transform.reserved', 'Reserved', b, s + 40, s + 42));
        const fl = u16le(b, s + 42);
        const ff = fHex('smb2.header.transform.flags', 'Flags', fl, s + 42, 2);
        ff.children = [fFlag('smb2.header.transform.flags.encrypted', 'Encrypted', fl, 1, 16, s + 42, 2, 'True', 'False')];
        push(ff);
        push(fX64('smb2.sesid', 'Session Id', b, s + 44));
      }
      cur = save;
      if (F && e > s + 52) push(fBytes('smb2.header.transform.enc_data', 'Data', b, s + 52, e));
    }
    cur = save;
    d.info = 'Encrypted SMB3';
    return;
  }
  if (magic === 0xfc) {
    if (F) push(fHex('smb2.protocol_id', 'ProtocolId', 0xfc534d42, s, 4));
    d.info = 'Comp. SMB3 (invalid)';
    const hk = sub('SMB2 Compression Transform Header', s, Math.min(16, e - s));
    const save = cur;
    cur = hk;
    if (need(s + 4, 12, 'compression transform header') && F) {
      push(fUint('smb2.header.comp_transform.original_size', 'OriginalSize', u32le(b, s + 4), s + 4, 4));
      const alg = u16le(b, s + 8);
      const af = fHex('smb2.header.comp_transform.comp_alg', 'CompressionAlgorithm', alg, s + 8, 2);
      af.text = `CompressionAlgorithm: ${COMP_ALGS[alg] ?? 'Unknown'} (${af.show})`;
      push(af);
      push(fHex('smb2.header.comp_transform.flags', 'Flags', u16le(b, s + 10), s + 10, 2));
      push(fHex('smb2.header.comp_transform.offset', 'Offset', u32le(b, s + 12), s + 12, 4));
      cur = save;
      if (e > s + 16) push(fBytes('smb2.header.comp_transform.data', 'CompressedData', b, s + 16, e));
    }
    cur = save;
    return;
  }
  // ---- the SMB2 header
  if (F) push(fText('SMB2 Header', s, Math.min(64, e - s)));
  const hdr: Field[] = F ? (cur[cur.length - 1].children = []) : [];
  cur = hdr;
  if (F) push(fHex('smb2.protocol_id', 'ProtocolId', 0xfe534d42, s, 4));
  if (!need(s + 4, 2, 'header')) return;
  push(fUint('smb2.header_len', 'Header Length', u16le(b, s + 4), s + 4, 2));
  const short = e - s < 64;
  const flags = u32le(b, s + 16);
  const resp = (flags & 1) !== 0, async = (flags & 2) !== 0;
  const cmd = u16le(b, s + 12), status = u32le(b, s + 8);
  d.cmd = cmd;
  d.resp = resp;
  d.status = resp ? status : 0;
  d.kind = async ? 1 : 0;
  const tid = u32le(b, s + 36);
  if (F) {
    push(fUint('smb2.credit.charge', 'Credit Charge', u16le(b, s + 6), s + 6, 2));
    if (resp) {
      const sf = fHex('smb2.nt_status', 'NT Status', status, s + 8, 4);
      sf.text = `NT Status: ${ntStatusText(status)} (${sf.show})`;
      push(sf);
    } else {
      push(fUint('smb2.channel_sequence', 'Channel Sequence', u16le(b, s + 8), s + 8, 2));
      push(fBytes('smb2.reserved', 'Reserved', b, s + 10, s + 12));
    }
    const cf = fUint('smb2.cmd', 'Command', cmd, s + 12, 2);
    cf.text = `Command: ${CMDS[cmd] ?? 'Unknown'} (${cmd})`;
    push(cf);
    push(fUint(resp ? 'smb2.credits.granted' : 'smb2.credits.requested', resp ? 'Credits granted' : 'Credits requested', u16le(b, s + 14), s + 14, 2));
    const ff = fHex('smb2.flags', 'Flags', flags, s + 16, 4);
    ff.children = [
      fFlag('smb2.flags.response', 'Response', flags, 1, 32, s + 16, 4, 'This is a RESPONSE', 'This is a REQUEST'),
      fFlag('smb2.flags.async', 'Async command', flags, 2, 32, s + 16, 4, 'This is an ASYNC command', 'This is a SYNC command'),
      fFlag('smb2.flags.chained', 'Chained', flags, 4, 32, s + 16, 4, 'This pdu is a chained command', 'This pdu is NOT a chained command'),
      fFlag('smb2.flags.signature', 'Signing', flags, 8, 32, s + 16, 4, 'This pdu is signed', 'This pdu is NOT signed'),
      fFlag('smb2.flags.dfs', 'DFS operation', flags, 0x10000000, 32, s + 16, 4, 'This is a DFS OPERATION', 'This is a normal operation'),
      fFlag('smb2.flags.replay', 'Replay operation', flags, 0x20000000, 32, s + 16, 4, 'This is a REPLAY OPERATION', 'This is NOT a replay operation'),
    ];
    const names = [[1, 'Response'], [2, 'Async command'], [4, 'Chained'], [8, 'Signing'], [0x10000000, 'DFS operation'], [0x20000000, 'Replay operation']] as const;
    ff.text = `Flags: ${ff.show}${names.filter(([m]) => Math.floor(flags / m) % 2 === 1).map(([, n]) => `, ${n}`).join('')}`;
    push(ff);
    push(fHex('smb2.chain_offset', 'Chain Offset', u32le(b, s + 20), s + 20, 4));
    push(fU64('smb2.msg_id', 'Message ID', b, s + 24));
    if (async) push(fX64('smb2.aid', 'Async Id', b, s + 32));
    else {
      push(fHex('smb2.pid', 'Process Id', u32le(b, s + 32), s + 32, 4));
      const tf = fHex('smb2.tid', 'Tree Id', tid, s + 36, 4);
      if (d.tree !== null) tf.text = `Tree Id: ${tf.show}  ${d.tree}`;
      push(tf);
    }
    push(fX64('smb2.sesid', 'Session Id', b, s + 40));
    push(fBytes('smb2.signature', 'Signature', b, s + 48, s + 64));
    if (d.tree !== null) {
      push(gen(fStr('smb2.tree', 'Tree', d.tree, s + 36, 0)));
      const st = gen(fHex('smb2.share_type', 'Share Type', d.shareType, s + 36, 0, 2));
      st.text = `Share Type: ${SHARE_TYPES[d.shareType] ?? 'Unknown'} (${st.show})`;
      push(st);
    }
    if (short) {
      // a header cut short: the fields that are there, as tshark reads them one by one
      const keep = hdr.filter((f) => f.start + f.len <= e);
      hdr.length = 0;
      hdr.push(...keep);
    }
    if (d.reqFrame > 0) {
      push(gen(fUint('smb2.response_to', 'Response to', d.reqFrame, 0, 0)));
      const ns = d.dt;
      const t = `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
      const tf = gen(fStr('smb2.time', 'Time from request', t, 0, 0));
      tf.text = `Time from request: ${t} seconds`;
      push(tf);
    }
  }
  if (short) {
    need(s + 6, 58, 'header');
    return;
  }
  // state: the request this response answers, the tree of the tree id
  const msgKey = `${u32le(b, s + 28)}:${u32le(b, s + 24)}`;
  let saved: Saved | null = null;
  const sess = env.sess;
  if (sess !== null) {
    if (!async) {
      const t = sess.tids.get(tid);
      if (t !== undefined) {
        d.tree = t.name;
        d.shareType = t.type;
      }
    }
    if (resp) {
      saved = sess.pending.get(msgKey) ?? null;
      if (saved !== null && saved.cmd === cmd) {
        d.reqFrame = saved.frame;
        d.dt = env.ts - saved.ts;
        d.level = saved.level;
        d.cls = saved.cls;
        d.fsctl = saved.fsctl;
        // a final response (not the interim STATUS_PENDING) closes the request
        if (status !== 0x103) {
          sess.pending.delete(msgKey);
          // (late, as tshark -2 shows it: outputs that print after the run see it)
          if (saved.layer !== null) saved.layer.addExtra(gen(fUint('smb2.response_in', 'Response in', env.frame, 0, 0)));
          saved.layer = null;
        }
      } else saved = null;
    } else {
      saved = { frame: env.frame, ts: env.ts, cmd, name: '', level: -1, cls: -1, fsctl: -1, pattern: '', layer: l };
      if (!(u32le(b, s + 24) === 0xffffffff && u32le(b, s + 28) === 0xffffffff)) bounded(sess.pending, msgKey, saved, MAX_PENDING);
    }
  }
  let info = `${cmdName(cmd)} ${resp ? 'Response' : 'Request'}`;
  if (cmd === 18) {
    // an oplock break: the server's notification has message id all ones
    const notif = resp && u32le(b, s + 24) === 0xffffffff && u32le(b, s + 28) === 0xffffffff;
    info = resp ? (notif ? 'Oplock Break Notification' : 'Oplock Break Response') : 'Oplock Break Acknowledgment';
  }
  if (resp && status !== 0) info += `, Error: ${ntStatusText(status)}`;
  // ---- the command
  cur = out ?? [];
  const p = s + 64;
  const body = sub(`${CMDS[cmd] ?? 'Unknown'} ${resp ? 'Response' : 'Request'} (0x${hexN(cmd, 2).slice(2)})`, p, e - p);
  cur = body;
  const fidName = (at: number): string => {
    if (sess === null || allOnes(b, at)) return '';
    const n = sess.fids.get(fidKey(b, at));
    return n === undefined ? '' : ` File: ${n}`;
  };
  const fid = (at: number) => {
    if (F) push(fGuid('smb2.fid', 'File Id', b, at));
  };
  const olb = (offAt: number, offLen: number, lenAt: number, lenLen: number): [number, number] => {
    const off = offLen === 1 ? b[offAt] : offLen === 2 ? u16le(b, offAt) : u32le(b, offAt);
    const len = lenLen === 2 ? u16le(b, lenAt) : u32le(b, lenAt);
    if (F) push(fHex('smb2.olb.offset', 'Blob Offset', off, offAt, offLen, 8), fUint('smb2.olb.length', 'Blob Length', len, lenAt, lenLen));
    return [off, len];
  };
  /** The blob [s + off, + len) when it lies inside the message; else null and marked. */
  const blob = (off: number, len: number, what: string): [number, number] | null => {
    if (len === 0) return [s + off, s + off];
    if (off < 64 || !need(s + off, len, what)) {
      if (off < 64 && cut < 0 && first) l.problem('malformed', `SMB2 ${what}: offset ${off} points into the header`, p, e);
      return null;
    }
    return [s + off, s + off + len];
  };
  const uniStr = (key: string, label: string, r: [number, number] | null): string => {
    if (r === null) return '';
    const v = utf16Text(b, r[0], r[1]);
    if (F) push(fStr(key, label, v, r[0], r[1] - r[0]));
    return v;
  };
  const secMode = (at: number) => {
    if (!F) return;
    const v = b[at];
    const f = fHex('smb2.sec_mode', 'Security mode', v, at, 1);
    f.text = `Security mode: ${f.show}${v & 1 ? ', Signing enabled' : ''}${v & 2 ? ', Signing required' : ''}`;
    f.children = [fFlag('smb2.sec_mode.sign_enabled', 'Signing enabled', v, 1, 8, at, 1, 'True', 'False'), fFlag('smb2.sec_mode.sign_required', 'Signing required', v, 2, 8, at, 1, 'True', 'False')];
    push(f);
  };
  const caps = (at: number) => {
    if (F) push(fHex('smb2.capabilities', 'Capabilities', u32le(b, at), at, 4));
  };
  const dialects = (at: number, n: number) => {
    for (let i = 0; i < n && i < 64; i++) {
      if (!need(at + 2 * i, 2, 'dialects')) return;
      const v = u16le(b, at + 2 * i);
      if (F) {
        const f = fHex('smb2.dialect', 'Dialect', v, at + 2 * i, 2);
        f.text = `Dialect: ${DIALECTS[v] ?? 'Unknown'} (${f.show})`;
        push(f);
      }
    }
  };
  const secBlob = (r: [number, number] | null) => {
    if (r === null || r[1] <= r[0]) return;
    if (F) push(fBytes('smb2.security_blob', 'Security Blob', b, r[0], r[1]));
    if (first && env.extra !== null) {
      const sum: GssSummary = { ntlm: -1, user: '', domain: '' };
      for (const x of gssLayers(b, r[0], r[1], sum)) env.extra.push(x);
      info += ntlmInfo(sum);
    }
  };
  const dataLayer = (r: [number, number] | null) => {
    if (r === null || r[1] <= r[0] || !first || env.extra === null || env.mkData === null) return;
    const dl = env.mkData(b, r[0], r[1]);
    if (dl !== null) env.extra.push(dl);
  };
  const times = (at: number) => {
    if (!F) return;
    push(fFiletime('smb2.create.time', 'Create', b, at), fFiletime('smb2.last_access.time', 'Last Access', b, at + 8), fFiletime('smb2.last_write.time', 'Last Write', b, at + 16), fFiletime('smb2.last_change.time', 'Last Change', b, at + 24));
  };
  const attr = (at: number) => {
    if (F) push(fHex('smb2.file_attribute', 'File Attributes', u32le(b, at), at, 4));
  };
  const finish = () => {
    if (first) d.info = info;
  };
  if (!need(p, 2, 'command')) return finish();
  const bc = u16le(b, p);
  if (F && cmd <= 18) {
    const f = fHex('smb2.buffer_code', 'StructureSize', bc, p, 2);
    f.children = [fUint('smb2.buffer_code.length', 'Fixed Part Length', bc >> 1, p, 2), fFlag('smb2.buffer_code.dynamic', 'Dynamic Part', bc, 1, 16, p, 2, 'True', 'False')];
    push(f);
  }
  if (resp && cmd === 14 && saved !== null && saved.level >= 0) info += ` ${FIND_LEVELS[saved.level] ?? `(Level:0x${hexN(saved.level, 2).slice(2)})`} Pattern: ${saved.pattern}`;
  if (resp && cmd === 14 && F && d.level >= 0) push(gen(fUint('smb2.find.infolevel', 'Info Level', d.level, p, 0)));
  // an error response
  if (resp && !regularBody(cmd, status)) {
    if (bc === 9 || bc === 8) {
      if (need(p + 2, 6, 'error response') && F) {
        push(fUint('smb2.error.context_count', 'Error Context Count', b[p + 2], p + 2, 1), fHex('smb2.error.reserved', 'Reserved', b[p + 3], p + 3, 1));
        const n = u32le(b, p + 4);
        push(fUint('smb2.error.byte_count', 'Byte Count', n, p + 4, 4));
        if (n > 0 && p + 8 < e) push(fBytes('smb2.error.data', 'Error Data', b, p + 8, Math.min(e, p + 8 + n)));
      }
      return finish();
    }
  }
  switch (cmd) {
    case 0: {
      if (!resp) {
        if (!need(p, 36, 'Negotiate request')) break;
        const n = u16le(b, p + 2);
        if (F) push(fUint('smb2.dialect_count', 'Dialect count', n, p + 2, 2));
        secMode(p + 4);
        caps(p + 8);
        if (F) push(fGuid('smb2.client_guid', 'Client Guid', b, p + 12));
        const coff = u32le(b, p + 28), ccount = u16le(b, p + 32);
        if (F) push(fHex('smb2.negotiate_context.offset', 'NegotiateContextOffset', coff, p + 28, 4), fUint('smb2.negotiate_context.count', 'NegotiateContextCount', ccount, p + 32, 2));
        dialects(p + 36, n);
        if (ccount > 0 && coff > 0) negContexts(coff, ccount);
      } else {
        if (!need(p, 64, 'Negotiate response')) break;
        secMode(p + 2);
        const dia = u16le(b, p + 4);
        if (F) {
          const f = fHex('smb2.dialect', 'Dialect', dia, p + 4, 2);
          f.text = `Dialect: ${DIALECTS[dia] ?? 'Unknown'} (${f.show})`;
          push(f, fUint('smb2.negotiate_context.count', 'NegotiateContextCount', u16le(b, p + 6), p + 6, 2));
          push(fGuid('smb2.server_guid', 'Server Guid', b, p + 8));
        }
        caps(p + 24);
        if (F) {
          push(fUint('smb2.max_trans_size', 'Max Transaction Size', u32le(b, p + 28), p + 28, 4), fUint('smb2.max_read_size', 'Max Read Size', u32le(b, p + 32), p + 32, 4), fUint('smb2.max_write_size', 'Max Write Size', u32le(b, p + 36), p + 36, 4));
          push(fFiletime('smb2.current_time', 'Current Time', b, p + 40), fFiletime('smb2.boot_time', 'Boot Time', b, p + 48));
        }
        const [off, len] = olb(p + 56, 2, p + 58, 2);
        secBlob(blob(off, len, 'security blob'));
        const coff = u32le(b, p + 60);
        if (F) push(fHex('smb2.negotiate_context.offset', 'NegotiateContextOffset', coff, p + 60, 4));
        if (dia === 0x311 && coff > 0) negContexts(coff, u16le(b, p + 6));
      }
      break;
    }
    case 1: {
      if (!resp) {
        if (!need(p, 24, 'Session Setup request')) break;
        if (F) push(fHex('smb2.ses_req_flags', 'Flags', b[p + 2], p + 2, 1));
        secMode(p + 3);
        caps(p + 4);
        if (F) push(fHex('smb2.channel', 'Channel', u32le(b, p + 8), p + 8, 4));
        const [off, len] = olb(p + 12, 2, p + 14, 2);
        if (F) push(fX64('smb2.previous_sesid', 'Previous Session Id', b, p + 16));
        secBlob(blob(off, len, 'security blob'));
      } else {
        if (!need(p, 8, 'Session Setup response')) break;
        if (F) push(fHex('smb2.session_flags', 'Session Flags', u16le(b, p + 2), p + 2, 2));
        const [off, len] = olb(p + 4, 2, p + 6, 2);
        // (tshark shows an empty blob as "<MISSING>")
        if (len === 0 && F) {
          const f = fBytes('smb2.security_blob', 'Security Blob', b, p + 8, p + 8);
          f.show = '<MISSING>';
          push(f);
        }
        secBlob(blob(off, len, 'security blob'));
      }
      break;
    }
    case 3: {
      if (!resp) {
        if (!need(p, 8, 'Tree Connect request')) break;
        if (F) push(fHex('smb2.tc.flags', 'Flags', u16le(b, p + 2), p + 2, 2));
        const off = u16le(b, p + 4), len = u16le(b, p + 6);
        const r = blob(off, len, 'tree name');
        if (r !== null) olb(p + 4, 2, p + 6, 2);
        const name = uniStr('smb2.tree', 'Tree', r);
        if (r !== null) info += ` Tree: ${name}`;
        if (saved !== null) saved.name = name;
      } else {
        if (!need(p, 16, 'Tree Connect response')) break;
        const st = b[p + 2];
        if (F) {
          const f = fHex('smb2.share_type', 'Share Type', st, p + 2, 1);
          f.text = `Share Type: ${SHARE_TYPES[st] ?? 'Unknown'} (${f.show})`;
          push(f, fHex('smb2.share_flags', 'Share flags', u32le(b, p + 4), p + 4, 4), fHex('smb2.share_caps', 'Share Capabilities', u32le(b, p + 8), p + 8, 4));
          push(fHex('smb.access_mask', 'Access Mask', u32le(b, p + 12), p + 12, 4));
        }
        if (sess !== null && saved !== null && status === 0) bounded(sess.tids, tid, { name: saved.name, type: st });
      }
      break;
    }
    case 5: {
      if (!resp) {
        if (!need(p, 56, 'Create request')) break;
        if (F) {
          push(fHex('smb2.create.oplock', 'Oplock', b[p + 3], p + 3, 1), fUint('smb2.impersonation.level', 'Impersonation level', u32le(b, p + 4), p + 4, 4));
          push(fHex('smb2.create_flags', 'Create Flags', 0, p + 8, 8, 16));
          push(fHex('smb.access_mask', 'Access Mask', u32le(b, p + 24), p + 24, 4));
        }
        attr(p + 28);
        if (F) {
          push(fHex('smb.share_access', 'Share Access', u32le(b, p + 32), p + 32, 4));
          push(fUint('smb2.create.disposition', 'Disposition', u32le(b, p + 36), p + 36, 4), fHex('smb.create_options', 'Create Options', u32le(b, p + 40), p + 40, 4));
        }
        const off = u16le(b, p + 44), len = u16le(b, p + 46);
        const r = blob(off, len, 'file name');
        if (r !== null) olb(p + 44, 2, p + 46, 2);
        const name = uniStr('smb2.filename', 'Filename', r);
        if (r === null && len > 0) break;
        info += ` File: ${name}`;
        if (saved !== null) saved.name = name;
        const [coff, clen] = olb(p + 48, 4, p + 52, 4);
        createContexts(coff, clen);
      } else {
        if (!need(p, 88, 'Create response')) break;
        if (F) {
          push(fHex('smb2.create.oplock', 'Oplock', b[p + 2], p + 2, 1), fHex('smb2.create.rep_flags', 'Response Flags', b[p + 3], p + 3, 1));
          push(fUint('smb2.create.action', 'Create Action', u32le(b, p + 4), p + 4, 4));
        }
        times(p + 8);
        if (F) push(fU64('smb2.allocation_size', 'Allocation Size', b, p + 40), fU64('smb2.eof', 'End Of File', b, p + 48));
        attr(p + 56);
        fid(p + 64);
        if (saved !== null) {
          info += ` File: ${saved.name}`;
          if (sess !== null) bounded(sess.fids, fidKey(b, p + 64), saved.name);
        }
        const [coff, clen] = olb(p + 80, 4, p + 84, 4);
        createContexts(coff, clen);
      }
      break;
    }
    case 6: {
      if (!resp) {
        if (!need(p, 24, 'Close request')) break;
        if (F) push(fHex('smb2.close.flags', 'Close Flags', u16le(b, p + 2), p + 2, 2));
        fid(p + 8);
        info += fidName(p + 8);
      } else {
        if (!need(p, 60, 'Close response')) break;
        if (F) push(fHex('smb2.close.flags', 'Close Flags', u16le(b, p + 2), p + 2, 2));
        times(p + 8);
        if (F) push(fU64('smb2.allocation_size', 'Allocation Size', b, p + 40), fU64('smb2.eof', 'End Of File', b, p + 48));
        attr(p + 56);
      }
      break;
    }
    case 7:
    case 18: {
      if (!resp || cmd === 18) {
        if (!need(p, 24, cmd === 7 ? 'Flush request' : 'Oplock Break')) break;
        if (cmd === 18 && F) push(fHex('smb2.create.oplock', 'Oplock', b[p + 2], p + 2, 1));
        fid(p + 8);
        if (!resp) info += fidName(p + 8);
      }
      break;
    }
    case 8: {
      if (!resp) {
        if (!need(p, 48, 'Read request')) break;
        const len = u32le(b, p + 4);
        const off = u64le(b, p + 8);
        if (F) {
          push(fUint('smb2.read_padding', 'Padding', b[p + 2], p + 2, 1), fHex('smb2.read_flags', 'Flags', b[p + 3], p + 3, 1));
          push(fUint('smb2.read_length', 'Read Length', len, p + 4, 4), fU64('smb2.file_offset', 'File Offset', b, p + 8));
        }
        fid(p + 16);
        if (F) push(fUint('smb2.min_count', 'Min Count', u32le(b, p + 32), p + 32, 4), fHex('smb2.channel', 'Channel', u32le(b, p + 36), p + 36, 4), fUint('smb2.remaining_bytes', 'Remaining Bytes', u32le(b, p + 40), p + 40, 4));
        olb(p + 44, 2, p + 46, 2);
        info += ` Len:${len} Off:${off}${fidName(p + 16)}`;
      } else {
        if (!need(p, 16, 'Read response')) break;
        const [off, len] = olb(p + 2, 1, p + 4, 4);
        if (F) push(fUint('smb2.read_remaining', 'Read Remaining', u32le(b, p + 8), p + 8, 4));
        const r = blob(off, len, 'read data');
        dataLayer(r);
      }
      break;
    }
    case 9: {
      if (!resp) {
        if (!need(p, 48, 'Write request')) break;
        const doff = u16le(b, p + 2);
        const len = u32le(b, p + 4);
        const off = u64le(b, p + 8);
        if (F) push(fHex('smb2.data_offset', 'Data Offset', doff, p + 2, 2), fUint('smb2.write_length', 'Write Length', len, p + 4, 4), fU64('smb2.file_offset', 'File Offset', b, p + 8));
        fid(p + 16);
        if (F) push(fHex('smb2.channel', 'Channel', u32le(b, p + 32), p + 32, 4), fUint('smb2.remaining_bytes', 'Remaining Bytes', u32le(b, p + 36), p + 36, 4));
        olb(p + 40, 2, p + 42, 2);
        if (F) push(fHex('smb2.write.flags', 'Write Flags', u32le(b, p + 44), p + 44, 4));
        info += ` Len:${len} Off:${off}${fidName(p + 16)}`;
        dataLayer(blob(doff, len, 'write data'));
      } else {
        if (!need(p, 16, 'Write response')) break;
        if (F) push(fUint('smb2.write.count', 'Write Count', u32le(b, p + 4), p + 4, 4), fUint('smb2.write.remaining', 'Write Remaining', u32le(b, p + 8), p + 8, 4));
      }
      break;
    }
    case 10: {
      if (!resp) {
        if (!need(p, 24, 'Lock request')) break;
        const n = u16le(b, p + 2);
        if (F) push(fUint('smb2.lock_count', 'Lock Count', n, p + 2, 2));
        fid(p + 8);
        info += fidName(p + 8);
        for (let i = 0; i < n && i < 64; i++) {
          const at = p + 24 + 24 * i;
          if (!need(at, 24, 'lock')) break;
          if (F) push(fText('Lock Info', at, 24, [fU64('smb2.file_offset', 'Offset', b, at), fU64('smb2.lock_length', 'Length', b, at + 8), fHex('smb2.lock_flags', 'Flags', u32le(b, at + 16), at + 16, 4)]));
        }
      }
      break;
    }
    case 11: {
      if (!need(p, resp ? 48 : 56, resp ? 'Ioctl response' : 'Ioctl request')) break;
      const fn = u32le(b, p + 4);
      if (F) {
        const f = fHex('smb2.ioctl.function', 'Function', fn, p + 4, 4);
        f.text = `Function: ${fsctlName(fn)} (${f.show})`;
        push(f);
      }
      fid(p + 8);
      if (!resp && saved !== null) saved.fsctl = fn;
      info += ` ${fsctlName(fn)}`;
      const ioff = u32le(b, p + 24), ilen = u32le(b, p + 28);
      const oAt = resp ? p + 32 : p + 36;
      const ooff = u32le(b, oAt), olen = u32le(b, oAt + 4);
      // (tshark lists the output blob's offset and length first when the output comes first)
      if (ooff < ioff) olb(oAt, 4, oAt + 4, 4);
      olb(p + 24, 4, p + 28, 4);
      if (!(ooff < ioff)) olb(oAt, 4, oAt + 4, 4);
      if (!resp) {
        if (F) push(fUint('smb2.max_ioctl_in_size', 'Max Ioctl In Size', u32le(b, p + 32), p + 32, 4));
        if (F) push(fUint('smb2.max_ioctl_out_size', 'Max Ioctl Out Size', u32le(b, p + 44), p + 44, 4), fHex('smb2.ioctl.flags', 'Flags', u32le(b, p + 48), p + 48, 4));
      } else if (F) push(fHex('smb2.flags', 'Flags', u32le(b, p + 40), p + 40, 4));
      const rin = blob(ioff, ilen, 'ioctl input'), rout = resp ? blob(ooff, olen, 'ioctl output') : null;
      if (fn === 0x00060194 && !resp && rin !== null && rin[1] - rin[0] >= 2) {
        // REQ_GET_DFS_REFERRAL: the level and the path
        let z = rin[0] + 2;
        while (z + 1 < rin[1] && (b[z] | b[z + 1]) !== 0) z += 2;
        info += `, File: ${utf16Text(b, rin[0] + 2, z)}`;
      } else info += fidName(p + 8);
      if (fn === 0x00140204) {
        if (!resp && rin !== null && rin[1] - rin[0] >= 24) {
          caps(rin[0]);
          if (F) push(fGuid('smb2.client_guid', 'Client Guid', b, rin[0] + 4));
          secMode(rin[0] + 20);
          const n = u16le(b, rin[0] + 22);
          if (F) push(fUint('smb2.dialect_count', 'Dialect count', n, rin[0] + 22, 2));
          dialects(rin[0] + 24, Math.min(n, (rin[1] - rin[0] - 24) >> 1));
        } else if (resp && rout !== null && rout[1] - rout[0] >= 24) {
          caps(rout[0]);
          if (F) push(fGuid('smb2.server_guid', 'Server Guid', b, rout[0] + 4));
          secMode(rout[0] + 20);
          dialects(rout[0] + 22, 1);
        }
      } else if (fn === 0x0011c017) {
        dataLayer(resp ? rout : rin);
      }
      break;
    }
    case 14: {
      if (!resp) {
        if (!need(p, 32, 'Find request')) break;
        const lvl = b[p + 2];
        if (F) push(fUint('smb2.find.infolevel', 'Info Level', lvl, p + 2, 1), fHex('smb2.find.flags', 'Find Flags', b[p + 3], p + 3, 1), fHex('smb2.file_index', 'File Index', u32le(b, p + 4), p + 4, 4));
        fid(p + 8);
        const [off, len] = olb(p + 24, 2, p + 26, 2);
        if (F) push(fUint('smb2.output_buffer_len', 'Output Buffer Length', u32le(b, p + 28), p + 28, 4));
        const pat = uniStr('smb2.find.pattern', 'Search Pattern', blob(off, len, 'search pattern'));
        info += `${fidName(p + 8)} ${FIND_LEVELS[lvl] ?? `(Level:0x${hexN(lvl, 2).slice(2)})`} Pattern: ${pat}`;
        if (saved !== null) {
          saved.level = lvl;
          saved.pattern = pat;
        }
      } else {
        if (!need(p, 8, 'Find response')) break;
        const [off, len] = olb(p + 2, 2, p + 4, 4);
        const r = blob(off, len, 'directory entries');
        if (r !== null && F) findEntries(r[0], r[1], d.level);
      }
      break;
    }
    case 15: {
      if (!resp) {
        if (!need(p, 32, 'Notify request')) break;
        if (F) push(fHex('smb2.notify.flags', 'Notify Flags', u16le(b, p + 2), p + 2, 2), fUint('smb2.output_buffer_len', 'Output Buffer Length', u32le(b, p + 4), p + 4, 4));
        fid(p + 8);
        if (F) push(fHex('smb2.completion_filter', 'Completion Filter', u32le(b, p + 24), p + 24, 4));
      } else {
        if (!need(p, 8, 'Notify response')) break;
        olb(p + 2, 2, p + 4, 4);
      }
      break;
    }
    case 16: {
      if (!resp) {
        if (!need(p, 40, 'GetInfo request')) break;
        const cls = b[p + 2], lvl = b[p + 3];
        infoClass(p + 2, cls, lvl);
        if (F) push(fUint('smb2.max_response_size', 'Max Response Size', u32le(b, p + 4), p + 4, 4), fHex('smb2.getinfo_input_offset', 'Getinfo Input Offset', u16le(b, p + 8), p + 8, 2, 4));
        if (F) push(fUint('smb2.getinfo_input_size', 'Getinfo Input Size', u32le(b, p + 12), p + 12, 4), fHex('smb2.getsetinfo_additional', 'Additional Info', u32le(b, p + 16), p + 16, 4), fHex('smb2.getinfo_flags', 'Flags', u32le(b, p + 20), p + 20, 4));
        fid(p + 24);
        info += ` ${CLASSES[cls] ?? `Unknown (0x${hexN(cls, 2).slice(2)})`}/${levelName(cls, lvl)}${fidName(p + 24)}`;
        if (saved !== null) {
          saved.cls = cls;
          saved.level = lvl;
        }
      } else {
        if (!need(p, 8, 'GetInfo response')) break;
        const [off, len] = olb(p + 2, 2, p + 4, 4);
        if (d.cls >= 0) infoClass(p, d.cls, d.level, true);
        const r = blob(off, len, 'info');
        if (r !== null && F && d.cls === 1 && d.level === 0x12 && r[1] - r[0] >= 100) allInfo(r[0], r[1]);
        else if (r !== null && F && r[1] > r[0]) push(fText(`${d.cls === 1 ? (FILE_LEVELS[d.level] ?? 'Info') : d.cls === 2 ? (FS_LEVELS[d.level] ?? 'Info') : 'Info'} (${r[1] - r[0]} bytes, not decoded)`, r[0], r[1] - r[0]));
      }
      break;
    }
    case 17: {
      if (!resp) {
        if (!need(p, 32, 'SetInfo request')) break;
        const cls = b[p + 2], lvl = b[p + 3];
        infoClass(p + 2, cls, lvl);
        const len = u32le(b, p + 4), off = u16le(b, p + 8);
        if (F) push(fUint('smb2.setinfo_size', 'Setinfo Size', len, p + 4, 4), fHex('smb2.setinfo_offset', 'Setinfo Offset', off, p + 8, 2, 4), fHex('smb2.getsetinfo_additional', 'Additional Info', u32le(b, p + 12), p + 12, 4));
        fid(p + 16);
        info += ` ${CLASSES[cls] ?? `Unknown (0x${hexN(cls, 2).slice(2)})`}/${levelName(cls, lvl)}${fidName(p + 16)}`;
        if (saved !== null) {
          saved.cls = cls;
          saved.level = lvl;
        }
        const r = blob(off, len, 'info');
        if (r !== null && cls === 1 && lvl === 0x0a && r[1] - r[0] >= 20) {
          const nl = u32le(b, r[0] + 16);
          const ne = Math.min(r[1], r[0] + 20 + nl);
          const nn = utf16Text(b, r[0] + 20, ne);
          if (F) push(fText('SMB2_FILE_RENAME_INFO', r[0], r[1] - r[0], [fUint('smb2.rename.replace_if', 'Replace If', b[r[0]], r[0], 1), fUint('smb2.filename.len', 'Filename Length', nl, r[0] + 16, 4), fStr('smb2.filename', 'Filename', nn, r[0] + 20, ne - r[0] - 20)]));
          info += ` NewName:${nn}`;
        } else if (r !== null && cls === 1 && lvl === 0x0d && r[1] > r[0] && F) {
          push(fText('SMB2_FILE_DISPOSITION_INFO', r[0], r[1] - r[0], [fUint('smb2.disposition.delete_on_close', 'Delete on close', b[r[0]] & 1, r[0], 1)]));
        } else if (r !== null && r[1] > r[0] && F) push(fText(`${levelName(cls, lvl)} (${r[1] - r[0]} bytes, not decoded)`, r[0], r[1] - r[0]));
      } else if (d.cls >= 0) infoClass(p, d.cls, d.level, true);
      break;
    }
    default:
      // Logoff, Tree Disconnect, Cancel, KeepAlive: a reserved field; unknown commands: their bytes
      if (cmd > 18 && e > p && F) push(fBytes('smb2.unknown', 'Unknown', b, p, e));
  }
  finish();

  function infoClass(at: number, cls: number, lvl: number, generated = false): void {
    if (!F) return;
    const cf = fHex('smb2.class', 'Class', cls, at, generated ? 0 : 1, 2);
    cf.text = `Class: ${CLASSES[cls] ?? 'Unknown'} (${cf.show})`;
    const key = cls === 1 ? 'smb2.file_info.infolevel' : cls === 2 ? 'smb2.fs_info.infolevel' : cls === 3 ? 'smb2.sec_info.infolevel' : 'smb2.infolevel';
    const lf = fHex(key, 'InfoLevel', lvl, at + 1, 1, 2);
    lf.text = `InfoLevel: ${levelName(cls, lvl)} (${lf.show})`;
    if (generated) {
      gen(cf);
      gen(lf);
      lf.len = 0;
    }
    push(cf, lf);
  }

  function negContexts(coff: number, count: number): void {
    let q = s + coff;
    for (let i = 0; i < count && i < 32; i++) {
      q = s + ((q - s + 7) & ~7);
      if (!need(q, 8, 'negotiate context')) return;
      const t = u16le(b, q), len = u16le(b, q + 2);
      const dq = q + 8;
      const kids: Field[] = [];
      const save = cur;
      if (F) {
        const tf = fHex('smb2.negotiate_context.type', 'Type', t, q, 2);
        tf.text = `Type: ${CTX_TYPES[t] ?? 'Unknown'} (${tf.show})`;
        cur.push(fText(`Negotiate Context: ${CTX_TYPES[t] ?? 'Unknown'}`, q, 8 + len, kids));
        kids.push(tf, fUint('smb2.negotiate_context.data_length', 'DataLength', len, q + 2, 2), fBytes('smb2.negotiate_context.reserved', 'Reserved', b, q + 4, q + 8));
      }
      if (!need(dq, len, 'negotiate context data')) return;
      cur = kids;
      if (F) {
        if (t === 1 && len >= 4) {
          const n = u16le(b, dq), sl = u16le(b, dq + 2);
          push(fUint('smb2.negotiate_context.hash_alg_count', 'HashAlgorithmCount', n, dq, 2), fUint('smb2.negotiate_context.salt_length', 'SaltLength', sl, dq + 2, 2));
          for (let k = 0; k < n && 4 + 2 * k + 2 <= len; k++) {
            const f = fHex('smb2.negotiate_context.hash_algorithm', 'HashAlgorithm', u16le(b, dq + 4 + 2 * k), dq + 4 + 2 * k, 2);
            f.text = `HashAlgorithm: ${u16le(b, dq + 4 + 2 * k) === 1 ? 'SHA-512' : 'Unknown'} (${f.show})`;
            push(f);
          }
          const so = dq + 4 + 2 * n;
          if (sl > 0 && so + sl <= dq + len) push(fBytes('smb2.negotiate_context.salt', 'Salt', b, so, so + sl));
        } else if ((t === 2 || t === 8) && len >= 2) {
          const n = u16le(b, dq);
          push(fUint(t === 2 ? 'smb2.negotiate_context.cipher_count' : 'smb2.negotiate_context.signing_alg_count', t === 2 ? 'CipherCount' : 'SigningAlgorithmCount', n, dq, 2));
          for (let k = 0; k < n && 2 + 2 * k + 2 <= len; k++) {
            const v = u16le(b, dq + 2 + 2 * k);
            const f = fHex(t === 2 ? 'smb2.negotiate_context.cipher_id' : 'smb2.negotiate_context.signing_id', t === 2 ? 'CipherId' : 'SigningAlgorithmId', v, dq + 2 + 2 * k, 2);
            f.text = `${t === 2 ? 'CipherId' : 'SigningAlgorithmId'}: ${(t === 2 ? CIPHERS[v] : SIGNING[v]) ?? 'Unknown'} (${f.show})`;
            push(f);
          }
        } else if (t === 3 && len >= 8) {
          const n = u16le(b, dq);
          push(fUint('smb2.negotiate_context.comp_alg_count', 'CompressionAlgorithmCount', n, dq, 2), fHex('smb2.negotiate_context.comp_alg_flags', 'Flags', u32le(b, dq + 4), dq + 4, 4));
          for (let k = 0; k < n && 8 + 2 * k + 2 <= len; k++) {
            const v = u16le(b, dq + 8 + 2 * k);
            const f = fHex('smb2.negotiate_context.comp_alg_id', 'CompressionAlgorithmId', v, dq + 8 + 2 * k, 2);
            f.text = `CompressionAlgorithmId: ${COMP_ALGS[v] ?? 'Unknown'} (${f.show})`;
            push(f);
          }
        } else if (t === 5) {
          push(fStr('smb2.negotiate_context.netname', 'Netname', utf16Text(b, dq, dq + len), dq, len));
        } else if (len > 0) push(fBytes('smb2.unknown', 'Unknown', b, dq, dq + len));
      }
      cur = save;
      q = dq + len;
    }
  }

  function createContexts(coff: number, clen: number): void {
    if (clen === 0 || coff === 0) return;
    const r = blob(coff, clen, 'create contexts');
    if (r === null) return;
    const kids = sub('ExtraInfo', r[0], r[1] - r[0]);
    const save = cur;
    cur = kids;
    let q = r[0];
    for (let i = 0; i < 32 && q + 16 <= r[1]; i++) {
      const next = u32le(b, q), no = u16le(b, q + 4), nl = u16le(b, q + 6), dOff = u16le(b, q + 10), dl = u32le(b, q + 12);
      const ns = q + no, ne = Math.min(r[1], ns + nl);
      let tag = '';
      for (let k = ns; k < ne; k++) tag += String.fromCharCode(b[k]);
      if (F) {
        const ek: Field[] = [fUint('smb2.create.chain_offset', 'Chain Offset', next, q, 4)];
        const nf = fStr('smb2.create.context_name', 'Tag', tag, ns, ne - ns);
        ek.push(nf);
        if (dl > 0 && q + dOff + dl <= r[1]) ek.push(fBytes('smb2.create.chain_data', 'Data', b, q + dOff, q + dOff + dl));
        push(fText(`Chain Element: ${tag}`, q, next > 0 ? next : r[1] - q, ek));
      }
      if (next === 0) break;
      q += next;
    }
    cur = save;
  }

  function findEntries(s0: number, e0: number, lvl: number): void {
    let q = s0;
    for (let i = 0; i < 4096 && q < e0; i++) {
      const next = q + 4 <= e0 ? u32le(b, q) : 0;
      const end = next > 0 ? Math.min(e0, q + next) : e0;
      const kids = sub(FIND_LEVELS[lvl] ?? 'Info', q, end - q);
      const save = cur;
      cur = kids;
      if (lvl === 1 || lvl === 2 || lvl === 3 || lvl === 37 || lvl === 38) {
        if (q + 64 > e0) break;
        push(fUint('smb2.next_offset', 'Next Offset', next, q, 4), fHex('smb2.file_index', 'File Index', u32le(b, q + 4), q + 4, 4));
        times(q + 8);
        push(fU64('smb2.eof', 'End Of File', b, q + 40), fU64('smb2.allocation_size', 'Allocation Size', b, q + 48));
        attr(q + 56);
        const nl = u32le(b, q + 60);
        push(fUint('smb2.filename.len', 'Filename Length', nl, q + 60, 4));
        let np = q + 64;
        if (lvl !== 1) {
          push(fUint('smb2.ea_size', 'EA Size', u32le(b, q + 64), q + 64, 4));
          np += 4;
        }
        if (lvl === 3 || lvl === 37) {
          const sl = b[q + 68];
          push(fUint('smb2.short_name_len', 'Short Name Length', sl, q + 68, 1));
          push(fStr('smb2.short_name', 'Short Name', utf16Text(b, q + 70, q + 70 + Math.min(sl, 24)), q + 70, 24));
          np = q + 94;
        }
        if (lvl === 37) {
          push(fX64('smb2.file_id', 'File Id', b, q + 96));
          np = q + 104;
        } else if (lvl === 38) {
          push(fX64('smb2.file_id', 'File Id', b, q + 72));
          np = q + 80;
        }
        const ne = Math.min(e0, np + nl);
        push(fStr('smb2.filename', 'Filename', utf16Text(b, np, ne), np, ne - np));
      } else if (lvl === 12) {
        if (q + 12 > e0) break;
        const nl = u32le(b, q + 8);
        push(fUint('smb2.next_offset', 'Next Offset', next, q, 4), fHex('smb2.file_index', 'File Index', u32le(b, q + 4), q + 4, 4), fUint('smb2.filename.len', 'Filename Length', nl, q + 8, 4));
        push(fStr('smb2.filename', 'Filename', utf16Text(b, q + 12, Math.min(e0, q + 12 + nl)), q + 12, nl));
      } else {
        push(fBytes('smb2.find.info_blob', 'Info', b, q, e0));
        cur = save;
        break;
      }
      cur = save;
      if (next === 0) break;
      q += next;
    }
  }

  function allInfo(s0: number, e0: number): void {
    const kids = sub('SMB2_FILE_ALL_INFO', s0, e0 - s0);
    const save = cur;
    cur = kids;
    times(s0);
    attr(s0 + 32);
    push(fU64('smb2.allocation_size', 'Allocation Size', b, s0 + 40), fU64('smb2.eof', 'End Of File', b, s0 + 48), fUint('smb2.nlinks', 'Number of Links', u32le(b, s0 + 56), s0 + 56, 4));
    push(fUint('smb2.delete_pending', 'Delete Pending', b[s0 + 60], s0 + 60, 1), fUint('smb2.is_directory', 'Is Directory', b[s0 + 61], s0 + 61, 1));
    push(fX64('smb2.file_id', 'File Id', b, s0 + 64), fUint('smb2.ea_size', 'EA Size', u32le(b, s0 + 72), s0 + 72, 4), fHex('smb.access_mask', 'Access Mask', u32le(b, s0 + 76), s0 + 76, 4));
    push(fU64('smb2.position_info', 'Position Information', b, s0 + 80), fHex('smb2.mode_info', 'Mode Information', u32le(b, s0 + 88), s0 + 88, 4), fHex('smb2.alignment_info', 'Alignment Information', u32le(b, s0 + 92), s0 + 92, 4));
    const nl = u32le(b, s0 + 96);
    push(fUint('smb2.filename.len', 'Filename Length', nl, s0 + 96, 4));
    const ne = Math.min(e0, s0 + 100 + nl);
    push(fStr('smb2.filename', 'Filename', utf16Text(b, s0 + 100, ne), s0 + 100, ne - s0 - 100));
    cur = save;
  }
}

export const smb2: Dissector<Smb2D> = {
  proto: 'smb2',
  name: 'SMB2 (Server Message Block Protocol version 2)',
  protocolsPart: (l) => (l.d.quiet ? '' : 'smb2'),
  fieldKeys: [
    'smb2.protocol_id', 'smb2.header_len', 'smb2.credit.charge', 'smb2.channel_sequence', 'smb2.reserved', 'smb2.nt_status', 'smb2.cmd', 'smb2.credits.requested',
    'smb2.credits.granted', 'smb2.flags', 'smb2.flags.response', 'smb2.flags.async', 'smb2.flags.chained', 'smb2.flags.signature', 'smb2.flags.dfs',
    'smb2.flags.replay', 'smb2.chain_offset', 'smb2.msg_id', 'smb2.pid', 'smb2.tid', 'smb2.aid', 'smb2.sesid', 'smb2.signature', 'smb2.tree', 'smb2.share_type',
    'smb2.response_to', 'smb2.response_in', 'smb2.time', 'smb2.buffer_code', 'smb2.buffer_code.length', 'smb2.buffer_code.dynamic', 'smb2.error.context_count',
    'smb2.error.reserved', 'smb2.error.byte_count', 'smb2.error.data', 'smb2.dialect_count', 'smb2.dialect', 'smb2.sec_mode', 'smb2.sec_mode.sign_enabled',
    'smb2.sec_mode.sign_required', 'smb2.capabilities', 'smb2.client_guid', 'smb2.server_guid', 'smb2.max_trans_size', 'smb2.max_read_size', 'smb2.max_write_size',
    'smb2.current_time', 'smb2.boot_time', 'smb2.negotiate_context.offset', 'smb2.negotiate_context.count', 'smb2.negotiate_context.type',
    'smb2.negotiate_context.data_length', 'smb2.negotiate_context.reserved', 'smb2.negotiate_context.hash_alg_count', 'smb2.negotiate_context.salt_length',
    'smb2.negotiate_context.hash_algorithm', 'smb2.negotiate_context.salt', 'smb2.negotiate_context.cipher_count', 'smb2.negotiate_context.cipher_id',
    'smb2.negotiate_context.signing_alg_count', 'smb2.negotiate_context.signing_id', 'smb2.negotiate_context.comp_alg_count', 'smb2.negotiate_context.comp_alg_flags',
    'smb2.negotiate_context.comp_alg_id', 'smb2.negotiate_context.netname', 'smb2.olb.offset', 'smb2.olb.length', 'smb2.security_blob', 'smb2.ses_req_flags',
    'smb2.channel', 'smb2.previous_sesid', 'smb2.session_flags', 'smb2.tc.flags', 'smb2.share_flags', 'smb2.share_caps', 'smb.access_mask', 'smb2.create.oplock',
    'smb2.impersonation.level', 'smb2.create_flags', 'smb2.file_attribute', 'smb.share_access', 'smb2.create.disposition', 'smb.create_options', 'smb2.filename',
    'smb2.create.rep_flags', 'smb2.create.action', 'smb2.create.time', 'smb2.last_access.time', 'smb2.last_write.time', 'smb2.last_change.time',
    'smb2.allocation_size', 'smb2.eof', 'smb2.fid', 'smb2.create.chain_offset', 'smb2.create.context_name', 'smb2.create.chain_data', 'smb2.close.flags', 'smb2.oplock',
    'smb2.read_padding', 'smb2.read_flags', 'smb2.read_length', 'smb2.file_offset', 'smb2.min_count', 'smb2.remaining_bytes', 'smb2.read_remaining',
    'smb2.data_offset', 'smb2.write_length', 'smb2.write.flags', 'smb2.write.count', 'smb2.write.remaining', 'smb2.lock_count', 'smb2.lock_length', 'smb2.lock_flags',
    'smb2.ioctl.function', 'smb2.max_ioctl_in_size', 'smb2.max_ioctl_out_size', 'smb2.ioctl.flags', 'smb2.find.infolevel', 'smb2.find.flags', 'smb2.file_index',
    'smb2.max_response_size', 'smb2.output_buffer_len', 'smb2.find.pattern', 'smb2.next_offset', 'smb2.filename.len', 'smb2.ea_size', 'smb2.short_name_len', 'smb2.short_name', 'smb2.file_id',
    'smb2.find.info_blob', 'smb2.notify.flags', 'smb2.completion_filter', 'smb2.class', 'smb2.infolevel', 'smb2.file_info.infolevel', 'smb2.fs_info.infolevel',
    'smb2.sec_info.infolevel', 'smb2.getinfo_input_offset', 'smb2.getinfo_input_size', 'smb2.getsetinfo_additional', 'smb2.getinfo_flags', 'smb2.setinfo_size',
    'smb2.setinfo_offset', 'smb2.rename.replace_if', 'smb2.disposition.delete_on_close', 'smb2.nlinks', 'smb2.delete_pending', 'smb2.is_directory',
    'smb2.position_info', 'smb2.mode_info', 'smb2.alignment_info', 'smb2.unknown', 'smb2.header.transform.signature', 'smb2.header.transform.nonce',
    'smb2.header.transform.msg_size', 'smb2.header.transform.reserved', 'smb2.header.transform.flags', 'smb2.header.transform.flags.encrypted',
    'smb2.header.transform.enc_data', 'smb2.header.comp_transform.original_size', 'smb2.header.comp_transform.comp_alg', 'smb2.header.comp_transform.flags',
    'smb2.header.comp_transform.offset', 'smb2.header.comp_transform.data',
  ],
  dissect() {
    throw new Error('built by the TCP application analyzer (smb2Layers)');
  },
  fields(l) {
    const out: Field[] = [];
    walk(l, out, { sess: null, frame: 0, ts: 0n, extra: null, mkData: null });
    return out;
  },
  column: () => 'SMB2',
  info: (l) => (l.d.prefix === '' ? l.d.info : `${l.d.prefix};${l.d.info}`),
};

/**
 * The layers of the SMB2 message(s) at [s, e) of buf (an NBSS session message's payload): one smb2 layer per
 * command of a chain, each followed by the layers of its security blob or data; `sess` the connection's state,
 * `frame`/`ts` the frame that completes the message, `snap` whether a cut is the snaplen's.
 */
export function smb2Layers(buf: Uint8Array, s: number, e: number, sess: Smb2Session, frame: number, ts: bigint, snap: boolean, mkData: ((buf: Uint8Array, s: number, e: number) => Layer | null) | null): Layer[] {
  const out: Layer[] = [];
  let p = s;
  let prefix = '';
  for (let k = 0; k < 64 && p < e; k++) {
    const magic = buf[p];
    let end = e;
    let next = 0;
    if (magic === 0xfe && p + 24 <= e) {
      next = u32le(buf, p + 20);
      if (next > 0 && p + next < e && next >= 64) end = p + next;
      else next = 0;
    }
    const l = new Layer<Smb2D>(smb2, buf, p, end, {
      kind: magic === 0xfd ? 2 : magic === 0xfc ? 3 : 0, cmd: -1, resp: false, status: 0, info: '', prefix, quiet: k > 0, reqFrame: 0, dt: 0n, tree: null, shareType: 0,
      level: -1, cls: -1, fsctl: -1, snap,
    });
    const extra: Layer[] = [];
    walk(l, null, { sess, frame, ts, extra, mkData });
    out.push(l, ...extra);
    prefix = prefix === '' ? l.d.info : `${prefix};${l.d.info}`;
    if (next === 0) break;
    p = end;
  }
  return out;
}
