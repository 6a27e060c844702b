// `wiretrace http FILE`: HTTP/1.x transactions over reassembled TCP (request ↔ response, with
// latency); -T json; --show-body prints decoded bodies (text as text, binary as hex, bounded).

import { Command } from 'commander';
import { TcpTracker } from '../analysis/tcp/tracker.js';
import { TcpApp, type HttpTransaction } from '../analysis/http/app.js';
import { decodeBody } from '../analysis/http/message.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { useColor } from '../output/color.js';
import { boxTable } from '../output/box-table.js';
import { analyseFile } from './conversations.js';
import { EXIT_OK, printResult, UsageError } from './errors.js';
import type { CliIO } from './read.js';
import { addKeyLogOptions, keyLogFrom, type RawKeyLogOptions } from './keylog.js';

const BODY_SHOW = 4096;

function size(n: number): string {
  return n < 10_000 ? `${n} B` : n < 10_000_000 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}
function secs(ts: bigint, epoch: bigint): string {
  return (Number(ts - epoch) / 1e9).toFixed(6);
}
export function latencyText(s: number): string {
  if (s < 0) return '—';
  return s < 1 ? `${(s * 1000).toFixed(3)} ms` : `${s.toFixed(3)} s`;
}

/** Text as text (printable UTF-8), else hex, at most `max` bytes. */
export function bodyText(b: Uint8Array, max = BODY_SHOW): string {
  const v = b.subarray(0, max);
  let printable = 0;
  for (const c of v) if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128) printable++;
  const more = b.length > max ? `\n… (${b.length - max} more bytes)` : '';
  if (v.length === 0 || printable / v.length > 0.95) return new TextDecoder().decode(v) + more;
  let s = '';
  for (let i = 0; i < v.length; i += 16) {
    s += i.toString(16).padStart(6, '0') + '  ' + Array.from(v.subarray(i, i + 16), (x) => x.toString(16).padStart(2, '0')).join(' ') + '\n';
  }
  return s + more;
}

export function transactionJson(t: HttpTransaction, epoch: bigint) {
  return {
    stream: t.stream, client: t.client, server: t.server, request_frame: t.reqFrame || null,
    time: t.reqFrame ? Number(secs(t.reqTs, epoch)) : null, method: t.method || null, host: t.host || null, uri: t.uri || null,
    version: t.version, request_body: t.reqBody, response_frame: t.respFrame || null, status: t.status || null,
    phrase: t.phrase || null, response_body: t.respBody, content_type: t.contentType || null,
    content_encoding: t.contentEncoding || null, latency: t.latency >= 0 ? t.latency : null, notes: t.notes,
  };
}

export async function runHttp(file: string, opts: { outputFormat?: string; showBody?: boolean; color?: boolean } & RawKeyLogOptions, io: CliIO): Promise<number> {
  const fmt = opts.outputFormat ?? 'table';
  if (fmt !== 'table' && fmt !== 'json') throw new UsageError(`-T ${fmt}: http prints table or json`);
  const reg = defaultRegistry();
  const tr = new TcpTracker({ fields: false });
  // bodies are printed only with --show-body: otherwise a transaction need not keep its frames' bytes
  const app = new TcpApp({ registry: reg, layers: opts.showBody === true, keylog: keyLogFrom(opts) }).follow(tr);
  let epoch: bigint | null = null;
  const { error } = await analyseFile(file, (pkt) => {
    if (epoch === null) epoch = pkt.frame.ts;
    tr.packet(pkt);
    app.packet(pkt);
  });
  app.finish();
  const e0 = epoch ?? 0n;
  const list = app.transactions;
  if (fmt === 'json') {
    const out = list.map((t) => {
      const j: Record<string, unknown> = transactionJson(t, e0);
      if (opts.showBody) {
        if (t.reqLayer) j.request_body_text = bodyText(decodeBody(t.reqLayer).bytes);
        if (t.respLayer) j.response_body_text = bodyText(decodeBody(t.respLayer).bytes);
      }
      return j;
    });
    await printResult(io.stdout, JSON.stringify(out, null, 2) + '\n');
  } else {
    const color = useColor(io.stdout, opts.color, io.env);
    const head = ['Time', 'Client → Server', 'Method', 'Host + URI', 'Status', 'Req', 'Resp', 'Content-Type', 'Latency'];
    const rows: string[][] = [];
    for (const x of list) {
      const uri = (x.host + x.uri).slice(0, 60);
      rows.push([
        x.reqFrame ? secs(x.reqTs, e0) : secs(x.respTs, e0), `${x.client} → ${x.server}`, x.method || '—', uri || '—',
        x.status ? `${x.status} ${x.phrase}`.slice(0, 24) : x.notes.length ? x.notes.join('; ') : 'no response',
        size(x.reqBody), x.respFrame ? size(x.respBody) : '—', x.contentType.split(';')[0], latencyText(x.latency),
      ]);
    }
    let s = `HTTP transactions: ${list.length}\n${boxTable(head, rows, color)}`;
    if (opts.showBody) {
      for (const x of list) {
        s += `\n== ${x.method} ${x.host}${x.uri} → ${x.status || '—'}\n`;
        if (x.reqLayer && x.reqBody > 0) s += `-- request body --\n${bodyText(decodeBody(x.reqLayer).bytes)}\n`;
        if (x.respLayer && x.respBody > 0) s += `-- response body --\n${bodyText(decodeBody(x.respLayer).bytes)}\n`;
      }
    }
    await printResult(io.stdout, s);
  }
  if (error) throw error;
  return EXIT_OK;
}

export function httpCommand(io: CliIO, done: (code: number) => void): Command {
  const cmd = new Command('http')
    .description('HTTP/1.x transactions over reassembled TCP: method, URI, status, sizes, latency')
    .argument('<file>', 'capture file (pcap or pcapng; - for stdin)')
    .option('-T, --output-format <fmt>', 'table (default) or json')
    .option('--show-body', 'print decoded bodies (text as text, binary as hex, first 4 kB)')
    .option('--no-color', 'no colours (also NO_COLOR)');
  addKeyLogOptions(cmd);
  return cmd
    .action(async (file: string, opts: { outputFormat?: string; showBody?: boolean; color?: boolean } & RawKeyLogOptions) => {
      done(await runHttp(file, { ...opts, color: opts.color === false ? false : undefined }, io));
    });
}
