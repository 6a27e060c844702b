// SDP (RFC 4566) as tshark 4.0 shows a session description inside a SIP message body: one field per line
// ("Owner/Creator, Session Id (o): …" and its parts), media descriptions with their formats named from the
// RTP payload type table, rtpmap and fmtp attributes tied to the formats of their media section. Not a
// dissector of its own: SIP (dissectors/sip.ts) builds these fields under its "Message Body".

import { fStr, fText, fUint, gen, hide, latin1Text } from '../src/dissect/fields.js';
import type { Field } from '../src/dissect/types.js';

/** Lines read from one description at most. */
const MAX_LINES = 1024;

export const SDP_KEYS = [
  'sdp', 'sdp.version', 'sdp.owner', 'sdp.owner.username', 'sdp.owner.sessionid', 'sdp.owner.version', 'sdp.owner.network_type',
  'sdp.owner.address_type', 'sdp.owner.address', 'sdp.session_name', 'sdp.session_info', 'sdp.uri', 'sdp.email', 'sdp.phone',
  'sdp.connection_info', 'sdp.connection_info.network_type', 'sdp.connection_info.address_type', 'sdp.connection_info.address',
  'sdp.connection_info.ttl', 'sdp.connection_info.num_addr', 'sdp.bandwidth', 'sdp.bandwidth.modifier', 'sdp.bandwidth.value',
  'sdp.time', 'sdp.time.start', 'sdp.time.stop', 'sdp.repeat_time', 'sdp.timezone', 'sdp.timezone.time', 'sdp.timezone.offset',
  'sdp.encryption_key', 'sdp.encryption_key.type', 'sdp.encryption_key.data', 'sdp.session_attr', 'sdp.session_attr.field',
  'sdp.session_attr.value', 'sdp.media', 'sdp.media.media', 'sdp.media.port', 'sdp.media.port_string', 'sdp.media.portcount',
  'sdp.media.proto', 'sdp.media.format', 'sdp.media_title', 'sdp.media_attr', 'sdp.media_attribute.field', 'sdp.media_attribute.value',
  'sdp.mime.type', 'sdp.sample_rate', 'sdp.fmtp.parameter', 'sdp.invalid',
] as const;

const PT_NAMES = [
  'ITU-T G.711 PCMU', 'USA Federal Standard FS-1016', 'ITU-T G.721', 'GSM 06.10', 'ITU-T G.723', 'DVI4 8000 samples/s',
  'DVI4 16000 samples/s', 'Experimental linear predictive encoding from Xerox PARC', 'ITU-T G.711 PCMA', 'ITU-T G.722',
  '16-bit uncompressed audio, stereo', '16-bit uncompressed audio, monaural', 'Qualcomm Code Excited Linear Predictive coding',
  'Comfort noise', 'MPEG-I/II Audio', 'ITU-T G.728', 'DVI4 11025 samples/s', 'DVI4 22050 samples/s', 'ITU-T G.729',
  'Comfort noise (old)', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Sun CellB video encoding',
  'JPEG-compressed video', 'Unassigned', "'nv' program", 'Unassigned', 'Unassigned', 'ITU-T H.261', 'MPEG-I/II Video',
  'MPEG-II transport streams', 'ITU-T H.263',
];

/** tshark's name of an RTP payload type (rtp_payload_type_vals). */
export function rtpPayloadName(pt: number): string {
  if (pt < PT_NAMES.length) return PT_NAMES[pt];
  if (pt >= 72 && pt <= 76) return 'Reserved for RTCP conflict avoidance';
  if (pt >= 96 && pt <= 127) return `DynamicRTP-Type-${pt}`;
  return 'Unassigned';
}

const BW_MODIFIERS: Record<string, string> = {
  CT: 'Conference Total', AS: 'Application Specific (RTP session bandwidth)', RS: 'RTCP bandwidth allocated to active data senders',
  RR: 'RTCP bandwidth allocated to other participants', TIAS: 'Transport Independent Application Specific maximum',
};

