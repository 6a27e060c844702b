// X11 on TCP ports 6000–6063, as tshark 4.0 shows it (packet-x11.c) for a capture that starts
// mid-connection and may be cut by the snaplen. Requests (to the server port) are read one after
// another by their length word; replies, events and errors (from it) by their first byte (0 error,
// 1 reply, else event). Each segment is read on its own: a message that runs past the captured bytes
// is where tshark asks TCP for more, so dissection stops there (Info keeps what came before, or TCP's
// Info when it is the first; a snaplen cut adds "[Packet size limited during capture]"). A request
// length of 0 is tshark's "Bogus request length (0)": an X11 layer with no Info of its own.
// Per connection (ctx.state.slots): the byte order (guessed once, little endian unless only big
// endian fits), the request sequence counter (resynchronised on the first reply, as tshark does
// without the connection setup) and the opcodes of requests that expect a reply (capped).

import { fUint } from '../src/dissect/fields.js';
import { conversationKey, Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import type { TcpD } from '../src/dissect/decoded.js';

export const X11_PORT_LO = 6000;
export const X11_PORT_HI = 6063;

const OPCODES: readonly string[] = [
  '', 'CreateWindow', 'ChangeWindowAttributes', 'GetWindowAttributes', 'DestroyWindow', 'DestroySubwindows', 'ChangeSaveSet',
  'ReparentWindow', 'MapWindow', 'MapSubwindows', 'UnmapWindow', 'UnmapSubwindows', 'ConfigureWindow', 'CirculateWindow',
  'GetGeometry', 'QueryTree', 'InternAtom', 'GetAtomName', 'ChangeProperty', 'DeleteProperty', 'GetProperty', 'ListProperties',
  'SetSelectionOwner', 'GetSelectionOwner', 'ConvertSelection', 'SendEvent', 'GrabPointer', 'UngrabPointer', 'GrabButton',
  'UngrabButton', 'ChangeActivePointerGrab', 'GrabKeyboard', 'UngrabKeyboard', 'GrabKey', 'UngrabKey', 'AllowEvents',
  'GrabServer', 'UngrabServer', 'QueryPointer', 'GetMotionEvents', 'TranslateCoordinates', 'WarpPointer', 'SetInputFocus',
  'GetInputFocus', 'QueryKeymap', 'OpenFont', 'CloseFont', 'QueryFont', 'QueryTextExtents', 'ListFonts', 'ListFontsWithInfo',
  'SetFontPath', 'GetFontPath', 'CreatePixmap', 'FreePixmap', 'CreateGC', 'ChangeGC', 'CopyGC', 'SetDashes',
  'SetClipRectangles', 'FreeGC', 'ClearArea', 'CopyArea', 'CopyPlane', 'PolyPoint', 'PolyLine', 'PolySegment',
  'PolyRectangle', 'PolyArc', 'FillPoly', 'PolyFillRectangle', 'PolyFillArc', 'PutImage', 'GetImage', 'PolyText8',
  'PolyText16', 'ImageText8', 'ImageText16', 'CreateColormap', 'FreeColormap', 'CopyColormapAndFree', 'InstallColormap',
  'UninstallColormap', 'ListInstalledColormaps', 'AllocColor', 'AllocNamedColor', 'AllocColorCells', 'AllocColorPlanes',
  'FreeColors', 'StoreColors', 'StoreNamedColor', 'QueryColors', 'LookupColor', 'CreateCursor', 'CreateGlyphCursor',
  'FreeCursor', 'RecolorCursor', 'QueryBestSize', 'QueryExtension', 'ListExtensions', 'ChangeKeyboardMapping',
  'GetKeyboardMapping', 'ChangeKeyboardControl', 'GetKeyboardControl', 'Bell', 'ChangePointerControl', 'GetPointerControl',
  'SetScreenSaver', 'GetScreenSaver', 'ChangeHosts', 'ListHosts', 'SetAccessControl', 'SetCloseDownMode', 'KillClient',
  'RotateProperties', 'ForceScreenSaver', 'SetPointerMapping', 'GetPointerMapping', 'SetModifierMapping',
  'GetModifierMapping',
];
const NO_OPERATION = 127;

const knownOpcode = (op: number): boolean => op === NO_OPERATION || (op > 0 && op < OPCODES.length);
const knownEvent = (code: number): boolean => (code & 0x7f) >= 2 && (code & 0x7f) < EVENTS.length;

export function x11OpcodeName(op: number): string {
  if (op === NO_OPERATION) return 'NoOperation';
  const n = op > 0 && op < OPCODES.length ? OPCODES[op] : '';
  return n === '' ? `<Unknown opcode ${op}>` : n;
}

/** Requests the server answers with a reply (tshark records their sequence numbers). */
const WITH_REPLY = new Set<number>([
  98, 84, 86, 87, 85, 17, 52, 14, 73, 43, 103, 101, 119, 39, 106, 117, 20, 108, 23, 3, 31, 26, 16, 99, 49, 50, 110, 83, 21,
  92, 97, 91, 47, 44, 38, 48, 15, 118, 116, 40,
]);

const EVENTS: readonly string[] = [
  '', '', 'KeyPress', 'KeyRelease', 'ButtonPress', 'ButtonRelease', 'MotionNotify', 'EnterNotify', 'LeaveNotify', 'FocusIn',
  'FocusOut', 'KeymapNotify', 'Expose', 'GraphicsExpose', 'NoExpose', 'VisibilityNotify', 'CreateNotify', 'DestroyNotify',
  'UnmapNotify', 'MapNotify', 'MapRequest', 'ReparentNotify', 'ConfigureNotify', 'ConfigureRequest', 'GravityNotify',
  'ResizeRequest', 'CirculateNotify', 'CirculateRequest', 'PropertyNotify', 'SelectionClear', 'SelectionRequest',
  'SelectionNotify', 'ColormapNotify', 'ClientMessage', 'MappingNotify', 'GenericEvent',
];
const ERRORS: readonly string[] = [
  '', 'BadRequest', 'BadValue', 'BadWindow', 'BadPixmap', 'BadAtom', 'BadCursor', 'BadFont', 'BadMatch', 'BadDrawable',
  'BadAccess', 'BadAlloc', 'BadColormap', 'BadGC', 'BadIDChoice', 'BadName', 'BadLength', 'BadImplementation',
];

/** Pending reply opcodes kept per connection, at most. */
export const X11_MAX_PENDING = 4096;
/** Messages read per segment, at most (a segment of 4-byte requests). */
const MAX_MESSAGES = 1 << 14;
/** Frames whose result a connection remembers (a frame dissected again gets the same answer). */
const MEMO = 64;

interface Conv {
  le: boolean | null;
  seq: number;
  resync: boolean;
  pending: Map<number, number>;
  memo: Map<number, X11D>;
}

interface Msg {
  kind: 'request' | 'reply' | 'event' | 'error';
  at: number;
  /** Bytes it declares (reported). */
  len: number;
  code: number;
  /** Reply: the request opcode it answers, -1 unknown. */
  answers: number;
  /** A BIG-REQUESTS request (16-bit length 0, 32-bit length after it). */
  big?: boolean;
}

export interface X11D {
  toServer: boolean;
  le: boolean;
  msgs: Msg[];
  /** A request length of 0 at the start: no Info of its own. */
  bogus: boolean;
  /** The segment runs past the captured bytes where dissection stopped (snaplen). */
  cut: boolean;
}

const rd16 = (b: Uint8Array, p: number, le: boolean) => (le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1]);
const rd32 = (b: Uint8Array, p: number, le: boolean) =>
  (le ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000 : ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) + b[p] * 0x1000000);

