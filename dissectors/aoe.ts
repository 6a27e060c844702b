// ATA over Ethernet (ethertype 0x88a2), as tshark 4.0 shows it (packet-aoe.c): version, flags (response,
// error), error code, major/minor shelf address, command, tag; for "Issue ATA Command" the ATA header
// (aflags, err/feature, sector count, command or status, 48-bit LBA little endian). A response is matched
// to the last request with its tag between the same two MAC addresses (tshark's conversation), giving
// Response To, the time from the request and the request's ATA command. Info: "[Error:<error> ]<command>
// Request|Response[ ATA:<ATA command>]". Only version 1 is decoded (others show their version). A header
// cut short is [Malformed Packet] after the fields before the cut, as tshark's exception.

import { relTime } from '../src/analysis/dns-transactions.js';
import { bitsText, fBool, fHex, fmtMAC, fStr, fText, fUint, gen, hexN, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';

const CMDS: Record<number, string> = { 0: 'Issue ATA Command', 1: 'Query Config Information' };
const ERRORS: Record<number, string> = {
  1: 'Unrecognized command code', 2: 'Bad argument parameter', 3: 'Device unavailable', 4: 'Config string present', 5: 'Unsupported version',
};
const ATA_CMDS: Record<number, string> = {
  0x00: 'NOP', 0x08: 'Atapi soft reset', 0x10: 'Recalibrate', 0x20: 'Read sectors (with retry)', 0x21: 'Read sectors (no retry)',
  0x22: 'Read long (with retry)', 0x23: 'Read long (no retry)', 0x24: 'Read ext', 0x30: 'Write sectors (with retry)',
  0x31: 'Write sectors (no retry)', 0x32: 'Write long (with retry)', 0x33: 'Write long (no retry)', 0x34: 'Write ext', 0x3c: 'Write verify',
  0x40: 'Read verify sectors (with retry)', 0x41: 'Read verify sectors (no retry)', 0x50: 'Format track', 0x70: 'Seek',
  0x90: 'Execute device diagnostics', 0x91: 'Initialize device parameters', 0x92: 'Download microcode', 0x94: 'Standy immediate',
  0x95: 'Idle immediate', 0x96: 'Standby', 0x97: 'Idle', 0x98: 'Check power mode', 0x99: 'Sleep', 0xa0: 'Atapi packet',
  0xa1: 'Atapi identify device', 0xa2: 'Atapi service', 0xb0: 'Smart', 0xc4: 'Read multiple', 0xc5: 'Write multiple',
  0xc6: 'Set multiple mode', 0xc8: 'Read dma (with retry)', 0xc9: 'Read dma (no retry)', 0xca: 'Write dma (with retry)',
  0xcb: 'Write dma (no retry)', 0xde: 'Door lock', 0xdf: 'Door unlock', 0xe0: 'Standy immediate', 0xe1: 'Idle immediate', 0xe2: 'Standby',
  0xe3: 'Idle', 0xe4: 'Read buffer', 0xe5: 'Check power mode', 0xe6: 'Sleep', 0xe8: 'Write buffer', 0xec: 'Identify Device',
  0xed: 'Media eject', 0xee: 'Identify device dma', 0xef: 'Set features', 0xf1: 'Security set password', 0xf2: 'Security unlock',
  0xf3: 'Security erase prepare', 0xf4: 'Security erase unit', 0xf5: 'Security freeze', 0xf6: 'Security disable password',
};
const ataName = (c: number) => ATA_CMDS[c] ?? ` Unknown ATA<0x${hexN(c, 2).slice(2)}>`;

interface Req {
  frame: number;
  ts: bigint;
  cmd: number;
}
/** Per capture: requests waiting for an answer (by conversation and tag), and what each frame was matched to. */
interface AoeState {
  pending: Map<string, Req>;
  byFrame: Map<number, Req | null>;
}
const MAX_PENDING = 4096;
const MAX_FRAMES = 4096;

export interface AoeD {
  info: string;
  /** The request this response answers, or null. */
  req: Req | null;
  /** Bytes the header needed and did not have (the fields stop there), or -1. */
  cutAt: number;
  /** The frame's time (for the time from the request). */
  ts: bigint;
}

function state(ctx: DissectContext): AoeState {
  let s = ctx.state.slots.get('aoe') as AoeState | undefined;
  if (s === undefined) ctx.state.slots.set('aoe', (s = { pending: new Map(), byFrame: new Map() }));
  return s;
}

/** The Ethernet addresses of the frame, in either order (tshark's conversation of a frame without IP). */
function convKey(ctx: DissectContext): string {
  const d = ctx.frame.data;
  if (d.length < 12) return '';
  const a = fmtMAC(d, 0), b = fmtMAC(d, 6);
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Everything but the Info/state: the fields of [s, e), cut where the bytes end. */
function build(buf: Uint8Array, s: number, e: number, d: AoeD, out: Field[] | null): void {
  const has = (n: number) => s + n <= e;
  const f = out ?? [];
  const ver = buf[s] >> 4;
  f.push(fUint('aoe.version', 'Version', ver, s, 1));
  if (ver !== 1) return;
  const flags = buf[s] & 0x0f;
  const resp = (flags & 8) !== 0;
  const fl = fText(`Flags: ${resp ? 'Response' : 'Request'}${flags & 4 ? ' Error' : ''}`, s, 1, [
    withText(fBool('aoe.response', 'Response flag', resp, s, 1, 0x08), `${bitsText(flags, 8, 8)} = Response flag: ${resp ? 'Response' : 'Request'}`),
    withText(fBool('aoe.flags_error', 'Error flag', (flags & 4) !== 0, s, 1, 0x04), `${bitsText(flags, 4, 8)} = Error flag: ${flags & 4 ? 'Error' : 'No error'}`),
  ]);
  f.push(fl);
  if (flags & 4) {
    if (!has(2)) return void (d.cutAt = s + 2);
    const er = fUint('aoe.error', 'Error', buf[s + 1], s + 1, 1);
    er.text = `Error: ${ERRORS[buf[s + 1]] ?? 'Unknown'} (${buf[s + 1]})`;
    f.push(er);
  }
  if (!has(4)) return void (d.cutAt = s + 4);
  f.push(fHex('aoe.major', 'Major', u16(buf, s + 2), s + 2, 2));
  if (!has(5)) return void (d.cutAt = s + 5);
  f.push(fHex('aoe.minor', 'Minor', buf[s + 4], s + 4, 1));
  if (!has(6)) return void (d.cutAt = s + 6);
  const cmd = buf[s + 5];
  const cf = fUint('aoe.cmd', 'Command', cmd, s + 5, 1);
  cf.text = `Command: ${CMDS[cmd] ?? 'Unknown'} (${cmd})`;
  f.push(cf);
  if (!has(10)) return void (d.cutAt = s + 10);
  f.push(fHex('aoe.tag', 'Tag', u32(buf, s + 6), s + 6, 4));
  if (cmd !== 0) return;
  const a = s + 10;
  if (resp && d.req !== null) {
    const rt = gen(fUint('aoe.response_to', 'Response To', d.req.frame, s, 0));
    rt.text = `Response To: ${d.req.frame}`;
    // tshark adds the time right after Response To, before the ATA header
    const rel = relTime(d.ts - d.req.ts);
    const tf = gen(fStr('aoe.time', 'Time from request', rel, a, 0));
    tf.text = `Time from request: ${rel} seconds`;
    f.push(rt, tf);
  }
  if (!has(11)) return void (d.cutAt = a + 1);
  const af = buf[a];
  const flag = (key: string, l: string, m: number, yes: string, no: string) =>
    f.push(withText(fBool(key, l, (af & m) !== 0, a, 1, m), `${bitsText(af, m, 8)} = ${l}: ${af & m ? yes : no}`));
  flag('aoe.aflags.e', 'E', 0x40, 'LBA48 extended command', 'Normal command');
  if (af & 0x40) flag('aoe.aflags.d', 'D', 0x10, 'True', 'False');
  if (af & 0x01) flag('aoe.aflags.a', 'A', 0x02, 'ASYNCHRONOUS Write', 'synchronous write');
  flag('aoe.aflags.w', 'W', 0x01, 'WRITE to the device', 'No write to device');
  if (!has(12)) return void (d.cutAt = a + 2);
  f.push(fHex('aoe.err_feature', 'Err/Feature', buf[a + 1], a + 1, 1));
  if (!has(13)) return void (d.cutAt = a + 3);
  f.push(fUint('aoe.sector_count', 'Sector Count', buf[a + 2], a + 2, 1));
  if (!has(14)) return void (d.cutAt = a + 4);
  const ataCmd = (v: number, at: number, len: number) => {
    const x = fHex('aoe.ata.cmd', 'ATA Cmd', v, at, len, 2);
    x.text = `ATA Cmd: ${ATA_CMDS[v] ?? 'Unknown'} (${hexN(v, 2)})`;
    return x;
  };
  if (!resp) f.push(ataCmd(buf[a + 3], a + 3, 1));
  else {
    f.push(fHex('aoe.ata.status', 'ATA Status', buf[a + 3], a + 3, 1));
    if (d.req !== null) f.push(gen(ataCmd(d.req.cmd, s, 0)));
  }
  if (!has(20)) return void (d.cutAt = a + 10);
  const lba = BigInt(buf[a + 4] | (buf[a + 5] << 8) | (buf[a + 6] << 16)) + (BigInt(buf[a + 7]) << 24n) + (BigInt(buf[a + 8] | (buf[a + 9] << 8)) << 32n);
  const lf = fUint('aoe.lba', 'Lba', Number(lba), a + 4, 6);
  lf.show = '0x' + lba.toString(16).padStart(16, '0');
  f.push(lf);
}

function withText(f: Field, text: string): Field {
  f.text = text;
  return f;
}

export const aoe: Dissector<AoeD> = {
  proto: 'aoe',
  name: 'ATAoverEthernet',
  fieldKeys: [
    'aoe.version', 'aoe.response', 'aoe.flags_error', 'aoe.error', 'aoe.major', 'aoe.minor', 'aoe.cmd', 'aoe.tag', 'aoe.response_to', 'aoe.time',
    'aoe.aflags.e', 'aoe.aflags.d', 'aoe.aflags.a', 'aoe.aflags.w', 'aoe.err_feature', 'aoe.sector_count', 'aoe.ata.cmd', 'aoe.ata.status', 'aoe.lba',
  ],
  registers: [{ table: 'ethertype', key: 0x88a2 }],
  column: () => 'AoE',

  dissect(buf, start, end, ctx) {
    const d: AoeD = { info: '', req: null, cutAt: -1, ts: ctx.frame.ts };
    const l = new Layer(aoe, buf, start, end, d);
    const s = start, n = end - start;
    const ver = n >= 1 ? buf[s] >> 4 : 0;
    if (n >= 1 && ver === 1) {
      const flags = buf[s] & 0x0f;
      const resp = (flags & 8) !== 0;
      let info = '';
      if (flags & 4 && n >= 2) info += `Error:${ERRORS[buf[s + 1]] ?? `Unknown error<${buf[s + 1]}>`} `;
      if (n >= 6) info += `${CMDS[buf[s + 5]] ?? `Unknown command<${buf[s + 5]}>`} ${resp ? 'Response' : 'Request'}`;
      if (n >= 14 && buf[s + 5] === 0) {
        // request/response matching (tshark's ata_cmd tables), once per frame
        const st = state(ctx);
        const fi = ctx.frame.index;
        let req = st.byFrame.get(fi);
        if (req === undefined) {
          const key = `${convKey(ctx)}#${u32(buf, s + 6)}`;
          if (!resp) {
            st.pending.delete(key);
            if (st.pending.size >= MAX_PENDING) st.pending.delete(st.pending.keys().next().value as string);
            st.pending.set(key, { frame: fi, ts: ctx.frame.ts, cmd: buf[s + 13] });
            req = null;
          } else {
            req = st.pending.get(key) ?? null;
            if (req !== null) st.pending.delete(key);
          }
          if (st.byFrame.size >= MAX_FRAMES) st.byFrame.delete(st.byFrame.keys().next().value as number);
          st.byFrame.set(fi, req);
        }
        d.req = resp ? req : null;
        if (!resp) info += ` ATA:${ataName(buf[s + 13])}`;
        else if (d.req !== null) info += ` ATA:${ataName(d.req.cmd)}`;
      }
      d.info = info;
    }
    build(buf, start, end, d, null);
    if (d.cutAt >= 0) l.problem('malformed', `AoE header cut short: needs ${d.cutAt - start} bytes, has ${n}`, start, end);
    return l;
  },

  fields(l) {
    const out: Field[] = [];
    build(l.buf, l.start, l.end, { ...l.d, cutAt: -1 }, out);
    return out;
  },

  info: (l) => l.d.info,
};