const LINE_LABELS: Record<string, [string, string]> = {
  v: ['sdp.version', 'Session Description Protocol Version (v)'], o: ['sdp.owner', 'Owner/Creator, Session Id (o)'],
  s: ['sdp.session_name', 'Session Name (s)'], i: ['sdp.session_info', 'Session Information (i)'], u: ['sdp.uri', 'URI of Description (u)'],
  e: ['sdp.email', 'E-mail Address (e)'], p: ['sdp.phone', 'Phone Number (p)'], c: ['sdp.connection_info', 'Connection Information (c)'],
  b: ['sdp.bandwidth', 'Bandwidth Information (b)'], t: ['sdp.time', 'Time Description, active time (t)'],
  r: ['sdp.repeat_time', 'Repeat Time (r)'], m: ['sdp.media', 'Media Description, name and address (m)'],
  k: ['sdp.encryption_key', 'Encryption Key (k)'], a: ['sdp.session_attr', 'Session Attribute (a)'], z: ['sdp.timezone', 'Time Zone Adjustments (z)'],
};

/** Space-separated tokens of [s, e) with their offsets. */
function tokens(buf: Uint8Array, s: number, e: number, max: number): { at: number; end: number }[] {
  const out: { at: number; end: number }[] = [];
  let p = s;
  while (p < e && out.length < max) {
    while (p < e && buf[p] === 0x20) p++;
    if (p >= e) break;
    let q = p;
    // the last token takes the rest of the line
    if (out.length === max - 1) q = e;
    else while (q < e && buf[q] !== 0x20) q++;
    out.push({ at: p, end: q });
    p = q;
  }
  return out;
}

const str = (key: string, label: string, buf: Uint8Array, s: number, e: number): Field => fStr(key, label, latin1Text(buf, s, e), s, e - s);

/**
 * The fields of the session description in [start, end), under one "Session Description Protocol" field;
 * `callIds` end it as tshark's generated Call-IDs: those of every SIP message whose description announced
 * one of these media streams so far (tshark's RTP conversation setup), this one's included.
 */