/** Little endian unless only the big-endian reading of the first message's length fits. */
function guessLe(b: Uint8Array, start: number, end: number, reported: number, toServer: boolean): boolean {
  if (end - start < 8) return true;
  if (toServer) {
    const le = rd16(b, start + 2, true) * 4, be = rd16(b, start + 2, false) * 4;
    return !(be > 0 && be <= reported && !(le > 0 && le <= reported));
  }
  if (b[start] !== 1) return true;
  const le = 32 + rd32(b, start + 4, true) * 4, be = 32 + rd32(b, start + 4, false) * 4;
  return !(be <= reported && le > reported);
}

function read(buf: Uint8Array, start: number, end: number, reported: number, toServer: boolean, c: Conv): X11D {
  if (c.le === null) c.le = guessLe(buf, start, end, reported, toServer);
  const le = c.le;
  const d: X11D = { toServer, le, msgs: [], bogus: false, cut: false };
  const rEnd = start + reported;
  let p = start;
  for (let n = 0; p < rEnd && n < MAX_MESSAGES; n++) {
    const have = end - p;
    if (toServer) {
      if (have < 4) break;
      let words = rd16(buf, p + 2, le);
      const big = words === 0;
      if (big) {
        // BIG-REQUESTS: a 32-bit length follows; 0 there too is tshark's "Bogus request length (0)"
        if (have < 8) break;
        words = rd32(buf, p + 4, le);
        if (words === 0) {
          if (d.msgs.length === 0) d.bogus = true;
          return d;
        }
      }
      const len = words * 4;
      if (have < len) break;
      const op = buf[p];
      c.seq++;
      if (WITH_REPLY.has(op)) {
        c.pending.delete(c.seq);
        c.pending.set(c.seq, op);
        if (c.pending.size > X11_MAX_PENDING) c.pending.delete(c.pending.keys().next().value as number);
      }
      d.msgs.push({ kind: 'request', at: p, len, code: op, answers: -1, big });
      p += len;
    } else {
      if (have < 8) break;
      const t = buf[p];
      const len = t === 1 ? 32 + rd32(buf, p + 4, le) * 4 : 32;
      if (have < len) break;
      if (t === 1) {
        const sn = rd16(buf, p + 2, le);
        const op = c.pending.get(sn) ?? -1;
        if (!c.resync) {
          c.seq = sn;
          c.resync = true;
        }
        d.msgs.push({ kind: 'reply', at: p, len, code: 1, answers: op });
      } else d.msgs.push({ kind: t === 0 ? 'error' : 'event', at: p, len, code: t === 0 ? buf[p + 1] : t, answers: -1 });
      p += len;
    }
  }
  // stopped before the segment's end: past the captured bytes (tshark asks TCP for the rest and,
  // with the frame cut, cannot have it)
  d.cut = p < rEnd && end < rEnd;
  return d;
}

