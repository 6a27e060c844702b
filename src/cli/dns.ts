// `wiretrace dns FILE`: DNS transactions (UDP, and TCP reassembled): time, client, server, query
// name and type, rcode, answers (short form), latency; unanswered, retransmitted and unsolicited
// marked; -T json.

import { Command } from 'commander';
import { TcpTracker } from '../analysis/tcp/tracker.js';
import { TcpApp } from '../analysis/http/app.js';
import { DnsTransactions, dnsTypeName, rcodeName, type DnsTransaction } from '../analysis/dns-transactions.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { useColor } from '../output/color.js';
import { boxTable } from '../output/box-table.js';
import { analyseFile } from './conversations.js';
import { EXIT_OK, printResult, UsageError } from './errors.js';
import { latencyText } from './http.js';
import type { CliIO } from './read.js';

function note(t: DnsTransaction): string {
  const n: string[] = [];
  if (t.unsolicited) n.push('response without query');
  else if (t.responseFrame === 0) n.push('unanswered');
  if (t.retransmits.length) n.push(`query retransmitted ×${t.retransmits.length}`);
  if (t.dupResponses.length) n.push(`response repeated ×${t.dupResponses.length}`);
  return n.join('; ');
}

export async function runDns(file: string, opts: { outputFormat?: string; color?: boolean }, io: CliIO): Promise<number> {
  const fmt = opts.outputFormat ?? 'table';
  if (fmt !== 'table' && fmt !== 'json') throw new UsageError(`-T ${fmt}: dns prints table or json`);
  const reg = defaultRegistry();
  const tr = new TcpTracker({ fields: false });
  const app = new TcpApp({ registry: reg, keep: false }).follow(tr);
  const dns = new DnsTransactions();
  let epoch: bigint | null = null;
  const { error } = await analyseFile(file, (pkt) => {
    if (epoch === null) epoch = pkt.frame.ts;
    tr.packet(pkt);
    app.packet(pkt);
    dns.packet(pkt);
  });
  const e0 = epoch ?? 0n;
  const t0 = (t: DnsTransaction) => (Number((t.queryFrame ? t.queryTs : t.responseTs) - e0) / 1e9);
  if (fmt === 'json') {
    const out = dns.list.map((t) => ({
      time: t0(t), transport: t.transport, client: t.client, server: t.server, id: t.id, query_frame: t.queryFrame || null,
      name: t.name, type: dnsTypeName(t.type), response_frame: t.responseFrame || null,
      rcode: t.rcode >= 0 ? rcodeName(t.rcode) : null, answers: t.answers, answer_count: t.answerCount, latency: t.latency >= 0 ? t.latency : null,
      retransmitted_queries: t.retransmits, repeated_responses: t.dupResponses, unsolicited: t.unsolicited,
      unanswered: !t.unsolicited && t.responseFrame === 0,
    }));
    await printResult(io.stdout, JSON.stringify(out, null, 2) + '\n');
  } else {
    const color = useColor(io.stdout, opts.color, io.env);
    const head = ['Time', 'Client', 'Server', 'Query', 'Type', 'Rcode', 'Answers', 'Latency', 'Note'];
    const rows: string[][] = [];
    for (const t of dns.list) {
      const ans = t.answers.slice(0, 3).join(', ') + (t.answerCount > 3 ? `, … (${t.answerCount})` : '');
      rows.push([t0(t).toFixed(6), `${t.client}/${t.transport}`, t.server, t.name.slice(0, 50), dnsTypeName(t.type),
        t.rcode >= 0 ? rcodeName(t.rcode) : '—', ans.slice(0, 70), latencyText(t.latency), note(t)]);
    }
    await printResult(io.stdout, `DNS transactions: ${dns.list.length}\n${boxTable(head, rows, color)}`);
  }
  if (error) throw error;
  return EXIT_OK;
}

export function dnsCommand(io: CliIO, done: (code: number) => void): Command {
  return new Command('dns')
    .description('DNS transactions (UDP and reassembled TCP): query, type, rcode, answers, latency; unanswered and retransmitted marked')
    .argument('<file>', 'capture file (pcap or pcapng; - for stdin)')
    .option('-T, --output-format <fmt>', 'table (default) or json')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .action(async (file: string, opts: { outputFormat?: string; color?: boolean }) => {
      done(await runDns(file, { ...opts, color: opts.color === false ? false : undefined }, io));
    });
}