export function sdpFields(buf: Uint8Array, start: number, end: number, callIds: readonly string[]): Field {
  const out: Field[] = [];
  let inMedia = false;
  /** rtpmap names of the current media section by payload type. */
  let names = new Map<string, string>();
  let p = start;
  for (let n = 0; p < end && n < MAX_LINES; n++) {
    let q = p;
    while (q < end && buf[q] !== 0x0a) q++;
    const next = q < end ? q + 1 : q;
    const le = q > p && buf[q - 1] === 0x0d ? q - 1 : q;
    if (le === p) {
      p = next;
      continue;
    }
    const lineLen = next - p;
    if (le - p < 2 || buf[p + 1] !== 0x3d) {
      const f = fStr('sdp.invalid', 'Invalid line', latin1Text(buf, p, le), p, lineLen);
      f.children = [fText("[Expert Info (Note/Malformed): Invalid SDP line (no '=' delimiter)]", p, lineLen, [
        fText("[Invalid SDP line (no '=' delimiter)]", p, lineLen), fText('[Severity level: Note]', p, lineLen), fText('[Group: Malformed]', p, lineLen),
      ])];
      out.push(f);
      p = next;
      continue;
    }
    const t = String.fromCharCode(buf[p]);
    const vs = p + 2;
    let lab = LINE_LABELS[t];
    if (t === 'm') {
      inMedia = true;
      names = new Map();
    }
    if (inMedia && t === 'a') lab = ['sdp.media_attr', 'Media Attribute (a)'];
    if (inMedia && t === 'i') lab = ['sdp.media_title', 'Media Title (i)'];
    if (lab === undefined) {
      out.push(fText(`Unknown (${t}): ${latin1Text(buf, vs, le)}`, p, lineLen));
      p = next;
      continue;
    }
    const f = fStr(lab[0], lab[1], latin1Text(buf, vs, le), p, lineLen);
    const kids: Field[] = [];
    const tk = (max: number) => tokens(buf, vs, le, max);
    switch (t) {
      case 'o': {
        const x = tk(6);
        const labs: [string, string][] = [
          ['sdp.owner.username', 'Owner Username'], ['sdp.owner.sessionid', 'Session ID'], ['sdp.owner.version', 'Session Version'],
          ['sdp.owner.network_type', 'Owner Network Type'], ['sdp.owner.address_type', 'Owner Address Type'], ['sdp.owner.address', 'Owner Address'],
        ];
        x.forEach((k, i) => kids.push(str(labs[i][0], labs[i][1], buf, k.at, k.end)));
        break;
      }
      case 'c': {
        const x = tk(3);
        const labs: [string, string][] = [
          ['sdp.connection_info.network_type', 'Connection Network Type'], ['sdp.connection_info.address_type', 'Connection Address Type'],
        ];
        x.forEach((k, i) => {
          if (i < 2) kids.push(str(labs[i][0], labs[i][1], buf, k.at, k.end));
          else {
            let s1 = k.at;
            while (s1 < k.end && buf[s1] !== 0x2f) s1++;
            kids.push(str('sdp.connection_info.address', 'Connection Address', buf, k.at, s1));
            if (s1 < k.end) {
              let s2 = s1 + 1;
              while (s2 < k.end && buf[s2] !== 0x2f) s2++;
              kids.push(str('sdp.connection_info.ttl', 'Connection TTL', buf, s1 + 1, s2));
              if (s2 < k.end) kids.push(str('sdp.connection_info.num_addr', 'Connection Number of Addresses', buf, s2 + 1, k.end));
            }
          }
        });
        break;
      }
      case 'b': {
        let c = vs;
        while (c < le && buf[c] !== 0x3a) c++;
        const mod = latin1Text(buf, vs, c);
        const mf = str('sdp.bandwidth.modifier', 'Bandwidth Modifier', buf, vs, c);
        if (BW_MODIFIERS[mod] !== undefined) mf.text = `Bandwidth Modifier: ${mod} [${BW_MODIFIERS[mod]}]`;
        kids.push(mf);
        if (c < le) {
          const vf = str('sdp.bandwidth.value', 'Bandwidth Value', buf, c + 1, le);
          if (mod === 'AS' || mod === 'CT') vf.text = `Bandwidth Value: ${vf.show} kb/s`;
          kids.push(vf);
        }
        break;
      }
      case 't': {
        const x = tk(2);
        if (x[0]) kids.push(str('sdp.time.start', 'Session Start Time', buf, x[0].at, x[0].end));
        if (x[1]) kids.push(str('sdp.time.stop', 'Session Stop Time', buf, x[1].at, x[1].end));
        break;
      }
      case 'z': {
        const x = tk(64);
        x.forEach((k, i) => kids.push(i % 2 === 0 ? str('sdp.timezone.time', 'Timezone Time', buf, k.at, k.end) : str('sdp.timezone.offset', 'Timezone Offset', buf, k.at, k.end)));
        break;
      }
      case 'k': {
        let c = vs;
        while (c < le && buf[c] !== 0x3a) c++;
        kids.push(str('sdp.encryption_key.type', 'Key Type', buf, vs, c));
        if (c < le) kids.push(str('sdp.encryption_key.data', 'Key Data', buf, c + 1, le));
        break;
      }
      case 'm': {
        const x = tk(64);
        if (x[0]) kids.push(str('sdp.media.media', 'Media Type', buf, x[0].at, x[0].end));
        if (x[1]) {
          let s1 = x[1].at;
          while (s1 < x[1].end && buf[s1] !== 0x2f) s1++;
          const ps = latin1Text(buf, x[1].at, s1);
          kids.push(hide(str('sdp.media.port_string', 'Media Port', buf, x[1].at, s1)));
          const pn = /^\d+$/.test(ps) ? Number(ps) : NaN;
          if (!Number.isNaN(pn) && pn < 65536) kids.push(fUint('sdp.media.port', 'Media Port', pn, x[1].at, s1 - x[1].at));
          if (s1 < x[1].end) kids.push(str('sdp.media.portcount', 'Media Port Count', buf, s1 + 1, x[1].end));
        }
        const proto = x[2] ? latin1Text(buf, x[2].at, x[2].end) : '';
        if (x[2]) kids.push(str('sdp.media.proto', 'Media Protocol', buf, x[2].at, x[2].end));
        const rtp = proto.includes('RTP/');
        for (let i = 3; i < x.length; i++) {
          const fs = latin1Text(buf, x[i].at, x[i].end);
          const ff = fStr('sdp.media.format', 'Media Format', fs, x[i].at, x[i].end - x[i].at);
          if (rtp && /^\d{1,3}$/.test(fs) && Number(fs) < 128) ff.show = ff.value = rtpPayloadName(Number(fs)) as string;
          ff.show = String(ff.value);
          kids.push(ff);
        }
        break;
      }
      case 'a': {
        const pre = inMedia ? 'sdp.media_attribute' : 'sdp.session_attr';
        const lf = inMedia ? 'Media Attribute Fieldname' : 'Session Attribute Fieldname';
        const lv = inMedia ? 'Media Attribute Value' : 'Session Attribute Value';
        let c = vs;
        while (c < le && buf[c] !== 0x3a) c++;
        if (c >= le) break; // a flag attribute ("sendrecv"): no parts
        const name = latin1Text(buf, vs, c);
        kids.push(str(`${pre}.field`, lf, buf, vs, c));
        const v0 = c + 1;
        if (inMedia && (name === 'rtpmap' || name === 'fmtp')) {
          let sp = v0;
          while (sp < le && buf[sp] !== 0x20) sp++;
          const pt = latin1Text(buf, v0, sp);
          const ff = str('sdp.media.format', 'Media Format', buf, v0, sp);
          kids.push(ff);
          let r = sp;
          while (r < le && buf[r] === 0x20) r++;
          if (name === 'rtpmap') {
            let sl = r;
            while (sl < le && buf[sl] !== 0x2f) sl++;
            const mime = latin1Text(buf, r, sl);
            names.set(pt, mime);
            kids.push(str('sdp.mime.type', 'MIME Type', buf, r, sl));
            if (sl < le) {
              let s2 = sl + 1;
              while (s2 < le && buf[s2] !== 0x2f) s2++;
              kids.push(str('sdp.sample_rate', 'Sample Rate', buf, sl + 1, s2));
            }
          } else {
            const mime = names.get(pt);
            if (mime !== undefined) ff.text = `Media Format: ${pt} [${mime}]`;
            let a = r;
            for (let guard = 0; a < le && guard < 256; guard++) {
              let b = a;
              while (b < le && buf[b] !== 0x3b) b++;
              kids.push(str('sdp.fmtp.parameter', 'Media format specific parameters', buf, a, b));
              a = b + 1;
              while (a < le && buf[a] === 0x20) a++;
            }
          }
        } else kids.push(str(`${pre}.value`, lv, buf, v0, le));
        break;
      }
      default:
        break;
    }
    if (kids.length > 0) f.children = kids;
    out.push(f);
    p = next;
  }
  for (const c of callIds) out.push(gen(fStr('sip.call_id_generated', 'Generated Call-ID', c, start, 0)));
  const top = fText('Session Description Protocol', start, end - start, out);
  top.key = 'sdp';
  top.show = '';
  return top;
}