export function x11EventName(code: number): string {
  const c = code & 0x7f;
  const n = c < EVENTS.length ? EVENTS[c] : '';
  return (code & 0x80 ? 'Sent-' : '') + (n === '' ? `<Unknown eventcode ${c}>` : n);
}

function errorName(code: number): string {
  const n = code < ERRORS.length ? ERRORS[code] : '';
  return n === '' ? `<Unknown errorcode ${code}>` : n;
}

function info(d: X11D): string | null {
  if (d.msgs.length === 0) return null;
  const m0 = d.msgs[0];
  let s = d.toServer ? 'Requests' : m0.kind === 'reply' ? 'Reply' : m0.kind === 'error' ? 'Error' : 'Event';
  d.msgs.forEach((m, i) => {
    const sep = i === 0 ? ':' : ',';
    if (m.kind === 'request') s += `${sep} ${x11OpcodeName(m.code)}`;
    else if (m.kind === 'reply') s += m.answers < 0 ? `${sep} to unknown request` : `${sep} ${x11OpcodeName(m.answers)}`;
    else if (m.kind === 'event') s += `${sep} ${x11EventName(m.code)}`;
    else s += `${sep} ${errorName(m.code)}`;
  });
  return s;
}

/** Event codes without a sequence number. */
const NO_EVENT_SEQ = new Set([11]);