/** One media stream an SDP announces: where it is received and how (for RTP's conversations). */
export interface SdpStream {
  addr: string;
  port: number;
  proto: string;
  media: string;
  /** rtpmap encoding names by payload type. */
  rtpmap: Map<number, string>;
}

/** The media streams of the description in [start, end) with a port other than 0 (bounded). */
export function sdpStreams(buf: Uint8Array, start: number, end: number): SdpStream[] {
  const out: SdpStream[] = [];
  let sessionAddr = '';
  let cur: SdpStream | null = null;
  let p = start;
  for (let n = 0; p < end && n < MAX_LINES; n++) {
    let q = p;
    while (q < end && buf[q] !== 0x0a) q++;
    const le = q > p && buf[q - 1] === 0x0d ? q - 1 : q;
    if (le - p >= 2 && buf[p + 1] === 0x3d) {
      const t = buf[p];
      const v = latin1Text(buf, p + 2, le);
      if (t === 0x63) {
        // c=IN IP4 addr[/ttl]
        const a = (v.split(' ')[2] ?? '').split('/')[0];
        if (cur === null) sessionAddr = a;
        else cur.addr = a;
      } else if (t === 0x6d) {
        const x = v.split(' ');
        cur = { addr: sessionAddr, port: Number((x[1] ?? '').split('/')[0]), proto: x[2] ?? '', media: x[0] ?? '', rtpmap: new Map() };
        if (out.length < 64) out.push(cur);
      } else if (t === 0x61 && cur !== null && v.startsWith('rtpmap:')) {
        const m = /^rtpmap:(\d+) ([^/]*)/.exec(v);
        if (m !== null) cur.rtpmap.set(Number(m[1]), m[2]);
      }
    }
    p = q < end ? q + 1 : q;
  }
  return out.filter((s) => Number.isInteger(s.port) && s.port > 0 && s.port < 65536 && s.addr !== '');
}