function fields(l: Layer<X11D>): Field[] {
  const { buf, d } = l;
  const out: Field[] = [];
  const le = d.le;
  for (const m of d.msgs) {
    const p = m.at;
    if (m.kind === 'request') {
      out.push(fUint('x11.opcode', 'opcode', m.code, p, 1));
      // opcodes tshark has no name for (extensions without a QueryExtension reply, 120–126): no length field
      if (knownOpcode(m.code)) {
        if (m.big) {
          out.push(fUint('x11.request-length', 'request-length', 0, p + 2, 2));
          out.push(fUint('x11.request-length', 'request-length', m.len / 4, p + 4, 4));
        } else out.push(fUint('x11.request-length', 'request-length', m.len / 4, p + 2, 2));
      }
    } else if (m.kind === 'reply') {
      out.push(fUint('x11.reply', 'reply', 1, p, 1));
      out.push(fUint('x11.reply-sequencenumber', 'sequencenumber', rd16(buf, p + 2, le), p + 2, 2));
      out.push(fUint('x11.replylength', 'replylength', rd32(buf, p + 4, le), p + 4, 4));
    } else if (m.kind === 'event') {
      out.push(fUint('x11.eventcode', 'eventcode', m.code, p, 1));
      if (knownEvent(m.code) && !NO_EVENT_SEQ.has(m.code & 0x7f)) out.push(fUint('x11.event-sequencenumber', 'event-sequencenumber', rd16(buf, p + 2, le), p + 2, 2));
    } else {
      out.push(fUint('x11.error', 'error', 0, p, 1));
      out.push(fUint('x11.errorcode', 'errorcode', m.code, p + 1, 1));
      out.push(fUint('x11.error_sequencenumber', 'error_sequencenumber', rd16(buf, p + 2, le), p + 2, 2));
    }
  }
  return out;
}

export const x11: Dissector<X11D> = {
  proto: 'x11',
  name: 'X11',
  fieldKeys: [
    'x11.opcode', 'x11.request-length', 'x11.reply', 'x11.reply-sequencenumber', 'x11.replylength', 'x11.eventcode',
    'x11.event-sequencenumber', 'x11.error', 'x11.errorcode', 'x11.error_sequencenumber',
  ],
  registers: Array.from({ length: X11_PORT_HI - X11_PORT_LO + 1 }, (_, i) => ({ table: 'tcp.port', key: X11_PORT_LO + i })),

  dissect(buf, start, end, ctx) {
    const tl = ctx.layers[ctx.layers.length - 1] as Layer<TcpD> | undefined;
    const t = tl?.d;
    const toServer = t !== undefined && t.dstport >= X11_PORT_LO && t.dstport <= X11_PORT_HI && !(t.srcport >= X11_PORT_LO && t.srcport <= X11_PORT_HI && t.srcport < t.dstport);
    const reported = Math.max(end - start, t?.len ?? 0);
    let d: X11D;
    if (t === undefined) d = { toServer, le: true, msgs: [], bogus: false, cut: false };
    else {
      let convs = ctx.state.slots.get('x11') as Map<string, Conv> | undefined;
      if (convs === undefined) ctx.state.slots.set('x11', (convs = new Map()));
      const key = conversationKey(ctx.layers, t.srcport, t.dstport);
      let c = convs.get(key);
      if (c === undefined) {
        if (convs.size >= 1024) convs.delete(convs.keys().next().value as string);
        convs.set(key, (c = { le: null, seq: 0, resync: false, pending: new Map(), memo: new Map() }));
      }
      const fi = ctx.frame.index;
      const seen = c.memo.get(fi);
      if (seen !== undefined) d = seen;
      else {
        d = read(buf, start, end, reported, toServer, c);
        c.memo.set(fi, d);
        if (c.memo.size > MEMO) c.memo.delete(c.memo.keys().next().value as number);
      }
    }
    const l = new Layer<X11D>(x11, buf, start, end, d);
    if (d.cut) l.problem(ctx.snapCut(buf, start + reported) ? 'truncated' : 'malformed', 'X11 message runs past the captured bytes', end, end);
    return l;
  },

  fields: (l) => fields(l),
  column: () => 'X11',
  info: (l) => info(l.d),
};
